import { ConfigError } from '../config-error.js';
import type { ProviderName, StagingConfig } from '../config.js';
import { createInteriorRedesignProvider } from './interior-redesign/index.js';
import { createLaminaProvider } from './lamina/index.js';
import { createLocalProvider, parseLocalFailure } from './local/index.js';
import { createLumaAgentsProvider } from './luma-agents/index.js';
import { createLumelyProvider } from './lumely/index.js';
import { remoteSettingsProblems, type RemoteProviderSettings } from './remote/settings.js';
import { createRoomStackProvider } from './roomstack/index.js';
import type { Provider } from './types.js';
import type { Vision } from '../vision/vision.js';

/** The part of the BFF's configuration that picks and sets up the provider. */
export type ProviderSettings = Pick<
  StagingConfig,
  'provider' | 'providerUrl' | 'providerKey' | 'providerWebhookSecret' | 'providerOutputHosts' | 'publicUrl' | 'localFailure' | 'localSpeed'
>;

const REMOTE: Record<Exclude<ProviderName, 'local'>, (s: RemoteProviderSettings) => Provider> = {
  lumely: createLumelyProvider,
  roomstack: createRoomStackProvider,
  'interior-redesign': createInteriorRedesignProvider,
  'luma-agents': createLumaAgentsProvider,
  lamina: createLaminaProvider,
};

/** Builds the configured provider: the local engine, or one of the five remote adapters. */
export function createProvider(s: ProviderSettings, shared: { vision?: Vision } = {}): Provider {
  if (s.provider === 'local') {
    return createLocalProvider({ delayScale: s.localSpeed ?? 1, failure: parseLocalFailure(s.localFailure) ?? null, vision: shared.vision });
  }
  const problems = remoteSettingsProblems(s.provider, { apiKey: s.providerKey, baseUrl: s.providerUrl });
  if (problems.length > 0) throw new ConfigError(problems);
  return REMOTE[s.provider]({
    baseUrl: s.providerUrl ?? undefined,
    apiKey: s.providerKey!,
    webhookSecret: s.providerWebhookSecret,
    outputHosts: s.providerOutputHosts,
    publicUrl: s.publicUrl,
  });
}
