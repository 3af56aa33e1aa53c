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
  /** Gives up tracking a job after this long. */
  deadlineMs?: number;
  /** Retry timing of the HTTP client (tests shorten it). */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; retries?: number; timeoutMs?: number };
}
