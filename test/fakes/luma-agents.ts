/**
 * A fake Luma Agents API (https://agents.lumalabs.ai/v1, model uni-1) for testing the BFF's
 * Luma adapter over real HTTP.
 *
 * Source of truth: /work/shared/seeds/luma-agents-api.txt (the Quickstart). It names the two
 * routes, Bearer auth with LUMA_AGENTS_API_KEY ("luma-api-..."), type image / image_edit,
 * source {url}, aspect_ratio, state "completed"/"failed", output[].url presigned URLs,
 * failure_reason / failure_code, and the X-Request-Id / X-API-Version / X-RateLimit-* headers.
 * The Quickstart links to pages it does not include (Image editing, Error handling, Rate
 * limits, API Reference); where the fake follows those public pages rather than the seed the
 * comment says "Linked docs:", and where both are silent it says "Docs are silent".
 * Webhooks, credits and usage routes are not documented for this API, so none exist here.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answer, bearerToken, FailureQueue, isPlainObject, isReply, jsonReply, listenLocal, maskCredential, Pending, readApiRequest, recordedFetch, route, send, Stepper, truncatedJson,
  type ApiRequest as Ctx, type FailAfterHandler as FailNextOptions, type FailureRule, type LoggedExchange as RecordedRequest, type OutboundFetch, type Reply, type Routes,
} from './support/fake-http.js';
import { renderOutputImage, sniffImage, type OutputFormat, type RenderedImage } from './support/fake-images.js';

export type { FailNextOptions, OutboundFetch, RecordedRequest };

/** The documented base URL's path: https://agents.lumalabs.ai/v1. */
export const LUMA_BASE_PATH = '/v1';
/** Linked docs (Error handling): 413 "Image exceeds 50 MB". */
export const LUMA_MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Room for a 50 MB image as base64 plus the rest of the JSON. */
const MAX_BODY_BYTES = Math.ceil((LUMA_MAX_IMAGE_BYTES * 4) / 3) + 1024 * 1024;

export type LumaGenerationType = 'image' | 'image_edit';
export type LumaModel = 'uni-1' | 'uni-1-max';
/** Linked docs (API Reference): queued → processing → completed | failed. The seed names only the last two. */
export type LumaState = 'queued' | 'processing' | 'completed' | 'failed';
/** Linked docs (API Reference / Error handling). */
export type LumaFailureCode =
  | 'content_moderated'
  | 'generation_failed'
  | 'budget_exhausted'
  | 'output_not_found'
  | 'image_too_large'
  | 'unsupported_format'
  | 'corrupt_input'
  | 'invalid_request'
  | 'rate_limited';

export const LUMA_ASPECT_RATIOS = ['3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3'] as const;
export const LUMA_MODELS: readonly LumaModel[] = ['uni-1', 'uni-1-max'];
export const LUMA_STYLES = ['auto', 'manga'] as const;
export const LUMA_OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'jpeg'];
const TERMINAL: readonly LumaState[] = ['completed', 'failed'];

/** The generation as GET /v1/generations/{id} returns it. */
export interface LumaGeneration {
  id: string;
  created_at: string;
  model: LumaModel;
  state: LumaState;
  type: LumaGenerationType;
  failure_code: LumaFailureCode | null;
  failure_reason: string | null;
  output: Array<{ type: string; url: string }> | null;
}

/** What the client asked for, as the fake understood it. */
export interface LumaGenerationRequest {
  prompt: string;
  type: LumaGenerationType;
  model: LumaModel;
  aspect_ratio: string | null;
  style: string;
  output_format: OutputFormat | null;
  web_search: boolean;
  source: { url: string } | { data_bytes: number; media_type: string } | null;
  image_ref: Array<{ url: string } | { data_bytes: number; media_type: string }>;
}

export interface LumaGenerationRecord {
  id: string;
  created_at: string;
  model: LumaModel;
  type: LumaGenerationType;
  state: LumaState;
  failure_code: LumaFailureCode | null;
  failure_reason: string | null;
  request: LumaGenerationRequest;
  sourceImage: Buffer | null;
  referenceImages: Buffer[];
  output: RenderedImage | null;
  /** Storage path (without query) the presigned URLs point at. */
  outputPath: string | null;
  history: LumaState[];
  costCents: number;
  failPlan: { failure_code: LumaFailureCode; failure_reason: string } | null;
  /** Internal scheduling; not part of the contract. */
  timer?: NodeJS.Timeout;
  chain: Promise<void>;
}

