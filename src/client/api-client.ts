import type * as z from 'zod/mini';
import type {
  Batch,
  BatchPage,
  BatchWithJobs,
  Catalog,
  CreateBatchRequest,
  Credits,
  RedoBatchItemRequest,
  UpdateBatchItemRequest,
  Job,
  JobPage,
  OutputSelection,
  Upload,
  CreateJobRequest,
  JobStatus,
} from '../contract/index.js';
import { check, parseJson } from './check.js';
import type { EventPick } from './event-stream.js';
import { loadSchemas, type ResponseSchemas } from './load-schemas.js';
import { Deadline, sleep } from './deadline.js';
import {
  abortError,
  errorFromResponse,
  StagingError,
  StagingHttpError,
  StagingNetworkError,
  StagingRateLimitError,
  StagingResponseError,
  StagingTimeoutError,
} from './errors.js';
import type { TokenManager } from './token-manager.js';
import type { UploadProgress, UploadTransport } from './xhr-transport.js';

/** The XHR transport and the event-stream reader, in one file (see `lazy-parts.ts`). */
const lazyParts = () => import('./lazy-parts.js');

/** The XHR transport arrives with the first upload (or stream): a page that only reads does not load it. */
const lazyXhrTransport: UploadTransport = async (url, req) => (await lazyParts()).xhrTransport(url, req);

export interface StagingClientOptions {
  /** The BFF's base URL, e.g. `https://staging.example.com`. */
  endpoint: string;
  tokens: TokenManager;
  fetch?: typeof fetch;
  /** Sends uploads; XMLHttpRequest by default, for progress events. */
  upload?: UploadTransport;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Further attempts after a retryable failure. Default 2. */
  retries?: number;
  /** First backoff step; doubles each retry, with jitter. Default 500 ms. */
  retryBaseMs?: number;
  /** Total time one call may spend waiting between attempts. Default 30 s. */
  maxRetryWaitMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per attempt; overrides the client's. */
  timeoutMs?: number;
}

export interface UploadOptions extends CallOptions {
  onProgress?: (p: UploadProgress) => void;
  /** Defaults to the blob's own type. */
  contentType?: string;
  /** `mask`: a painted area, which the BFF keeps lossless (PNG). */
  purpose?: 'photo' | 'mask';
}

export interface CreateJobOptions extends CallOptions {
  /** Reuse one key to make a repeated submission (a reload, a double click) return the same job. */
  idempotencyKey?: string;
}

export interface JobEventsOptions extends CallOptions {
  /** Ends the stream with a StagingTimeoutError after this long without a byte (heartbeats count). Off by default. */
  idleTimeoutMs?: number;
}

export interface ListJobsParams {
  status?: JobStatus;
  limit?: number;
  cursor?: string;
}

/** What `batchEvents` yields: a job of the batch (now, or after a change), or the batch's counts. */
export type BatchStreamEvent = { type: 'job'; job: Job } | { type: 'batch'; batch: Batch };

interface Req {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /**
   * May be sent again when its first attempt's fate is unknown (no answer, 502/503/504).
   * A 429 or a 401 proves the request was refused untouched, so every request is repeated after those.
   */
  safe: boolean;
  headers?: Record<string, string>;
  json?: unknown;
  blob?: Blob;
  onProgress?: ((p: UploadProgress) => void) | undefined;
}

/**
 * The browser client of HTTP API v1. Every answer is checked against the contract's schemas.
 *
 * Retry policy (documented here because callers depend on it):
 * - GETs, `createJob`, `createBatch` and `redoBatchItem` (their Idempotency-Key makes a repeat return the
 *   same job or batch), `cancelJob` and `cancelBatch` (cancelling twice ends in the same state) and
 *   `setBatchItem` (setting a decision twice ends in the same state) are repeated after network errors, timeouts,
 *   502, 503 and 504 with exponential backoff and jitter, and after 429.
 * - `uploadImage` and `retryJob` are repeated only after a 429: after a lost answer the server
 *   may already hold the upload or have restarted the job, and a second one costs bytes or credits.
 * - `Retry-After` (seconds or an HTTP date) sets the wait of a 429 or 503. A wait that would take
 *   the call past `maxRetryWaitMs` is not taken: the error is thrown with its `retryAfterMs`.
 * - A 401 `token_expired` or `unauthorized` drops the token and repeats the call once with a new
 *   one; that repeat is not counted as a retry.
 */
export class StagingClient {
  readonly #endpoint: string;
  readonly #tokens: TokenManager;
  readonly #fetch: typeof fetch;
  readonly #upload: UploadTransport;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryBaseMs: number;
  readonly #maxRetryWaitMs: number;

