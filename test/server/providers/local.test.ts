import { describe } from 'vitest';
import { createLocalProvider } from '../../../src/server/providers/local/index.js';
import { providerFlowSuite } from './provider-flow-suite.js';

// The suite every remote adapter passes, run against the default local engine: the same
// catalog check and the same upload → job → live events → output flow.
describe('local engine', () =>
  providerFlowSuite({
    name: 'local',
    startFake: async () => ({ baseUrl: 'http://127.0.0.1:9', apiKey: 'local-engine-has-no-key', webhookSecret: null, close: async () => {} }),
    createProvider: () => createLocalProvider({ delayScale: 0.05 }),
    job: { service: 'render-enhancement', config: 'interior-modern' },
  }));