export interface LumaOutputDownload {
  path: string;
  at: number;
  status: number;
  reason?: 'expired' | 'bad-signature' | 'not-found';
}

export type LumaFailureKind =
  | '500'
  | '502'
  | '503'
  | '429'
  | 'timeout'
  | 'drop'
  | 'malformed-json'
  | '401'
  | '403'
  | 'insufficient-credits'
  | 'job-fails';

export interface LumaAgentsOptions {
  /** Valid keys (documented form: "luma-api-..."). */
  apiKeys: string[];
  /** Delay between automatic state steps (default 50 ms). */
  stepMs?: number;
  /** Advance generations on a timer (default true); otherwise only controls.advance()/finish(). */
  autoAdvance?: boolean;
  /** Requests-per-minute allowance on POST /v1/generations, sliding 60 s window (default 60). */
  rpm?: number;
  /** Maximum non-terminal generations at once (default 10). */
  maxConcurrent?: number;
  /** Account balance in cents (default 10 000). */
  balanceCents?: number;
  /** Price per image in cents. Docs are silent on the numbers here (only that uni-1-max costs more); defaults are placeholders: uni-1 4, uni-1-max 10. */
  priceCents?: Partial<Record<LumaModel, number>>;
  /** Lifetime of presigned output URLs. The API Reference says 1 hour; the fake defaults to 60 s so tests can exercise expiry. */
  outputUrlTtlMs?: number;
  /** Long side of produced images in px (default 2048). */
  outputLongSide?: number;
  /** X-API-Version header (default "2026-04-01", the linked docs' example). */
  apiVersion?: string;
  /** Timeout for fetching source/image_ref URLs (default 10 s). */
  fetchTimeoutMs?: number;
  /** Retry-After (seconds) for injected 429s (default 1). */
  retryAfterSeconds?: number;
}

export interface LumaAgentsState {
  requests: RecordedRequest[];
  generations: Map<string, LumaGenerationRecord>;
  /** Every URL the fake fetched while ingesting source / image_ref, with the outcome. */
  fetches: OutboundFetch[];
  /** Every request for a presigned output URL. */
  downloads: LumaOutputDownload[];
  balanceCents: number;
  /** Timestamps of POST /v1/generations requests admitted in the sliding window. */
  rpmWindow: number[];
}

export interface LumaAgentsControls {
  /** Makes the next matching request(s) fail; 'job-fails' instead marks the next created generation. */
  failNext(kind: LumaFailureKind, opts?: FailNextOptions & { failureCode?: LumaFailureCode; failureReason?: string }): void;
  clearFailures(): void;
  /** One state step: queued → processing → completed/failed. */
  advance(id: string): Promise<LumaGeneration>;
  /** Steps until terminal. */
  finish(id: string): Promise<LumaGeneration>;
  /** Ends a non-terminal generation as failed now. */
  failGeneration(id: string, failureCode?: LumaFailureCode, failureReason?: string): LumaGeneration;
  setAutoAdvance(on: boolean): void;
  setBalanceCents(cents: number): void;
  setOutputUrlTtl(ms: number): void;
  /** The generation as GET would return it (with freshly presigned output URLs). */
  generation(id: string): LumaGeneration | undefined;
  /** Resolves when no render is in flight. */
  settled(): Promise<void>;
}

export interface FakeLumaAgents {
  /** Use as STAGING_PROVIDER_URL: `http://127.0.0.1:PORT/v1`. */
  url: string;
  origin: string;
  state: LumaAgentsState;
  controls: LumaAgentsControls;
  close(): Promise<void>;
}

