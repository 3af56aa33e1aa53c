import { probeOutputImage } from '../remote/output-image.js';
import { remoteHttp, type RemoteProviderSettings } from '../remote/settings.js';
import { deadlineOf, savedState, stalledError } from '../remote/tracking.js';
import { isShutdown, ProviderJobError, type ExecutionContext, type Provider, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { interiorRedesignServices, outputFormat, redesignPrompt, upscaleFactor } from './catalog.js';
import { INSUFFICIENT_CREDITS_MESSAGE, isCreditError, mapInteriorRedesignError } from './errors.js';
import { parseJobStatus, progressFor, TERMINAL_STATUSES, type InteriorRedesignJobStatus } from './status.js';

export const INTERIOR_REDESIGN_NAME = 'interior-redesign';
const LABEL = 'Interior Redesign';

/**
 * Outputs are public Replicate delivery links in the doc's examples
 * ("https://replicate.delivery/.../redesign1.png"), fetched without the key.
 */
export const INTERIOR_REDESIGN_OUTPUT_HOSTS = ['replicate.delivery'];

// The doc: "Poll status every 3-5 seconds (not faster)" and "implement exponential backoff".
const POLL_START_MS = 3_000;
const POLL_MAX_MS = 5_000;
const POLL_GROWTH = 1.25;
// Cancelling runs after our own signal has fired, so it needs its own bound.
const CANCEL_TIMEOUT_MS = 5_000;

export interface InteriorRedesignHealth {
  ok: boolean;
  authRequired: boolean | null;
}

/** The adapter plus the documented GET /health, which a host can use to check its configuration. */
export interface InteriorRedesignProvider extends Provider {
  health(signal?: AbortSignal): Promise<InteriorRedesignHealth>;
}

/**
 * Interior Redesign (self-hosted, STAGING_PROVIDER=interior-redesign). The service fetches
 * `image_url` itself, so it gets our signed upload URL; it is tracked by polling only: its
 * `use_webhook` flag is the service's own hook from Replicate, with no callback URL or
 * signature for us, so there is no `verifyWebhook`. No account or credit endpoint is
 * documented, so there is no `account()`.
 */
export function createInteriorRedesignProvider(settings: RemoteProviderSettings): InteriorRedesignProvider {
  const apiKey = settings.apiKey;
  // The service's paths are /v1/… and /health from its root: a base given with /v1 means the same root.
  const http = remoteHttp({ ...settings, baseUrl: settings.baseUrl?.replace(/\/v1\/?$/i, '') }, {
    provider: INTERIOR_REDESIGN_NAME,
    label: LABEL,
    // A deployment may run with auth_required:false (see /health); then there is no key to send.
    authenticate: (h) => {
      if (apiKey) h.set('Authorization', `Bearer ${apiKey}`);
    },
    outputHosts: INTERIOR_REDESIGN_OUTPUT_HOSTS,
    mapError: mapInteriorRedesignError,
  });
  const pollStart = settings.pollIntervalMs ?? POLL_START_MS;
  const pollMax = settings.pollIntervalMs ?? POLL_MAX_MS;
  const deadlineMs = deadlineOf(settings);

  /** The documented request body of POST /v1/redesign or /v1/upscale for one of our jobs. */
  function submission(task: ProviderTask): { path: string; body: Record<string, unknown> } {
    const image_url = task.image.publicUrl();
    if (task.service === 'redesign') {
      return {
        path: 'v1/redesign',
        body: {
          image_url,
          prompt: redesignPrompt(task.prompt, task.config),
          preserve_layout: typeof task.options.preserve_layout === 'boolean' ? task.options.preserve_layout : true,
          num_outputs: Math.min(4, Math.max(1, Math.trunc(task.variants) || 1)),
          output_format: outputFormat(task.options.output_format),
        },
      };
    }
    if (task.service === 'upscale') {
      return {
        path: 'v1/upscale',
        body: {
          image_url,
          scale: upscaleFactor(task.image.width, task.image.height, task.resolution),
          face_enhance: task.options.face_enhance === true,
        },
      };
    }
    throw new ProviderJobError('provider_error', `${LABEL} does not offer the service "${task.service}".`, false);
  }

  async function submit(task: ProviderTask, signal: AbortSignal): Promise<string> {
    const { path, body } = submission(task);
    // No idempotency key is documented, so a failed POST is never sent again (no duplicate jobs).
    const res = await http.request({ method: 'POST', path, json: body, signal });
    const id = (res.json as { job_id?: unknown } | null)?.job_id;
    if (typeof id !== 'string' || id.length === 0) {
      throw new ProviderJobError('provider_error', `${LABEL} accepted the job but returned no job id.`, true);
    }
    return id;
  }

  async function track(providerJobId: string, ctx: ExecutionContext): Promise<InteriorRedesignJobStatus> {
    const giveUpAt = Date.now() + deadlineMs;
    let interval = pollStart;
    for (let polls = 0; ; polls++) {
      const res = await http.request({ path: `v1/jobs/${encodeURIComponent(providerJobId)}`, idempotent: true, signal: ctx.signal, accept: [404] });
      if (res.status === 404) {
        throw new ProviderJobError('processing_failed', `${LABEL} no longer knows this job (it may have been restarted or cleaned up). Retry the job.`, true);
      }
      const status = parseJobStatus(res.json);
      if (!status) throw new ProviderJobError('provider_error', `${LABEL} sent a job status this site cannot read.`, true);
      if (TERMINAL_STATUSES.has(status.status)) return status;
      ctx.progress('processing', progressFor(status.status, polls));
      const left = giveUpAt - Date.now();
      if (left <= 0) {
        await cancel(providerJobId);
        throw stalledError(LABEL, deadlineMs);
      }
      // Wakes early only if a verified webhook arrives, which this provider never sends.
      await ctx.webhook(providerJobId, Math.min(interval, left));
      ctx.signal.throwIfAborted();
      interval = Math.min(pollMax, interval * POLL_GROWTH);
    }
  }

  async function cancel(providerJobId: string): Promise<void> {
    try {
      // 409 (already finished) and 404 (gone) both mean there is nothing left to stop.
      await http.request({ method: 'POST', path: `v1/jobs/${encodeURIComponent(providerJobId)}/cancel`, signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS), accept: [404, 409] });
    } catch {
      // Best effort: the job is being abandoned either way, and its reason matters more.
    }
  }

  function failure(status: InteriorRedesignJobStatus): ProviderJobError {
    if (status.status === 'canceled') {
      return new ProviderJobError('processing_failed', `The job was cancelled on ${LABEL}'s side before it finished. Retry the job.`, true);
    }
    if (isCreditError(status.error)) return new ProviderJobError('insufficient_credits', INSUFFICIENT_CREDITS_MESSAGE, false);
    const reason = status.error ? http.redact(status.error).slice(0, 300) : 'no reason given';
    // The doc does not say which failures are permanent; its one example ("Invalid image
    // format or URL not accessible") can be a transient fetch of our signed URL, so a retry is offered.
    return new ProviderJobError('processing_failed', `${LABEL} could not process the photo: ${reason}`, true);
  }

  async function outputs(status: InteriorRedesignJobStatus, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    const urls = (status.output ?? []).filter((u): u is string => typeof u === 'string' && u.length > 0);
    if (urls.length === 0) throw new ProviderJobError('processing_failed', `${LABEL} finished the job without any image. Retry the job.`, true);
    ctx.progress('processing', 0.9);
    const images: ProviderOutputImage[] = [];
    for (const url of urls) {
      // Public links: the key must not travel with them, even to the service's own host.
      const { bytes } = await http.download(url, { signal: ctx.signal, anonymous: true });
      images.push(await probeOutputImage(bytes, LABEL));
    }
    return images;
  }

  async function execute(task: ProviderTask, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    ctx.signal.throwIfAborted();
    const saved = savedState(ctx.savedState, 'providerJobId');
    let providerJobId: string;
    if (saved) {
      // After a restart: the job already exists on the provider, so it is tracked, never resubmitted.
      providerJobId = saved.providerJobId;
      ctx.progress('processing', 0.15);
    } else {
      ctx.progress('compressing', 0.05);
      providerJobId = await submit(task, ctx.signal);
    }
    try {
      if (!saved) await ctx.saveState({ providerJobId });
      const final = await track(providerJobId, ctx);
      if (final.status !== 'succeeded') throw failure(final);
      return await outputs(final, ctx);
    } catch (err) {
      if (ctx.signal.aborted) {
        if (!isShutdown(ctx.signal.reason)) await cancel(providerJobId);
        throw ctx.signal.reason;
      }
      throw err;
    }
  }

  return {
    name: INTERIOR_REDESIGN_NAME,
    async services() {
      return interiorRedesignServices();
    },
    execute,
    async health(signal?: AbortSignal) {
      // /health needs no key; 503 is its documented "not configured" answer.
      const res = await http.request({ path: 'health', anonymous: true, idempotent: true, signal, accept: [503] });
      const body = res.json as { ok?: unknown; auth_required?: unknown } | null;
      return { ok: res.status === 200 && body?.ok === true, authRequired: typeof body?.auth_required === 'boolean' ? body.auth_required : null };
    },
    async close() {},
  };
}
