/**
 * A fake RoomStack (https://roomstack.io/docs/api, copy in /work/shared/seeds/roomstack-api.txt) for adapter tests.
 *
 * It implements the provider's documented contract, not ours: `x-api-key` auth (also on image downloads),
 * multipart POST /api/v1/generate (sync with base64 data URLs, or async with 202 + webhook), JSON POST
 * /api/v1/edit (1 credit), GET /api/v1/images/{imageId}, /api/v1/credits, /api/v1/usage, 402 with the
 * documented body, and webhooks signed `RoomStack-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`.
 * Where the docs are silent a comment says what the fake chose.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp from 'sharp';
import {
  answer, FailureQueue, header, hide, jsonOrText, keepScheme, listenLocal, parseMultipart, postWebhook, readBody, requestLine, sendJson, StepClock, truncatedJson, waitFor, waitForDeliveries,
  type FailWithRetryAfter as FailNextOptions, type LoggedRequest, type SignedDelivery, type SignedWebhookControls,
} from './support/fake-http.js';
import { renderVariant } from './support/fake-images.js';

export type RoomStackFailureKind = '500' | '429' | 'timeout' | 'drop' | 'malformed-json' | '401' | '403' | 'job-fails' | 'insufficient-credits';

export type { FailNextOptions };

/** A request as the fake saw it; the key's value kept out, so state can be logged safely. */
export interface RecordedRequest extends LoggedRequest {
  /** Multipart fields (text values) and file parts (metadata only), when the request was multipart. */
  form?: { fields: Record<string, string[]>; files: RecordedFile[] };
}

export interface RecordedFile {
  field: string;
  filename: string;
  type: string;
  size: number;
}

export type RoomStackEvent = 'generation.completed' | 'edit.completed';
export type RoomStackStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface RoomStackSettings {
  style: string;
  roomType: string;
  budget: string;
  variants: number;
  scale?: string;
  imageSize: '1K' | '2K' | '4K';
  roomFidelity?: 'strict' | 'balanced' | 'creative';
  roomSize?: 'small' | 'medium' | 'large';
  promptOverride?: string;
  furnitureImages: number;
}

export interface FakeRoomStackOptions {
  /** The only key the fake accepts (default 'aptd_test_key'). */
  apiKey?: string;
  /** Starting balance (default 100). */
  credits?: number;
  /** Time per status step (queued → processing → completed) in ms (default 50). */
  stepMs?: number;
  /** When false, jobs only move when controls.advance() is called (default true). */
  autoAdvance?: boolean;
  /** Webhook endpoint as configured on the API Access page; same as controls.setWebhook(). */
  webhook?: { url: string; secret: string; events?: RoomStackEvent[] };
  /** Credits for one generate call; see defaultRoomStackCost for the fake's default pricing. */
  costOf?: (settings: RoomStackSettings) => number;
}

export interface RoomStackImage {
  id: string;
  generationId: string;
  index: number;
  mimeType: 'image/png';
  sizeBytes: number;
  width: number;
  height: number;
  data: Buffer;
}

export interface RoomStackGeneration {
  generationId: string;
  requestId: string;
  kind: 'generation' | 'edit';
  mode: 'sync' | 'async';
  status: RoomStackStatus;
  settings: Record<string, unknown>;
  /** Credits taken for this job; set back to 0 when a failed job is refunded. */
  creditsCharged: number;
  imageIds: string[];
  error?: string;
  createdAt: string;
  completedAt?: string;
  durationMs?: number;
}

export interface RoomStackWebhookDelivery extends SignedDelivery {
  deliveryId: string;
  event: string;
}

export interface FakeRoomStackState {
  requests: RecordedRequest[];
  generations: RoomStackGeneration[];
  images: Map<string, RoomStackImage>;
  credits: number;
  subscription: { status: 'active' | 'inactive'; plan: string };
  usage: { requests: number; generations: number; edits: number; imagesGenerated: number; creditsUsed: number; downloads: number };
  /** The configured endpoint (the secret is kept out of state). */
  webhook: { url: string; events: RoomStackEvent[] } | null;
  webhookDeliveries: RoomStackWebhookDelivery[];
}

