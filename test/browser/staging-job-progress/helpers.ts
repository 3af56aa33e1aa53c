import { fixture as mount, html, oneEvent, waitUntil } from '@open-wc/testing';
import { StagingClient, TokenManager, type StagingClientOptions } from '../../../src/client/index.js';
import type { CreateJobRequest, Job } from '../../../src/contract/index.js';
import '../../../src/elements/staging-job-progress/staging-job-progress.js';
import type { StagingJobProgress } from '../../../src/elements/staging-job-progress/staging-job-progress.js';
import type { JobWatchTiming } from '../../../src/elements/staging-job-progress/job-watch-controller.js';
import { part } from '../support/parts.js';
import { bffUrl, devTokens, fixtureFile, realClient } from '../support/real-bff.js';

export { bffUrl, realClient };
export { part, queryPart } from '../support/parts.js';

/** Fast reconnects and polls, so that fallback paths finish well inside a test's time limit. */
export const FAST: Partial<JobWatchTiming> = { reconnectBaseMs: 50, reconnectMaxMs: 400, maxStreamFailures: 2, pollIntervalMs: 150, streamRetryMs: 60_000 };

/** About three seconds of work on the local engine: time enough to cancel it mid-way. */
export const SLOW = { service: 'design-options', config: 'interior-modern', variants: 4, resolution: '4K' as const };

export interface MountOptions {
  client: StagingClient;
  jobId?: string;
  job?: Job;
  stallAfter?: number;
  remember?: boolean;
  scope?: string;
  timing?: Partial<JobWatchTiming>;
  skipConfirm?: boolean;
}

export function mountProgress(o: MountOptions): Promise<StagingJobProgress> {
  return mount<StagingJobProgress>(html`<staging-job-progress
    .client=${o.client}
    .job=${o.job ?? null}
    job-id=${o.jobId ?? o.job?.id ?? ''}
    stall-after=${o.stallAfter ?? 120_000}
    ?remember=${o.remember ?? false}
    ?skip-cancel-confirm=${o.skipConfirm ?? false}
    scope=${o.scope ?? 'test'}
    .watchTiming=${o.timing ?? {}}
  ></staging-job-progress>`);
}

export function text(el: StagingJobProgress, name: string): string {
  return part(el, name).textContent.replace(/\s+/g, ' ').trim();
}

// Uploads are per subject, so they are cached per client; a WeakMap lets finished clients go.
const uploadCache = new WeakMap<StagingClient, Promise<string>>();

/** Uploads the fixture photo once per client and starts a job on the real BFF. */
export async function startJob(client: StagingClient, body: Partial<CreateJobRequest> = {}): Promise<Job> {
  let upload = uploadCache.get(client);
  if (!upload) {
    upload = fixtureFile('living-room-render.jpg').then((f) => client.uploadImage(f)).then((u) => u.id);
    uploadCache.set(client, upload);
  }
  return client.createJob({ service: 'render-enhancement', config: 'interior-modern', upload_id: await upload, ...body });
}

export type FetchWrapper = (url: string, init: RequestInit | undefined, real: typeof fetch) => Promise<Response>;

/**
 * A client of the real BFF whose transport goes through `wrap`: the only place tests bend the
 * server's answers (a stream that never speaks, a refused event stream, an injected failure).
 */
export async function wrappedClient(wrap: FetchWrapper, opts: Partial<StagingClientOptions> = {}): Promise<StagingClient> {
  const real: typeof fetch = (input, init) => fetch(input, init);
  return new StagingClient({
    endpoint: await bffUrl(),
    tokens: new TokenManager({ fetchToken: await devTokens() }),
    fetch: (input, init) => wrap(String(input instanceof Request ? input.url : input), init, real),
    retryBaseMs: 10,
    ...opts,
  });
}

export const isEvents = (url: string): boolean => /\/v1\/jobs\/[^/]+\/events$/.test(new URL(url).pathname);
export const isGetJob = (url: string, init?: RequestInit): boolean =>
  /^\/v1\/jobs\/job_[A-Za-z0-9]+$/.test(new URL(url).pathname) && (init?.method ?? 'GET') === 'GET';

