import { ConfigError } from '../../config-error.js';
import { ProviderHttp, type ProviderHttpOptions } from './provider-http.js';

/** What every remote adapter is built from (STAGING_PROVIDER_URL, _KEY, _WEBHOOK_SECRET, STAGING_PUBLIC_URL). */
export interface RemoteProviderSettings {
  /** The provider's base URL; the adapter's documented default when STAGING_PROVIDER_URL is unset. */
  baseUrl?: string;
  apiKey: string;
  webhookSecret: string | null;
  /** The BFF's public base URL: webhook callbacks point here. */
  publicUrl: string;
  /**
   * STAGING_PROVIDER_OUTPUT_HOSTS: storage hosts the provider's output links point to, when its
   * docs do not name them (`host` or `*.domain`). The key is never sent to them.
   */
  outputHosts?: string[];
  /** Overrides the documented polling cadence (tests). */
  pollIntervalMs?: number;
  /** Gives up tracking a job after this long; DEFAULT_DEADLINE_MS when unset. */
  deadlineMs?: number;
  /** Retry timing of the HTTP client (tests shorten it). */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; retries?: number; timeoutMs?: number };
}

/** How long an adapter follows one job at its provider before giving up with `job_stalled`. */
export const DEFAULT_DEADLINE_MS = 10 * 60_000;

/** Remote providers with no documented address: each site runs its own, so STAGING_PROVIDER_URL is required. */
const SELF_HOSTED: ReadonlySet<string> = new Set(['interior-redesign']);

/** The rule on STAGING_PROVIDER_URL for `provider`, or null when `baseUrl` satisfies it. */
function providerUrlProblem(provider: string, baseUrl: string | null | undefined): string | null {
  if (!baseUrl) {
    return SELF_HOSTED.has(provider) ? `STAGING_PROVIDER=${provider} is self-hosted and has no default address: set STAGING_PROVIDER_URL to its base URL.` : null;
  }
  return /^https?:\/\//.test(baseUrl) ? null : 'STAGING_PROVIDER_URL must start with http:// or https://.';
}

/**
 * The configuration rules of a remote provider, written once: `loadConfig` reports them with
 * every other problem, `createProvider` refuses settings that break them, and every adapter
 * checks its URL through `remoteHttp`.
 */
export function remoteSettingsProblems(provider: string, s: { apiKey: string | null | undefined; baseUrl: string | null | undefined }): string[] {
  const problems: string[] = [];
  if (!s.apiKey) problems.push(`STAGING_PROVIDER=${provider} needs STAGING_PROVIDER_KEY (the provider's secret API key).`);
  const url = providerUrlProblem(provider, s.baseUrl);
  if (url) problems.push(url);
  return problems;
}

/** The client settings every remote adapter shares: secrets to keep out of messages, and the retry timing. */
export function clientOptions(settings: RemoteProviderSettings): Pick<ProviderHttpOptions, 'secrets' | 'timeoutMs' | 'retries' | 'baseDelayMs' | 'maxDelayMs'> {
  return {
    secrets: [settings.apiKey, settings.webhookSecret].filter((s): s is string => typeof s === 'string' && s.length > 0),
    timeoutMs: settings.retry?.timeoutMs,
    retries: settings.retry?.retries,
    baseDelayMs: settings.retry?.baseDelayMs,
    maxDelayMs: settings.retry?.maxDelayMs,
  };
}

/** What an adapter says about its provider's API; the rest comes from the settings. */
export interface RemoteApi {
  /** STAGING_PROVIDER's value for this provider. */
  provider: string;
  /** The provider's name in messages ("Lumely"). */
  label: string;
  /** The documented base URL; none for a self-hosted service. */
  defaultBaseUrl?: string;
  apiRoot?: string;
  /** Adds the provider's documented credentials to a request. */
  authenticate(headers: Headers): void;
  mapError?: ProviderHttpOptions['mapError'];
  /** Output hosts the provider's docs name, beside those of STAGING_PROVIDER_OUTPUT_HOSTS. */
  outputHosts?: string[];
}

/**
 * The one way an adapter builds its HTTP client: the base URL (checked against the rules
 * above), the documented and configured output hosts, the secrets and retry timing of the
 * settings. `overrides` adjust one client (e.g. a streaming fetch without retries).
 */
export function remoteHttp(settings: RemoteProviderSettings, api: RemoteApi, overrides: Partial<ProviderHttpOptions> = {}): ProviderHttp {
  const problem = providerUrlProblem(api.provider, settings.baseUrl);
  if (problem) throw new ConfigError(problem);
  return new ProviderHttp({
    ...clientOptions(settings),
    label: api.label,
    baseUrl: settings.baseUrl ?? api.defaultBaseUrl!,
    apiRoot: api.apiRoot,
    authenticate: api.authenticate,
    mapError: api.mapError,
    extraHosts: [...(api.outputHosts ?? []), ...(settings.outputHosts ?? [])],
    ...overrides,
  });
}