  constructor(opts: StagingClientOptions) {
    this.#endpoint = opts.endpoint.replace(/\/+$/, '');
    this.#tokens = opts.tokens;
    // Unbound, the global fetch throws "Illegal invocation" when called as a method.
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.#upload = opts.upload ?? lazyXhrTransport;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#retries = opts.retries ?? 2;
    this.#retryBaseMs = opts.retryBaseMs ?? 500;
    this.#maxRetryWaitMs = opts.maxRetryWaitMs ?? 30_000;
  }

  getCatalog(opts: CallOptions = {}): Promise<Catalog> {
    return this.#get('/v1/services', (s) => s.Catalog, opts);
  }

  getCredits(opts: CallOptions = {}): Promise<Credits> {
    return this.#get('/v1/credits', (s) => s.Credits, opts);
  }

  /** An earlier upload of this subject, with a freshly signed `url` (e.g. to show the original after a reload). */
  getUpload(id: string, opts: CallOptions = {}): Promise<Upload> {
    return this.#get(`/v1/uploads/${encodeURIComponent(id)}`, (s) => s.Upload, opts);
  }

  uploadImage(blob: Blob, opts: UploadOptions = {}): Promise<Upload> {
    const headers = { 'Content-Type': opts.contentType ?? (blob.type || 'application/octet-stream') };
    const path = opts.purpose === 'mask' ? '/v1/uploads?purpose=mask' : '/v1/uploads';
    return this.#json({ method: 'POST', path, safe: false, headers, blob, onProgress: opts.onProgress }, (s) => s.Upload, opts);
  }

  /** Always sends an `Idempotency-Key`, the same one on every attempt of this call. */
  createJob(body: CreateJobRequest, opts: CreateJobOptions = {}): Promise<Job> {
    return this.#post('/v1/jobs', (s) => s.Job, opts, body);
  }

  getJob(id: string, opts: CallOptions = {}): Promise<Job> {
    return this.#get(`/v1/jobs/${encodeURIComponent(id)}`, (s) => s.Job, opts);
  }

  listJobs(params: ListJobsParams = {}, opts: CallOptions = {}): Promise<JobPage> {
    return this.#get(listPath('/v1/jobs', params), (s) => s.JobPage, opts);
  }

  cancelJob(id: string, opts: CallOptions = {}): Promise<Job> {
    return this.#post(`/v1/jobs/${encodeURIComponent(id)}/cancel`, (s) => s.Job, opts);
  }

  /** "Use this image": records the choice, and the BFF tells the host's backend (`output.selected`). Selecting again is harmless. */
  selectOutput(id: string, opts: CallOptions = {}): Promise<OutputSelection> {
    return this.#post(`/v1/outputs/${encodeURIComponent(id)}/select`, (s) => s.OutputSelection, opts);
  }

  retryJob(id: string, opts: CallOptions = {}): Promise<Job> {
    return this.#json({ method: 'POST', path: `/v1/jobs/${encodeURIComponent(id)}/retry`, safe: false }, (s) => s.Job, opts);
  }

  /**
   * The job now and on every change, from `GET /v1/jobs/:id/events`. Uses a streaming fetch
   * rather than EventSource so the token stays in the Authorization header, never in a URL.
   * Ends when the server ends the stream (after a terminal status, or when a proxy cuts it:
   * check the last job's status and reconnect or poll). `timeoutMs` covers connecting only.
   * Leaving a `for await` loop early closes the connection.
   */
  jobEvents(id: string, opts: JobEventsOptions = {}): AsyncGenerator<Job, void, undefined> {
    return this.#events(`/v1/jobs/${encodeURIComponent(id)}/events`, 'job', opts, (e, s, at) => (e.event === 'job' ? at(s.Job) : undefined));
  }

  // --- batches: a whole listing at once -----------------------------------------------

  /**
   * A whole listing in one request: every item becomes a job with the batch's shared style.
   * The BFF holds the credits of all of them or refuses the batch (`insufficient_credits`, with
   * `credits_required` and `credits_remaining`); nothing starts in part. Always sends an
   * `Idempotency-Key`, the same one on every attempt of this call, so it is retried like `createJob`.
   */
  createBatch(body: CreateBatchRequest, opts: CreateJobOptions = {}): Promise<BatchWithJobs> {
    return this.#post('/v1/batches', (s) => s.BatchWithJobs, opts, body);
  }

  /** The batch with its counts per status and its jobs, in item order. */
  getBatch(id: string, opts: CallOptions = {}): Promise<BatchWithJobs> {
    return this.#get(`/v1/batches/${encodeURIComponent(id)}`, (s) => s.BatchWithJobs, opts);
  }

