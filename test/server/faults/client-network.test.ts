/**
 * The client's network failing: an upload cut off mid-body, an event stream cut off mid-job,
 * and a job creation whose answer is lost. Uses the browser client's own code (StagingClient,
 * TokenManager: plain fetch, so they run in Node) where the fault is on its path.
 */
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect } from 'vitest';
import { isTerminal, type Job } from '../../../src/contract/index.js';
import { StagingClient } from '../../../src/client/api-client.js';
import { TokenManager } from '../../../src/client/token-manager.js';
import { fixture, tempDir } from '../temp-dir.js';
import { fault } from './ledger.js';
import { startStack, until, type Stack } from './stack.js';

const JOB = { service: 'render-enhancement', config: 'interior-modern' };

/** Every file under `dir`, recursively (temporary `.tmp` files included). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** A client as the widget builds it, on Node's fetch; `fetchImpl` lets a test break the network. */
function clientFor(s: Stack, fetchImpl: typeof fetch = (i, init) => fetch(i, init)) {
  const token = s.auth.Authorization!.slice('Bearer '.length);
  const tokens = new TokenManager({ fetchToken: async () => token });
  return new StagingClient({ endpoint: s.url, tokens, fetch: fetchImpl, retryBaseMs: 20, timeoutMs: 10_000 });
}

/**
 * Sends the first `fraction` of `body` to POST /v1/uploads over a raw socket, waits until the
 * server has read it, then destroys the socket (the phone leaving Wi-Fi mid-upload).
 */
async function cutUpload(s: Stack, body: Uint8Array, headers: Record<string, string | number>, fraction = 0.5): Promise<void> {
  const url = new URL('/v1/uploads', s.url);
  await new Promise<void>((resolve) => {
    const req = request(url, { method: 'POST', headers: { ...s.auth, ...headers } });
    req.on('error', () => resolve()); // expected: we destroy it
    req.on('response', (res) => {
      // The server must not answer success to half an image; an error answer is fine.
      expect(res.statusCode).not.toBe(201);
      res.resume();
    });
    req.on('close', () => resolve());
    req.flushHeaders();
    req.write(Buffer.from(body.subarray(0, Math.floor(body.length * fraction))), () => {
      setTimeout(() => req.destroy(), 150);
    });
  });
}

