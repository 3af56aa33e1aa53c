import { probeOutputImage } from '../remote/output-image.js';
import { remoteHttp, type RemoteProviderSettings } from '../remote/settings.js';
import { deadlineOf, stalledError } from '../remote/tracking.js';
import { ProviderJobError, type ExecutionContext, type Provider, type ProviderImage, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { KEEP_ASPECT, lumaServices, promptFor } from './catalog.js';
import { LABEL, failedGenerationError, mapLumaError } from './errors.js';
import { parseGeneration, parseSavedState, type LumaGeneration } from './status.js';

/** The documented production base URL (Quickstart). */
export const LUMA_AGENTS_BASE_URL = 'https://agents.lumalabs.ai/v1';
/** Quickstart: "polling every 2 seconds". */
const POLL_INTERVAL_MS = 2000;
/** Quickstart: "a short initial wait so the first few polls aren't wasted" (uni-1 p50 is ~30 s). */
const INITIAL_WAIT_MS = 20_000;

export function createLumaAgentsProvider(settings: RemoteProviderSettings): Provider {
  const http = remoteHttp(settings, {
    provider: 'luma-agents',
    label: LABEL,
    defaultBaseUrl: LUMA_AGENTS_BASE_URL,
    apiRoot: '/v1',
    // Quickstart: "Every request requires a Bearer token in the Authorization header."
    authenticate: (headers) => headers.set('Authorization', `Bearer ${settings.apiKey}`),
    // The presigned output URLs' storage host is not documented: the site owner names it in
    // STAGING_PROVIDER_OUTPUT_HOSTS; until then only URLs on the API host are downloaded.
    mapError: mapLumaError,
  });
  const interval = settings.pollIntervalMs ?? POLL_INTERVAL_MS;
  const initialWait = settings.pollIntervalMs ?? INITIAL_WAIT_MS;
  const deadlineMs = deadlineOf(settings);

  const imageRef = async (img: ProviderImage, inline: boolean) =>
    inline ? { data: (await img.read()).toString('base64'), media_type: img.contentType } : { url: img.publicUrl() };

  async function requestBody(task: ProviderTask, inline: boolean): Promise<Record<string, unknown>> {
    const o = task.options;
    const body: Record<string, unknown> = { type: 'image_edit', prompt: promptFor(task), source: await imageRef(task.image, inline) };
    if (typeof o.model === 'string') body.model = o.model;
    if (typeof o.style === 'string') body.style = o.style;
    if (typeof o.output_format === 'string') body.output_format = o.output_format;
    if (typeof o.aspect_ratio === 'string' && o.aspect_ratio !== KEEP_ASPECT) body.aspect_ratio = o.aspect_ratio;
    if (task.reference) body.image_ref = [await imageRef(task.reference, inline)];
    return body;
  }

  async function submit(task: ProviderTask, signal: AbortSignal): Promise<LumaGeneration> {
    // No idempotency key is documented, so the POST is never resent after a 5xx or a lost
    // answer (it may have created a paid generation); 429s are, since they create nothing.
    let res = await http.request({ method: 'POST', path: 'generations', json: await requestBody(task, false), signal, accept: [422] });
    if (res.status === 422) {
      // 422 covers "bad media data (base64 or URL)", e.g. Luma could not fetch our signed URL
      // because this BFF is not reachable from the internet. Inline base64 is the documented
      // alternative, and a 422 created nothing, so a second submission cannot charge twice.
      res = await http.request({ method: 'POST', path: 'generations', json: await requestBody(task, true), signal });
    }
    return parseGeneration(res.json);
  }

  async function fetchGeneration(id: string, signal: AbortSignal): Promise<LumaGeneration> {
    const res = await http.request({ path: `generations/${encodeURIComponent(id)}`, idempotent: true, signal, accept: [404] });
    if (res.status === 404) {
      throw new ProviderJobError('processing_failed', `${LABEL} no longer knows this job's generation. Retry the job.`, true);
    }
    return parseGeneration(res.json);
  }

  /** Polls until completed or failed, within the deadline counted from the submission. */
  async function track(id: string, submittedAt: number, resumed: boolean, ctx: ExecutionContext): Promise<LumaGeneration> {
    let wait = resumed ? 0 : initialWait;
    for (;;) {
      const left = submittedAt + deadlineMs - Date.now();
      // Luma documents no webhooks, so this is a plain sleep that ends early only on abort.
      if (wait > 0 && left > 0) await ctx.webhook(id, Math.min(wait, left));
      ctx.signal.throwIfAborted();
      // Polled once more even past the deadline: a job resumed after a long restart may be done.
      const gen = await fetchGeneration(id, ctx.signal);
      if (gen.state === 'completed' || gen.state === 'failed') return gen;
      if (Date.now() >= submittedAt + deadlineMs) {
        throw stalledError(LABEL, deadlineMs);
      }
      // uni-1 "typically takes 30–60 seconds": progress is an estimate over ~60 s.
      const elapsed = (Date.now() - submittedAt) / 60_000;
      ctx.progress('processing', gen.state === 'queued' ? 0.1 : 0.2 + 0.7 * Math.min(1, elapsed));
      wait = interval;
    }
  }

  /** Downloads every output now: presigned URLs expire (1 hour), our blob store keeps them. */
  async function downloadOutputs(gen: LumaGeneration, signal: AbortSignal): Promise<ProviderOutputImage[]> {
    let current = gen;
    for (let attempt = 0; ; attempt++) {
      if (current.output.length === 0) {
        throw new ProviderJobError('processing_failed', `${LABEL} finished without a result image. Retry the job.`, true);
      }
      const images: ProviderOutputImage[] = [];
      let stale = false;
      for (const out of current.output) {
        // Presigned: the key must not go along (anonymous), and the URL must be on a provider host.
        const res = await http.request({ path: out.url, anonymous: true, idempotent: true, signal, accept: [403, 404] });
        if (res.status === 403 || res.status === 404) {
          stale = true;
          break;
        }
        images.push(await probeOutputImage(res.bytes, LABEL));
      }
      if (!stale) return images;
      if (attempt >= 1) throw new ProviderJobError('processing_failed', `The result could not be downloaded from ${LABEL}. Retry the job.`, true);
      // An expired link (e.g. resumed after a long restart): every GET presigns afresh.
      current = await fetchGeneration(current.id, signal);
    }
  }

  return {
    name: 'luma-agents',

    async services() {
      return lumaServices();
    },

    async execute(task, ctx) {
      const saved = parseSavedState(ctx.savedState);
      let id: string;
      let submittedAt: number;
      if (saved) {
        // Resumed after a restart: the generation exists (and is paid for); only track it.
        ({ generationId: id, submittedAt } = saved);
      } else {
        ctx.progress('compressing', 0.05);
        submittedAt = Date.now();
        const created = await submit(task, ctx.signal);
        id = created.id;
        await ctx.saveState({ generationId: id, submittedAt });
        ctx.progress('processing', 0.1);
      }
      // No cancellation endpoint is documented: on abort we stop tracking and rethrow
      // (the signal's reason, via throwIfAborted / ProviderHttp); the generation runs out at Luma.
      const done = await track(id, submittedAt, saved !== null, ctx);
      if (done.state === 'failed') throw failedGenerationError(done.failure_code, done.failure_reason, (s) => http.redact(s));
      ctx.progress('processing', 0.95);
      const images = await downloadOutputs(done, ctx.signal);
      ctx.signal.throwIfAborted();
      return images;
    },
  };
}
