/**
 * A transport-level fake of our own BFF for unit tests: it answers in the documented HTTP
 * shapes (status, X-Request-Id, error bodies, Retry-After, SSE) and records what was sent.
 * It honours the request's signal the way fetch does, so timeouts and aborts behave as in a browser.
 */
import type { Batch, BatchWithJobs, Job } from '../../../src/contract/index.js';
import { TokenManager } from '../../../src/client/index.js';

export interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
}

export type Step = (seen: Seen) => Response | Promise<Response>;

export function scripted(...steps: Step[]) {
  const seen: Seen[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const s: Seen = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: init.body,
      signal: init.signal ?? undefined,
    };
    seen.push(s);
    const step = steps[seen.length - 1];
    if (!step) throw new Error(`unexpected request #${seen.length}: ${s.method} ${s.url}`);
    if (s.signal?.aborted) throw s.signal.reason;
    const answer = Promise.resolve(step(s));
    if (!s.signal) return answer;
    const signal = s.signal;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      answer.then(resolve, reject);
    });
  };
  return { fetch: fetchFn, seen };
}

const base = (headers: Record<string, string> = {}) => ({ 'X-Request-Id': 'req_fake', ...headers });

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...base(headers) } });

export const apiError = (status: number, code: string, message = 'Something a person can act on.', extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message, ...extra } }, headers);

export const html = (status: number, text = '<html><body><h1>502 Bad Gateway</h1></body></html>') =>
  new Response(text, { status, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } });

/** Never answers; only the request's signal ends it. */
export const hang: Step = () => new Promise<Response>(() => {});

export const networkDown: Step = () => Promise.reject(new TypeError('Failed to fetch'));

/** An event stream delivering these exact byte chunks, one per macrotask. `cancelled` turns true when the reader cancels. */
export function sse(chunks: Array<string | Uint8Array>, opts: { keepOpen?: boolean } = {}) {
  const enc = new TextEncoder();
  const state = { cancelled: false };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 1));
      const c = chunks[i++];
      if (c !== undefined) controller.enqueue(typeof c === 'string' ? enc.encode(c) : c);
      else if (!opts.keepOpen) controller.close();
      else await new Promise(() => {});
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const response = new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8', ...base() } });
  return { response, state };
}

export function makeJob(over: Partial<Job> = {}): Job {
  return {
    id: 'job_0123456789abcdefXYZ',
    status: 'pending',
    service: 'virtual_staging',
    config: 'modern',
    resolution: '2K',
    edit_class: 'material',
    prompt: null,
    reference_id: null,
    upload_id: 'upl_0123456789abcdefXYZ',
    mask_upload_id: null,
    reference_upload_id: null,
    bracket_upload_ids: [],
    options: {},
    variants: 1,
    credits_charged: 1,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    progress: 0,
    outputs: [],
    error: null,
    ...over,
  };
}

export const catalog = {
  provider: 'local',
  services: [
    {
      id: 'virtual_staging',
      name: 'Virtual staging',
      description: 'Furnishes an empty room.',
      configs: [{ id: 'modern', name: 'Modern' }],
      credits: { '2K': 1, '4K': 2 },
      resolutions: ['2K', '4K'],
      inputs: { mask: true, reference_image: false, prompt: true, variants: { min: 1, max: 4 }, location: false },
      options: [{ key: 'style', label: 'Style', type: 'enum', values: [{ value: 'a', label: 'A' }] }],
      preview_only: true,
      edit_class: 'material',
    },
  ],
  resolutions: ['2K', '4K'],
  max_resolution: '4K',
  upload: { content_types: ['image/jpeg'], max_bytes: 20_000_000, max_pixels: 50_000_000 },
};

export const upload = {
  id: 'upl_0123456789abcdefXYZ',
  content_type: 'image/jpeg',
  bytes: 1234,
  width: 800,
  height: 600,
  created_at: '2025-01-01T00:00:00.000Z',
  url: 'https://bff.test/v1/uploads/upl_0123456789abcdefXYZ?sig=x',
};

/** Tokens `tok-1`, `tok-2`, … valid for an hour; `count()` says how many were minted. */
export function countingTokens() {
  let n = 0;
  const tokens = new TokenManager({ fetchToken: async () => ({ token: `tok-${++n}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() }) });
  return { tokens, count: () => n };
}

/** An unsigned JWT with these claims; the client only reads `exp`. */
export function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

/** A batch of `jobs` (in item order), with counts that match their statuses. */
export function makeBatch(jobs: Job[] = [makeJob()], over: Partial<Batch> = {}): BatchWithJobs {
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const j of jobs) counts[j.status === 'compressing' ? 'processing' : j.status]++;
  return {
    id: 'bat_0123456789abcdefXYZ',
    status: jobs.every((j) => ['completed', 'failed', 'cancelled'].includes(j.status)) ? 'completed' : 'running',
    service: 'virtual_staging',
    config: 'modern',
    resolution: '2K',
    prompt: null,
    options: {},
    variants: 1,
    reference_upload_id: null,
    reference_id: null,
    items: jobs.map((j) => ({ upload_id: j.upload_id, job_id: j.id, previous_job_ids: [], excluded: false })),
    counts,
    credits_required: jobs.length,
    created_at: '2025-01-01T00:00:00.000Z',
    archive_url: null,
    jobs,
    ...over,
  };
}

/** The batch without its jobs, as `event: batch` and the list carry it. */
export function batchOnly(b: BatchWithJobs): Batch {
  const { jobs: _jobs, ...rest } = b;
  return rest;
}
