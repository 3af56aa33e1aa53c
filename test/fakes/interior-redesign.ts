/**
 * Fake of the self-hosted "Interior Redesign" API for adapter tests, built from the
 * provider's documentation (/work/shared/seeds/interior-redesign-api.txt), not from our
 * own API. Documented surface served here:
 *
 *   GET  /health                      no auth; { ok, auth_required }
 *   POST /v1/redesign                 { image_url, prompt, preserve_layout, num_outputs, output_format, use_webhook, wait_seconds, extra }
 *   POST /v1/batch-redesign           { images: [{ image_url, prompt, preserve_layout?, extra? }] (1-11), preserve_layout, output_format, use_webhook, wait_seconds }
 *   POST /v1/upscale                  { image_url, scale 2|3|4, face_enhance, use_webhook, wait_seconds }
 *   POST /v1/batch-upscale            { image_urls (1-11), scale, face_enhance, use_webhook, wait_seconds }
 *   GET  /v1/jobs/{job_id}            { job_id, status, output, error }
 *   GET  /v1/jobs/{job_id}/result     { job_id, output }; 409 unless succeeded, 404 unknown
 *   POST /v1/jobs/{job_id}/cancel     { message: "Job cancelled successfully" }
 *   GET  /v1/jobs?limit&offset&cursor { results: [{ job_id, replicate_id, status, created_at, updated_at }] }
 *
 * Statuses: starting -> processing -> succeeded | failed | canceled. Errors use the
 * documented { detail, error_code } body and the documented codes 400/401/404/409/422/502/503.
 *
 * Webhooks: the doc only has a boolean `use_webhook` ("Enable webhook notifications",
 * default true) and no callback URL, payload or signature. It is the service's own hook
 * from Replicate (cancel "will cancel the job on Replicate and update the local status"),
 * so there is nothing a client receives. The fake records the flag on each job and
 * delivers nothing; `state.deliveries` stays empty by construction.
 *
 * Credits: the doc lists no credit error of its own. The service creates predictions on
 * Replicate and answers the documented 502 "External service error (Replicate API)" when
 * that fails; the 'insufficient-credit' failure stands in for Replicate's 402 reaching it,
 * carrying Replicate's documented "insufficient credit" wording in the documented
 * { detail, error_code } body.
 *
 * Not served: the Admin Panel (API-key creation, key management, statistics). The doc
 * describes it only as UI with no routes, and adapters use a key they are given.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answer, FailureQueue, hide, listenLocal, readBody, requestLine, sendJson, truncatedJson, type RequestLine } from './support/fake-http.js';
import { fetchInput, renderRedesign, renderUpscale, type FetchOutcome, type Rendered } from './support/interior-redesign-images.js';
import {
  validateBatchRedesign,
  validateBatchUpscale,
  validateListQuery,
  validateRedesign,
  validateUpscale,
  type OutputFormat,
  type RedesignItem,
  type UpscaleFactor,
  type Validated,
} from './support/interior-redesign-validate.js';

export const INTERIOR_REDESIGN_DEFAULT_API_KEY = 'fake-interior-redesign-key-0123456789';
/** The documented failure message (GET /v1/jobs/{job_id}, "Response (Failed)"). */
export const INTERIOR_REDESIGN_FETCH_ERROR = 'Invalid image format or URL not accessible';
// Docs are silent on any other failure message; the fake uses this one for 'job-fails'.
export const INTERIOR_REDESIGN_JOB_ERROR = 'Prediction failed: model error';

export type InteriorRedesignJobStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export type InteriorRedesignJobKind = 'redesign' | 'batch-redesign' | 'upscale' | 'batch-upscale';

/** Kinds answered instead of the next matching request. */
export type InteriorRedesignRequestFailure = '500' | '502' | '503' | '429' | 'timeout' | 'drop' | 'malformed-json' | '401' | 'insufficient-credit';
/** Kinds applied to the next job created (the request itself succeeds). */
export type InteriorRedesignJobFailure = 'fetch-fails' | 'job-fails';
export type InteriorRedesignFailureKind = InteriorRedesignRequestFailure | InteriorRedesignJobFailure;

