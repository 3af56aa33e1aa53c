import { randomBytes } from 'node:crypto';
import { ConfigError } from './config-error.js';
import { parseWebhookSecret } from './host-webhooks/signature.js';
import { parseLocalFailure } from './providers/local/failures.js';
import { BUILT_IN_PROFILES, DEFAULT_DISCLOSURE_PROFILE, readProfilesFile, type DisclosureProfile } from './disclosure/profiles.js';
import { remoteSettingsProblems } from './providers/remote/settings.js';

export { ConfigError };

export const PROVIDER_NAMES = ['local', 'lumely', 'roomstack', 'interior-redesign', 'luma-agents', 'lamina'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The BFF's settings after the environment has been read and checked. */
export interface StagingConfig {
  provider: ProviderName;
  providerUrl: string | null;
  providerKey: string | null;
  providerWebhookSecret: string | null;
  /** STAGING_PROVIDER_OUTPUT_HOSTS: extra hosts output images may be downloaded from. */
  providerOutputHosts: string[];
  publicUrl: string;
  adminKey: string | null;
  tokenSecret: string;
  /** True when the secret was generated for this start (dev only): tokens die with the process. */
  tokenSecretGenerated: boolean;
  dev: boolean;
  store: string;
  dataDir: string;
  allowedOrigins: string[] | null;
  port: number;
  /** STAGING_LOCAL_FAILURE, for tests of the local engine's failure paths. */
  localFailure: string | null;
  /** STAGING_LOCAL_SPEED: multiplies the local engine's simulated delays (0 = none). */
  localSpeed: number | null;
  /** STAGING_RATE_LIMIT (`<requests>/<seconds>`): per-session request budget of widget routes. */
  rateLimit: { limit: number; windowMs: number };
  /** STAGING_LEASE_TTL_MS: with a Redis store, how long a job stays with an instance that stopped renewing it. */
  leaseTtlMs: number;
  /** STAGING_MAX_STREAMS_PER_SESSION / STAGING_MAX_STREAMS: open event streams allowed per session and per instance. */
  maxStreamsPerSession: number;
  maxStreams: number;
  /** STAGING_DECODE_CONCURRENCY: uploads decoded at once by an instance (keep it below libuv's pool of 4). */
  decodeConcurrency: number;
  /** STAGING_BATCH_MAX_ITEMS: most photos in one batch. */
  batchMaxItems: number;
  /** STAGING_SESSION_CONCURRENCY: jobs of one session processed at once by an instance (the others wait their turn). */
  sessionConcurrency: number;
  /** STAGING_HOST_WEBHOOK_URL + STAGING_HOST_WEBHOOK_SECRET: signed events to the host's backend. */
  hostWebhook: { url: string; secret: string } | null;
  /**
   * STAGING_DISCLOSURE_PROFILE: the profile of sessions that name none; STAGING_DISCLOSURE_PROFILES:
   * a JSON file of the host's own profiles (added to, or replacing, the built-in ones by id).
   */
  disclosure: { defaultProfile: string; profiles: DisclosureProfile[] };
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

/** Reads the variables of the architecture's configuration table; every problem is reported at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): StagingConfig {
  const problems: string[] = [];
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : null;
  };
  const dev = get('STAGING_DEV') === '1' || get('STAGING_DEV') === 'true';

  const provider = (get('STAGING_PROVIDER') ?? 'local') as ProviderName;
  if (!PROVIDER_NAMES.includes(provider)) {
    problems.push(`STAGING_PROVIDER="${provider}" is not known; use one of ${PROVIDER_NAMES.join(', ')}.`);
  }
  const providerKey = get('STAGING_PROVIDER_KEY');
  const providerUrl = get('STAGING_PROVIDER_URL');
  if (provider !== 'local' && PROVIDER_NAMES.includes(provider)) problems.push(...remoteSettingsProblems(provider, { apiKey: providerKey, baseUrl: providerUrl }));

  const providerOutputHosts = (get('STAGING_PROVIDER_OUTPUT_HOSTS') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  for (const h of providerOutputHosts) {
    if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?$/.test(h)) {
      problems.push(`STAGING_PROVIDER_OUTPUT_HOSTS has "${h}", which is not a host like storage.example.com or *.example.com.`);
    }
  }

  const portRaw = get('PORT') ?? '8787';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT="${portRaw}" is not a port number (0 to 65535).`);

  let tokenSecret = get('STAGING_TOKEN_SECRET');
  let tokenSecretGenerated = false;
  if (!tokenSecret) {
    if (dev) {
      tokenSecret = randomBytes(32).toString('base64url');
      tokenSecretGenerated = true;
    } else {
      problems.push('STAGING_TOKEN_SECRET is missing: set it to a random string of at least 32 characters (e.g. `openssl rand -base64 48`), or set STAGING_DEV=1 for local development.');
    }
  } else if (tokenSecret.length < 32) {
    problems.push('STAGING_TOKEN_SECRET is too short: use at least 32 random characters.');
  }

  const adminKey = get('STAGING_ADMIN_KEY');
  if (adminKey && adminKey.length < 16) problems.push('STAGING_ADMIN_KEY is too short: use at least 16 random characters.');

  let allowedOrigins: string[] | null = null;
  const originsRaw = get('STAGING_ALLOWED_ORIGINS');
  if (originsRaw) {
    allowedOrigins = originsRaw.split(',').map((s) => s.trim().replace(/\/$/, '')).filter(Boolean);
    for (const o of allowedOrigins) if (!ORIGIN.test(o)) problems.push(`STAGING_ALLOWED_ORIGINS has "${o}", which is not an origin like https://example.com.`);
  } else if (!dev) {
    problems.push('STAGING_ALLOWED_ORIGINS is missing: list the sites that embed the widget, comma-separated (e.g. https://www.example.com), or set STAGING_DEV=1 to allow localhost.');
  }

  const publicUrl = (get('STAGING_PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl)) problems.push('STAGING_PUBLIC_URL must be an absolute http(s) URL, e.g. https://staging.example.com.');

  const speedRaw = get('STAGING_LOCAL_SPEED');
  const localSpeed = speedRaw === null ? null : Number(speedRaw);
  if (localSpeed !== null && !(localSpeed >= 0)) problems.push('STAGING_LOCAL_SPEED must be a number ≥ 0 (0 = no simulated delays).');

  try {
    parseLocalFailure(get('STAGING_LOCAL_FAILURE'));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }

  const rateRaw = get('STAGING_RATE_LIMIT') ?? '300/60';
  const rateMatch = /^(\d{1,7})\/(\d{1,6})$/.exec(rateRaw);
  if (!rateMatch || Number(rateMatch[1]) < 1 || Number(rateMatch[2]) < 1) {
    problems.push(`STAGING_RATE_LIMIT="${rateRaw}" is not <requests>/<seconds>, e.g. 300/60.`);
  }

  const leaseRaw = get('STAGING_LEASE_TTL_MS') ?? '30000';
  const leaseTtlMs = Number(leaseRaw);
  if (!/^\d{1,8}$/.test(leaseRaw) || leaseTtlMs < 100) {
    problems.push(`STAGING_LEASE_TTL_MS="${leaseRaw}" is not a whole number of milliseconds ≥ 100 (e.g. 30000).`);
  }

  const sessionConcurrencyRaw = get('STAGING_SESSION_CONCURRENCY') ?? '3';
  const sessionConcurrency = Number(sessionConcurrencyRaw);
  if (!/^\d{1,3}$/.test(sessionConcurrencyRaw) || sessionConcurrency < 1) {
    problems.push(`STAGING_SESSION_CONCURRENCY="${sessionConcurrencyRaw}" is not a whole number ≥ 1 (jobs of one session run at once; e.g. 3).`);
  }

  const wholeAtLeastOne = (name: string, fallback: string, what: string): number => {
    const raw = get(name) ?? fallback;
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) problems.push(`${name}="${raw}" is not a whole number ≥ 1 (${what}; e.g. ${fallback}).`);
    return Number(raw);
  };
  const maxStreamsPerSession = wholeAtLeastOne('STAGING_MAX_STREAMS_PER_SESSION', '10', 'live event streams one session may hold open');
  const maxStreams = wholeAtLeastOne('STAGING_MAX_STREAMS', '2000', 'live event streams an instance holds open in all');

  const decodeRaw = get('STAGING_DECODE_CONCURRENCY') ?? '2';
  const decodeConcurrency = Number(decodeRaw);
  if (!/^\d{1,2}$/.test(decodeRaw) || decodeConcurrency < 1) {
    problems.push(`STAGING_DECODE_CONCURRENCY="${decodeRaw}" is not a whole number ≥ 1 (uploads decoded at once; e.g. 2).`);
  }

  const batchMaxRaw = get('STAGING_BATCH_MAX_ITEMS') ?? '60';
  const batchMaxItems = Number(batchMaxRaw);
  if (!/^\d{1,3}$/.test(batchMaxRaw) || batchMaxItems < 1 || batchMaxItems > 500) {
    problems.push(`STAGING_BATCH_MAX_ITEMS="${batchMaxRaw}" is not a whole number from 1 to 500 (photos per batch; e.g. 60).`);
  }

  const hookUrl = get('STAGING_HOST_WEBHOOK_URL');
  const hookSecret = get('STAGING_HOST_WEBHOOK_SECRET');
  if (hookUrl && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(hookUrl)) problems.push('STAGING_HOST_WEBHOOK_URL must be an absolute http(s) URL of your backend, e.g. https://www.example.com/hooks/staging.');
  if (hookUrl && !hookSecret) problems.push('STAGING_HOST_WEBHOOK_URL needs STAGING_HOST_WEBHOOK_SECRET (whsec_ + base64, e.g. `echo whsec_$(openssl rand -base64 32)`), which your backend uses to verify each delivery.');
  if (hookSecret && !hookUrl) problems.push('STAGING_HOST_WEBHOOK_SECRET is set without STAGING_HOST_WEBHOOK_URL: set the URL of your backend that receives the events.');
  if (hookSecret) {
    const key = parseWebhookSecret(hookSecret);
    if (typeof key === 'string') problems.push(`STAGING_HOST_WEBHOOK_SECRET ${key}.`);
  }

  const profilesFile = get('STAGING_DISCLOSURE_PROFILES');
  let profiles: DisclosureProfile[] = [];
  if (profilesFile) {
    try {
      profiles = readProfilesFile(profilesFile);
    } catch (err) {
      problems.push(`STAGING_DISCLOSURE_PROFILES="${profilesFile}" ${(err as Error).message}.`);
    }
  }
  const defaultProfile = get('STAGING_DISCLOSURE_PROFILE') ?? DEFAULT_DISCLOSURE_PROFILE;
  const knownProfiles = new Set([...BUILT_IN_PROFILES, ...profiles].map((p) => p.id));
  if (!knownProfiles.has(defaultProfile)) {
    problems.push(`STAGING_DISCLOSURE_PROFILE="${defaultProfile}" is not a disclosure profile; use one of ${[...knownProfiles].join(', ')}.`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    provider,
    providerUrl,
    providerKey,
    providerWebhookSecret: get('STAGING_PROVIDER_WEBHOOK_SECRET'),
    providerOutputHosts,
    publicUrl,
    adminKey,
    tokenSecret: tokenSecret!,
    tokenSecretGenerated,
    dev,
    store: get('STAGING_STORE') ?? 'sqlite:.staging/staging.db',
    dataDir: get('STAGING_DATA_DIR') ?? '.staging/blobs',
    allowedOrigins,
    port,
    localFailure: get('STAGING_LOCAL_FAILURE'),
    localSpeed,
    rateLimit: { limit: Number(rateMatch![1]), windowMs: Number(rateMatch![2]) * 1000 },
    leaseTtlMs,
    sessionConcurrency,
    batchMaxItems,
    decodeConcurrency,
    maxStreamsPerSession,
    maxStreams,
    hostWebhook: hookUrl && hookSecret ? { url: hookUrl, secret: hookSecret } : null,
    disclosure: { defaultProfile, profiles },
  };
}
