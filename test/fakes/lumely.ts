/**
 * A fake Lumely server (https://lumely.ai/api/v1) implementing the contract in
 * /work/shared/seeds/lumely-api.txt, for testing the BFF's Lumely adapter over real HTTP.
 *
 * Everything the docs state is reproduced as stated (paths, Bearer lum_live_ keys, field
 * names, statuses, 403 insufficient-credits body, X-RateLimit-* headers with an ISO 8601
 * reset, X-Lumely-Signature = hex HMAC-SHA256 of JSON.stringify(payload)). Where the docs
 * are silent the fake makes the simplest choice and says so in a "Docs are silent" comment,
 * so an adapter author can tell documented behaviour from the fake's guesses.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answer, bearerToken, FailureQueue, isPlainObject, isReply, jsonReply, listenLocal, maskCredential, Pending, readApiRequest, recordedFetch, route, send, Stepper, truncatedJson,
  type ApiRequest as Ctx, type FailAfterHandler as FailNextOptions, type FailureRule, type Handler, type LoggedExchange as RecordedRequest, type OutboundFetch, type Reply, type Routes,
} from './support/fake-http.js';
import { renderOutputImage, sniffImage, type RenderedImage } from './support/fake-images.js';

export type { FailNextOptions, OutboundFetch, RecordedRequest };

/** The documented base path; the fake serves it under its own origin. */
export const LUMELY_BASE_PATH = '/api/v1';
/** "Max 10 MB body size." (POST /upload). */
export const LUMELY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Long side in pixels per resolution, as this project defines 2K / 4K. */
export const LUMELY_LONG_SIDE = { '2K': 2048, '4K': 3840 } as const;

export type LumelyResolution = keyof typeof LUMELY_LONG_SIDE;
export type LumelyJobStatus = 'pending' | 'compressing' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type LumelyWebhookEvent = 'job.completed' | 'job.failed' | 'job.cancelled';
export type LumelyServiceId = 'render-enhancement' | 'virtual-staging' | 'design-options' | '3d-plans';

export const LUMELY_JOB_STATUSES: readonly LumelyJobStatus[] = ['pending', 'compressing', 'processing', 'completed', 'failed', 'cancelled'];
export const LUMELY_TERMINAL_STATUSES: readonly LumelyJobStatus[] = ['completed', 'failed', 'cancelled'];
export const LUMELY_WEBHOOK_EVENTS: readonly LumelyWebhookEvent[] = ['job.completed', 'job.failed', 'job.cancelled'];
const DEFAULT_WEBHOOK_EVENTS: LumelyWebhookEvent[] = ['job.completed', 'job.failed'];

export interface LumelyService {
  id: LumelyServiceId;
  name: string;
  description: string;
  credits_2k: number;
  credits_4k: number;
  config_ids: string[];
  supports_mask: boolean;
  supports_reference_image: boolean;
  supports_prompt: boolean;
}

// Ids, config ids, credits and feature flags are the docs' Services table. Docs are silent on
// the name/description of the last three services; the fake invents plain ones.
export const LUMELY_SERVICES: readonly LumelyService[] = [
  {
    id: 'render-enhancement',
    name: 'Render Enhancement',
    description: 'Enhance architectural renders with photorealistic lighting, materials, and detail.',
    credits_2k: 2,
    credits_4k: 3,
    config_ids: ['exterior-modern', 'exterior-traditional', 'interior-modern', 'interior-traditional', 'interior-minimalist', 'landscape', 'aerial'],
    supports_mask: true,
    supports_reference_image: false,
    supports_prompt: true,
  },
  {
    id: 'virtual-staging',
    name: 'Virtual Staging',
    description: 'Furnish empty rooms with realistic furniture and decor.',
    credits_2k: 2,
    credits_4k: 3,
    config_ids: ['living-room', 'bedroom', 'kitchen', 'dining-room', 'office', 'bathroom'],
    supports_mask: true,
    supports_reference_image: true,
    supports_prompt: true,
  },
  {
    id: 'design-options',
    name: 'Design Options',
    description: 'Generate alternative design options for a space or facade.',
    credits_2k: 2,
    credits_4k: 3,
    config_ids: ['exterior-modern', 'exterior-traditional', 'interior-modern', 'interior-traditional', 'landscape'],
    supports_mask: true,
    supports_reference_image: true,
    supports_prompt: true,
  },
  {
    id: '3d-plans',
    name: '3D Plans',
    description: 'Turn floor plans into 3D visualisations.',
    credits_2k: 2,
    credits_4k: 3,
    config_ids: ['residential', 'commercial', 'office'],
    supports_mask: false,
    supports_reference_image: false,
    supports_prompt: true,
  },
];