export interface FakeInteriorRedesignOptions {
  /** Keys accepted as `Authorization: Bearer <key>`. Default: [INTERIOR_REDESIGN_DEFAULT_API_KEY]. */
  apiKeys?: string[];
  /** Reported by /health as auth_required; when false, /v1/* accept requests without a key. Default true. */
  authRequired?: boolean;
  /** Time per status step (starting -> processing -> terminal). Default 50 ms. */
  stepMs?: number;
  /** When false, jobs only move on controls.advance()/finish(). Default true. */
  autoAdvance?: boolean;
  /** Retry-After seconds on an injected 429. Default 1. */
  retryAfterSeconds?: number;
  /** Abort the fetch of an image_url after this long. Default 5000 ms. */
  fetchTimeoutMs?: number;
}

/** A request as the fake saw it; authorization and cookies replaced by "[redacted]". */
export interface InteriorRedesignRecordedRequest extends RequestLine {
  at: string;
  /** Parsed JSON body, the raw text if it was not JSON, or null when empty. */
  body: unknown;
  auth: 'valid' | 'invalid' | 'missing' | 'not-required';
  injected: InteriorRedesignRequestFailure | null;
  /** Response status, set once the response is sent (absent for timeout/drop). */
  status?: number;
}

export interface InteriorRedesignFetchRecord extends Omit<FetchOutcome, 'body'> {
  at: string;
  jobId: string;
  /** Index of the input within the job (batch position; 0 for single jobs). */
  input: number;
  /** True when controls.failNext('fetch-fails') stood in for the network request. */
  injected: boolean;
}

export interface InteriorRedesignOutputFile {
  url: string;
  input: number;
  width: number;
  height: number;
  format: OutputFormat;
  bytes: number;
}

export interface InteriorRedesignJob {
  job_id: string;
  replicate_id: string;
  kind: InteriorRedesignJobKind;
  status: InteriorRedesignJobStatus;
  output: (string | null)[] | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  /** Normalised inputs (defaults applied); upscale inputs carry only image_url. */
  inputs: Array<Partial<RedesignItem> & { image_url: string }>;
  options: {
    use_webhook: boolean;
    wait_seconds: number;
    num_outputs?: number;
    output_format?: OutputFormat;
    scale?: UpscaleFactor;
    face_enhance?: boolean;
  };
  history: Array<{ status: InteriorRedesignJobStatus; at: string }>;
  files: InteriorRedesignOutputFile[];
  injected: InteriorRedesignJobFailure | null;
}

export interface FakeInteriorRedesignState {
  requests: InteriorRedesignRecordedRequest[];
  jobs: Map<string, InteriorRedesignJob>;
  fetches: InteriorRedesignFetchRecord[];
  /** Always empty: the documented API has no client-facing webhook (see file header). */
  deliveries: never[];
}

export interface FailNextOptions {
  /** How many consecutive matching requests/jobs get the failure. Default 1. */
  times?: number;
  /** Request kinds only: which requests qualify. Default: any path under /v1/. */
  match?: (req: { method: string; path: string }) => boolean;
}

export interface FakeInteriorRedesignControls {
  failNext(kind: InteriorRedesignFailureKind, opts?: FailNextOptions): void;
  clearFailures(): void;
  /** Moves a job one step; resolves once the new status is set (a terminal step waits for rendering). */
  advance(jobId: string): Promise<InteriorRedesignJobStatus>;
  /** Advances until the job is terminal. */
  finish(jobId: string): Promise<InteriorRedesignJobStatus>;
  /** false: /health answers 503 ok:false and /v1/* answer the documented 503 "not configured". */
  setConfigured(configured: boolean): void;
}

export interface FakeInteriorRedesign {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  state: FakeInteriorRedesignState;
  controls: FakeInteriorRedesignControls;
}

type WorkResult = Array<{ ok: true; files: Rendered[] } | { ok: false }>;

interface JobInternals {
  work: Promise<WorkResult> | null;
  finishing: Promise<void> | null;
  waiters: Array<() => void>;
}

const TERMINAL: ReadonlySet<InteriorRedesignJobStatus> = new Set(['succeeded', 'failed', 'canceled']);
const REQUEST_FAILURES: ReadonlySet<string> = new Set(['500', '502', '503', '429', 'timeout', 'drop', 'malformed-json', '401', 'insufficient-credit']);
/** Replicate's 402 message, as the service's 502 passes it on (see file header). */
export const INTERIOR_REDESIGN_CREDIT_ERROR =
  'External service error (Replicate API): You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit.';