/** The stale delivery's age is in RoomStack-Timestamp; a forged one is signed with a secret other than the endpoint's. */
export interface FakeRoomStackControls extends SignedWebhookControls<RoomStackWebhookDelivery> {
  /** Makes the next matching request (or job, for 'job-fails'; or generate/edit call, for 'insufficient-credits') fail. */
  failNext(kind: RoomStackFailureKind, opts?: FailNextOptions): void;
  clearFailures(): void;
  setCredits(credits: number): void;
  /** An inactive subscription makes generate/edit answer 403 (docs: "subscription or permission issue"). */
  setSubscription(status: 'active' | 'inactive'): void;
  setWebhook(url: string, secret: string, events?: RoomStackEvent[]): void;
  clearWebhook(): void;
  getGeneration(generationId: string): RoomStackGeneration | undefined;
  /** Resolves when the generation reaches `status` (default: any terminal status). */
  waitForGeneration(generationId: string, status?: RoomStackStatus, timeoutMs?: number): Promise<RoomStackGeneration>;
}

export interface FakeRoomStack {
  /** Origin to use as STAGING_PROVIDER_URL; routes live under /api/v1 as in the docs. */
  url: string;
  apiKey: string;
  state: FakeRoomStackState;
  controls: FakeRoomStackControls;
  close(): Promise<void>;
}

const REQUEST_FAILURES: readonly RoomStackFailureKind[] = ['500', '429', 'timeout', 'drop', 'malformed-json', '401', '403'];
const IMAGE_SIZES = { '1K': 1024, '2K': 2048, '4K': 4096 } as const;
const ROOM_FIDELITY = ['strict', 'balanced', 'creative'] as const;
const ROOM_SIZES = ['small', 'medium', 'large'] as const;

/**
 * Docs: "Credits are charged per variant and can cost more for wider scale or larger output sizes".
 * Docs are silent on the numbers; the fake charges 1 per variant, +1 per variant for scale=wide, +1 for 2K, +2 for 4K.
 */
export function defaultRoomStackCost(s: RoomStackSettings): number {
  const perVariant = 1 + (s.scale === 'wide' ? 1 : 0) + (s.imageSize === '2K' ? 1 : s.imageSize === '4K' ? 2 : 0);
  return s.variants * perVariant;
}

class BadRequest extends Error {}

const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

