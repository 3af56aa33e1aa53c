import { probeOutputImage } from '../remote/output-image.js';
import { withApiRoot } from '../remote/provider-http.js';
import { remoteHttp, type RemoteProviderSettings } from '../remote/settings.js';
import { deadlineOf, savedState, stalledError } from '../remote/tracking.js';
import { ProviderJobError, type ExecutionContext, type Provider, type ProviderImage, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { mapRoomStackError } from './errors.js';
import { EDIT_SERVICE, GENERATE_FIELDS, GENERATE_SERVICE, IMAGE_SIZE, roomStackServices, SELECTED_FURNITURE_OPTION } from './catalog.js';
import { isDone, isFailed, parseGeneration, progressFor, type RoomStackGeneration } from './status.js';
import { VerifiedDeliveries, verifyRoomStackDelivery } from './webhook.js';

export const ROOMSTACK_BASE_URL = 'https://roomstack.io/api/v1';
const LABEL = 'RoomStack';

/**
 * Tracking cadence. RoomStack documents webhooks as the API's completion signal and mentions
 * polling only "in the app" (GET /api/generations?id=…). With a webhook secret configured the
 * adapter relies on the webhook and polls that route rarely as a fallback; without one, polling
 * is all there is, so it polls more often.
 */
const POLL_WITH_WEBHOOK_MS = 30_000;
const POLL_WITHOUT_WEBHOOK_MS = 5_000;

/** What is persisted with the job right after submitting, so a restart resumes instead of paying again. */
interface SavedState {
  generationId: string;
}

/**
 * RoomStack (https://roomstack.io/api/v1): generate runs async (`?async=true`) and ends in a
 * signed webhook, with the app's polling route as a fallback; edit is synchronous. Outputs are
 * downloaded with the key (the docs say their URLs are not public).
 */
export function createRoomStackProvider(settings: RemoteProviderSettings): Provider {
  const deliveries = new VerifiedDeliveries();
  const http = remoteHttp(settings, {
    provider: 'roomstack',
    label: LABEL,
    defaultBaseUrl: ROOMSTACK_BASE_URL,
    apiRoot: '/api/v1',
    authenticate: (h) => h.set('x-api-key', settings.apiKey),
    mapError: mapRoomStackError,
  });
  // The app's polling route sits beside /api/v1, not under it, on the same (authenticated) host.
  const base = withApiRoot(new URL(settings.baseUrl ?? ROOMSTACK_BASE_URL), '/api/v1');
  const pollUrl = new URL(base.pathname.replace(/\/api\/v1\/?$/, '') + '/api/generations', base.origin);
  const deadlineMs = deadlineOf(settings);
  const interval = settings.pollIntervalMs ?? (settings.webhookSecret ? POLL_WITH_WEBHOOK_MS : POLL_WITHOUT_WEBHOOK_MS);

  async function submitGenerate(task: ProviderTask, ctx: ExecutionContext): Promise<string> {
    const form = new FormData();
    form.append('image', await blobOf(task.image), fileName('room', task.image));
    form.append('roomType', task.config);
    form.append('variants', String(task.variants));
    form.append('imageSize', IMAGE_SIZE[task.resolution] ?? '2K');
    for (const [key, field] of Object.entries(GENERATE_FIELDS)) {
      const v = task.options[key];
      if (typeof v === 'string' && v.trim() !== '') form.append(field, v.trim());
    }
    if (task.prompt?.trim()) form.append('promptOverride', task.prompt.trim());
    if (task.reference) form.append('furnitureImages', await blobOf(task.reference), fileName('furniture', task.reference));
    // Not idempotent: RoomStack documents no idempotency key, and a resent generate could be charged twice, so a
    // 5xx or a dropped connection here fails the job (retryable) instead of being retried blindly.
    const res = await http.request({ method: 'POST', path: 'generate?async=true', form, signal: ctx.signal });
    const body = (res.json ?? {}) as Record<string, unknown>;
    const generationId = typeof body.generationId === 'string' && body.generationId ? body.generationId : null;
    if (!generationId) {
      throw new ProviderJobError('provider_error', 'RoomStack accepted the photo but returned no generation id to follow; the job cannot be tracked.', false);
    }
    return generationId;
  }

  /** Waits for the generation to end: wakes on a verified webhook, polls the app route as a fallback. */
  async function track(generationId: string, ctx: ExecutionContext): Promise<RoomStackGeneration> {
    const started = Date.now();
    let canPoll = true;
    for (;;) {
      ctx.signal.throwIfAborted();
      let generation = deliveries.take(generationId);
      if (!generation && canPoll) {
        generation = await poll(generationId, ctx.signal);
        if (!generation) {
          canPoll = false;
          if (!settings.webhookSecret) {
            throw new ProviderJobError(
              'server_misconfigured',
              'RoomStack job status cannot be polled with an API key here, and no webhook is configured. The site owner must add a webhook endpoint in RoomStack and set STAGING_PROVIDER_WEBHOOK_SECRET.',
              false,
            );
          }
        }
      }
      if (generation) {
        if (isDone(generation)) return generation;
        if (isFailed(generation)) {
          throw new ProviderJobError(
            'processing_failed',
            `RoomStack could not stage this photo: ${http.redact(generation.error ?? 'the generation failed').slice(0, 300)}. Retry the job.`,
            true,
          );
        }
        ctx.progress('processing', progressFor(generation.status, Date.now() - started));
      }
      if (Date.now() - started >= deadlineMs) throw stalledError(LABEL, deadlineMs);
      // A delivery verified while this loop was polling has already fired its wake-up: do not sleep past it.
      if (deliveries.has(generationId)) continue;
      await ctx.webhook(generationId, Math.min(interval, Math.max(1, deadlineMs - (Date.now() - started))));
    }
  }

  /** The app's polling route; null when it is not open to API keys (401/403/404), so tracking falls back to webhooks only. */
  async function poll(generationId: string, signal: AbortSignal): Promise<RoomStackGeneration | null> {
    const url = new URL(pollUrl);
    url.searchParams.set('id', generationId);
    const res = await http.request({ path: url.toString(), idempotent: true, signal, accept: [401, 403, 404] });
    if (res.status !== 200) return null;
    const generation = parseGeneration(res.json);
    if (!generation) throw new ProviderJobError('provider_unavailable', 'RoomStack sent an unreadable job status. Retry the job in a few minutes.', true);
    return generation;
  }

  /** Docs: download URLs "are not public; call them with your API key" — so no `anonymous`, and ProviderHttp keeps them on RoomStack's host. */
  async function download(generation: RoomStackGeneration, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    if (generation.images.length === 0) {
      throw new ProviderJobError('processing_failed', 'RoomStack finished the job without any image. Retry the job.', true);
    }
    ctx.progress('processing', 0.92);
    const out: ProviderOutputImage[] = [];
    for (const img of generation.images) {
      const url = img.downloadUrl ?? (img.id ? `images/${encodeURIComponent(img.id)}` : null);
      if (!url) throw new ProviderJobError('provider_error', 'RoomStack listed an image without a download link.', false);
      const { bytes } = await http.download(url, { signal: ctx.signal });
      out.push(await probeOutputImage(bytes, LABEL));
    }
    return out;
  }

  /**
   * Edit is synchronous in the docs (no async mode, no webhook-only result): the answer carries the
   * image as base64. Not retried after a send (1 credit each); a restart mid-request resubmits.
   */
  async function edit(task: ProviderTask, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    const furniture = String(task.options[SELECTED_FURNITURE_OPTION] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const prompt = task.prompt?.trim() ?? '';
    if (!prompt && furniture.length === 0 && !task.mask) {
      throw new ProviderJobError('invalid_request', 'A RoomStack edit needs a prompt, furniture to add, or a mask.', false);
    }
    ctx.progress('compressing', 0.05);
    const body: Record<string, unknown> = { originalImage: await dataUrl(task.image) };
    if (prompt) body.editPrompt = prompt;
    if (furniture.length) body.selectedFurniture = furniture;
    // Docs: "an optional mask" without naming the field; `mask` as a data URL like originalImage is our reading.
    if (task.mask) body.mask = await dataUrl(task.mask);
    ctx.progress('processing', 0.2);
    const res = await http.request({ method: 'POST', path: 'edit', json: body, signal: ctx.signal });
    const images = ((res.json as { images?: unknown } | null)?.images ?? []) as Array<{ base64?: unknown }>;
    const out: ProviderOutputImage[] = [];
    for (const img of Array.isArray(images) ? images : []) {
      const decoded = typeof img?.base64 === 'string' ? fromDataUrl(img.base64) : null;
      if (decoded) out.push(await probeOutputImage(decoded, LABEL));
    }
    if (out.length === 0) throw new ProviderJobError('processing_failed', 'RoomStack finished the edit without any image. Retry the job.', true);
    return out;
  }

  return {
    name: 'roomstack',

    async services() {
      return roomStackServices();
    },

    async execute(task, ctx) {
      if (task.service === EDIT_SERVICE) return edit(task, ctx);
      if (task.service !== GENERATE_SERVICE) throw new ProviderJobError('invalid_request', `RoomStack offers no "${task.service}" service.`, false);
      // After a restart the job was already submitted (and paid for): only tracking resumes.
      let generationId = savedState(ctx.savedState, 'generationId')?.generationId;
      if (!generationId) {
        ctx.progress('compressing', 0.05);
        generationId = await submitGenerate(task, ctx);
        await ctx.saveState({ generationId } satisfies SavedState);
      }
      ctx.progress('processing', 0.15);
      return download(await track(generationId, ctx), ctx);
    },

    async verifyWebhook(delivery) {
      const generation = verifyRoomStackDelivery(delivery, settings.webhookSecret);
      deliveries.put(generation);
      return { key: generation.generationId, event: `${generation.generationId}:${generation.status}` };
    },

    /** Docs: GET /credits ("remaining credits and current subscription state") and GET /usage (counters). Field names are undocumented, so only plain numbers and strings are passed on. */
    async account(signal) {
      const [credits, usage] = await Promise.all([
        http.request({ path: 'credits', idempotent: true, signal }),
        http.request({ path: 'usage', idempotent: true, signal }),
      ]);
      const c = (credits.json ?? {}) as Record<string, unknown>;
      const sub = (typeof c.subscription === 'object' && c.subscription !== null ? c.subscription : {}) as Record<string, unknown>;
      const remaining = [c.credits, c.remainingCredits, c.availableCredits, c.remaining].find((v) => typeof v === 'number');
      return {
        credits_remaining: remaining ?? null,
        subscription: plain(sub, ['status', 'plan']),
        // Numbers only: the usage answer may carry a masked key, which stays with the provider.
        usage: Object.fromEntries(Object.entries((usage.json ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'number')),
      };
    },

    async close() {
      deliveries.clear();
    },
  };
}

const plain = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => typeof o[k] === 'string' || typeof o[k] === 'number').map((k) => [k, o[k]]));

const fileName = (stem: string, img: ProviderImage) => `${stem}.${img.contentType === 'image/png' ? 'png' : 'jpg'}`;

async function blobOf(img: ProviderImage): Promise<Blob> {
  return new Blob([new Uint8Array(await img.read())], { type: img.contentType });
}

async function dataUrl(img: ProviderImage): Promise<string> {
  return `data:${img.contentType};base64,${(await img.read()).toString('base64')}`;
}

/** The bytes of a data URL, or of bare base64 (the docs say "data URLs/base64"); their type is read from the bytes. */
function fromDataUrl(value: string): Buffer | null {
  const m = /^data:image\/[a-z0-9.+-]+;base64,(.*)$/is.exec(value.trim());
  if (m) return Buffer.from(m[1]!, 'base64');
  return /^[A-Za-z0-9+/=\s]+$/.test(value) ? Buffer.from(value, 'base64') : null;
}
