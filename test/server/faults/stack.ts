import { expect } from 'vitest';
import { isTerminal, Job, SessionResponse, Upload, Credits } from '../../../src/contract/index.js';
import { createStagingBff, listen, type StagingBff, type StagingBffOptions } from '../../../src/server/index.js';
import type { Listening } from '../../../src/server/listen.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { readJobEvents } from '../sse.js';
import { afterThisTest, fixture, tempDir } from '../temp-dir.js';

export const TOKEN_SECRET = 'fault-suite-token-secret-0123456789-abcdefgh';

/** Retry timing for in-process adapters: fast backoff, a short per-attempt timeout (the `timeout` fault waits it out). */
export const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 1000 };

export interface Stack {
  bff: StagingBff;
  server: Listening;
  url: string;
  auth: Record<string, string>;
  uploadId: string;
  createJob(body: Record<string, unknown>, idempotencyKey?: string): Promise<Job>;
  /** Follows the job's event stream to its end; every `event: job` frame, parsed with the contract. */
  follow(id: string): Promise<Job[]>;
  getJob(id: string): Promise<Job>;
  retry(id: string): Promise<Job>;
  credits(): Promise<Credits>;
}

/**
 * An in-process BFF on a real loopback socket (providers that fetch our signed URLs need one),
 * with a dev session and one uploaded fixture photo. `make` receives the BFF's public URL.
 */
export async function startStack(make: (publicUrl: string) => Partial<StagingBffOptions>, dataDir = tempDir()): Promise<Stack> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const bff = createStagingBff({ tokenSecret: TOKEN_SECRET, dev: true, store: 'memory', dataDir, publicUrl, rateLimit: { limit: 100_000, windowMs: 60_000 }, ...make(publicUrl) });
  afterThisTest(() => bff.close());
  const server = await listen(bff, port);
  afterThisTest(() => server.close());
  const url = server.url;
  const session = SessionResponse.parse(await (await fetch(`${url}/v1/dev/sessions`, { method: 'POST' })).json());
  const auth = { Authorization: `Bearer ${session.token}` };
  const upRes = await fetch(`${url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') });
  expect(upRes.status).toBe(201);
  const uploadId = Upload.parse(await upRes.json()).id;
  const stack: Stack = {
    bff,
    server,
    url,
    auth,
    uploadId,
    async createJob(body, key) {
      const res = await fetch(`${url}/v1/jobs`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
        body: JSON.stringify({ upload_id: uploadId, ...body }),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`job creation: ${res.status} ${await res.text()}`);
      return Job.parse(await res.json());
    },
    async follow(id) {
      const seen: Job[] = [];
      const res = await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      for await (const f of readJobEvents(res)) if (f.event === 'job') seen.push(Job.parse(JSON.parse(f.data)));
      return seen;
    },
    async getJob(id) {
      const res = await fetch(`${url}/v1/jobs/${id}`, { headers: auth });
      expect(res.status).toBe(200);
      return Job.parse(await res.json());
    },
    async retry(id) {
      const res = await fetch(`${url}/v1/jobs/${id}/retry`, { method: 'POST', headers: auth });
      if (res.status !== 200) throw new Error(`retry: ${res.status} ${await res.text()}`);
      return Job.parse(await res.json());
    },
    async credits() {
      return Credits.parse(await (await fetch(`${url}/v1/credits`, { headers: auth })).json());
    },
  };
  return stack;
}

/**
 * What the user sees of a job: its event stream to the end, then GET /v1/jobs/:id. Asserts both
 * agree on one terminal status and returns the job.
 */
export async function seenTerminal(s: Stack, id: string): Promise<Job> {
  const events = await s.follow(id);
  expect(events.length).toBeGreaterThan(0);
  const last = events[events.length - 1]!;
  expect(isTerminal(last.status), `stream ended on ${last.status}`).toBe(true);
  const polled = await s.getJob(id);
  expect(polled.status).toBe(last.status);
  if (last.status === 'failed') {
    // A failure the user can read and act on.
    expect(last.error?.message.length ?? 0).toBeGreaterThan(10);
  }
  return polled;
}

/** Polls GET /v1/jobs/:id until `check` holds (for states between events). */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
