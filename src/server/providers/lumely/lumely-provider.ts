import { retryDelayMs } from '../remote/provider-http.js';
import { clientOptions, remoteHttp, type RemoteProviderSettings } from '../remote/settings.js';
import { deadlineOf, savedState, stalledError } from '../remote/tracking.js';
import { isShutdown, ProviderJobError, type ExecutionContext, type Provider, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { LumelyCatalog } from './catalog.js';
import { mapLumelyError } from './errors.js';
import { plainBase64, uploadImage } from './images.js';
import { LUMELY_OPTION_KEYS } from './options.js';
import { LumelyOutputs } from './outputs.js';
import { PROGRESS, readJob, reportStatus, type LumelyJobView } from './status.js';
import { verifyLumelyWebhook } from './webhook.js';

export const LUMELY_DEFAULT_BASE_URL = 'https://lumely.ai/api/v1';
/** Generation takes 30–90 s; a 3 s poll costs ~20 requests a job, far inside the 120 rpm example limit. */
export const LUMELY_POLL_INTERVAL_MS = 3_000;
const CANCEL_TIMEOUT_MS = 5_000;

/** What survives a restart: the Lumely job being tracked. */
interface LumelyState {
  lumelyJobId: string;
}

/**
 * Lumely (https://lumely.ai/api/v1) behind our Provider interface: catalog from GET /services,
 * photo via POST /upload (base64), one POST /jobs per job with our idempotency key, tracking by
 * polling GET /jobs/{id} (woken early by signed webhooks), cancel via the job's `action`, the
 * public output downloaded into our blob store, credits from GET /credits.
 */
export function createLumelyProvider(settings: RemoteProviderSettings): Provider {
  const http = remoteHttp(settings, {
    provider: 'lumely',
    label: 'Lumely',
    defaultBaseUrl: LUMELY_DEFAULT_BASE_URL,
    apiRoot: '/api/v1',
    // Documented: "Authorization: Bearer lum_live_…".
    authenticate: (h) => h.set('Authorization', `Bearer ${settings.apiKey}`),
    mapError: mapLumelyError,
  });
  const apiHost = new URL(settings.baseUrl ?? LUMELY_DEFAULT_BASE_URL).host;
  const catalog = new LumelyCatalog(http);
  const outputs = new LumelyOutputs(http, apiHost, clientOptions(settings));
  const pollMs = Math.max(10, settings.pollIntervalMs ?? LUMELY_POLL_INTERVAL_MS);
  const deadlineMs = deadlineOf(settings);

  async function submit(task: ProviderTask, ctx: ExecutionContext): Promise<string> {
    const { signal } = ctx;
    ctx.progress('compressing', PROGRESS.uploading);
    const storagePath = await uploadImage(http, task.image, signal);
    // The reference goes through /upload too, so the job body never carries two large images.
    const referencePath = task.reference ? await uploadImage(http, task.reference, signal) : null;
    const options = Object.fromEntries(Object.entries(task.options).filter(([k]) => LUMELY_OPTION_KEYS.has(k)).map(([k, v]) => [k, String(v)]));
    const body: Record<string, unknown> = {
      service_type: task.service,
      config_id: task.config,
      storage_path: storagePath,
      resolution: task.resolution,
      // Lumely keeps repeats of this key from creating (and charging) a second job.
      idempotency_key: task.idempotencyKey,
      // The host's own id when it gave one, else ours, so a job can be found in Lumely's dashboard.
      reference_id: task.referenceId ?? task.jobId,
    };
    if (task.prompt) body.prompt = task.prompt;
    if (task.mask) body.mask_base64 = await plainBase64(task.mask, signal);
    if (referencePath) body.reference_image_storage_path = referencePath;
    if (Object.keys(options).length > 0) body.options = options;
    if (task.location) body.location = task.location;

    // 201 new job; 200 (or 409, per the error table) the job this key already created.
    const res = await http.request({ method: 'POST', path: 'jobs', json: body, idempotent: true, accept: [409], signal });
    const id = (res.json as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id.length === 0) {
      throw new ProviderJobError('provider_error', res.status === 409 ? 'Lumely reported a duplicate job without naming it. Retry the job.' : 'Lumely accepted the job but returned no job id.', true);
    }
    return id;
  }

  /** Best effort: the documented `{ action: "cancel" }` on /jobs/{id}; its failure must not hide why we stopped. */
  async function cancel(lumelyJobId: string): Promise<void> {
    const path = `jobs/${encodeURIComponent(lumelyJobId)}`;
    const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
    try {
      // The docs list this route with an `action` body but lose its method. Every other change
      // to a single resource in the docs (api-keys/{id}, webhooks/{id}) is a PATCH, and POST is
      // used only to create on collections, so PATCH first; the documented 405 answer names the
      // allowed methods, and POST is tried when it is the one allowed.
      const res = await http.request({ method: 'PATCH', path, json: { action: 'cancel' }, accept: [405, 400, 404], signal });
      const allowed = (res.json as { allowed?: unknown } | null)?.allowed;
      if (res.status === 405 && Array.isArray(allowed) && allowed.includes('POST')) {
        await http.request({ method: 'POST', path, json: { action: 'cancel' }, accept: [400, 404], signal });
      }
    } catch {
      // Already finished, unreachable or refusing: the job is stopped on our side regardless.
    }
  }

  async function track(lumelyJobId: string, ctx: ExecutionContext): Promise<LumelyJobView> {
    const { signal } = ctx;
    const started = Date.now();
    let processingSince: number | null = null;
    for (;;) {
      signal.throwIfAborted();
      const res = await http.request({ path: `jobs/${encodeURIComponent(lumelyJobId)}`, idempotent: true, accept: [404], signal });
      if (res.status === 404) {
        throw new ProviderJobError('provider_error', 'Lumely no longer knows this job (it may have been deleted). Retry the job.', true);
      }
      const job = readJob(res.json);
      if (!job) throw new ProviderJobError('provider_error', 'Lumely sent a job status this site cannot read.', true);
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') return job;
      if (job.status === 'processing') processingSince ??= Date.now();
      reportStatus(ctx, job.status, processingSince);

      if (Date.now() - started >= deadlineMs) {
        await cancel(lumelyJobId);
        throw stalledError('Lumely', deadlineMs);
      }
      // Out of requests for this minute: wait for the documented reset instead of earning a 429.
      const exhausted = res.headers.get('x-ratelimit-remaining') === '0' ? (retryDelayMs(res.headers) ?? 0) : 0;
      const wait = Math.min(Math.max(pollMs, exhausted), Math.max(10, deadlineMs - (Date.now() - started)));
      await ctx.webhook(lumelyJobId, wait);
    }
  }

  async function execute(task: ProviderTask, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    const { signal } = ctx;
    signal.throwIfAborted();
    let lumelyJobId: string | null = savedState(ctx.savedState, 'lumelyJobId')?.lumelyJobId ?? null;
    try {
      if (lumelyJobId === null) {
        lumelyJobId = await submit(task, ctx);
        await ctx.saveState({ lumelyJobId } satisfies LumelyState);
        ctx.progress('compressing', PROGRESS.submitted);
      }
      const job = await track(lumelyJobId, ctx);
      if (job.status === 'failed') {
        // "Processing encountered an error … Can be retried": retryable, in Lumely's words.
        const reason = typeof job.error_message === 'string' && job.error_message.trim() ? http.redact(job.error_message.trim()).slice(0, 300) : 'Lumely could not process the photo.';
        throw new ProviderJobError('processing_failed', reason, true);
      }
      if (job.status === 'cancelled') {
        throw new ProviderJobError('processing_failed', 'The job was cancelled on Lumely (for example from its dashboard). Retry the job.', true);
      }
      if (typeof job.output_image_url !== 'string' || job.output_image_url.length === 0) {
        throw new ProviderJobError('provider_error', 'Lumely completed the job but sent no output image.', true);
      }
      ctx.progress('processing', PROGRESS.downloading);
      return [await outputs.fetch(job.output_image_url, signal)];
    } catch (err) {
      if (signal.aborted) {
        if (lumelyJobId !== null && !isShutdown(signal.reason)) await cancel(lumelyJobId);
        throw signal.reason;
      }
      throw err;
    }
  }

  return {
    name: 'lumely',
    services: (signal) => catalog.services(signal),
    execute,
    async verifyWebhook(delivery) {
      return verifyLumelyWebhook(delivery, settings.webhookSecret);
    },
    async account(signal) {
      const res = await http.request({ path: 'credits', idempotent: true, signal });
      return accountView(res.json);
    },
  };
}

/** GET /credits → plain numbers and strings (the documented fields, enterprise ones included). */
function accountView(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['credits_remaining', 'credits_total', 'plan_id', 'subscription_status']) {
    if (typeof b[k] === 'number' || typeof b[k] === 'string') out[k] = b[k];
  }
  const e = b.enterprise as Record<string, unknown> | undefined;
  if (e && typeof e === 'object') {
    const enterprise: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') enterprise[k] = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) enterprise[k] = [...v];
    }
    out.enterprise = enterprise;
  }
  return out;
}