const SECRET_HEADERS = { authorization: hide, 'proxy-authorization': hide, cookie: hide };
/** Untargeted request failures hit the API, not /health or the output files. */
const API_REQUEST = (r: { path: string }) => r.path.startsWith('/v1/');

const now = () => new Date().toISOString();

export async function startFakeInteriorRedesign(opts: FakeInteriorRedesignOptions = {}): Promise<FakeInteriorRedesign> {
  const apiKeys = new Set(opts.apiKeys ?? [INTERIOR_REDESIGN_DEFAULT_API_KEY]);
  const authRequired = opts.authRequired ?? true;
  const stepMs = opts.stepMs ?? 50;
  const autoAdvance = opts.autoAdvance ?? true;
  const retryAfter = opts.retryAfterSeconds ?? 1;
  const fetchTimeoutMs = opts.fetchTimeoutMs ?? 5000;

  const state: FakeInteriorRedesignState = { requests: [], jobs: new Map(), fetches: [], deliveries: [] };
  const internals = new Map<string, JobInternals>();
  const files = new Map<string, Rendered>();
  const timers = new Set<NodeJS.Timeout>();
  const failures = new FailureQueue<InteriorRedesignFailureKind, Pick<FailNextOptions, 'match'>>();
  let configured = true;
  let closed = false;
  let baseUrl = '';

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };

  // ---- jobs -------------------------------------------------------------------------

  function setStatus(job: InteriorRedesignJob, status: InteriorRedesignJobStatus) {
    job.status = status;
    job.updated_at = now();
    job.history.push({ status, at: job.updated_at });
    if (TERMINAL.has(status)) {
      const w = internals.get(job.job_id)!;
      for (const resolve of w.waiters.splice(0)) resolve();
    }
  }

  function createJob(kind: InteriorRedesignJobKind, inputs: InteriorRedesignJob['inputs'], options: InteriorRedesignJob['options']): InteriorRedesignJob {
    // Docs are silent on the id format; the examples show "batch-..." for batch-redesign only
    // (batch-upscale's example has no prefix), so the fake mirrors exactly that.
    const job_id = kind === 'batch-redesign' ? `batch-${randomUUID()}` : randomUUID();
    const created = now();
    const job: InteriorRedesignJob = {
      job_id,
      replicate_id: randomUUID().replace(/-/g, '').slice(0, 26),
      kind,
      status: 'starting',
      output: null,
      error: null,
      created_at: created,
      updated_at: created,
      inputs,
      options,
      history: [{ status: 'starting', at: created }],
      files: [],
      injected: (failures.take({}, (r) => !REQUEST_FAILURES.has(r.kind))?.kind as InteriorRedesignJobFailure | undefined) ?? null,
    };
    state.jobs.set(job_id, job);
    internals.set(job_id, { work: null, finishing: null, waiters: [] });
    if (autoAdvance) later(stepMs, () => void step(job));
    return job;
  }

  /** Fetches every input (as the model would once running) and renders its outputs. */
  async function runWork(job: InteriorRedesignJob): Promise<WorkResult> {
    return Promise.all(
      job.inputs.map(async (input, i): Promise<WorkResult[number]> => {
        const at = now();
        if (job.injected === 'fetch-fails') {
          state.fetches.push({ at, jobId: job.job_id, input: i, url: input.image_url, ok: false, status: null, contentType: null, bytes: 0, error: 'injected fetch failure', durationMs: 0, injected: true });
          return { ok: false };
        }
        const { body, ...outcome } = await fetchInput(input.image_url, fetchTimeoutMs);
        state.fetches.push({ at, jobId: job.job_id, input: i, ...outcome, injected: false });
        if (!body) return { ok: false };
        try {
          const o = job.options;
          if (job.kind === 'upscale' || job.kind === 'batch-upscale') return { ok: true, files: [await renderUpscale(body, o.scale!, o.face_enhance!)] };
          const count = job.kind === 'redesign' ? o.num_outputs! : 1;
          const out: Rendered[] = [];
          for (let v = 0; v < count; v++) out.push(await renderRedesign(body, v, o.output_format!, input.preserve_layout ?? true));
          return { ok: true, files: out };
        } catch {
          // Undecodable bytes are the "Invalid image format" half of the documented error.
          return { ok: false };
        }
      }),
    );
  }

  function applyResult(job: InteriorRedesignJob, result: WorkResult) {
    if (job.injected === 'job-fails') {
      job.error = INTERIOR_REDESIGN_JOB_ERROR;
      return setStatus(job, 'failed');
    }
    if (result.every((r) => !r.ok)) {
      job.error = INTERIOR_REDESIGN_FETCH_ERROR;
      return setStatus(job, 'failed');
    }
    // Docs: "Individual image failures won't affect other images in the batch" but are
    // silent on how a failed image appears; the fake keeps output positional ("Result for
    // image N") with null in the failed image's slot. A single-input job has no partial case.
    const stem = job.kind === 'upscale' || job.kind === 'batch-upscale' ? 'upscale' : 'redesign';
    const output: (string | null)[] = [];
    result.forEach((r, input) => {
      if (!r.ok) return void output.push(null);
      for (const f of r.files) {
        const ext = f.format;
        const path = `/files/${job.job_id}/${stem}-${output.length + 1}.${ext}`;
        files.set(path, f);
        job.files.push({ url: baseUrl + path, input, width: f.width, height: f.height, format: f.format, bytes: f.data.length });
        output.push(baseUrl + path);
      }
    });
    job.output = output;
    setStatus(job, 'succeeded');
  }

  async function step(job: InteriorRedesignJob): Promise<InteriorRedesignJobStatus> {
    const w = internals.get(job.job_id)!;
    if (job.status === 'starting') {
      setStatus(job, 'processing');
      w.work = runWork(job);
      if (autoAdvance) later(stepMs, () => void step(job));
    } else if (job.status === 'processing') {
      w.finishing ??= (async () => {
        const result = await w.work!;
        if (job.status === 'processing' && !closed) applyResult(job, result);
      })();
      await w.finishing;
    }
    return job.status;
  }

  const statusBody = (job: InteriorRedesignJob) => ({ job_id: job.job_id, status: job.status, output: job.output, error: job.error });

  async function respondCreated(res: ServerResponse, job: InteriorRedesignJob) {
    const wait = job.options.wait_seconds;
    if (wait <= 0) return send(res, 200, { job_id: job.job_id, status: job.status });
    // Docs say only "Wait time for immediate response: 0-60" and show no waited body; the
    // fake holds the reply until the job is terminal or the wait runs out, then answers
    // with the GET /v1/jobs/{job_id} shape (a superset of { job_id, status }).
    await new Promise<void>((resolve) => {
      if (TERMINAL.has(job.status)) return resolve();
      internals.get(job.job_id)!.waiters.push(resolve);
      later(wait * 1000, resolve);
    });
    send(res, 200, statusBody(job));
  }

  // ---- HTTP -------------------------------------------------------------------------

  const send = sendJson;

  // The documented error format: { detail, error_code }. The doc gives no concrete
  // error_code values ("optional_machine_readable_code"); the fake's codes are its own.
  const fail = (res: ServerResponse, status: number, detail: string, error_code: string, headers?: Record<string, string>) => send(res, status, { detail, error_code }, headers);

  function authOf(req: IncomingMessage): InteriorRedesignRecordedRequest['auth'] {
    if (!authRequired) return 'not-required';
    const h = req.headers.authorization;
    if (!h) return 'missing';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return m && apiKeys.has(m[1]!) ? 'valid' : 'invalid';
  }

  // Docs list only 401 ("Invalid or missing API key") for auth, never 403, so the fake
  // never sends 403. Docs are silent on WWW-Authenticate; the fake sends "Bearer" as
  // FastAPI's HTTPBearer does.
  function refuseAuth(res: ServerResponse, auth: InteriorRedesignRecordedRequest['auth']) {
    if (auth === 'missing') return fail(res, 401, 'Missing API key', 'missing_api_key', { 'www-authenticate': 'Bearer' });
    return fail(res, 401, 'Invalid API key', 'invalid_api_key', { 'www-authenticate': 'Bearer' });
  }

  function injectFailure(kind: InteriorRedesignRequestFailure, req: IncomingMessage, res: ServerResponse) {
    switch (kind) {
      case 'timeout':
      case 'drop':
        // 'timeout' never answers; close() tears the socket down.
        return void answer(req, res, kind);
      case 'malformed-json':
        return void answer(req, res, truncatedJson('{"job_id": "' + randomUUID() + '", "status": "start'));
      case '401':
        return refuseAuth(res, 'invalid');
      case '429':
        // The doc mentions rate limits ("to avoid rate limits") but documents no 429 body
        // or rate-limit headers; the fake sends the documented error body and Retry-After only.
        return fail(res, 429, 'Rate limit exceeded', 'rate_limited', { 'retry-after': String(retryAfter) });
      case '500':
        // Docs are silent on 500; the fake answers FastAPI-style with the documented error shape.
        return fail(res, 500, 'Internal Server Error', 'internal_error');
      case '502':
        return fail(res, 502, 'External service error (Replicate API)', 'replicate_error');
      case 'insufficient-credit':
        return fail(res, 502, INTERIOR_REDESIGN_CREDIT_ERROR, 'replicate_error');
      case '503':
        return fail(res, 503, 'Service not configured properly', 'service_not_configured');
    }
  }

  // Docs require "Content-Type: application/json" but are silent on what happens without
  // it; the fake parses the body as JSON regardless (state.requests keeps the header).
  async function readJson(req: IncomingMessage): Promise<{ raw: string; parsed: unknown; json: boolean }> {
    const raw = (await readBody(req)).bytes.toString('utf8');
    if (raw.trim() === '') return { raw, parsed: null, json: true };
    try {
      return { raw, parsed: JSON.parse(raw), json: true };
    } catch {
      return { raw, parsed: raw, json: false };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://fake.invalid');
    const body = await readJson(req);
    const record: InteriorRedesignRecordedRequest = {
      at: now(),
      ...requestLine(req, u, SECRET_HEADERS),
      body: body.parsed,
      auth: authOf(req),
      injected: null,
    };
    state.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));

    const { method, path } = record;
    const failure = failures.take({}, (f) => REQUEST_FAILURES.has(f.kind) && (f.match ?? API_REQUEST)({ method, path }));
    if (failure) {
      record.injected = failure.kind as InteriorRedesignRequestFailure;
      return injectFailure(record.injected, req, res);
    }

    // Stand-in for the replicate.delivery URLs in the doc's examples: public, no API key.
    if (path.startsWith('/files/')) {
      const f = files.get(path);
      if (!f || (method !== 'GET' && method !== 'HEAD')) return fail(res, 404, 'Not Found', 'not_found');
      res.writeHead(200, { 'content-type': f.contentType, 'content-length': String(f.data.length) });
      return void res.end(method === 'HEAD' ? undefined : f.data);
    }

    const route = matchRoute(method, path);
    if (route === 'not-found') return fail(res, 404, 'Not Found', 'not_found');
    // Docs are silent on wrong methods; the fake answers 405 like FastAPI does.
    if (route === 'bad-method') return fail(res, 405, 'Method Not Allowed', 'method_not_allowed');

    if (route.name === 'health') {
      // Docs are silent on the body when unhealthy; the fake flips ok and uses the documented 503.
      return send(res, configured ? 200 : 503, { ok: configured, auth_required: authRequired });
    }
    if (!configured) return fail(res, 503, 'Service not configured properly', 'service_not_configured');
    if (record.auth === 'missing' || record.auth === 'invalid') return refuseAuth(res, record.auth);

    const isCreate = route.name === 'redesign' || route.name === 'batch-redesign' || route.name === 'upscale' || route.name === 'batch-upscale';
    // Docs: 400 "Invalid request data" vs 422 "Validation errors"; the fake uses 400 for a
    // body that is not JSON at all and 422 for JSON that breaks the field rules.
    if (isCreate && !body.json) return fail(res, 400, 'Invalid JSON body', 'invalid_json');

    switch (route.name) {
      case 'redesign': {
        const v = validateRedesign(body.parsed);
        if (!isValid(v, res)) return;
        const r = v.value;
        const job = createJob('redesign', [r.item], { num_outputs: r.num_outputs, output_format: r.output_format, use_webhook: r.use_webhook, wait_seconds: r.wait_seconds });
        return respondCreated(res, job);
      }
      case 'batch-redesign': {
        const v = validateBatchRedesign(body.parsed);
        if (!isValid(v, res)) return;
        const r = v.value;
        const job = createJob('batch-redesign', r.items, { output_format: r.output_format, use_webhook: r.use_webhook, wait_seconds: r.wait_seconds });
        return respondCreated(res, job);
      }
      case 'upscale':
      case 'batch-upscale': {
        const v = route.name === 'upscale' ? validateUpscale(body.parsed) : validateBatchUpscale(body.parsed);
        if (!isValid(v, res)) return;
        const r = v.value;
        const job = createJob(
          route.name,
          r.image_urls.map((image_url) => ({ image_url })),
          { scale: r.scale, face_enhance: r.face_enhance, use_webhook: r.use_webhook, wait_seconds: r.wait_seconds },
        );
        return respondCreated(res, job);
      }
      case 'list': {
        const v = validateListQuery(u.searchParams);
        if (!isValid(v, res)) return;
        // Docs are silent on ordering and on what `cursor` does locally (it pages Replicate);
        // the fake lists newest first, as the example does, and records but ignores cursor.
        const all = [...state.jobs.values()].reverse().slice(v.value.offset, v.value.offset + v.value.limit);
        return send(res, 200, { results: all.map((j) => ({ job_id: j.job_id, replicate_id: j.replicate_id, status: j.status, created_at: j.created_at, updated_at: j.updated_at })) });
      }
    }

    if (!('jobId' in route)) return fail(res, 404, 'Not Found', 'not_found');
    const job = state.jobs.get(route.jobId);
    if (!job) return fail(res, 404, 'Job not found', 'job_not_found');
    switch (route.name) {
      case 'status':
        return send(res, 200, statusBody(job));
      case 'result':
        if (job.status !== 'succeeded') return fail(res, 409, 'Job not completed successfully', 'job_not_completed');
        return send(res, 200, { job_id: job.job_id, output: job.output });
      case 'cancel':
        // Docs are silent on cancelling a finished job; the fake answers the documented
        // 409 "Resource not in expected state" and leaves the job as it was.
        if (TERMINAL.has(job.status)) return fail(res, 409, `Job already ${job.status}`, 'job_not_running');
        setStatus(job, 'canceled');
        return send(res, 200, { message: 'Job cancelled successfully' });
    }
  }

  function isValid<T>(v: Validated<T>, res: ServerResponse): v is { ok: true; value: T } {
    if (!v.ok) fail(res, 422, v.detail, 'validation_error');
    return v.ok;
  }

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) fail(res, 500, `Fake error: ${e instanceof Error ? e.message : String(e)}`, 'internal_error');
    });
  });
  baseUrl = server.url;

  async function advance(jobId: string): Promise<InteriorRedesignJobStatus> {
    const job = state.jobs.get(jobId);
    if (!job) throw new Error(`fake interior-redesign: no job ${jobId}`);
    return step(job);
  }

  return {
    url: baseUrl,
    apiKey: [...apiKeys][0] ?? INTERIOR_REDESIGN_DEFAULT_API_KEY,
    state,
    controls: {
      failNext: (kind, o = {}) => failures.add(kind, o),
      clearFailures: () => failures.clear(),
      advance,
      async finish(jobId) {
        let s = await advance(jobId);
        while (!TERMINAL.has(s)) s = await advance(jobId);
        return s;
      },
      setConfigured(c) {
        configured = c;
      },
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const w of internals.values()) for (const resolve of w.waiters.splice(0)) resolve();
      // Also ends held ('timeout') and keep-alive sockets, which would otherwise keep close() waiting.
      await server.close();
    },
  };
}

