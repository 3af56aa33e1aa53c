import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Hono } from 'hono';
import { config as zodConfig, locales } from 'zod';
import { isTerminal } from '../contract/index.js';
import { ProviderJobError, type Provider } from './providers/types.js';
import { ApiError } from './errors.js';
import { BlobStore } from './blobs.js';
import { CatalogCache } from './catalog-cache.js';
import { ConfigError, type StagingConfig } from './config.js';
import { JobEvents } from './events/job-events.js';
import { RedisJobEvents } from './events/redis-job-events.js';
import { WebhookHub } from './events/webhook-hub.js';
import { RedisWebhookHub } from './events/redis-webhook-hub.js';
import { adminAuth, widgetAuth } from './http/auth.js';
import { cors, originPolicy } from './http/cors.js';
import type { BffEnv } from './http/env.js';
import { notFound, onError } from './http/on-error.js';
import { MemoryRateLimiter, rateLimit, type RateLimiter } from './http/rate-limit.js';
import { RedisRateLimiter } from './http/redis-rate-limit.js';
import { requestId } from './http/request-id.js';
import { RedisJobLeases, type JobLeases } from './jobs/job-leases.js';
import { JobRunner } from './jobs/job-runner.js';
import { toJobWithOutputs } from './jobs/serialize-job.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import { silentLogger, type Logger } from './logger.js';
import { createProvider } from './providers/create-provider.js';
import { catalogRoutes } from './routes/catalog.js';
import type { BffDeps } from './routes/deps.js';
import { jobEventRoutes } from './routes/job-events.js';
import { jobRoutes } from './routes/jobs.js';
import { sessionRoutes } from './routes/sessions.js';
import { signedFileRoutes } from './routes/signed-files.js';
import { uploadRoutes } from './routes/uploads.js';
import { webhookRoutes } from './routes/webhooks.js';
import { providerAccountRoutes } from './routes/provider-account.js';
import { openStore } from './store/open-store.js';
import { DecodeGate } from './uploads/decode-gate.js';
import { StreamLimits } from './http/stream-limits.js';
import { outputRoutes } from './routes/outputs.js';
import { batchRoutes } from './routes/batches.js';
import { batchItemRoutes } from './routes/batch-items.js';
import { HostEvents } from './host-webhooks/job-events.js';
import { HostWebhooks } from './host-webhooks/outbox.js';
import { parseWebhookSecret } from './host-webhooks/signature.js';
import { RedisStore } from './store/redis-store.js';
import type { Store } from './store/types.js';
import { TokenService } from './tokens.js';
import { DisclosureProfiles, type DisclosureProfile } from './disclosure/profiles.js';
import { DisclosurePublisher } from './disclosure/publisher.js';
import { originalRoutes } from './routes/originals.js';
import { Vision } from './vision/vision.js';
import { ACCEPTED_CONTENT_TYPES, DEFAULT_UPLOAD_LIMITS } from './uploads/index.js';

// English messages for the zod checks the contract's schemas run on the server.
zodConfig(locales.en());

export interface StagingBffOptions extends Partial<Omit<StagingConfig, 'store' | 'rateLimit' | 'disclosure'>> {
  /** The default disclosure profile and the host's own profiles (STAGING_DISCLOSURE_PROFILE / _PROFILES). */
  disclosure?: { defaultProfile?: string; profiles?: DisclosureProfile[] };
  /** A store instance, or STAGING_STORE's syntax. Default `sqlite:.staging/staging.db`. */
  store?: Store | string;
  /** A provider instance (tests, custom engines); otherwise built from `provider`. */
  providerInstance?: Provider;
  logger?: Logger;
  upload?: { maxBytes?: number; maxPixels?: number; idleTimeoutMs?: number; totalTimeoutMs?: number };
  rateLimit?: { limit: number; windowMs: number } | RateLimiter;
  jobs?: { concurrency?: number; deadlineMs?: number; maxInterruptions?: number; queueTimeoutMs?: number };
  /** Retry waits of host webhook deliveries (tests); the default retries for about three days. */
  hostWebhookBackoffMs?: readonly number[];
  heartbeatMs?: number;
  /** Lifetime of signed output/upload URLs in job responses. */
  signedUrlTtlSeconds?: number;
  /** Scales the local engine's simulated delays (0 = none; tests). */
  localSpeed?: number | null;
}

export interface StagingBff {
  /** A standard fetch handler: mount it in any Node host (`@hono/node-server`'s `getRequestListener`). */
  fetch: (request: Request) => Promise<Response>;
  app: Hono<BffEnv>;
  deps: BffDeps;
  /** Settles when jobs left in flight by a previous process have been resumed or failed. */
  ready: Promise<{ resumed: number; failed: number }>;
  close(): Promise<void>;
}

/** Builds the BFF. Options are checked up front: a misconfiguration throws a ConfigError that says what to set. */
/** How long /readyz waits for the provider before calling the instance not ready. */
const READY_TIMEOUT_MS = 5000;