const nowIso = () => new Date().toISOString();
// Linked docs (Error handling): synchronous errors carry a human-readable `detail`; branch on the status code.
const detail = (status: number, text: string, headers?: Record<string, string>): Reply => jsonReply(status, { detail: text }, headers);
const DEFAULT_FAILURE_REASON: Record<string, string> = {
  content_moderated: 'The prompt or input image violated content guidelines.',
  generation_failed: 'Internal model error during generation.',
  budget_exhausted: 'Credits ran out mid-generation.',
  output_not_found: 'Generated output could not be retrieved.',
};

type Ingested = { bytes: Buffer; summary: { url: string } | { data_bytes: number; media_type: string } };

export async function startFakeLumaAgents(opts: LumaAgentsOptions): Promise<FakeLumaAgents> {
  const stepMs = opts.stepMs ?? 50;
  let autoAdvance = opts.autoAdvance ?? true;
  const rpm = opts.rpm ?? 60;
  const maxConcurrent = opts.maxConcurrent ?? 10;
  const price: Record<LumaModel, number> = { 'uni-1': 4, 'uni-1-max': 10, ...opts.priceCents };
  let ttlMs = opts.outputUrlTtlMs ?? 60_000;
  const longSide = opts.outputLongSide ?? 2048;
  const apiVersion = opts.apiVersion ?? '2026-04-01';
  const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  const presignKey = randomBytes(32);

  const state: LumaAgentsState = {
    requests: [],
    generations: new Map(),
    fetches: [],
    downloads: [],
    balanceCents: opts.balanceCents ?? 10_000,
    rpmWindow: [],
  };
  const failures = new FailureQueue<LumaFailureKind, { afterHandler?: boolean; failureCode?: LumaFailureCode; failureReason?: string }>();
  const pending = new Pending();
  const outputs = new Map<string, RenderedImage>();
  let closed = false;

  const listening = await listenLocal((req, res) => {
    void dispatch(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, detail(500, `Fake Luma Agents crashed: ${String(e)}`));
      else res.destroy();
    });
  });
  const origin = listening.url;

  // ------------------------------------------------------------------------------------------
  // Presigned output URLs

  const sign = (path: string, expires: number) => createHmac('sha256', presignKey).update(`${path}\n${expires}`).digest('hex');

  function presign(path: string): string {
    const expires = Date.now() + ttlMs;
    return `${origin}${path}?expires=${expires}&signature=${sign(path, expires)}`;
  }

  function verifyPresigned(path: string, query: URLSearchParams): 'ok' | 'expired' | 'bad-signature' {
    const expires = Number(query.get('expires'));
    const sig = query.get('signature') ?? '';
    const expected = sign(path, expires);
    if (!Number.isFinite(expires) || sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) return 'bad-signature';
    return Date.now() > expires ? 'expired' : 'ok';
  }

  // ------------------------------------------------------------------------------------------
  // Views

  function publicGeneration(g: LumaGenerationRecord): LumaGeneration {
    // Docs are silent on whether unset optional fields are omitted or null; the fake sends null.
    // Each GET presigns afresh, so re-polling is how a client recovers an expired URL.
    return {
      id: g.id,
      created_at: g.created_at,
      model: g.model,
      state: g.state,
      type: g.type,
      failure_code: g.failure_code,
      failure_reason: g.failure_reason,
      output: g.state === 'completed' && g.outputPath ? [{ type: 'image', url: presign(g.outputPath) }] : null,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  function touch(g: LumaGenerationRecord, s: LumaState): void {
    g.state = s;
    g.history.push(s);
  }

  const steps = new Stepper<LumaGenerationRecord>({ stepMs, running: () => !closed && autoAdvance, done: (g) => TERMINAL.includes(g.state), step: (j) => stepOnce(j), pending });
  const schedule = (g: LumaGenerationRecord) => steps.schedule(g);
  const unschedule = (g: LumaGenerationRecord) => steps.unschedule(g);
  const advance = (g: LumaGenerationRecord) => steps.advance(g);

  async function stepOnce(g: LumaGenerationRecord): Promise<void> {
    if (g.state === 'queued') return touch(g, 'processing');
    if (g.state !== 'processing') return;
    if (g.failPlan) return endFailed(g, g.failPlan.failure_code, g.failPlan.failure_reason);
    const base = g.sourceImage ?? g.referenceImages[0] ?? null;
    const ratio = g.request.aspect_ratio ? ratioOf(g.request.aspect_ratio) : undefined;
    // Docs are silent on output pixel sizes; the fake uses a fixed long side and the requested (or input's) aspect ratio.
    // Docs leave the default format to the model; the fake picks JPEG.
    let out: RenderedImage;
    try {
      out = await renderOutputImage(base, {
        longSide,
        ratio,
        format: g.request.output_format ?? 'jpeg',
        tint: g.type === 'image_edit' ? { r: 170, g: 200, b: 255 } : { r: 200, g: 160, b: 230 },
      });
    } catch (e) {
      return endFailed(g, 'corrupt_input', `An input media file could not be decoded: ${String(e)}`);
    }
    if (g.state !== 'processing') return; // failed by a control while rendering
    const ext = out.contentType === 'image/png' ? 'png' : 'jpg';
    g.outputPath = `/storage/generations/${g.id}/output-0.${ext}`;
    outputs.set(g.outputPath, out);
    g.output = out;
    touch(g, 'completed');
  }

  function endFailed(g: LumaGenerationRecord, code: LumaFailureCode, reason: string): void {
    g.failure_code = code;
    g.failure_reason = reason;
    touch(g, 'failed');
  }

  const ratioOf = (ar: string): number => {
    const [w, h] = ar.split(':').map(Number);
    return (w ?? 1) / (h ?? 1);
  };

  // ------------------------------------------------------------------------------------------
  // Rate limits (Linked docs: RPM sliding window + concurrent jobs, both on POST /v1/generations)

  function pruneWindow(): void {
    const cutoff = Date.now() - 60_000;
    while (state.rpmWindow.length && state.rpmWindow[0]! <= cutoff) state.rpmWindow.shift();
  }

  function rateLimitHeaders(): Record<string, string> {
    pruneWindow();
    const oldest = state.rpmWindow[0] ?? Date.now();
    return {
      'X-RateLimit-Limit': String(rpm),
      'X-RateLimit-Remaining': String(Math.max(0, rpm - state.rpmWindow.length)),
      // Docs are silent on the reset format; the fake sends Unix seconds when the oldest request leaves the window.
      'X-RateLimit-Reset': String(Math.ceil((oldest + 60_000) / 1000)),
    };
  }

  function admit(): Reply | null {
    pruneWindow();
    if (state.rpmWindow.length >= rpm) {
      const wait = Math.max(1, Math.ceil((state.rpmWindow[0]! + 60_000 - Date.now()) / 1000));
      return detail(429, `Rate limit exceeded: ${rpm} generation requests per minute.`, { 'Retry-After': String(wait) });
    }
    const active = [...state.generations.values()].filter((g) => !TERMINAL.includes(g.state)).length;
    if (active >= maxConcurrent) {
      const wait = Math.max(1, Math.ceil((stepMs * 2) / 1000));
      return detail(429, `Concurrent generation limit reached: ${maxConcurrent} active generations.`, { 'Retry-After': String(wait) });
    }
    state.rpmWindow.push(Date.now());
    return null;
  }

  // ------------------------------------------------------------------------------------------
  // Validation & ingestion

  function authenticate(req: IncomingMessage): boolean {
    const token = bearerToken(req);
    return token !== null && opts.apiKeys.includes(token);
  }

  /** Checks an ImageRef's shape: 400 for wrong types, 422 for a rejected combination. */
  function refShapeError(ref: unknown, field: string): Reply | null {
    if (!isPlainObject(ref)) return detail(400, `${field} must be an object with url, or data and media_type.`);
    const { url, data, media_type } = ref;
    if (url !== undefined && url !== null && typeof url !== 'string') return detail(400, `${field}.url must be a string.`);
    if (data !== undefined && data !== null && typeof data !== 'string') return detail(400, `${field}.data must be a base64 string.`);
    if (media_type !== undefined && media_type !== null && typeof media_type !== 'string') return detail(400, `${field}.media_type must be a string.`);
    const hasUrl = typeof url === 'string';
    const hasData = typeof data === 'string';
    if (hasUrl === hasData) return detail(422, `${field}: provide either url or inline base64 data (not both).`);
    if (hasData && !media_type) return detail(422, `${field}.media_type is required with data.`);
    if (hasUrl && !/^https?:\/\//i.test(url)) return detail(422, `${field}.url must be an http(s) URL.`);
    return null;
  }

  async function ingest(ref: Record<string, unknown>, field: string): Promise<Ingested | Reply> {
    if (typeof ref.url === 'string') {
      // The seed asks for a "publicly accessible image URL"; the fake fetches it at submission, like an ingestion service, and records the fetch.
      const r = await recordedFetch(state.fetches, field, ref.url, { timeoutMs: opts.fetchTimeoutMs ?? 10_000 });
      if (r.status === null) return detail(422, `Could not fetch ${field}.url: ${r.error}`);
      if (r.status < 200 || r.status >= 300) return detail(422, `Could not fetch ${field}.url: HTTP ${r.status}`);
      if (r.body.length > LUMA_MAX_IMAGE_BYTES) return detail(413, `${field} exceeds the 50 MB size limit.`);
      if (!(await sniffImage(r.body))) return detail(422, `${field}.url did not return a decodable image.`);
      return { bytes: r.body, summary: { url: ref.url } };
    }
    const data = (ref.data as string).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return detail(422, `${field}.data is not valid base64.`);
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > LUMA_MAX_IMAGE_BYTES) return detail(413, `${field} exceeds the 50 MB size limit.`);
    if (!/^image\//i.test(String(ref.media_type)) || !(await sniffImage(bytes))) return detail(422, `${field}.data is not a decodable image.`);
    return { bytes, summary: { data_bytes: bytes.length, media_type: String(ref.media_type) } };
  }


  // ------------------------------------------------------------------------------------------
  // Routes

  async function createGeneration(ctx: Ctx): Promise<Reply> {
    if (ctx.body.tooLarge) return detail(413, 'Request body exceeds the size limit.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return detail(400, 'Request body must be a JSON object.');
    const limited = admit();
    if (limited) return limited;
    const b = ctx.json;

    // Linked docs (Image generation): prompt 1–6,000 characters; defaults model uni-1, type image, style auto.
    if (typeof b.prompt !== 'string' || b.prompt.length < 1 || b.prompt.length > 6000) return detail(400, 'prompt is required and must be 1 to 6000 characters.');
    const type = b.type ?? 'image';
    if (type !== 'image' && type !== 'image_edit') return detail(400, 'type must be "image" or "image_edit".');
    const model = b.model ?? 'uni-1';
    if (!LUMA_MODELS.includes(model as LumaModel)) return detail(400, `model must be one of: ${LUMA_MODELS.join(', ')}.`);
    const aspect = b.aspect_ratio ?? null;
    if (aspect !== null && !(LUMA_ASPECT_RATIOS as readonly unknown[]).includes(aspect)) return detail(400, `aspect_ratio must be one of: ${LUMA_ASPECT_RATIOS.join(', ')}.`);
    const style = b.style ?? 'auto';
    if (!(LUMA_STYLES as readonly unknown[]).includes(style)) return detail(400, `style must be one of: ${LUMA_STYLES.join(', ')}.`);
    const format = b.output_format ?? null;
    if (format !== null && !LUMA_OUTPUT_FORMATS.includes(format as OutputFormat)) return detail(400, 'output_format must be "png" or "jpeg".');
    if (b.web_search !== undefined && typeof b.web_search !== 'boolean') return detail(400, 'web_search must be a boolean.');
    const refs = b.image_ref ?? [];
    if (!Array.isArray(refs)) return detail(400, 'image_ref must be an array.');
    // Linked docs: "Up to 9 for type 'image', up to 8 for type 'image_edit'."
    const maxRefs = type === 'image' ? 9 : 8;
    if (refs.length > maxRefs) return detail(400, `image_ref accepts at most ${maxRefs} images for type "${type}".`);

    const source = b.source ?? null;
    if (source !== null) {
      const e = refShapeError(source, 'source');
      if (e) return e;
    }
    for (const [i, r] of refs.entries()) {
      const e = refShapeError(r, `image_ref[${i}]`);
      if (e) return e;
    }
    // Seed: "To edit an existing image … set type to image_edit and provide a source." Missing it is a rejected combination (422).
    if (type === 'image_edit' && source === null) return detail(422, 'type "image_edit" requires a source image.');

    const cost = price[model as LumaModel];
    // Linked docs: 402 insufficient balance. Docs are silent on when the charge happens; the fake charges at submission and never refunds.
    if (state.balanceCents < cost) return detail(402, 'Insufficient credits: add funds to continue generating.');

    let sourceIn: Ingested | null = null;
    if (source !== null) {
      const r = await ingest(source as Record<string, unknown>, 'source');
      if (isReply(r)) return r;
      sourceIn = r;
    }
    const refIn: Ingested[] = [];
    for (const [i, r] of (refs as Record<string, unknown>[]).entries()) {
      const got = await ingest(r, `image_ref[${i}]`);
      if (isReply(got)) return got;
      refIn.push(got);
    }

    state.balanceCents -= cost;
    const rule = failures.take({}, (r) => r.kind === 'job-fails');
    const code = rule?.failureCode ?? 'generation_failed';
    const g: LumaGenerationRecord = {
      id: randomUUID(),
      created_at: nowIso(),
      model: model as LumaModel,
      type,
      state: 'queued',
      failure_code: null,
      failure_reason: null,
      request: {
        prompt: b.prompt,
        type,
        model: model as LumaModel,
        aspect_ratio: aspect as string | null,
        style: style as string,
        output_format: format as OutputFormat | null,
        web_search: b.web_search === true,
        source: sourceIn?.summary ?? null,
        image_ref: refIn.map((r) => r.summary),
      },
      sourceImage: sourceIn?.bytes ?? null,
      referenceImages: refIn.map((r) => r.bytes),
      output: null,
      outputPath: null,
      history: ['queued'],
      costCents: cost,
      failPlan: rule ? { failure_code: code, failure_reason: rule.failureReason ?? DEFAULT_FAILURE_REASON[code] ?? `Generation failed (${code}).` } : null,
      chain: Promise.resolve(),
    };
    state.generations.set(g.id, g);
    schedule(g);
    return jsonReply(201, publicGeneration(g), rateLimitHeaders());
  }

  function getGeneration(ctx: Ctx): Reply {
    const g = state.generations.get(ctx.params[0] ?? '');
    if (!g) return detail(404, 'Generation not found.');
    return jsonReply(200, publicGeneration(g));
  }

  const routes: Routes = [
    { pattern: /^\/generations$/, methods: { POST: createGeneration } },
    { pattern: /^\/generations\/([^/]+)$/, methods: { GET: getGeneration } },
  ];

  // Docs are silent on 404/405 bodies; the fake keeps the { detail } shape.
  const routed = (ctx: Ctx) =>
    route(routes, ctx, { notAllowed: (allowed) => detail(405, 'Method Not Allowed', { Allow: allowed.join(', ') }), notFound: () => detail(404, 'Not Found') });

  // ------------------------------------------------------------------------------------------
  // Dispatch

  function injected(rule: FailureRule<LumaFailureKind>): Reply | 'timeout' | 'drop' {
    switch (rule.kind) {
      case 'timeout':
      case 'drop':
        return rule.kind;
      case 'malformed-json':
        return truncatedJson('{"id": "7f3c2a10-truncated", "status": "pend');
      case '500':
        return detail(500, 'Internal server error.');
      case '502':
        return detail(502, 'Upstream service unavailable. Retry with backoff.');
      case '503':
        return detail(503, 'Image ingestion unavailable. Retry, or send the image as base64.');
      case '429':
        return detail(429, `Rate limit exceeded: ${rpm} generation requests per minute.`, { 'Retry-After': String(retryAfterSeconds) });
      case '401':
        return detail(401, 'Invalid or missing API key.');
      case '403':
        return detail(403, 'Access denied: client suspended or deactivated.');
      case 'insufficient-credits':
        return detail(402, 'Insufficient credits: add funds to continue generating.');
      case 'job-fails':
        throw new Error('job-fails is not a request failure');
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const isApi = url.pathname.startsWith(LUMA_BASE_PATH + '/');
    const apiPath = isApi ? url.pathname.slice(LUMA_BASE_PATH.length) : url.pathname;
    const { record, ctx } = await readApiRequest(req, url, { apiPath, maxBytes: MAX_BODY_BYTES, secret: { authorization: maskCredential, cookie: maskCredential } });
    const { method } = ctx;
    state.requests.push(record);

    // Seed: "Every response includes X-Request-Id and X-API-Version headers." Linked docs: X-Request-Id echoes the client's.
    const common: Record<string, string> = isApi
      ? { 'X-Request-Id': typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID(), 'X-API-Version': apiVersion }
      : {};

    const respond = (r: Reply | 'timeout' | 'drop') => void (record.outcome = answer(req, res, r, common));

    const before = failures.take({ method, path: apiPath, anyPath: isApi }, (r) => r.kind !== 'job-fails' && !r.afterHandler);
    if (before) return respond(injected(before));

    if (!isApi) {
      const out = outputs.get(url.pathname);
      const verdict = out ? verifyPresigned(url.pathname, url.searchParams) : 'not-found';
      // Docs are silent on how an expired presigned URL answers; the fake mimics object storage: 403 with an XML error.
      const reply: Reply =
        verdict === 'ok' && out
          ? { status: 200, raw: method === 'HEAD' ? '' : out.bytes, contentType: out.contentType }
          : verdict === 'not-found'
            ? { status: 404, raw: '<Error><Code>NoSuchKey</Code></Error>', contentType: 'application/xml' }
            : { status: 403, raw: `<Error><Code>AccessDenied</Code><Message>${verdict === 'expired' ? 'Request has expired' : 'Signature does not match'}</Message></Error>`, contentType: 'application/xml' };
      state.downloads.push({ path: url.pathname, at: Date.now(), status: reply.status, ...(verdict === 'ok' ? {} : { reason: verdict }) });
      return respond(reply);
    }

    if (!authenticate(req)) return respond(detail(401, 'Invalid or missing API key.'));
    const reply = await routed(ctx);
    const after = failures.take({ method, path: apiPath, anyPath: isApi }, (r) => r.afterHandler === true && ['timeout', 'drop', 'malformed-json', '500'].includes(r.kind));
    respond(after ? injected(after) : reply);
  }

  // ------------------------------------------------------------------------------------------
  // Controls

  const must = (id: string): LumaGenerationRecord => {
    const g = state.generations.get(id);
    if (!g) throw new Error(`fake Luma Agents: no generation ${id}`);
    return g;
  };

  const controls: LumaAgentsControls = {
    failNext(kind, o = {}) {
      failures.add(kind, o);
    },
    clearFailures: () => failures.clear(),
    async advance(id) {
      const g = must(id);
      await pending.track(advance(g));
      return publicGeneration(g);
    },
    async finish(id) {
      const g = must(id);
      while (!TERMINAL.includes(g.state)) await pending.track(advance(g));
      return publicGeneration(g);
    },
    failGeneration(id, code = 'generation_failed', reason) {
      const g = must(id);
      if (!TERMINAL.includes(g.state)) {
        unschedule(g);
        endFailed(g, code, reason ?? DEFAULT_FAILURE_REASON[code] ?? `Generation failed (${code}).`);
      }
      return publicGeneration(g);
    },
    setAutoAdvance(on) {
      autoAdvance = on;
      for (const g of state.generations.values()) (on ? schedule : unschedule)(g);
    },
    setBalanceCents(cents) {
      state.balanceCents = cents;
    },
    setOutputUrlTtl(ms) {
      ttlMs = ms;
    },
    generation(id) {
      const g = state.generations.get(id);
      return g ? publicGeneration(g) : undefined;
    },
    settled: () => pending.settled(),
  };

  return {
    url: origin + LUMA_BASE_PATH,
    origin,
    state,
    controls,
    async close() {
      closed = true;
      for (const g of state.generations.values()) unschedule(g);
      await listening.close();
      await pending.settled();
    },
  };
}