type Route =
  | { name: 'health' | 'redesign' | 'batch-redesign' | 'upscale' | 'batch-upscale' | 'list' }
  | { name: 'status' | 'result' | 'cancel'; jobId: string }
  | 'not-found'
  | 'bad-method';

function matchRoute(method: string, path: string): Route {
  const fixed: Record<string, [string, Exclude<Route, string>['name']]> = {
    '/health': ['GET', 'health'],
    '/v1/redesign': ['POST', 'redesign'],
    '/v1/batch-redesign': ['POST', 'batch-redesign'],
    '/v1/upscale': ['POST', 'upscale'],
    '/v1/batch-upscale': ['POST', 'batch-upscale'],
    '/v1/jobs': ['GET', 'list'],
  };
  const f = fixed[path];
  if (f) return method === f[0] ? ({ name: f[1] } as Route) : 'bad-method';
  const m = /^\/v1\/jobs\/([^/]+)(?:\/(result|cancel))?$/.exec(path);
  if (!m) return 'not-found';
  const jobId = decodeURIComponent(m[1]!);
  const sub = m[2];
  if (sub === 'cancel') return method === 'POST' ? { name: 'cancel', jobId } : 'bad-method';
  if (method !== 'GET') return 'bad-method';
  return { name: sub === 'result' ? 'result' : 'status', jobId };
}