  /** This subject's batches, newest first (without their jobs). */
  listBatches(params: Omit<ListJobsParams, 'status'> = {}, opts: CallOptions = {}): Promise<BatchPage> {
    return this.#get(listPath('/v1/batches', params), (s) => s.BatchPage, opts);
  }

  /** Cancels every job of the batch that has not finished and releases its credits. Cancelling twice ends in the same state. */
  cancelBatch(id: string, opts: CallOptions = {}): Promise<BatchWithJobs> {
    return this.#post(`/v1/batches/${encodeURIComponent(id)}/cancel`, (s) => s.BatchWithJobs, opts);
  }

  /**
   * Redoes one photo of the batch (`index` counts from 0, in item order): a new job with the batch's
   * style lock and, from `body`, a new prompt, options over the item's, and `new_variant` (default
   * true: another seed or variation). The caller's session is checked and charged as for
   * `createJob` (`insufficient_credits`, `scope_denied`); the job becomes the item's current job, so
   * `getBatch`, `batchEvents` and the archive follow it (a replaced job that had not ended is cancelled). Always sends an `Idempotency-Key`, the same
   * one on every attempt of this call, so it is retried like `createJob`.
   */
  redoBatchItem(batchId: string, index: number, body: RedoBatchItemRequest, opts: CreateJobOptions = {}): Promise<Job> {
    return this.#post(`${itemPath(batchId, index)}/redo`, (s) => s.Job, opts, body);
  }

  /** Records the agent's decision on one photo (`index` counts from 0): an excluded item is left out of the archive. */
  setBatchItem(batchId: string, index: number, body: UpdateBatchItemRequest, opts: CallOptions = {}): Promise<BatchWithJobs> {
    return this.#json({ method: 'PATCH', path: itemPath(batchId, index), safe: true, json: body }, (s) => s.BatchWithJobs, opts);
  }