export async function startFakeRoomStack(opts: FakeRoomStackOptions = {}): Promise<FakeRoomStack> {
  const apiKey = opts.apiKey ?? 'aptd_test_key';
  const costOf = opts.costOf ?? defaultRoomStackCost;
  const clock = new StepClock(opts.stepMs ?? 50, opts.autoAdvance ?? true);
  const failures = new FailureQueue<RoomStackFailureKind, { retryAfterSec?: number }>();
  let webhookSecret: string | null = opts.webhook?.secret ?? null;

  const state: FakeRoomStackState = {
    requests: [],
    generations: [],
    images: new Map(),
    credits: opts.credits ?? 100,
    subscription: { status: 'active', plan: 'api' },
    usage: { requests: 0, generations: 0, edits: 0, imagesGenerated: 0, creditsUsed: 0, downloads: 0 },
    webhook: opts.webhook ? { url: opts.webhook.url, events: opts.webhook.events ?? ['generation.completed', 'edit.completed'] } : null,
    webhookDeliveries: [],
  };
  const completion = new Map<string, Promise<RoomStackGeneration>>();

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `Fake RoomStack crashed: ${err instanceof Error ? err.message : String(err)}` });
      else res.destroy();
    });
  });
  const base = server.url;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const rec: RecordedRequest = { at: Date.now(), ...requestLine(req, url, { authorization: keepScheme, 'x-api-key': hide, cookie: hide, 'proxy-authorization': hide }) };
    state.requests.push(rec);
    const reply = (status: number, payload: unknown, headers: Record<string, string | number> = {}) => {
      rec.status = status;
      sendJson(res, status, payload, headers);
    };

    let form: FormData | undefined;
    const contentType = header(req, 'content-type') ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      form = await parseMultipart(req, body.bytes).catch(() => undefined);
      if (form) rec.form = describeForm(form);
    } else if (body.bytes.length && contentType.includes('json')) {
      rec.body = jsonOrText(body.bytes);
    }

    const injected = failures.take({ path: url.pathname }, (r) => REQUEST_FAILURES.includes(r.kind));
    if (injected) {
      rec.injected = injected.kind;
      switch (injected.kind) {
        case '500':
          return reply(500, { error: 'Internal server error.' });
        case '429':
          // Docs are silent on rate-limit headers (only "429: rate limit exceeded"); the fake sends Retry-After only.
          return reply(429, { error: 'Rate limit exceeded.' }, { 'retry-after': injected.retryAfterSec ?? 1 });
        case 'timeout':
        case 'drop':
          return void answer(req, res, injected.kind); // 'timeout' is never answered; close() destroys the socket
        case 'malformed-json':
          rec.status = answer(req, res, truncatedJson('{"requestId":"req_trunc","images":[{"base64":"data:image/png;base64,iVBORw0KGgo')) as number;
          return;
        case '401':
          return reply(401, { error: 'Invalid API key.' });
        case '403':
          return reply(403, { error: 'Subscription is not active.' });
      }
    }

    // The in-app polling page is outside /api/v1 but the docs point adapters at it, so it is authenticated the same way.
    const isApi = url.pathname.startsWith('/api/v1/') || url.pathname === '/api/generations';
    if (!isApi) return reply(404, { error: 'Not found.' });

    // Docs: one auth scheme only, the x-api-key header; a Bearer token is not an API key.
    const key = header(req, 'x-api-key');
    // Docs are silent on the 401 body; the fake follows the documented 402 shape, { error: string }.
    if (!key) return reply(401, { error: 'Missing API key.' });
    if (key !== apiKey) return reply(401, { error: 'Invalid API key.' });
    state.usage.requests += 1;

    const route = `${req.method} ${url.pathname}`;
    try {
      if (route === 'POST /api/v1/generate') return await generate(url, form, contentType, reply);
      if (route === 'POST /api/v1/edit') return await edit(rec.body, contentType, reply);
      if (route === 'GET /api/v1/credits') {
        // Docs are silent on the field names ("remaining credits and current subscription state"); the fake
        // answers { credits, subscription: { status, plan } }.
        return reply(200, { credits: state.credits, subscription: { ...state.subscription } });
      }
      if (route === 'GET /api/v1/usage') {
        // Docs are silent on the field names ("API usage counters for the authenticated API key"); the fake
        // answers flat counters plus a masked key.
        return reply(200, { apiKey: `${apiKey.slice(0, 5)}…${apiKey.slice(-4)}`, ...state.usage });
      }
      const imageMatch = /^\/api\/v1\/images\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && imageMatch) {
        const image = state.images.get(decodeURIComponent(imageMatch[1]!));
        if (!image) return reply(404, { error: 'Image not found.' });
        state.usage.downloads += 1;
        rec.status = 200;
        res.writeHead(200, { 'content-type': image.mimeType, 'content-length': image.data.length, 'cache-control': 'private, no-store' });
        res.end(image.data);
        return;
      }
      if (route === 'GET /api/generations') {
        // Docs are silent on this route beyond "poll /api/generations?id=... in the app"; the fake answers
        // { generation } shaped like the webhook `data` object, so an adapter can share its parser.
        const gen = state.generations.find((g) => g.generationId === url.searchParams.get('id'));
        if (!gen) return reply(404, { error: 'Generation not found.' });
        return reply(200, { generation: webhookData(gen) });
      }
      return reply(404, { error: 'Not found.' });
    } catch (err) {
      if (err instanceof BadRequest) return reply(400, { error: err.message });
      throw err;
    }
  }

  type Reply = (status: number, payload: unknown, headers?: Record<string, string | number>) => void;

  async function generate(url: URL, form: FormData | undefined, contentType: string, reply: Reply): Promise<void> {
    if (!contentType.startsWith('multipart/form-data') || !form) throw new BadRequest('Send multipart/form-data with an image file.');
    const images = form.getAll('image');
    if (images.length !== 1 || !(images[0] instanceof File)) throw new BadRequest('Exactly one room image file is required in field "image".');
    const image = new Uint8Array(await images[0].arrayBuffer());
    const furniture: Uint8Array[] = [];
    for (const part of form.getAll('furnitureImages')) {
      if (!(part instanceof File)) throw new BadRequest('furnitureImages must be files.');
      furniture.push(new Uint8Array(await part.arrayBuffer()));
    }
    const text = (name: string): string | undefined => {
      const value = form.get(name);
      if (value === null) return undefined;
      if (typeof value !== 'string') throw new BadRequest(`${name} must be a text field.`);
      return value.trim() === '' ? undefined : value.trim();
    };
    // Docs are silent on the variants range and default; the fake allows 1–4 (the example sends 4), default 1.
    const variantsText = text('variants') ?? '1';
    const variants = /^\d+$/.test(variantsText) ? Number(variantsText) : NaN;
    if (!(variants >= 1 && variants <= 4)) throw new BadRequest('variants must be an integer from 1 to 4.');
    // Docs are silent on imageSize values other than 1K; the fake takes 1K/2K/4K as a 1024/2048/4096 px long edge.
    const imageSize = text('imageSize') ?? '1K';
    if (!(imageSize in IMAGE_SIZES)) throw new BadRequest('imageSize must be one of 1K, 2K, 4K.');
    const roomFidelity = text('roomFidelity');
    if (roomFidelity !== undefined && !(ROOM_FIDELITY as readonly string[]).includes(roomFidelity)) {
      throw new BadRequest('roomFidelity must be strict, balanced, or creative.');
    }
    const roomSize = text('roomSize');
    if (roomSize !== undefined && !(ROOM_SIZES as readonly string[]).includes(roomSize)) {
      throw new BadRequest('roomSize must be small, medium, or large.');
    }
    const asyncField = text('async');
    const asyncQuery = url.searchParams.get('async') ?? undefined;
    for (const v of [asyncField, asyncQuery]) {
      if (v !== undefined && v !== 'true' && v !== 'false') throw new BadRequest('async must be true or false.');
    }
    // Docs show async=true as a query parameter and list async among the form fields; either one queues.
    const isAsync = asyncField === 'true' || asyncQuery === 'true';
    const settings: RoomStackSettings = {
      // Docs are silent on allowed values and defaults for style/roomType/budget; the fake accepts any text and
      // defaults to the values in the docs' examples.
      style: text('style') ?? 'modern',
      roomType: text('roomType') ?? 'living_room',
      budget: text('budget') ?? 'mid',
      variants,
      imageSize: imageSize as RoomStackSettings['imageSize'],
      furnitureImages: furniture.length,
    };
    const scale = text('scale');
    if (scale !== undefined) settings.scale = scale;
    if (roomFidelity !== undefined) settings.roomFidelity = roomFidelity as RoomStackSettings['roomFidelity'];
    if (roomSize !== undefined) settings.roomSize = roomSize as RoomStackSettings['roomSize'];
    const promptOverride = text('promptOverride');
    if (promptOverride !== undefined) settings.promptOverride = promptOverride;

    // Docs: "400: invalid input or unsupported file" — checked before charging, so a bad upload costs nothing.
    await assertDecodable(image, 'image');
    for (const f of furniture) await assertDecodable(f, 'furnitureImages');

    if (state.subscription.status !== 'active') return reply(403, { error: 'Subscription is not active.' });
    const cost = costOf(settings);
    if (!charge(cost, reply, '/api/v1/generate')) return;

    const gen = newGeneration('generation', isAsync ? 'async' : 'sync', { ...settings }, cost);
    state.usage.generations += 1;
    const done = runJob(gen, '/api/v1/generate', async () => {
      const out: RoomStackImage[] = [];
      for (let i = 0; i < variants; i++) {
        const r = await renderVariant(image, { longEdge: IMAGE_SIZES[settings.imageSize], tintIndex: i });
        out.push({ id: newId('img'), generationId: gen.generationId, index: i, mimeType: 'image/png', sizeBytes: r.data.length, width: r.width, height: r.height, data: r.data });
      }
      return out;
    });
    if (isAsync) {
      // Docs: "Async generation returns HTTP 202 with status queued". Docs are silent on the rest of the body;
      // the fake adds requestId and generationId ("receive a generationId immediately").
      return reply(202, { requestId: gen.requestId, generationId: gen.generationId, status: 'queued' });
    }
    await sendResult(await done, reply);
  }

  async function edit(body: unknown, contentType: string, reply: Reply): Promise<void> {
    if (!contentType.includes('application/json') || typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest('Send a JSON object body.');
    }
    const b = body as Record<string, unknown>;
    // Docs are silent on remote originalImage URLs (the example is a data URL); the fake accepts data URLs only.
    const original = decodeDataUrl(b.originalImage, 'originalImage');
    if (b.editPrompt !== undefined && typeof b.editPrompt !== 'string') throw new BadRequest('editPrompt must be a string.');
    const selected = b.selectedFurniture;
    if (selected !== undefined && !(Array.isArray(selected) && selected.every((s) => typeof s === 'string'))) {
      throw new BadRequest('selectedFurniture must be an array of strings.');
    }
    // Docs are silent on the mask field's name and format ("an optional mask"); the fake accepts `mask` as an
    // image data URL and does not use it beyond checking it decodes.
    const mask = b.mask === undefined || b.mask === null ? undefined : decodeDataUrl(b.mask, 'mask');
    const prompt = typeof b.editPrompt === 'string' ? b.editPrompt.trim() : '';
    if (!prompt && !(selected)?.length && !mask) {
      throw new BadRequest('Provide editPrompt, selectedFurniture, or mask.');
    }
    await assertDecodable(original, 'originalImage');
    if (mask) await assertDecodable(mask, 'mask');
    if (state.subscription.status !== 'active') return reply(403, { error: 'Subscription is not active.' });
    // Docs: "Edits cost 1 credit."
    if (!charge(1, reply, '/api/v1/edit')) return;
    const settings: Record<string, unknown> = { editPrompt: prompt, selectedFurniture: selected ?? [], mask: Boolean(mask) };
    const gen = newGeneration('edit', 'sync', settings, 1);
    state.usage.edits += 1;
    // Docs are silent on edit output size; the fake keeps the input's (EXIF-corrected) dimensions.
    const done = runJob(gen, '/api/v1/edit', async () => {
      const r = await renderVariant(original, { factor: 1, tintIndex: 3 });
      return [{ id: newId('img'), generationId: gen.generationId, index: 0, mimeType: 'image/png' as const, sizeBytes: r.data.length, width: r.width, height: r.height, data: r.data }];
    });
    await sendResult(await done, reply);
  }

  function charge(cost: number, reply: Reply, path: string): boolean {
    const injected = failures.take({ path }, (r) => r.kind === 'insufficient-credits');
    if (injected || state.credits < cost) {
      reply(402, { error: 'Not enough credits.', creditsRequired: cost, availableCredits: injected ? 0 : state.credits });
      return false;
    }
    state.credits -= cost;
    state.usage.creditsUsed += cost;
    return true;
  }

  async function sendResult(gen: RoomStackGeneration, reply: Reply): Promise<void> {
    if (gen.status === 'completed') {
      const images = gen.imageIds.map((id) => ({ base64: `data:image/png;base64,${state.images.get(id)!.data.toString('base64')}` }));
      return reply(200, { requestId: gen.requestId, generationId: gen.generationId, images, meta: { status: 'COMPLETED', durationMs: gen.durationMs } });
    }
    // Docs are silent on a failed synchronous job; the fake answers "500: provider or server error" with the ids.
    reply(500, { error: gen.error ?? 'Generation failed.', requestId: gen.requestId, generationId: gen.generationId, meta: { status: 'FAILED', durationMs: gen.durationMs } });
  }

  function newGeneration(kind: RoomStackGeneration['kind'], mode: RoomStackGeneration['mode'], settings: Record<string, unknown>, cost: number) {
    const gen: RoomStackGeneration = {
      generationId: newId('gen'),
      requestId: newId('req'),
      kind,
      mode,
      status: 'queued',
      settings,
      creditsCharged: cost,
      imageIds: [],
      createdAt: new Date().toISOString(),
    };
    state.generations.push(gen);
    return gen;
  }

  function runJob(gen: RoomStackGeneration, path: string, render: () => Promise<RoomStackImage[]>): Promise<RoomStackGeneration> {
    const fail = failures.take({ path }, (r) => r.kind === 'job-fails') !== undefined;
    const started = Date.now();
    const promise = (async () => {
      await clock.step(gen.generationId);
      // Docs are silent on states other than queued and completed; the fake uses "processing" and "failed".
      gen.status = 'processing';
      let images: RoomStackImage[] | undefined;
      let error: string | undefined = fail ? 'The provider could not stage this room.' : undefined;
      if (!fail) {
        try {
          images = await render();
        } catch (err) {
          error = `Rendering failed: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      await clock.step(gen.generationId);
      gen.durationMs = Date.now() - started;
      gen.completedAt = new Date().toISOString();
      if (images) {
        for (const img of images) state.images.set(img.id, img);
        gen.imageIds = images.map((i) => i.id);
        gen.status = 'completed';
        state.usage.imagesGenerated += images.length;
      } else {
        gen.status = 'failed';
        gen.error = error;
        // Docs are silent on refunds; the fake returns the credits of a failed job.
        state.credits += gen.creditsCharged;
        state.usage.creditsUsed -= gen.creditsCharged;
        gen.creditsCharged = 0;
      }
      deliverFor(gen);
      return gen;
    })();
    completion.set(gen.generationId, promise);
    return promise;
  }

  function webhookData(gen: RoomStackGeneration) {
    return {
      generationId: gen.generationId,
      kind: gen.kind,
      source: 'api',
      status: gen.status,
      creditsCharged: gen.creditsCharged,
      settings: gen.settings,
      images: gen.imageIds.map((id) => {
        const img = state.images.get(id)!;
        return { id, index: img.index, mimeType: img.mimeType, sizeBytes: img.sizeBytes, downloadUrl: `${base}/api/v1/images/${id}` };
      }),
      ...(gen.error ? { error: gen.error } : {}),
    };
  }

  // Docs: deliveries happen "when a generation or edit completes". They are silent on failures; the fake sends
  // the same event with data.status "failed", no images and an `error` string.
  function deliverFor(gen: RoomStackGeneration): void {
    const event: RoomStackEvent = gen.kind === 'edit' ? 'edit.completed' : 'generation.completed';
    if (!state.webhook || !webhookSecret || !state.webhook.events.includes(event)) return;
    const deliveryId = newId('dlv');
    const rawBody = JSON.stringify({ id: deliveryId, event, createdAt: new Date().toISOString(), data: webhookData(gen) });
    void send('normal', state.webhook.url, deliveryId, event, rawBody, unixNow(), webhookSecret);
  }

  // Docs are silent on the timestamp format; the fake sends Unix seconds. They are also silent on retries; the
  // fake makes one attempt (5 s timeout) and records the receiver's answer.
  function signedHeaders(deliveryId: string, event: string, timestamp: string, rawBody: string, secret: string): Record<string, string> {
    const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
    return {
      'content-type': 'application/json',
      'RoomStack-Event': event,
      'RoomStack-Delivery': deliveryId,
      'RoomStack-Timestamp': timestamp,
      'RoomStack-Signature': `v1=${signature}`,
    };
  }

  async function send(
    kind: RoomStackWebhookDelivery['kind'],
    target: string,
    deliveryId: string,
    event: string,
    rawBody: string,
    timestamp: string,
    secret: string,
    headersOverride?: Record<string, string>,
  ): Promise<RoomStackWebhookDelivery> {
    const headers = headersOverride ?? signedHeaders(deliveryId, event, timestamp, rawBody, secret);
    const delivery: RoomStackWebhookDelivery = { kind, deliveryId, event, url: target, timestamp, headers, rawBody, sentAt: Date.now(), done: false };
    state.webhookDeliveries.push(delivery);
    Object.assign(delivery, await postWebhook(target, rawBody, headers, 5000), { done: true });
    return delivery;
  }

  function lastNormal(): RoomStackWebhookDelivery {
    const last = [...state.webhookDeliveries].reverse().find((d) => d.kind === 'normal');
    if (!last) throw new Error('No webhook has been delivered yet; finish a generation with a webhook configured first.');
    return last;
  }

  function requireWebhook(): { url: string; secret: string } {
    if (!state.webhook || !webhookSecret) throw new Error('No webhook configured; call controls.setWebhook() first.');
    return { url: state.webhook.url, secret: webhookSecret };
  }

  /** The last real payload with a fresh delivery id, so only the property under test (age, key) is wrong. */
  function freshCopy(): { deliveryId: string; event: string; rawBody: string } {
    const last = lastNormal();
    const deliveryId = newId('dlv');
    const parsed = JSON.parse(last.rawBody) as Record<string, unknown>;
    return { deliveryId, event: last.event, rawBody: JSON.stringify({ ...parsed, id: deliveryId }) };
  }

  const controls: FakeRoomStackControls = {
    failNext: (kind, o) => failures.add(kind, o),
    clearFailures: () => failures.clear(),
    setCredits: (c) => {
      state.credits = c;
    },
    setSubscription: (status) => {
      state.subscription.status = status;
    },
    setWebhook: (whUrl, secret, events) => {
      state.webhook = { url: whUrl, events: events ?? ['generation.completed', 'edit.completed'] };
      webhookSecret = secret;
    },
    clearWebhook: () => {
      state.webhook = null;
      webhookSecret = null;
    },
    advance: (id) => clock.advance(id),
    setAutoAdvance: (auto) => {
      clock.auto = auto;
      if (auto) clock.advance();
    },
    getGeneration: (id) => state.generations.find((g) => g.generationId === id),
    waitForGeneration(id, status, timeoutMs = 10_000) {
      const find = () => state.generations.find((g) => g.generationId === id);
      return waitFor(
        () => {
          const gen = find();
          return gen && (status ? gen.status === status : gen.status === 'completed' || gen.status === 'failed') ? gen : undefined;
        },
        timeoutMs,
        () => `generation ${id} did not reach ${status ?? 'a terminal status'} (is ${find()?.status})`,
      );
    },
    waitForWebhooks: (count, timeoutMs = 10_000) => waitForDeliveries(state.webhookDeliveries, count, timeoutMs),
    async replayLastWebhook() {
      const last = lastNormal();
      return send('replay', last.url, last.deliveryId, last.event, last.rawBody, last.timestamp, '', { ...last.headers });
    },
    async sendStaleWebhook(ageSeconds = 600) {
      const { url: target, secret } = requireWebhook();
      const copy = freshCopy();
      return send('stale', target, copy.deliveryId, copy.event, copy.rawBody, String(Math.floor(Date.now() / 1000) - ageSeconds), secret);
    },
    async sendForgedWebhook() {
      const { url: target } = requireWebhook();
      const copy = freshCopy();
      return send('forged', target, copy.deliveryId, copy.event, copy.rawBody, unixNow(), `forged_${randomUUID()}`);
    },
    async sendTamperedWebhook() {
      const last = lastNormal();
      const parsed = JSON.parse(last.rawBody) as { data?: Record<string, unknown> };
      const tampered = JSON.stringify({ ...parsed, data: { ...parsed.data, creditsCharged: 0, images: [{ id: 'img_evil', index: 0, mimeType: 'image/png', sizeBytes: 1, downloadUrl: 'https://attacker.example/x.png' }] } });
      return send('tampered', last.url, last.deliveryId, last.event, tampered, last.timestamp, '', { ...last.headers });
    },
  };

  return {
    url: base,
    apiKey,
    state,
    controls,
    async close() {
      clock.close();
      await server.close();
    },
  };
}

const unixNow = () => String(Math.floor(Date.now() / 1000));

function describeForm(form: FormData): { fields: Record<string, string[]>; files: RecordedFile[] } {
  const fields: Record<string, string[]> = {};
  const files: RecordedFile[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') (fields[name] ??= []).push(value);
    else files.push({ field: name, filename: value.name, type: value.type, size: value.size });
  }
  return { fields, files };
}

function decodeDataUrl(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string') throw new BadRequest(`${field} is required as an image data URL.`);
  const match = /^data:image\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/=\s]+)$/i.exec(value);
  if (!match) throw new BadRequest(`${field} must be a base64 image data URL.`);
  return new Uint8Array(Buffer.from(match[1]!, 'base64'));
}

async function assertDecodable(bytes: Uint8Array, field: string): Promise<void> {
  try {
    await sharp(bytes).resize(8, 8).raw().toBuffer();
  } catch {
    throw new BadRequest(`Unsupported file in ${field}.`);
  }
}