export function createStagingBff(options: StagingBffOptions = {}): StagingBff {
  const dev = options.dev ?? false;
  const problems: string[] = [];
  if (!options.tokenSecret && !dev) problems.push('tokenSecret (STAGING_TOKEN_SECRET) is required outside dev mode.');
  if (!options.publicUrl && !dev && options.port === undefined) problems.push('publicUrl (STAGING_PUBLIC_URL) is required outside dev mode.');
  if (problems.length > 0) throw new ConfigError(problems);

  let disclosure: DisclosureProfiles;
  try {
    disclosure = new DisclosureProfiles(options.disclosure?.profiles ?? [], options.disclosure?.defaultProfile);
  } catch (err) {
    throw new ConfigError([`disclosure.defaultProfile (STAGING_DISCLOSURE_PROFILE): ${(err as Error).message}.`]);
  }
  const logger = options.logger ?? silentLogger;
  // Started on first use only (a material output's drift check, a bracket merge).
  const vision = new Vision();
  const tokens = new TokenService(options.tokenSecret ?? randomDevSecret());
  const store = typeof options.store === 'object' ? options.store : openStore(options.store ?? 'sqlite:.staging/staging.db');
  const blobs = new BlobStore(options.dataDir ?? '.staging/blobs');
  const provider =
    options.providerInstance ??
    createProvider({
      provider: options.provider ?? 'local',
      providerUrl: options.providerUrl ?? null,
      providerKey: options.providerKey ?? null,
      providerWebhookSecret: options.providerWebhookSecret ?? null,
      providerOutputHosts: options.providerOutputHosts ?? [],
      publicUrl: (options.publicUrl ?? `http://localhost:${options.port ?? 8787}`).replace(/\/$/, ''),
      localFailure: options.localFailure ?? null,
      localSpeed: options.localSpeed ?? null,
    }, { vision });
  const upload = {
    maxBytes: options.upload?.maxBytes ?? DEFAULT_UPLOAD_LIMITS.maxBytes,
    maxPixels: options.upload?.maxPixels ?? DEFAULT_UPLOAD_LIMITS.maxPixels,
    idleTimeoutMs: options.upload?.idleTimeoutMs,
    totalTimeoutMs: options.upload?.totalTimeoutMs,
  };
  const catalog = new CatalogCache(provider, {
    content_types: [...ACCEPTED_CONTENT_TYPES],
    max_bytes: upload.maxBytes,
    max_pixels: upload.maxPixels,
  });
  const signer = {
    tokens,
    publicUrl: (options.publicUrl ?? `http://localhost:${options.port ?? 8787}`).replace(/\/$/, ''),
    ttlSeconds: options.signedUrlTtlSeconds ?? 3600,
  };
  // A Redis store means several instances may share it: events, leases and rate limits then
  // go through the same Redis (the store's connection, plus one for subscriptions).
  const redis = store instanceof RedisStore ? store : null;
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let events: JobEvents;
  let leases: JobLeases | undefined;
  let webhooks: WebhookHub;
  if (redis) {
    redis.redis.on('error', (err: Error) => logger.warn('redis connection error', { error: err.message }));
    events = new RedisJobEvents(redis.redis, redis.namespace, instanceId, {
      resync: async (jobId) => {
        const job = await store.getJob(jobId);
        if (!job) return null;
        return { payload: JSON.stringify(await toJobWithOutputs(store, job, signer)), terminal: isTerminal(job.status) };
      },
      onError: (err) => logger.warn('redis event bus error', { error: err instanceof Error ? err.message : String(err) }),
    });
    leases = new RedisJobLeases(redis.redis, redis.namespace, instanceId, options.leaseTtlMs ?? 30_000);
    webhooks = new RedisWebhookHub(redis.redis, redis.namespace, instanceId, {
      onError: (err) => logger.warn('redis webhook relay error', { error: err instanceof Error ? err.message : String(err) }),
    });
  } else {
    events = new JobEvents();
    webhooks = new WebhookHub();
  }
  let hostEvents: HostEvents | null = null;
  let hostWebhooks: HostWebhooks | null = null;
  if (options.hostWebhook) {
    const key = parseWebhookSecret(options.hostWebhook.secret);
    if (typeof key === 'string') throw new ConfigError([`hostWebhook.secret (STAGING_HOST_WEBHOOK_SECRET) ${key}.`]);
    hostWebhooks = new HostWebhooks({ store, url: options.hostWebhook.url, key, logger, backoffMs: options.hostWebhookBackoffMs });
    hostEvents = new HostEvents({ webhooks: hostWebhooks, store, signer, logger });
  }
  const runner = new JobRunner({
    store,
    blobs,
    events,
    webhooks,
    provider,
    signer,
    logger,
    concurrency: options.jobs?.concurrency ?? 2,
    sessionConcurrency: options.sessionConcurrency ?? 3,
    queueTimeoutMs: options.jobs?.queueTimeoutMs,
    deadlineMs: options.jobs?.deadlineMs ?? 10 * 60_000,
    maxInterruptions: options.jobs?.maxInterruptions ?? 3,
    leases,
    instanceId,
    publisher: new DisclosurePublisher({ profiles: disclosure, blobs, store, publicUrl: signer.publicUrl, providerName: provider.name, vision, logger }),
    onTerminal: hostEvents ? (job, outputs) => hostEvents.jobFinished(job, outputs) : undefined,
  });
  const rl = options.rateLimit;
  const rateLimiter: RateLimiter =
    rl && 'hit' in rl
      ? rl
      : redis
        ? new RedisRateLimiter(redis.redis, redis.namespace, rl?.limit ?? 300, rl?.windowMs ?? 60_000)
        : new MemoryRateLimiter(rl?.limit ?? 300, rl?.windowMs ?? 60_000);
  const allowedOrigins = options.allowedOrigins ?? null;

  const deps: BffDeps = {
    store,
    blobs,
    tokens,
    catalog,
    runner,
    events,
    webhooks,
    provider,
    signer,
    logger,
    rateLimiter,
    originAllowed: originPolicy(allowedOrigins, dev),
    adminKey: options.adminKey ?? null,
    dev,
    allowedOrigins,
    upload,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    hostEvents,
    batchMaxItems: options.batchMaxItems ?? 60,
    decodeGate: new DecodeGate(options.decodeConcurrency ?? 2, 2),
    disclosure,
    vision,
    streams: new StreamLimits(options.maxStreamsPerSession ?? 10, options.maxStreams ?? 2000),
  };

  const app = new Hono<BffEnv>();
  app.onError(onError(logger));
  app.notFound(notFound);
  app.use('*', requestId());

  app.get('/healthz', (c) => c.json({ ok: true, provider: provider.name }));
  // Readiness: the store answers, and the provider is reachable and takes our credentials (its
  // catalog, fetched afresh). A load balancer sends traffic only to an instance that is ready.
  app.get('/readyz', async (c) => {
    const signal = AbortSignal.timeout(READY_TIMEOUT_MS);
    try {
      await deps.store.getSession('ses_readinessprobe000000');
    } catch {
      throw new ApiError('provider_unavailable', 'The store does not answer: this instance is not ready.');
    }
    try {
      await provider.services(signal);
    } catch (err) {
      if (err instanceof ProviderJobError) throw err;
      throw new ApiError('provider_unavailable', `${provider.name} did not answer in time: this instance is not ready.`);
    }
    return c.json({ ok: true, provider: provider.name, checks: { store: 'ok', provider: 'ok' } });
  });
  // Public and the same for everyone: built on first request, never at start-up.
  let openApi: OpenApiDocument | null = null;
  app.get('/v1/openapi.json', (c) => {
    openApi ??= buildOpenApi(signer.publicUrl);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(openApi);
  });

  // Host backend (server to server): admin key, no CORS.
  app.use('/v1/sessions', adminAuth(deps.adminKey));
  app.use('/v1/sessions/*', adminAuth(deps.adminKey));
  // The demo page calls this from the browser.
  app.use('/v1/dev/sessions', cors(deps.originAllowed));
  // Widget routes: exact-origin CORS (preflights end there), then the token, then the rate limit.
  for (const path of ['/v1/services', '/v1/credits', '/v1/uploads', '/v1/uploads/:id', '/v1/jobs', '/v1/jobs/:id', '/v1/jobs/:id/*', '/v1/outputs/:id/select', '/v1/batches', '/v1/batches/:id', '/v1/batches/:id/events', '/v1/batches/:id/cancel', '/v1/batches/:id/items/*']) {
    app.use(path, cors(deps.originAllowed), widgetAuth({ tokens, store }), rateLimit(rateLimiter));
  }

  for (const routes of [sessionRoutes, catalogRoutes, uploadRoutes, jobRoutes, jobEventRoutes, batchRoutes, batchItemRoutes, outputRoutes, signedFileRoutes, originalRoutes, webhookRoutes, providerAccountRoutes]) {
    app.route('/', routes(deps));
  }

  const ready = runner.recover().catch((err) => {
    logger.error('recovery after restart failed', { error: String(err) });
    return { resumed: 0, failed: 0 };
  });

  let closing: Promise<void> | null = null;
  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    app,
    deps,
    ready,
    close: () =>
      (closing ??= (async () => {
        await ready;
        await runner.close();
        await hostWebhooks?.close();
        await vision.close();
        await provider.close?.();
        if (events instanceof RedisJobEvents) await events.close();
        await webhooks.close();
        await store.close();
      })()),
  };
}

function randomDevSecret(): string {
  return globalThis.crypto.randomUUID() + globalThis.crypto.randomUUID();
}