/** An open event stream that never sends a byte, until the request is aborted. */
export function silentStream(init: RequestInit | undefined): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason), { once: true });
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/**
 * A client whose event stream opens and then never says a word, so the element sees no change
 * (and, the stream being open, does not poll). Every other request reaches the real BFF.
 */
export function frozenClient(): Promise<StagingClient> {
  return wrappedClient((url, init, real) => (isEvents(url) ? Promise.resolve(silentStream(init)) : real(url, init)));
}

/**
 * Rewrites every job of the SSE and JSON answers with `edit`, event by event, so that a real
 * stream keeps its timing.
 */
export async function rewriteJobs(res: Response, edit: (job: Job) => Job): Promise<Response> {
  const type = res.headers.get('Content-Type') ?? '';
  if (type.startsWith('application/json')) {
    const data = (await res.json()) as unknown;
    // Error bodies and lists pass unchanged: only a job has a status.
    const out = data && typeof data === 'object' && 'status' in data ? edit(data as Job) : data;
    return new Response(JSON.stringify(out), { status: res.status, headers: res.headers });
  }
  if (!type.startsWith('text/event-stream') || !res.body) return res;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  const editEvent = (block: string): string =>
    block
      .split('\n')
      .map((line) => (line.startsWith('data: ') ? `data: ${JSON.stringify(edit(JSON.parse(line.slice(6)) as Job))}` : line))
      .join('\n');
  const body = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          c.enqueue(encoder.encode(editEvent(buffer.slice(0, i)) + '\n\n'));
          buffer = buffer.slice(i + 2);
        }
      },
      flush(c) {
        if (buffer) c.enqueue(encoder.encode(editEvent(buffer)));
      },
    }),
  );
  return new Response(body, { status: res.status, headers: res.headers });
}

/**
 * A job of the real BFF, cancelled for real, that this client shows as failed with `error`:
 * the running BFF has no failure injection. Retry then goes to the real BFF (which restarts a
 * cancelled job like a failed one), so everything after the failure is real.
 */
export async function failedJobClient(retryable = true): Promise<{ client: StagingClient; job: Job; requests: string[] }> {
  const requests: string[] = [];
  const error = { code: 'provider_error', message: 'The provider had an outage. Retry the job.', retryable };
  const asFailed = (job: Job): Job => (job.status === 'cancelled' ? { ...job, status: 'failed', error } : job);
  const client = await wrappedClient(async (url, init, real) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    const res = await real(url, init);
    return /\/v1\/jobs\//.test(url) ? rewriteJobs(res, asFailed) : res;
  });
  const created = await startJob(client);
  await client.cancelJob(created.id);
  const job = await client.getJob(created.id);
  if (job.status !== 'failed') throw new Error(`setup: expected the job to look failed, got ${job.status}`);
  return { client, job, requests };
}

/** Records the `staging-job-*` events of `el`, in order. */
export function recordEvents(el: EventTarget): { name: string; detail: unknown }[] {
  const seen: { name: string; detail: unknown }[] = [];
  for (const name of ['staging-job-updated', 'staging-job-completed', 'staging-job-failed', 'staging-job-cancelled', 'staging-job-stalled', 'staging-error']) {
    el.addEventListener(name, (e) => seen.push({ name, detail: (e as CustomEvent).detail }));
  }
  return seen;
}

export async function waitForStatus(el: StagingJobProgress, status: string, message?: string): Promise<void> {
  await waitUntil(() => el.status === status, message ?? `status never became ${status} (is ${el.status})`, { timeout: 15_000, interval: 20 });
  await el.updateComplete;
}

/** A well-formed job id the BFF never issued. */
export function unknownJobId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `job_${Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => alphabet[b % 62]).join('')}`;
}

/** `oneEvent`, typed by the element's HTMLElementEventMap entry. */
export function nextEvent<K extends keyof HTMLElementEventMap>(el: EventTarget, name: K): Promise<HTMLElementEventMap[K]> {
  return oneEvent(el, name) as unknown as Promise<HTMLElementEventMap[K]>;
}
