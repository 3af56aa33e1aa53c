import { jsonLogger } from '../../logger.js';
import { probeOutputImage } from '../remote/output-image.js';
import { retryDelayMs, sleep, type ProviderHttpOptions } from '../remote/provider-http.js';
import { remoteHttp, type RemoteProviderSettings } from '../remote/settings.js';
import { deadlineOf, savedState } from '../remote/tracking.js';
import { ProviderJobError, type ExecutionContext, type Provider, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { asExecution, type LaminaExecution } from './api-types.js';
import { LaminaCatalog, type AppBinding } from './catalog.js';
import { envelopeOf, mapLaminaError } from './errors.js';
import { streamingFetch } from './sse.js';
import { RunTracker } from './status.js';
import { LaminaWebhookVerifier } from './webhook.js';

/** Knobs the tests turn; production uses the defaults. */
export interface LaminaInternals {
  catalogTtlMs?: number;
  now?: () => number;
  streamIdleMs?: number;
  maxStreamDrops?: number;
  warn?: (msg: string, fields: Record<string, unknown>) => void;
}

interface SavedRun {
  runId: string;
  appId?: string;
}

/** The host every example in Lamina's docs calls. */
export const LAMINA_DEFAULT_URL = 'https://app.uselamina.ai';
/** The docs: "Poll every 3-5 seconds". */
const DEFAULT_POLL_MS = 4_000;

/** Lamina's client: the key as `x-api-key`, the form the docs list first (Bearer carries the same key). */
function laminaHttp(settings: RemoteProviderSettings, overrides: Partial<ProviderHttpOptions> = {}) {
  return remoteHttp(
    settings,
    {
      provider: 'lamina',
      label: 'Lamina',
      defaultBaseUrl: LAMINA_DEFAULT_URL,
      apiRoot: '/v1',
      authenticate: (headers) => headers.set('x-api-key', settings.apiKey),
      // Output files are plain storage URLs in the docs, but the docs name no storage host, so none is
      // allowed beyond the API host: outputs elsewhere are refused by the SSRF guard (see the report).
      mapError: mapLaminaError,
    },
    overrides,
  );
}

export function createLaminaProvider(settings: RemoteProviderSettings, internals: LaminaInternals = {}): Provider {
  const http = laminaHttp(settings);
  const logger = jsonLogger([settings.apiKey]);
  const catalog = new LaminaCatalog(http, {
    ttlMs: internals.catalogTtlMs ?? 10 * 60_000,
    now: internals.now ?? Date.now,
    warn: internals.warn ?? ((msg, fields) => logger.warn(msg, fields)),
  });
  // Each stream connection gets its own client around a reading fetch, so it keeps ProviderHttp's
  // credentials, host checks and error mapping; it is not retried by ProviderHttp because the tracker
  // decides between reconnecting and polling.
  const tracker = new RunTracker(http, (onEvent, idleMs, timeoutMs) => laminaHttp(settings, { fetch: streamingFetch(onEvent, idleMs), retries: 0, timeoutMs }));
  const verifier = new LaminaWebhookVerifier(http, settings.webhookSecret, internals.now ?? Date.now);
  const webhookUrl = `${settings.publicUrl.replace(/\/+$/, '')}/v1/webhooks/lamina`;

  async function submit(binding: AppBinding, task: ProviderTask, signal: AbortSignal): Promise<string> {
    const inputs = inputsFor(binding, task);
    // The docs register callbacks per run only (?webhook=); there is nothing to set in Lamina's dashboard.
    const query = settings.webhookSecret !== null ? `?webhook=${encodeURIComponent(webhookUrl)}` : '';
    const path = `apps/${encodeURIComponent(binding.appId)}/runs${query}`;
    const retries = settings.retry?.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      // Lamina documents no idempotency key, so a run is only sent again when Lamina answered with an error
      // envelope saying `retryable: true` (a definite "not done"), never after a timeout or a cut connection.
      const res = await http.request({ method: 'POST', path, json: { inputs }, signal, accept: [500, 502, 503, 504] });
      if (res.status >= 200 && res.status < 300) {
        const exec = asExecution(res.json);
        if (!exec) throw new ProviderJobError('provider_error', 'Lamina accepted the run but did not say which run it is.', false);
        return exec.runId;
      }
      const env = envelopeOf(res);
      if (env?.retryable !== true || attempt >= retries) {
        throw new ProviderJobError('provider_unavailable', `Lamina failed to start the run (${res.status}). Retry the job in a few minutes.`, env?.retryable !== false);
      }
      const base = settings.retry?.baseDelayMs ?? 500;
      const wait = retryDelayMs(res.headers) ?? base * 2 ** attempt;
      await sleep(Math.min(wait, settings.retry?.maxDelayMs ?? 30_000), signal);
    }
  }

  async function downloadOutputs(exec: LaminaExecution, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    // Text outputs (summaries, notes) and video outputs are not photos: only images become job outputs.
    const images = (exec.outputs ?? []).filter((o) => o.type === 'image' && o.status === 'completed' && typeof o.value === 'string' && /^https?:/i.test(o.value));
    if (images.length === 0) throw new ProviderJobError('processing_failed', 'Lamina finished the run but it produced no image.', false);
    const out: ProviderOutputImage[] = [];
    for (const [i, o] of images.entries()) {
      // The docs show outputs as public storage URLs: fetched without the key.
      const { bytes } = await http.download(o.value!, { signal: ctx.signal, anonymous: true });
      out.push(await probeOutputImage(bytes, 'Lamina'));
      ctx.progress('processing', 0.85 + (0.14 * (i + 1)) / images.length);
    }
    return out;
  }

  return {
    name: 'lamina',

    async services(signal) {
      return structuredClone((await catalog.load(signal)).apps.map((a) => a.service));
    },

    async execute(task, ctx) {
      const deadlineMs = deadlineOf(settings);
      const deadlineAt = Date.now() + deadlineMs;
      try {
        let runId = savedState(ctx.savedState, 'runId')?.runId;
        if (!runId) {
          const binding = await catalog.binding(task.service, ctx.signal);
          runId = await submit(binding, task, ctx.signal);
          await ctx.saveState({ runId, appId: binding.appId } satisfies SavedRun);
        }
        ctx.progress('processing', 0.1);
        const exec = await tracker.track({
          runId,
          ctx,
          deadlineAt,
          deadlineMs,
          pollMs: settings.pollIntervalMs ?? DEFAULT_POLL_MS,
          streamIdleMs: internals.streamIdleMs ?? 45_000,
          maxStreamDrops: internals.maxStreamDrops ?? 3,
          redact: (s) => http.redact(s),
        });
        return await downloadOutputs(exec, ctx);
      } catch (err) {
        // Lamina documents no way to cancel a run, so an abort only stops our side.
        if (ctx.signal.aborted) throw ctx.signal.reason;
        throw err;
      }
    },

    verifyWebhook: (delivery) => verifier.verify(delivery),

    async account(signal) {
      const res = await http.request({ path: 'account/usage', idempotent: true, signal });
      const data = ((res.json as { data?: unknown } | null)?.data ?? {}) as {
        credits?: { balance?: unknown; totalEarned?: unknown; totalSpent?: unknown };
        rateLimit?: { limit?: unknown; windowMs?: unknown };
      };
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      return {
        credits_balance: num(data.credits?.balance),
        credits_total_earned: num(data.credits?.totalEarned),
        credits_total_spent: num(data.credits?.totalSpent),
        rate_limit: num(data.rateLimit?.limit),
        rate_limit_window_ms: num(data.rateLimit?.windowMs),
        // Apps the catalog could not offer, so the host can see why one is missing.
        skipped_apps: catalog.skipped(),
      };
    },

    async close() {},
  };
}

/** The app's inputs, by its exact parameter names; unset options are left out so Lamina applies defaults. */
function inputsFor(b: AppBinding, task: ProviderTask): Record<string, string> {
  // Lamina fetches url inputs itself when the run starts: our signed, expiring link to the normalized photo.
  const inputs: Record<string, string> = { [b.imageParam]: task.image.publicUrl() };
  if (b.referenceParam) {
    if (task.reference) inputs[b.referenceParam] = task.reference.publicUrl();
    else if (b.referenceRequired) throw new ProviderJobError('invalid_request', 'This service needs a reference image. Add one and try again.', false);
  }
  if (b.promptParam && task.prompt) inputs[b.promptParam] = task.prompt;
  for (const [key, param] of Object.entries(b.options)) {
    const v = task.options[key];
    if (v !== undefined) inputs[param] = String(v);
  }
  return inputs;
}