describe('client network faults', () => {
  for (const variant of ['raw body with Content-Length', 'chunked raw body', 'multipart with Content-Length'] as const) {
    fault('client', `upload cut off mid-body (${variant}): nothing is stored, no blob or temp file is left`, async (f) => {
      const dir = tempDir();
      const dataDir = join(dir, 'blobs');
      const dbPath = join(dir, 'staging.db');
      const s = await startStack(() => ({ store: `sqlite:${dbPath}`, localSpeed: 0 }), dataDir);
      const db = new Database(dbPath, { readonly: true });
      const uploads = () => (db.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n;
      try {
        // The stack's own fixture upload is the baseline: one row, one blob.
        expect(uploads()).toBe(1);
        const baseline = filesUnder(dataDir);
        expect(baseline).toHaveLength(1);

        const photo = fixture('kitchen-render.jpg');
        if (variant === 'multipart with Content-Length') {
          const boundary = 'faultsuiteboundary';
          const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="k.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
          const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
          const whole = Buffer.concat([head, photo, tail]);
          await cutUpload(s, whole, { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': whole.length });
        } else if (variant === 'chunked raw body') {
          await cutUpload(s, photo, { 'Content-Type': 'image/jpeg', 'Transfer-Encoding': 'chunked' });
        } else {
          await cutUpload(s, photo, { 'Content-Type': 'image/jpeg', 'Content-Length': photo.length });
        }
        f.inject();
        // Give the server time to notice and to finish anything it might (wrongly) write.
        await new Promise((r) => setTimeout(r, 400));
        expect(uploads()).toBe(1);
        expect(filesUnder(dataDir)).toEqual(baseline);

        // The server is fine afterwards: the same photo, sent whole, is stored once.
        const res = await fetch(`${s.url}/v1/uploads`, { method: 'POST', headers: { ...s.auth, 'Content-Type': 'image/jpeg' }, body: photo });
        expect(res.status).toBe(201);
        expect(uploads()).toBe(2);
        expect(filesUnder(dataDir).filter((p) => p.endsWith('.tmp'))).toEqual([]);
        expect(filesUnder(dataDir)).toHaveLength(2);
      } finally {
        db.close();
      }
    });
  }

  fault('client', 'event stream cut off mid-job: the reconnected client gets the current state, then the end; the job is unaffected', async (f) => {
    // ~2 s of simulated processing: long enough to cut the stream in the middle.
    const s = await startStack(() => ({ store: 'memory', localSpeed: 0.5, heartbeatMs: 200 }));
    const client = clientFor(s);
    const job = await client.createJob({ ...JOB, upload_id: s.uploadId });

    // A raw reader that reads until the job is processing, then its connection dies.
    const beforeDrop: Job[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(new URL(`/v1/jobs/${job.id}/events`, s.url), { headers: s.auth }, (res) => {
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          for (let end; (end = buffer.indexOf('\n\n')) >= 0; ) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data:'));
            if (frame.startsWith('event: job') && data) beforeDrop.push(JSON.parse(data.slice(5)) as Job);
          }
          if (beforeDrop.some((j) => j.status === 'processing')) {
            req.destroy();
            resolve();
          }
        });
        res.on('end', () => reject(new Error('the stream ended before the job was processing')));
      });
      req.on('error', () => undefined);
      req.end();
    });
    f.inject();
    const lastBefore = beforeDrop[beforeDrop.length - 1]!;
    expect(isTerminal(lastBefore.status)).toBe(false);
    // The server let go of the dead listener.
    const events = s.bff.deps.events as { listenerCount?: (id?: string) => number };
    if (events.listenerCount) await until(() => events.listenerCount!(job.id) === 0, 5000, 'listener released');

    // The widget reconnects with its own client: first the job as it is now, then every change to the end.
    const afterReconnect: Job[] = [];
    for await (const j of client.jobEvents(job.id)) afterReconnect.push(j);
    expect(afterReconnect.length).toBeGreaterThan(0);
    const first = afterReconnect[0]!;
    expect(['processing', 'completed']).toContain(first.status);
    expect(first.progress).toBeGreaterThanOrEqual(lastBefore.progress);
    const last = afterReconnect[afterReconnect.length - 1]!;
    expect(last.status).toBe('completed');
    expect(last.outputs).toHaveLength(1);
    // Unaffected: the job and its output are all there, charged once.
    expect(await client.getJob(job.id)).toMatchObject({ status: 'completed', credits_charged: job.credits_charged });
    expect((await fetch(last.outputs[0]!.url)).status).toBe(200);
    expect((await client.getCredits()).used).toBe(job.credits_charged);
  });

  fault('client', 'job creation whose answer is lost: the client resends with the same Idempotency-Key and gets the one job', async (f) => {
    const s = await startStack(() => ({ store: 'memory', localSpeed: 0 }));
    const creations: Array<{ key: string | null; status: number | 'lost' }> = [];
    let lose = 1;
    // The request reaches the BFF and the job is created; the answer dies on the way back.
    const flaky: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      if (init?.method === 'POST' && url.pathname === '/v1/jobs') {
        const key = new Headers(init.headers).get('Idempotency-Key');
        if (lose > 0) {
          lose--;
          await res.arrayBuffer();
          creations.push({ key, status: 'lost' });
          f.inject();
          throw new TypeError('fetch failed: connection reset');
        }
        creations.push({ key, status: res.status });
      }
      return res;
    };
    const client = clientFor(s, flaky);
    const job = await client.createJob({ ...JOB, upload_id: s.uploadId });
    expect(creations).toHaveLength(2);
    expect(creations[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(creations[1]).toEqual({ key: creations[0]!.key, status: 200 }); // 200: the same job, replayed
    // Exactly one job, charged once, and it runs to the end.
    const page = await client.listJobs();
    expect(page.data.map((j) => j.id)).toEqual([job.id]);
    let last: Job | undefined;
    for await (const j of client.jobEvents(job.id)) last = j;
    expect(last?.status).toBe('completed');
    expect((await client.getCredits()).used).toBe(job.credits_charged);
    expect(job.credits_charged).toBeGreaterThan(0);
  });
});