/** The job as GET /jobs/{id} returns it. */
export interface LumelyJob {
  id: string;
  status: LumelyJobStatus;
  service_type: LumelyServiceId;
  config_id: string;
  storage_path: string;
  resolution: LumelyResolution;
  prompt: string | null;
  reference_id: string | null;
  options: Record<string, unknown> | null;
  location: Record<string, unknown> | null;
  output_image_url: string | null;
  error_message: string | null;
  credits_used: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** The fake's full record of a job, including what the client sent and what it produced. */
export interface LumelyJobRecord {
  job: LumelyJob;
  idempotencyKey: string | null;
  input: Buffer;
  mask: Buffer | null;
  referenceImage: Buffer | null;
  referenceImageStoragePath: string | null;
  output: RenderedImage | null;
  /** Every status the job has been in, in order (retries append). */
  history: LumelyJobStatus[];
  /** 1 for the first run, +1 per retry. */
  attempt: number;
  /** Set by failNext('job-fails') / failJob(): the run ends failed with this message. */
  failPlan: { error_message: string } | null;
  /** Internal scheduling; not part of the contract. */
  timer?: NodeJS.Timeout;
  chain: Promise<void>;
}

export interface LumelyUpload {
  storage_path: string;
  bytes: Buffer;
  format: string;
  width: number;
  height: number;
  at: number;
}

export interface LumelyApiKey {
  id: string;
  name: string;
  key: string;
  is_active: boolean;
  created_at: string;
}

export interface LumelyWebhook {
  id: string;
  url: string;
  events: LumelyWebhookEvent[];
  is_active: boolean;
  secret: string;
  failure_count: number;
  created_at: string;
}

export interface LumelyWebhookDelivery {
  /** 'event' = real status change; 'replay' = replayLastWebhook(); 'manual' = sendWebhook(). */
  kind: 'event' | 'replay' | 'manual';
  webhookId: string | null;
  url: string;
  event: string | null;
  payload: unknown;
  /** The exact bytes POSTed. */
  body: string;
  signature: string;
  at: number;
  status?: number;
  error?: string;
}

export type LumelyFailureKind = '500' | '429' | 'timeout' | 'drop' | 'malformed-json' | '401' | 'insufficient-credits' | 'job-fails';

export interface LumelyOptions {
  /** Valid API keys (documented prefix: lum_live_). Revocable through PATCH /api-keys/{id} or controls.revokeKey(). */
  apiKeys: string[];
  /** Starting credits_remaining (default 60). */
  credits?: number;
  /** credits_total reported by GET /credits (default max(credits, 60)). */
  creditsTotal?: number;
  planId?: string;
  subscriptionStatus?: string;
  /** false = free plan: 4K jobs are refused with 403 ("4K without paid plan"). Default true. */
  paidPlan?: boolean;
  /** Included verbatim as `enterprise` in GET /credits; its allowed_services (if any) is enforced. */
  enterprise?: Record<string, unknown> & { allowed_services?: string[] };
  /** Delay between automatic status steps (default 50 ms). */
  stepMs?: number;
  /** Advance jobs on a timer (default true). When false, only controls.advance()/finish() move them. */
  autoAdvance?: boolean;
  /** X-RateLimit-Limit; requests beyond it within the minute get a real 429 (default 120). */
  rateLimitPerMinute?: number;
  /** Retry-After (seconds) sent with an injected 429 (default 1). */
  retryAfterSeconds?: number;
  /** The account's user UUID, the first segment of storage paths. */
  userId?: string;
}

export interface LumelyState {
  requests: RecordedRequest[];
  uploads: Map<string, LumelyUpload>;
  jobs: Map<string, LumelyJobRecord>;
  /** idempotency_key → job id, for every key the fake has seen. */
  idempotencyKeys: Map<string, string>;
  apiKeys: Map<string, LumelyApiKey>;
  webhooks: Map<string, LumelyWebhook>;
  webhookDeliveries: LumelyWebhookDelivery[];
  /** Every outbound HTTP request the fake made (for Lumely: webhook deliveries). */
  outboundFetches: OutboundFetch[];
  credits: { remaining: number; total: number };
  plan: { plan_id: string; subscription_status: string; paid: boolean };
  /** Current fixed rate-limit window. */
  rateLimit: { limit: number; windowStart: number; count: number };
}

export interface LumelyControls {
  /** Makes the next matching request(s) fail; see FailNextOptions. 'job-fails' instead marks the next created or retried job. */
  failNext(kind: LumelyFailureKind, opts?: FailNextOptions & { errorMessage?: string }): void;
  clearFailures(): void;
  /** Moves a job one documented step (pending → compressing → processing → completed/failed). */
  advance(jobId: string): Promise<LumelyJob>;
  /** Steps a job until it is terminal. */
  finish(jobId: string): Promise<LumelyJob>;
  /** Ends a non-terminal job as failed right now (fires job.failed). */
  failJob(jobId: string, errorMessage?: string): Promise<LumelyJob>;
  setAutoAdvance(on: boolean): void;
  setCredits(remaining: number): void;
  setPaidPlan(paid: boolean): void;
  revokeKey(key: string): void;
  /** Registers a webhook directly (the same as POST /webhooks, but with a chosen secret). */
  setWebhook(url: string, secret: string, events?: LumelyWebhookEvent[]): LumelyWebhook;
  /** Re-POSTs the last delivery byte for byte, valid signature included (replay attack). */
  replayLastWebhook(): Promise<LumelyWebhookDelivery>;
  /**
   * POSTs an arbitrary delivery for attack tests: a stale payload, a forged one signed with
   * the wrong secret, or an explicit signature. Defaults: the first active webhook's URL and
   * secret, the last delivered payload.
   */
  sendWebhook(opts?: { url?: string; payload?: unknown; body?: string; secret?: string; signature?: string | null }): Promise<LumelyWebhookDelivery>;
  /** The job as GET /jobs/{id} would return it. */
  job(jobId: string): LumelyJob | undefined;
  /** Resolves when no render or webhook delivery is in flight. */
  settled(): Promise<void>;
}

export interface FakeLumely {
  /** Use as STAGING_PROVIDER_URL: `http://127.0.0.1:PORT/api/v1`. */
  url: string;
  origin: string;
  state: LumelyState;
  controls: LumelyControls;
  close(): Promise<void>;
}

/** The docs' signature: hex HMAC-SHA256 of the JSON body, keyed with the webhook secret. */
export const signLumelyWebhook = (body: string, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');

const nowIso = () => new Date().toISOString();
const isTerminal = (s: LumelyJobStatus) => LUMELY_TERMINAL_STATUSES.includes(s);
const err = (status: number, error: string, message: string, extra: Record<string, unknown> = {}): Reply => jsonReply(status, { error, message, ...extra });

const OPTION_KEYS = ['lighting', 'weather', 'season', 'crowd', 'camera', 'style', 'flooring', 'landscaping'];
const LOCATION_STRING_KEYS = ['description', 'city', 'region', 'country'];
const OUTPUT_TINT = { r: 255, g: 214, b: 170 };

export async function startFakeLumely(opts: LumelyOptions): Promise<FakeLumely> {
  const stepMs = opts.stepMs ?? 50;
  let autoAdvance = opts.autoAdvance ?? true;
  const userId = opts.userId ?? randomUUID();
  const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  const credits = opts.credits ?? 60;

  const state: LumelyState = {
    requests: [],
    uploads: new Map(),
    jobs: new Map(),
    idempotencyKeys: new Map(),
    apiKeys: new Map(),
    webhooks: new Map(),
    webhookDeliveries: [],
    outboundFetches: [],
    credits: { remaining: credits, total: opts.creditsTotal ?? Math.max(credits, 60) },
    plan: { plan_id: opts.planId ?? 'basic', subscription_status: opts.subscriptionStatus ?? 'active', paid: opts.paidPlan ?? true },
    rateLimit: { limit: opts.rateLimitPerMinute ?? 120, windowStart: Date.now(), count: 0 },
  };
  for (const key of opts.apiKeys) {
    const id = randomUUID();
    state.apiKeys.set(id, { id, name: 'Default', key, is_active: true, created_at: nowIso() });
  }

  const failures = new FailureQueue<LumelyFailureKind, { afterHandler?: boolean; errorMessage?: string }>();
  const pending = new Pending();
  /** Public output path → image. */
  const outputs = new Map<string, RenderedImage>();
  let closed = false;

  const listening = await listenLocal((req, res) => {
    void dispatch(req, res).catch((e: unknown) => {
      // A bug in the fake must surface as a 500 the test can see, not a hung request.
      if (!res.headersSent) send(res, err(500, 'Internal server error', `Fake Lumely crashed: ${String(e)}`));
      else res.destroy();
    });
  });
  const origin = listening.url;
  const baseUrl = origin + LUMELY_BASE_PATH;

  // ------------------------------------------------------------------------------------------
  // Views

  function publicJob(rec: LumelyJobRecord): LumelyJob {
    return structuredClone(rec.job);
  }

  function createdBody(rec: LumelyJobRecord) {
    // The documented creation response: { id, status, poll_url }.
    return { id: rec.job.id, status: rec.job.status, poll_url: `${LUMELY_BASE_PATH}/jobs/${rec.job.id}` };
  }

  function publicWebhook(w: LumelyWebhook, withSecret: boolean) {
    const { secret, ...rest } = w;
    // Docs are silent on how the secret is handed out; the fake returns it only in the creation response.
    return withSecret ? { ...rest, secret } : rest;
  }

  // ------------------------------------------------------------------------------------------
  // Rate limiting: "X-RateLimit-Reset — ISO 8601 timestamp when the limit resets".

  function countRequest(): void {
    const rl = state.rateLimit;
    if (Date.now() - rl.windowStart >= 60_000) {
      rl.windowStart = Date.now();
      rl.count = 0;
    }
    rl.count += 1;
  }

  function rateHeaders(remainingOverride?: number): Record<string, string> {
    const rl = state.rateLimit;
    return {
      'X-RateLimit-Limit': String(rl.limit),
      'X-RateLimit-Remaining': String(remainingOverride ?? Math.max(0, rl.limit - rl.count)),
      'X-RateLimit-Reset': new Date(rl.windowStart + 60_000).toISOString(),
    };
  }

  function rateLimited(retryAfter: number): Reply {
    return {
      ...err(429, 'Rate limit exceeded', `Too many requests. Retry after ${retryAfter} seconds.`),
      headers: { ...rateHeaders(0), 'Retry-After': String(retryAfter) },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Auth

  function authenticate(req: IncomingMessage): boolean {
    const token = bearerToken(req);
    if (!token) return false;
    // Docs also allow a Supabase session JWT and a dashboard cookie; an adapter uses API keys only, so the fake accepts nothing else.
    for (const k of state.apiKeys.values()) if (k.is_active && k.key === token) return true;
    return false;
  }

  // Docs are silent on the exact 401 text; the shape is the documented { error, message }.
  const unauthorized = (): Reply => err(401, 'Unauthorized', 'Invalid or revoked API key, or no Authorization header. Use "Authorization: Bearer lum_live_...".');

  // ------------------------------------------------------------------------------------------
  // Credits

  function serviceById(id: unknown): LumelyService | undefined {
    return LUMELY_SERVICES.find((s) => s.id === id);
  }

  function cost(service: LumelyService, resolution: LumelyResolution): number {
    return resolution === '4K' ? service.credits_4k : service.credits_2k;
  }

  function insufficient(required: number, remaining: number): Reply {
    return err(403, 'Insufficient credits', `You need ${required} credits but only have ${remaining} remaining.`, {
      credits_required: required,
      credits_remaining: remaining,
    });
  }

  // ------------------------------------------------------------------------------------------
  // Job lifecycle

  function touch(rec: LumelyJobRecord, status: LumelyJobStatus): void {
    rec.job.status = status;
    rec.job.updated_at = nowIso();
    rec.history.push(status);
    if (isTerminal(status)) rec.job.completed_at = rec.job.updated_at;
  }

  const steps = new Stepper<LumelyJobRecord>({ stepMs, running: () => !closed && autoAdvance, done: (rec) => isTerminal(rec.job.status), step: (j) => stepOnce(j), pending });
  const schedule = (rec: LumelyJobRecord) => steps.schedule(rec);
  const unschedule = (rec: LumelyJobRecord) => steps.unschedule(rec);
  const advance = (rec: LumelyJobRecord) => steps.advance(rec);

  async function stepOnce(rec: LumelyJobRecord): Promise<void> {
    const { status } = rec.job;
    if (status === 'pending') return touch(rec, 'compressing');
    if (status === 'compressing') return touch(rec, 'processing');
    if (status !== 'processing') return;
    if (rec.failPlan) return endFailed(rec, rec.failPlan.error_message);
    const attempt = rec.attempt;
    let output: RenderedImage;
    try {
      output = await renderOutputImage(rec.input, { longSide: LUMELY_LONG_SIDE[rec.job.resolution], format: 'jpeg', tint: OUTPUT_TINT });
    } catch (e) {
      return endFailed(rec, `Processing failed: the input image could not be decoded (${String(e)}).`);
    }
    // Cancelled (or cancelled and retried) while rendering: the result belongs to a dead run.
    if (rec.attempt !== attempt || rec.job.status !== 'processing') return;
    // The docs' example output URL is a public Supabase storage URL; the fake serves the same kind of path.
    const path = `/storage/v1/object/public/outputs/${userId}/${rec.job.id}-${attempt}.jpg`;
    outputs.set(path, output);
    rec.output = output;
    rec.job.output_image_url = origin + path;
    touch(rec, 'completed');
    emit(rec, 'job.completed');
  }

  function endFailed(rec: LumelyJobRecord, message: string): void {
    rec.job.error_message = message;
    touch(rec, 'failed');
    emit(rec, 'job.failed');
  }

  function findJob(id: string | undefined): LumelyJobRecord | undefined {
    return id === undefined ? undefined : state.jobs.get(id);
  }

  // ------------------------------------------------------------------------------------------
  // Webhooks

  function emit(rec: LumelyJobRecord, event: LumelyWebhookEvent): void {
    const payload = { event, data: publicJob(rec) };
    const body = JSON.stringify(payload);
    for (const w of state.webhooks.values()) {
      if (!w.is_active || !w.events.includes(event)) continue;
      const delivery: LumelyWebhookDelivery = {
        kind: 'event',
        webhookId: w.id,
        url: w.url,
        event,
        payload,
        body,
        signature: signLumelyWebhook(body, w.secret),
        at: Date.now(),
      };
      void pending.track(deliver(delivery, w));
    }
  }

  async function deliver(d: LumelyWebhookDelivery, w: LumelyWebhook | undefined): Promise<LumelyWebhookDelivery> {
    state.webhookDeliveries.push(d);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    // null = deliberately unsigned (attack tests); the header is then omitted.
    if (d.signature !== '') headers['X-Lumely-Signature'] = d.signature;
    const r = await recordedFetch(state.outboundFetches, `webhook:${d.event ?? 'manual'}`, d.url, { method: 'POST', headers, body: d.body, timeoutMs: 5000 });
    if (r.status !== null) d.status = r.status;
    else d.error = r.error ?? undefined;
    // Docs mention a failure count (reset on re-enable) but are silent on retries and auto-disable; the fake only counts.
    if (w && (r.status === null || r.status < 200 || r.status >= 300)) w.failure_count += 1;
    return d;
  }

  function webhookUrlError(raw: unknown): string | null {
    if (typeof raw !== 'string' || raw.length === 0) return 'url is required.';
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return 'url must be a valid URL.';
    }
    // "HTTPS URL … Localhost allowed for testing": plain http is accepted for loopback hosts only.
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) return null;
    return 'url must use HTTPS (localhost is allowed for testing).';
  }

  function eventsError(raw: unknown): string | null {
    if (!Array.isArray(raw) || raw.length === 0) return `events must be a non-empty array of: ${LUMELY_WEBHOOK_EVENTS.join(', ')}.`;
    for (const e of raw) if (!LUMELY_WEBHOOK_EVENTS.includes(e as LumelyWebhookEvent)) return `Unknown event "${String(e)}". Available: ${LUMELY_WEBHOOK_EVENTS.join(', ')}.`;
    return null;
  }

  function addWebhook(url: string, secret: string, events: LumelyWebhookEvent[]): LumelyWebhook {
    const w: LumelyWebhook = { id: randomUUID(), url, events: [...new Set(events)], is_active: true, secret, failure_count: 0, created_at: nowIso() };
    state.webhooks.set(w.id, w);
    return w;
  }

  const activeWebhooks = () => [...state.webhooks.values()].filter((w) => w.is_active);

  // ------------------------------------------------------------------------------------------
  // Request validation helpers

  function decodeBase64Image(raw: string): Buffer | null {
    const m = /^data:([^;,]*)(;base64)?,/i.exec(raw);
    if (m && (!/^image\//i.test(m[1] ?? '') || !m[2])) return null;
    const b64 = (m ? raw.slice(m[0].length) : raw).replace(/\s+/g, '');
    if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
    return Buffer.from(b64, 'base64');
  }

  const SUPPORTED_UPLOAD_FORMATS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

  async function validImage(raw: string): Promise<{ bytes: Buffer; format: string; width: number; height: number } | null> {
    const bytes = decodeBase64Image(raw);
    if (!bytes) return null;
    const info = await sniffImage(bytes);
    if (!info || !(info.format in SUPPORTED_UPLOAD_FORMATS)) return null;
    return { bytes, ...info };
  }

  function optionalString(body: Record<string, unknown>, field: string, max?: number): string | null | Reply {
    const v = body[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') return err(400, `Invalid ${field}`, `${field} must be a string.`);
    if (max !== undefined && v.length > max) return err(400, `Invalid ${field}`, `${field} must be at most ${max} characters.`);
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Routes

  const getCredits: Handler = () =>
    jsonReply(200, {
      credits_remaining: state.credits.remaining,
      credits_total: state.credits.total,
      plan_id: state.plan.plan_id,
      subscription_status: state.plan.subscription_status,
      ...(opts.enterprise ? { enterprise: opts.enterprise } : {}),
    });

  const getServices: Handler = () =>
    jsonReply(200, { services: LUMELY_SERVICES, resolutions: ['2K', '4K'], note: '4K resolution requires a paid subscription.' });

  const postUpload: Handler = async (ctx) => {
    // Docs give the 10 MB limit but no status for exceeding it; the fake uses HTTP's 413 with the documented error shape.
    if (ctx.body.tooLarge) return err(413, 'Payload too large', 'Max 10 MB body size. Compress or resize the image before uploading.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send a JSON object: { "image": "<base64>" }.');
    const image = ctx.json.image;
    if (typeof image !== 'string' || image.length === 0) return err(400, 'Missing required field: image', 'image must be base64-encoded image data, with or without the data:image/... prefix.');
    const img = await validImage(image);
    if (!img) return err(400, 'Invalid image data', 'image must be base64-encoded JPEG, PNG, WebP, or GIF data.');
    const ext = SUPPORTED_UPLOAD_FORMATS[img.format] ?? 'bin';
    const storage_path = `${userId}/api_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}.${ext}`;
    state.uploads.set(storage_path, { storage_path, bytes: img.bytes, format: img.format, width: img.width, height: img.height, at: Date.now() });
    // Docs show { "storage_path": ..., ... } without naming the other fields; the fake returns only storage_path.
    return jsonReply(201, { storage_path });
  };

  const postJob: Handler = async (ctx) => {
    if (ctx.body.tooLarge) return err(413, 'Payload too large', 'Max 10 MB body size.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send a JSON object.');
    const b = ctx.json;

    const idempotencyKey = optionalString(b, 'idempotency_key', 255);
    if (isReply(idempotencyKey)) return idempotencyKey;
    if (idempotencyKey !== null) {
      const existing = findJob(state.idempotencyKeys.get(idempotencyKey));
      // "Duplicate job detected (when using idempotency_key — existing job returned with 200 instead)".
      // Docs are silent on a reused key with a different body; the fake returns the existing job regardless.
      if (existing) return jsonReply(200, createdBody(existing));
    }

    const service = serviceById(b.service_type);
    if (b.service_type === undefined) return err(400, 'Missing required field: service_type', `One of: ${LUMELY_SERVICES.map((s) => s.id).join(', ')}.`);
    if (!service) return err(400, 'Invalid service_type', `service_type must be one of: ${LUMELY_SERVICES.map((s) => s.id).join(', ')}.`);
    if (b.config_id === undefined) return err(400, 'Missing required field: config_id', `Valid config_ids for ${service.id}: ${service.config_ids.join(', ')}.`);
    if (typeof b.config_id !== 'string' || !service.config_ids.includes(b.config_id))
      return err(400, 'Invalid config_id', `Valid config_ids for ${service.id}: ${service.config_ids.join(', ')}.`);
    if (b.storage_path === undefined || b.storage_path === '') return err(400, 'Missing required field: storage_path', 'Upload the image with POST /api/v1/upload first and pass its storage_path.');
    if (typeof b.storage_path !== 'string') return err(400, 'Invalid storage_path', 'storage_path must be a string.');
    const upload = state.uploads.get(b.storage_path);
    // Docs list "storage path access denied" under 403; the fake treats any path it did not issue that way.
    if (!upload) return err(403, 'Storage path access denied', 'storage_path was not found or belongs to another account.');

    const resolution = b.resolution === undefined || b.resolution === null ? '2K' : b.resolution;
    if (resolution !== '2K' && resolution !== '4K') return err(400, 'Invalid resolution', 'resolution must be "2K" or "4K".');

    const prompt = optionalString(b, 'prompt');
    if (isReply(prompt)) return prompt;
    const referenceId = optionalString(b, 'reference_id', 255);
    if (isReply(referenceId)) return referenceId;

    // Docs say mask/reference apply to "services that support" them; silent on what happens otherwise. The fake rejects with 400 so adapters notice.
    let mask: Buffer | null = null;
    if (b.mask_base64 !== undefined && b.mask_base64 !== null) {
      if (!service.supports_mask) return err(400, 'Mask not supported', `${service.id} does not support mask_base64.`);
      if (typeof b.mask_base64 !== 'string') return err(400, 'Invalid mask_base64', 'mask_base64 must be a base64 string.');
      const img = await validImage(b.mask_base64);
      if (!img) return err(400, 'Invalid mask_base64', 'mask_base64 must be base64-encoded image data.');
      mask = img.bytes;
    }
    let referenceImage: Buffer | null = null;
    let referenceImageStoragePath: string | null = null;
    const hasRefB64 = b.reference_image_base64 !== undefined && b.reference_image_base64 !== null;
    const hasRefPath = b.reference_image_storage_path !== undefined && b.reference_image_storage_path !== null;
    if (hasRefB64 || hasRefPath) {
      if (!service.supports_reference_image) return err(400, 'Reference image not supported', `${service.id} does not support reference images.`);
      // Docs call the storage path an "alternative to base64"; silent on sending both. The fake refuses the ambiguity.
      if (hasRefB64 && hasRefPath) return err(400, 'Invalid reference image', 'Send reference_image_base64 or reference_image_storage_path, not both.');
      if (hasRefB64) {
        if (typeof b.reference_image_base64 !== 'string') return err(400, 'Invalid reference_image_base64', 'reference_image_base64 must be a base64 string.');
        const img = await validImage(b.reference_image_base64);
        if (!img) return err(400, 'Invalid reference_image_base64', 'reference_image_base64 must be base64-encoded image data.');
        referenceImage = img.bytes;
      } else {
        if (typeof b.reference_image_storage_path !== 'string') return err(400, 'Invalid reference_image_storage_path', 'reference_image_storage_path must be a string.');
        const ref = state.uploads.get(b.reference_image_storage_path);
        if (!ref) return err(403, 'Storage path access denied', 'reference_image_storage_path was not found or belongs to another account.');
        referenceImage = ref.bytes;
        referenceImageStoragePath = ref.storage_path;
      }
    }

    let options: Record<string, unknown> | null = null;
    if (b.options !== undefined && b.options !== null) {
      if (!isPlainObject(b.options)) return err(400, 'Invalid options', `options must be an object: { ${OPTION_KEYS.join(', ')} }.`);
      // Docs name the keys but not their values; the example uses strings, so the fake requires strings and ignores nothing silently.
      for (const [k, v] of Object.entries(b.options)) {
        if (!OPTION_KEYS.includes(k)) return err(400, 'Invalid options', `Unknown option "${k}". Allowed: ${OPTION_KEYS.join(', ')}.`);
        if (typeof v !== 'string') return err(400, 'Invalid options', `options.${k} must be a string.`);
      }
      options = b.options;
    }
    let location: Record<string, unknown> | null = null;
    if (b.location !== undefined && b.location !== null) {
      if (!isPlainObject(b.location)) return err(400, 'Invalid location', 'location must be an object: { description, city, region, country, latitude, longitude }.');
      for (const [k, v] of Object.entries(b.location)) {
        if (LOCATION_STRING_KEYS.includes(k)) {
          if (typeof v !== 'string') return err(400, 'Invalid location', `location.${k} must be a string.`);
        } else if (k === 'latitude' || k === 'longitude') {
          const lim = k === 'latitude' ? 90 : 180;
          if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > lim) return err(400, 'Invalid location', `location.${k} must be a number between -${lim} and ${lim}.`);
        } else {
          return err(400, 'Invalid location', `Unknown location field "${k}".`);
        }
      }
      location = b.location;
    }

    const allowed = opts.enterprise?.allowed_services;
    if (Array.isArray(allowed) && !allowed.includes(service.id)) return err(403, 'Service not allowed', `Your enterprise plan does not include ${service.id}.`);
    if (resolution === '4K' && !state.plan.paid) return err(403, '4K requires a paid plan', '4K resolution requires a paid subscription. Use "2K" or upgrade your plan.');
    const price = cost(service, resolution);
    if (state.credits.remaining < price) return insufficient(price, state.credits.remaining);
    // Docs are silent on when credits are taken and on refunds; the fake charges at creation and never refunds.
    state.credits.remaining -= price;

    const created = nowIso();
    const rec: LumelyJobRecord = {
      job: {
        id: randomUUID(),
        status: 'pending',
        service_type: service.id,
        config_id: b.config_id,
        storage_path: upload.storage_path,
        resolution,
        prompt,
        reference_id: referenceId,
        options,
        location,
        output_image_url: null,
        error_message: null,
        credits_used: price,
        created_at: created,
        updated_at: created,
        completed_at: null,
      },
      idempotencyKey,
      input: upload.bytes,
      mask,
      referenceImage,
      referenceImageStoragePath,
      output: null,
      history: ['pending'],
      attempt: 1,
      failPlan: takeJobFailure(),
      chain: Promise.resolve(),
    };
    state.jobs.set(rec.job.id, rec);
    if (idempotencyKey !== null) state.idempotencyKeys.set(idempotencyKey, rec.job.id);
    schedule(rec);
    return jsonReply(201, createdBody(rec));
  };

  function takeJobFailure(): { error_message: string } | null {
    const rule = failures.take({}, (r) => r.kind === 'job-fails');
    if (!rule) return null;
    const msg = rule.errorMessage;
    return { error_message: typeof msg === 'string' ? msg : 'Processing failed: the AI model could not generate an output for this image. You can retry this job.' };
  }

  const getJob: Handler = (ctx) => {
    const rec = findJob(ctx.params[0]);
    if (!rec) return err(404, 'Job not found', 'No job with this ID exists for your account.');
    return jsonReply(200, publicJob(rec));
  };

  const listJobs: Handler = (ctx) => {
    const status = ctx.query.get('status');
    const serviceType = ctx.query.get('service_type');
    if (status !== null && !LUMELY_JOB_STATUSES.includes(status as LumelyJobStatus)) return err(400, 'Invalid status', `status must be one of: ${LUMELY_JOB_STATUSES.join(', ')}.`);
    if (serviceType !== null && !serviceById(serviceType)) return err(400, 'Invalid service_type', `service_type must be one of: ${LUMELY_SERVICES.map((s) => s.id).join(', ')}.`);
    const int = (name: string, def: number): number | Reply => {
      const raw = ctx.query.get(name);
      if (raw === null) return def;
      if (!/^\d+$/.test(raw)) return err(400, `Invalid ${name}`, `${name} must be a non-negative integer.`);
      return Number(raw);
    };
    const limitRaw = int('limit', 50);
    if (isReply(limitRaw)) return limitRaw;
    const offset = int('offset', 0);
    if (isReply(offset)) return offset;
    // Docs: "default: 50, max: 100"; silent on values over the max, so the fake clamps.
    const limit = Math.min(Math.max(limitRaw, 1), 100);
    const all = [...state.jobs.values()]
      .filter((r) => (status === null || r.job.status === status) && (serviceType === null || r.job.service_type === serviceType))
      .sort((a, b) => (a.job.created_at < b.job.created_at ? 1 : a.job.created_at > b.job.created_at ? -1 : 0));
    // Docs are silent on the list envelope; the fake uses { jobs, total, limit, offset }, newest first.
    return jsonReply(200, { jobs: all.slice(offset, offset + limit).map(publicJob), total: all.length, limit, offset });
  };

  const jobAction: Handler = (ctx) => {
    const rec = findJob(ctx.params[0]);
    if (!rec) return err(404, 'Job not found', 'No job with this ID exists for your account.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send { "action": "cancel" } or { "action": "retry" }.');
    const action = ctx.json.action;
    if (action === undefined) return err(400, 'Missing required field: action', 'action must be "cancel" or "retry".');
    if (action === 'cancel') {
      // Docs: cancel applies to "pending/processing jobs"; compressing sits between the two, so it is cancellable too.
      if (!['pending', 'compressing', 'processing'].includes(rec.job.status))
        return err(400, 'Job cannot be cancelled', `Only pending or processing jobs can be cancelled; this job is ${rec.job.status}.`);
      unschedule(rec);
      touch(rec, 'cancelled');
      emit(rec, 'job.cancelled');
      return jsonReply(200, publicJob(rec));
    }
    if (action === 'retry') {
      if (rec.job.status !== 'failed' && rec.job.status !== 'cancelled')
        return err(400, 'Job cannot be retried', `Only failed or cancelled jobs can be retried; this job is ${rec.job.status}.`);
      const service = serviceById(rec.job.service_type)!;
      const price = cost(service, rec.job.resolution);
      if (rec.job.resolution === '4K' && !state.plan.paid) return err(403, '4K requires a paid plan', '4K resolution requires a paid subscription.');
      // "Credits are re-validated on retry": the fake re-checks and charges the run again.
      if (state.credits.remaining < price) return insufficient(price, state.credits.remaining);
      state.credits.remaining -= price;
      rec.job.credits_used += price;
      rec.attempt += 1;
      rec.output = null;
      rec.failPlan = takeJobFailure();
      rec.job.output_image_url = null;
      rec.job.error_message = null;
      rec.job.completed_at = null;
      touch(rec, 'pending');
      schedule(rec);
      return jsonReply(200, publicJob(rec));
    }
    return err(400, 'Invalid action', 'action must be "cancel" or "retry".');
  };

  // API keys: not needed by an adapter, but revoking a key is how tests provoke "revoked API key" 401s.
  const listKeys: Handler = () =>
    jsonReply(200, {
      api_keys: [...state.apiKeys.values()].map(({ key, ...k }) => ({ ...k, key_prefix: key.slice(0, 12) })),
    });

  const createKey: Handler = (ctx) => {
    const body = ctx.jsonOk && isPlainObject(ctx.json) ? ctx.json : {};
    const name = optionalString(body, 'name', 100);
    if (isReply(name)) return name;
    if ([...state.apiKeys.values()].filter((k) => k.is_active).length >= 10) return err(400, 'API key limit reached', 'You can have up to 10 active keys. Revoke one first.');
    const k: LumelyApiKey = { id: randomUUID(), name: name ?? 'Default', key: `lum_live_${randomBytes(24).toString('hex')}`, is_active: true, created_at: nowIso() };
    state.apiKeys.set(k.id, k);
    return jsonReply(201, k);
  };

  const patchKey: Handler = (ctx) => {
    const k = state.apiKeys.get(ctx.params[0] ?? '');
    if (!k) return err(404, 'API key not found', 'No API key with this ID exists for your account.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send a JSON object.');
    const name = optionalString(ctx.json, 'name', 100);
    if (isReply(name)) return name;
    const active = ctx.json.is_active;
    if (active !== undefined && typeof active !== 'boolean') return err(400, 'Invalid is_active', 'is_active must be a boolean.');
    if (name !== null) k.name = name;
    if (typeof active === 'boolean') k.is_active = active;
    const { key, ...rest } = k;
    return jsonReply(200, { ...rest, key_prefix: key.slice(0, 12) });
  };

  const deleteKey: Handler = (ctx) => {
    const id = ctx.params[0] ?? '';
    if (!state.apiKeys.delete(id)) return err(404, 'API key not found', 'No API key with this ID exists for your account.');
    // Docs are silent on the DELETE response body; the fake answers { success: true }.
    return jsonReply(200, { success: true });
  };

  const listWebhooks: Handler = () => jsonReply(200, { webhooks: [...state.webhooks.values()].map((w) => publicWebhook(w, false)) });

  const createWebhook: Handler = (ctx) => {
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send { "url": "https://...", "events": [...] }.');
    const urlError = webhookUrlError(ctx.json.url);
    if (urlError) return err(400, 'Invalid url', urlError);
    const events = ctx.json.events === undefined ? DEFAULT_WEBHOOK_EVENTS : ctx.json.events;
    const eventsErr = eventsError(events);
    if (eventsErr) return err(400, 'Invalid events', eventsErr);
    if (activeWebhooks().length >= 5) return err(400, 'Webhook limit reached', 'You can register up to 5 active webhook endpoints.');
    // Docs are silent on the secret's format; the fake generates a random whsec_ string.
    const w = addWebhook(ctx.json.url as string, `whsec_${randomBytes(24).toString('hex')}`, events as LumelyWebhookEvent[]);
    return jsonReply(201, publicWebhook(w, true));
  };

  const patchWebhook: Handler = (ctx) => {
    const w = state.webhooks.get(ctx.params[0] ?? '');
    if (!w) return err(404, 'Webhook not found', 'No webhook with this ID exists for your account.');
    if (!ctx.jsonOk || !isPlainObject(ctx.json)) return err(400, 'Invalid request body', 'Send a JSON object.');
    const b = ctx.json;
    if (b.url !== undefined) {
      const e = webhookUrlError(b.url);
      if (e) return err(400, 'Invalid url', e);
    }
    if (b.events !== undefined) {
      const e = eventsError(b.events);
      if (e) return err(400, 'Invalid events', e);
    }
    if (b.is_active !== undefined && typeof b.is_active !== 'boolean') return err(400, 'Invalid is_active', 'is_active must be a boolean.');
    if (b.is_active === true && !w.is_active && activeWebhooks().length >= 5) return err(400, 'Webhook limit reached', 'You can register up to 5 active webhook endpoints.');
    if (typeof b.url === 'string') w.url = b.url;
    if (Array.isArray(b.events)) w.events = [...new Set(b.events as LumelyWebhookEvent[])];
    if (b.is_active === true) {
      w.is_active = true;
      w.failure_count = 0; // "true to re-enable (resets failure count)"
    } else if (b.is_active === false) w.is_active = false;
    return jsonReply(200, publicWebhook(w, false));
  };

  const deleteWebhook: Handler = (ctx) => {
    if (!state.webhooks.delete(ctx.params[0] ?? '')) return err(404, 'Webhook not found', 'No webhook with this ID exists for your account.');
    return jsonReply(200, { success: true });
  };

  const ID = '([^/]+)';
  const routes: Routes = [
    { pattern: /^\/credits$/, methods: { GET: getCredits } },
    { pattern: /^\/services$/, methods: { GET: getServices } },
    { pattern: /^\/upload$/, methods: { POST: postUpload } },
    { pattern: /^\/jobs$/, methods: { GET: listJobs, POST: postJob } },
    // Docs list the cancel/retry route with an `action` body but lose its HTTP method; the fake accepts POST and PATCH (state.requests shows which was used).
    { pattern: new RegExp(`^/jobs/${ID}$`), methods: { GET: getJob, POST: jobAction, PATCH: jobAction } },
    { pattern: /^\/api-keys$/, methods: { GET: listKeys, POST: createKey } },
    { pattern: new RegExp(`^/api-keys/${ID}$`), methods: { PATCH: patchKey, DELETE: deleteKey } },
    { pattern: /^\/webhooks$/, methods: { GET: listWebhooks, POST: createWebhook } },
    { pattern: new RegExp(`^/webhooks/${ID}$`), methods: { PATCH: patchWebhook, DELETE: deleteWebhook } },
  ];

  const routed = (ctx: Ctx) =>
    route(routes, ctx, {
      notAllowed: (allowed) => ({ ...err(405, 'Method not allowed', `${ctx.method} is not supported for this endpoint.`, { allowed }), headers: { Allow: allowed.join(', ') } }),
      notFound: () => err(404, 'Not found', `No endpoint at ${LUMELY_BASE_PATH}${ctx.apiPath}.`),
    });

  // ------------------------------------------------------------------------------------------
  // Dispatch

  function injected(rule: FailureRule<LumelyFailureKind>, ctx: Ctx | null): Reply | 'timeout' | 'drop' {
    switch (rule.kind) {
      case 'timeout':
      case 'drop':
        return rule.kind;
      case 'malformed-json':
        return truncatedJson('{"id": "7f3c2a10-truncated", "status": "pend');
      case '500':
        return err(500, 'Internal server error', 'An unexpected error occurred. This is usually temporary: retry the request.');
      case '429':
        return rateLimited(retryAfterSeconds);
      case '401':
        return unauthorized();
      case 'insufficient-credits': {
        const b = ctx && isPlainObject(ctx.json) ? ctx.json : {};
        const svc = serviceById(b.service_type) ?? LUMELY_SERVICES[0]!;
        const required = cost(svc, b.resolution === '4K' ? '4K' : '2K');
        return insufficient(required, Math.min(state.credits.remaining, required - 1));
      }
      case 'job-fails':
        throw new Error('job-fails is not a request failure');
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const isApi = url.pathname === LUMELY_BASE_PATH || url.pathname.startsWith(LUMELY_BASE_PATH + '/');
    const apiPath = isApi ? url.pathname.slice(LUMELY_BASE_PATH.length) || '/' : url.pathname;
    const { record, ctx } = await readApiRequest(req, url, { apiPath, maxBytes: LUMELY_MAX_BODY_BYTES, secret: { authorization: maskCredential, cookie: maskCredential } });
    const { method } = ctx;
    state.requests.push(record);

    const reply = (r: Reply | 'timeout' | 'drop', headers: Record<string, string>) => void (record.outcome = answer(req, res, r, headers));

    const before = failures.take({ method, path: apiPath, anyPath: isApi }, (r) => r.kind !== 'job-fails' && !r.afterHandler);

    if (!isApi) {
      if (before) return reply(injected(before, null), {});
      const out = outputs.get(url.pathname);
      if (out && (method === 'GET' || method === 'HEAD')) {
        // Output URLs are documented as public: no Authorization needed.
        return reply({ status: 200, raw: method === 'HEAD' ? '' : out.bytes, contentType: out.contentType, headers: { 'Cache-Control': 'public, max-age=3600' } }, {});
      }
      return reply({ status: 404, raw: 'Not found', contentType: 'text/plain' }, {});
    }

    countRequest();
    if (before) return reply(injected(before, ctx), rateHeaders());
    if (!authenticate(req)) return reply(unauthorized(), rateHeaders());
    if (state.rateLimit.count > state.rateLimit.limit) {
      const wait = Math.max(1, Math.ceil((state.rateLimit.windowStart + 60_000 - Date.now()) / 1000));
      return reply(rateLimited(wait), rateHeaders());
    }
    const answered = await routed(ctx);
    const after = failures.take({ method, path: apiPath, anyPath: isApi }, (r) => r.afterHandler === true && ['timeout', 'drop', 'malformed-json', '500'].includes(r.kind));
    reply(after ? injected(after, ctx) : answered, rateHeaders());
  }

  // ------------------------------------------------------------------------------------------
  // Controls

  const mustJob = (id: string): LumelyJobRecord => {
    const rec = state.jobs.get(id);
    if (!rec) throw new Error(`fake Lumely: no job ${id}`);
    return rec;
  };

  const controls: LumelyControls = {
    failNext(kind, o = {}) {
      const filter = { ...o };
      // Insufficient credits is a job-creation answer; untargeted, it waits for the next POST /jobs.
      if (kind === 'insufficient-credits' && filter.path === undefined && filter.method === undefined) Object.assign(filter, { method: 'POST', path: '/jobs' });
      failures.add(kind, filter);
    },
    clearFailures: () => failures.clear(),
    async advance(jobId) {
      const rec = mustJob(jobId);
      await pending.track(advance(rec));
      return publicJob(rec);
    },
    async finish(jobId) {
      const rec = mustJob(jobId);
      while (!isTerminal(rec.job.status)) await pending.track(advance(rec));
      return publicJob(rec);
    },
    async failJob(jobId, errorMessage) {
      const rec = mustJob(jobId);
      if (!isTerminal(rec.job.status)) {
        unschedule(rec);
        // A render in flight sees the status change and discards its result.
        endFailed(rec, errorMessage ?? 'Processing failed: the AI model could not generate an output for this image. You can retry this job.');
      }
      return publicJob(rec);
    },
    setAutoAdvance(on) {
      autoAdvance = on;
      for (const rec of state.jobs.values()) (on ? schedule : unschedule)(rec);
    },
    setCredits(remaining) {
      state.credits.remaining = remaining;
    },
    setPaidPlan(paid) {
      state.plan.paid = paid;
    },
    revokeKey(key) {
      for (const k of state.apiKeys.values()) if (k.key === key) k.is_active = false;
    },
    setWebhook(url, secret, events = DEFAULT_WEBHOOK_EVENTS) {
      return addWebhook(url, secret, events);
    },
    async replayLastWebhook() {
      const last = state.webhookDeliveries.at(-1);
      if (!last) throw new Error('fake Lumely: no webhook delivered yet');
      const d: LumelyWebhookDelivery = { ...last, kind: 'replay', at: Date.now(), status: undefined, error: undefined };
      return pending.track(deliver(d, undefined));
    },
    async sendWebhook(o = {}) {
      const hook = activeWebhooks()[0];
      const url = o.url ?? hook?.url;
      if (!url) throw new Error('fake Lumely: sendWebhook needs a url or a registered webhook');
      const lastPayload = state.webhookDeliveries.at(-1)?.payload;
      const payload = o.body !== undefined ? safeParse(o.body) : (o.payload ?? lastPayload ?? { event: 'job.completed', data: {} });
      const body = o.body ?? JSON.stringify(payload);
      const secret = o.secret ?? hook?.secret ?? '';
      const signature = o.signature === null ? '' : (o.signature ?? signLumelyWebhook(body, secret));
      const event = isPlainObject(payload) && typeof payload.event === 'string' ? payload.event : null;
      return pending.track(deliver({ kind: 'manual', webhookId: null, url, event, payload, body, signature, at: Date.now() }, undefined));
    },
    job: (jobId) => {
      const rec = state.jobs.get(jobId);
      return rec ? publicJob(rec) : undefined;
    },
    settled: () => pending.settled(),
  };

  return {
    url: baseUrl,
    origin,
    state,
    controls,
    async close() {
      closed = true;
      for (const rec of state.jobs.values()) unschedule(rec);
      await listening.close();
      await pending.settled();
    },
  };
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}