  /**
   * One stream for the whole listing, from `GET /v1/batches/:id/events`: `{type: 'job'}` for each
   * job now and on every change, and `{type: 'batch'}` with the counts after them. The BFF ends
   * it after the last job has ended (the last `batch` event's status is then not `running`); a
   * stream that ends before that was cut (a proxy, a restart): reconnect or poll `getBatch`.
   * A redo (`redoBatchItem`) on an open stream is followed there (its job, then the batch with the
   * item's new `job_id`); after the stream has ended, open it again to follow the redo.
   * Same transport, token and timeout rules as `jobEvents`.
   */
  batchEvents(id: string, opts: JobEventsOptions = {}): AsyncGenerator<BatchStreamEvent, void, undefined> {
    return this.#events(`/v1/batches/${encodeURIComponent(id)}/events`, 'batch', opts, (e, s, at): BatchStreamEvent | undefined => {
      if (e.event === 'job') return { type: 'job', job: at(s.Job) };
      if (e.event === 'batch') return { type: 'batch', batch: at(s.Batch) };
      return undefined;
    });
  }

  /** Opens an event stream and reads it (`event-stream.ts`): `pick` turns each frame into a value or skips it. `noun` names the stream in errors. */
  async *#events<T>(path: string, noun: string, opts: JobEventsOptions, pick: EventPick<T>): AsyncGenerator<T, void, undefined> {
    const idle = opts.idleTimeoutMs ?? 0;
    const req: Req = { method: 'GET', path, safe: true, headers: { Accept: 'text/event-stream' } };
    const { body, deadline, status, requestId } = await this.#send(req, opts, async (res, d) => {
      const requestId = res.headers.get('X-Request-Id') ?? undefined;
      if (!res.body || !/^text\/event-stream/i.test(res.headers.get('Content-Type') ?? '')) {
        d.clear();
        await res.body?.cancel().catch(() => {});
        throw new StagingResponseError(`The ${noun} event stream is not text/event-stream.`, res.status, requestId);
      }
      d.arm(idle);
      return { body: res.body, deadline: d, status: res.status, requestId };
    });
    // The reader and its parser arrive with the first stream (or upload): a page that does neither does not load them.
    let read: typeof import('./event-stream.js').readEvents;
    let schemas: ResponseSchemas;
    try {
      [{ readEvents: read }, schemas] = await Promise.all([lazyParts(), loadSchemas()]);
    } catch (err) {
      deadline.clear();
      await body.cancel().catch(() => {});
      throw new StagingNetworkError(`The ${noun} event stream could not be read: part of the client did not load.`, err);
    }
    yield* read({ body, deadline, idle, noun, status, requestId, schemas, pick });
  }

  #get<T>(path: string, schema: (s: ResponseSchemas) => z.ZodMiniType<T>, opts: CallOptions): Promise<T> {
    return this.#json({ method: 'GET', path, safe: true }, schema, opts);
  }

  /** A POST that may be repeated (see the retry policy); with `json`, a creation under an `Idempotency-Key`. */
  #post<T>(path: string, schema: (s: ResponseSchemas) => z.ZodMiniType<T>, opts: CreateJobOptions, json?: unknown): Promise<T> {
    const headers = json === undefined ? undefined : { 'Idempotency-Key': opts.idempotencyKey ?? newIdempotencyKey() };
    return this.#json({ method: 'POST', path, safe: true, headers, json }, schema, opts);
  }

  /** `schema` picks the answer's schema from the lazily loaded set (fetched while the request runs). */
  #json<T>(req: Req, schema: (s: ResponseSchemas) => z.ZodMiniType<T>, opts: CallOptions): Promise<T> {
    loadSchemas().catch(() => {});
    return this.#send(req, opts, async (res, d) => {
      let text: string;
      try {
        text = await res.text();
      } finally {
        d.clear();
      }
      const requestId = res.headers.get('X-Request-Id') ?? undefined;
      let schemas: ResponseSchemas;
      try {
        schemas = await loadSchemas();
      } catch (err) {
        throw new StagingNetworkError('The answer could not be checked: part of the client did not load.', err);
      }
      return check(schema(schemas), parseJson(text, res.status, requestId), res.status, requestId);
    });
  }

  /**
   * Runs `req` with retries and token renewal; `read` consumes a 2xx answer within the
   * attempt's deadline and must clear it (or keep it, for a stream).
   */
  async #send<T>(req: Req, opts: CallOptions, read: (res: Response, d: Deadline) => Promise<T>): Promise<T> {
    const { signal } = opts;
    let waited = 0;
    let renewed = false;
    for (let attempt = 0; ; ) {
      const token = await this.#tokens.getToken(signal);
      const d = new Deadline(signal, opts.timeoutMs ?? this.#timeoutMs);
      let error: StagingError;
      try {
        const res = await this.#transport(req, token, d.signal);
        if (res.ok) return await read(res, d);
        error = await errorFromResponse(res);
        d.clear();
      } catch (e) {
        d.clear();
        error = e instanceof StagingError ? e : (d.abortReason() ?? new StagingNetworkError(undefined, e));
      }
      if (signal?.aborted) throw abortError(signal);
      if (!renewed && error.status === 401 && (error.code === 'token_expired' || error.code === 'unauthorized')) {
        renewed = true;
        this.#tokens.invalidate(token);
        continue;
      }
      const delay = attempt < this.#retries ? this.#retryDelay(error, attempt, req.safe) : undefined;
      if (delay === undefined || waited + delay > this.#maxRetryWaitMs) throw error;
      await sleep(delay, signal);
      waited += delay;
      attempt++;
    }
  }

  #retryDelay(e: StagingError, attempt: number, safe: boolean): number | undefined {
    const step = Math.min(this.#retryBaseMs * 2 ** attempt, 10_000);
    // Half fixed, half random: spreads clients that failed together without ever retrying at once.
    const backoff = step / 2 + (Math.random() * step) / 2;
    if (e instanceof StagingRateLimitError) return e.retryAfterMs ?? backoff;
    if (!safe) return undefined;
    if (e instanceof StagingHttpError) {
      if (e.status === 503) return e.retryAfterMs ?? backoff;
      return e.status === 502 || e.status === 504 ? backoff : undefined;
    }
    return e instanceof StagingNetworkError || e instanceof StagingTimeoutError ? backoff : undefined;
  }

  #transport(req: Req, token: string, signal: AbortSignal): Promise<Response> {
    const url = this.#endpoint + req.path;
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers, Authorization: `Bearer ${token}` };
    if (req.blob) {
      const upload: Parameters<UploadTransport>[1] = { method: req.method, headers, body: req.blob, signal };
      if (req.onProgress) upload.onProgress = req.onProgress;
      return this.#upload(url, upload);
    }
    const init: RequestInit = { method: req.method, headers, signal };
    if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(req.json);
    }
    return this.#fetch(url, init);
  }
}

/** `/v1/batches/:id/items/:index`; the index is sent as it is, so a bad one gets the BFF's 400 naming it. */
const itemPath = (batchId: string, index: number) => `/v1/batches/${encodeURIComponent(batchId)}/items/${encodeURIComponent(String(index))}`;

/** `path` with the list's query (`status`, `limit`, `cursor`), when any is set. */
function listPath(path: string, { status, limit, cursor }: ListJobsParams): string {
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (limit !== undefined) query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** crypto.randomUUID() exists only in secure contexts; a host page on plain http still needs a key. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
