import type { ProviderName } from '../config.js';
import { createLocalProvider, parseLocalFailure } from './local/index.js';
import type { Provider } from './types.js';

export interface ProviderSettings {
  provider: ProviderName;
  providerUrl: string | null;
  providerKey: string | null;
  localFailure: string | null;
  localSpeed: number | null;
}

/** Builds the configured provider. Remote adapters arrive with the provider-adapters work. */
export function createProvider(s: ProviderSettings): Provider {
  if (s.provider === 'local') {
    return createLocalProvider({ delayScale: s.localSpeed ?? 1, failure: parseLocalFailure(s.localFailure) ?? null });
  }
  throw new Error(`STAGING_PROVIDER=${s.provider} is not available in this version yet; use local.`);
}
