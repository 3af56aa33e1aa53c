import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, SessionResponse, Upload } from '../../src/contract/index.js';
import { loadConfig } from '../../src/server/config.js';
import { RedisJobEvents } from '../../src/server/events/redis-job-events.js';
import { RedisWebhookHub } from '../../src/server/events/redis-webhook-hub.js';
import { createStagingBff, type StagingBff, type StagingBffOptions } from '../../src/server/index.js';
import { listen } from '../../src/server/listen.js';
import { createLocalProvider } from '../../src/server/providers/local/provider.js';
import type { Provider } from '../../src/server/providers/types.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import type { JobRecord } from '../../src/server/store/types.js';
import { freePort, spawnBff } from '../../scripts/spawn-bff.mjs';
import { ADMIN_KEY, afterThisTest, fixture, ORIGIN, tempDir, TOKEN_SECRET } from './helpers.js';
import { readJobEvents } from './sse.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

let prefixes = 0;
const uniquePrefix = () => `scale${process.pid}x${++prefixes}`;

/** When a job executed through the local engine (performance.now() ms; `end` is Infinity while it runs). */
interface Span {
  jobId: string;
  start: number;
  end: number;
}

/** The most of `jobIds` executing at the same moment, over every instance's spans. */
function mostAtOnce(spans: Span[], jobIds: readonly string[]): number {
  const mine = spans.filter((s) => jobIds.includes(s.jobId));
  return Math.max(0, ...mine.map((s) => mine.filter((o) => o.start <= s.start && s.start < o.end).length));
}

/**
 * The local engine, counting how often this instance ran a job through it and when; `inFlight`,
 * when given (and shared between instances), counts the jobs executing at once and the most seen.
 */
function countingProvider(delayScale: number, inFlight?: { now: number; most: number }) {
  const base = createLocalProvider({ delayScale });
  const runs: string[] = [];
  const spans: Span[] = [];
  const provider = new Proxy(base, {
    get(target, key, receiver) {
      if (key === 'execute') {
        return (...args: Parameters<Provider['execute']>) => {
          runs.push(args[0].jobId);
          const span = { jobId: args[0].jobId, start: performance.now(), end: Infinity };
          spans.push(span);
          const done = () => void (span.end = performance.now());
          if (!inFlight) return target.execute(...args).finally(done);
          inFlight.most = Math.max(inFlight.most, ++inFlight.now);
          return target.execute(...args).finally(() => {
            inFlight.now--;
            done();
          });
        };
      }
      const v = Reflect.get(target, key, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { provider, runs, spans };
}

/**
 * Two in-process BFFs on real sockets, sharing one Redis prefix and one blob directory; `extra`
 * options go to both, and `inFlight` counts their jobs executing at once (see countingProvider).
 * Each instance's `close` may be called early; it runs once.
 */
async function twoInstances(rateLimit = { limit: 1000, windowMs: 60_000 }, extra: StagingBffOptions = {}, inFlight?: { now: number; most: number }) {
  const prefix = uniquePrefix();
  const dataDir = join(tempDir(), 'blobs');
  const make = async () => {
    const counted = countingProvider(extra.localSpeed ?? 0.3, inFlight);
    const bff: StagingBff = createStagingBff({
      tokenSecret: TOKEN_SECRET,
      adminKey: ADMIN_KEY,
      allowedOrigins: [ORIGIN],
      publicUrl: 'http://bff.test',
      store: `${redis.url}/?prefix=${prefix}`,
      dataDir,
      providerInstance: counted.provider,
      rateLimit,
      heartbeatMs: 500,
      ...extra,
    });
    const server = await listen(bff, 0);
    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        await server.close();
        await bff.close();
      })());
    afterThisTest(close);
    return { bff, url: server.url, runs: counted.runs, spans: counted.spans, close };
  };
  return { a: await make(), b: await make(), prefix };
}

async function mint(url: string, body: Record<string, unknown> = { subject: 'agent-1' }) {
  const res = await fetch(`${url}/v1/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return SessionResponse.parse(await res.json());
}

const widget = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, Origin: ORIGIN, ...extra });

/**
 * Starts BFF processes on one Redis prefix and a fresh data dir, with short leases, for tests that
 * kill one with SIGKILL (each is killed at the test's end otherwise).
 */
function killableBffs(prefix: string, extra: Record<string, string> = {}) {
  const base = {
    STAGING_DEV: '1',
    STAGING_TOKEN_SECRET: TOKEN_SECRET,
    STAGING_STORE: `${redis.url}/?prefix=${prefix}`,
    STAGING_DATA_DIR: join(tempDir(), 'blobs'),
    STAGING_LEASE_TTL_MS: '1500',
    ...extra,
  };
  return async (env: Record<string, string>) => {
    const bff = await spawnBff({ ...base, ...env, PORT: String(await freePort()) });
    afterThisTest(() => {
      bff.child.kill('SIGKILL');
    });
    return bff;
  };
}

/** A dev session on the BFF at `url`, its auth header and one uploaded photo. */
async function sessionWithPhoto(url: string) {
  const session = SessionResponse.parse(await (await fetch(`${url}/v1/dev/sessions`, { method: 'POST' })).json());
  const auth = { Authorization: `Bearer ${session.token}` };
  const up = Upload.parse(await (await fetch(`${url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('kitchen-render.jpg') })).json());
  return { session, auth, up };
}

describe('several BFF instances on one Redis', () => {
  it('streams a job created on A to a listener on B, replays its idempotency key on B, and runs it once', async () => {
    const { a, b } = await twoInstances();
    const session = await mint(a.url);
    const up = Upload.parse(
      await (await fetch(`${a.url}/v1/uploads`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'image/jpeg' }), body: fixture('kitchen-render.jpg') })).json(),
    );
    const body = JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id });
    const created = await fetch(`${a.url}/v1/jobs`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' }), body });
    expect(created.status).toBe(201);
    const job = Job.parse(await created.json());

    const stream = await fetch(`${b.url}/v1/jobs/${job.id}/events`, { headers: widget(session.token) });
    expect(stream.status).toBe(200);
    const seen: Job[] = [];
    for await (const frame of readJobEvents(stream)) {
      if (frame.event !== 'job') continue;
      seen.push(Job.parse(JSON.parse(frame.data)));
      if (['completed', 'failed', 'cancelled'].includes(seen[seen.length - 1]!.status)) break;
    }
    const last = seen[seen.length - 1]!;
    expect(last.status).toBe('completed');
    expect(last.outputs).toHaveLength(1);
    // More than the snapshot B read itself: A's progress reached B through pub/sub.
    expect(seen.filter((j) => j.status === 'processing' || j.status === 'compressing').length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThanOrEqual(3);

    const replay = await fetch(`${b.url}/v1/jobs`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' }), body });
    expect(replay.status).toBe(200);
    expect(Job.parse(await replay.json()).id).toBe(job.id);

    expect([...a.runs, ...b.runs]).toEqual([job.id]);
    // The output written by A is served by B.
    const out = new URL(last.outputs[0]!.url);
    expect((await fetch(`${b.url}${out.pathname}${out.search}`)).status).toBe(200);
  }, 30_000);

  it('refuses a session on B right after A revoked it, and counts its rate limit across both', async () => {
    const { a, b } = await twoInstances({ limit: 6, windowMs: 60_000 });
    const session = await mint(a.url);
    const remaining: string[] = [];
    for (const url of [a.url, b.url, a.url, b.url, a.url, b.url]) {
      const res = await fetch(`${url}/v1/credits`, { headers: widget(session.token) });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('RateLimit-Remaining')!);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    const limited = await fetch(`${a.url}/v1/credits`, { headers: widget(session.token) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);

    const other = await mint(b.url, { subject: 'agent-2' });
    expect((await fetch(`${b.url}/v1/credits`, { headers: widget(other.token) })).status).toBe(200);
    const revoke = await fetch(`${a.url}/v1/sessions/${other.session_id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(revoke.status).toBeLessThan(300);
    const refused = await fetch(`${b.url}/v1/credits`, { headers: widget(other.token) });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('session_revoked');
  }, 30_000);

  it('hands a job to the surviving instance after its lease holder is killed with SIGKILL', async () => {
    const prefix = uniquePrefix();
    const start = killableBffs(prefix);
    // A is slow (~12 s of simulated work) so it is surely mid-job when killed; B is fast.
    const [first, second] = await Promise.all([start({ STAGING_LOCAL_SPEED: '4' }), start({ STAGING_LOCAL_SPEED: '0.2' })]);
    const { auth, up } = await sessionWithPhoto(first.url);
    const job = Job.parse(
      await (await fetch(`${first.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }) })).json(),
    );
    for (let status = job.status; status !== 'processing'; ) {
      await new Promise((r) => setTimeout(r, 100));
      status = Job.parse(await (await fetch(`${second.url}/v1/jobs/${job.id}`, { headers: auth })).json()).status;
    }

    const peek = new Redis(redis.port, '127.0.0.1');
    afterThisTest(() => void peek.disconnect());
    const leaseKey = `staging:${prefix}:lease:${job.id}`;
    expect(await peek.get(leaseKey)).toMatch(new RegExp(`:${first.child.pid}:`));
    // B sweeps while A is alive and must leave A's job alone.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await peek.get(leaseKey)).toMatch(new RegExp(`:${first.child.pid}:`));

    // A listener on the survivor sees the job through to the end.
    const stream = await fetch(`${second.url}/v1/jobs/${job.id}/events`, { headers: auth });
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    let last: Job | null = null;
    let takenOverAt = 0;
    for await (const frame of readJobEvents(stream)) {
      if (frame.event !== 'job') continue;
      last = Job.parse(JSON.parse(frame.data));
      if (!takenOverAt && last.status === 'pending') takenOverAt = Date.now();
      if (['completed', 'failed', 'cancelled'].includes(last.status)) break;
    }
    expect(last?.status).toBe('completed');
    expect(last?.outputs).toHaveLength(1);
    // Lease TTL 1.5 s, sweep every 1.5 s: the survivor takes over within about two TTLs.
    expect(takenOverAt - killedAt).toBeLessThan(5000);

    const store = new RedisStore(`${redis.url}/?prefix=${prefix}`);
    afterThisTest(() => store.close());
    expect(await store.getJob(job.id)).toMatchObject({ status: 'completed', interruptions: 1, creditsCharged: 2 });
    expect(await peek.get(leaseKey)).toBeNull(); // released by B at the end
  }, 45_000);

  it("loses nothing of a listing queued on an instance that stops: the survivor runs every job once, no more of the session's at a time than allowed", async () => {
    const inFlight = { now: 0, most: 0 };
    // Both instances share this process's event loop, slowed by the other's pixel work: a lease
    // outlives the longest stall of a loaded machine.
    const { a, b, prefix } = await twoInstances(undefined, { localSpeed: 0.15, leaseTtlMs: 4000, sessionConcurrency: 2, jobs: { concurrency: 4 } }, inFlight);
    const session = await mint(a.url);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const up = Upload.parse(await (await fetch(`${a.url}/v1/uploads`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'image/jpeg' }), body: fixture('kitchen-render.jpg') })).json());
      ids.push(up.id);
    }
    const res = await fetch(`${a.url}/v1/batches`, {
      method: 'POST',
      headers: widget(session.token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) }),
    });
    expect(res.status).toBe(201);
    const batch = (await res.json()) as { id: string; items: Array<{ job_id: string }> };
    const jobIds = batch.items.map((i) => i.job_id);
    const store = new RedisStore(`${redis.url}/?prefix=${prefix}`);
    afterThisTest(() => store.close());
    // A stops once its first job has ended, with the rest of the listing queued or running on it.
    for (;;) {
      const jobs = await Promise.all(jobIds.map((id) => store.getJob(id)));
      if (jobs.some((j) => j?.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ranOnA = [...a.runs];
    expect(b.runs).toEqual([]); // while A lives, its queue is its own
    await a.close();
    const done = await (async () => {
      for (const end = Date.now() + 60_000; Date.now() < end; ) {
        const jobs = await Promise.all(jobIds.map((id) => store.getJob(id)));
        if (jobs.every((j) => j?.status === 'completed')) return jobs;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the listing did not finish on the surviving instance');
    })();
    // Nothing queued was lost, and nothing ran twice: each job has one output; B ran only what A had not finished,
    // and a job run on both is one A was running when it stopped (counted as an interruption).
    for (const id of jobIds) expect(await store.listOutputs(id)).toHaveLength(1);
    expect(a.runs.length).toBeLessThan(jobIds.length);
    expect(new Set(b.runs).size).toBe(b.runs.length);
    expect(new Set([...a.runs, ...b.runs])).toEqual(new Set(jobIds));
    for (const id of b.runs.filter((id) => ranOnA.includes(id) || a.runs.includes(id))) expect(done.find((j) => j!.id === id)!.interruptions).toBe(1);
    // The session's jobs executing at once, across both instances: never more than STAGING_SESSION_CONCURRENCY.
    expect(inFlight.most).toBe(2);
  }, 90_000);

  it("runs no more of a session's jobs at once than STAGING_SESSION_CONCURRENCY across both instances, and a bystander's job is not held up", async () => {
    // Each job takes ~1.5 s of simulated work: the eight overlap whatever the machine's load.
    const { a, b, prefix } = await twoInstances(undefined, { localSpeed: 0.5, sessionConcurrency: 3, jobs: { concurrency: 4 } });
    const store = new RedisStore(`${redis.url}/?prefix=${prefix}`);
    afterThisTest(() => store.close());
    const busy = await mint(a.url);
    const photo = Upload.parse(await (await fetch(`${a.url}/v1/uploads`, { method: 'POST', headers: widget(busy.token, { 'Content-Type': 'image/jpeg' }), body: fixture('kitchen-render.jpg') })).json());
    const start = async (url: string, token: string, upload_id: string) => {
      const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: widget(token, { 'Content-Type': 'application/json' }), body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id }) });
      expect(res.status).toBe(201);
      return Job.parse(await res.json()).id;
    };
    // The session's slots held in the store, sampled while the jobs run.
    let mostSlots = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        mostSlots = Math.max(mostSlots, (await store.listSessionSlots(busy.session_id, Date.now())).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Eight jobs of one session, created on A and B in turn: each instance queues four.
    const jobIds: string[] = [];
    for (let i = 0; i < 8; i++) jobIds.push(await start(i % 2 ? b.url : a.url, busy.token, photo.id));
    const bystander = await mint(b.url, { subject: 'agent-2' });
    const theirPhoto = Upload.parse(await (await fetch(`${b.url}/v1/uploads`, { method: 'POST', headers: widget(bystander.token, { 'Content-Type': 'image/jpeg' }), body: fixture('kitchen-render.jpg') })).json());
    const theirs = await start(b.url, bystander.token, theirPhoto.id);

    const completedAt = new Map<string, number>();
    for (const end = Date.now() + 60_000; completedAt.size < 9; ) {
      if (Date.now() > end) throw new Error(`only ${completedAt.size} of 9 jobs completed`);
      for (const id of [...jobIds, theirs]) {
        if (completedAt.has(id)) continue;
        const job = await store.getJob(id);
        expect(['pending', 'compressing', 'processing', 'completed']).toContain(job?.status);
        if (job?.status === 'completed') completedAt.set(id, Date.now());
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    sampling = false;
    await sampler;
    // Across both instances, never more than three of the session's jobs executing at once (before
    // the slots were counted in the store, each instance ran three of its own: six), and the cap was reached.
    expect(mostAtOnce([...a.spans, ...b.spans], jobIds)).toBe(3);
    expect(mostSlots).toBe(3);
    // The bystander's one photo did not wait for the listing.
    expect(completedAt.get(theirs)!).toBeLessThan(Math.max(...jobIds.map((id) => completedAt.get(id)!)));
    // Each job ran once, both instances took part, and every slot was given back.
    expect([...a.runs, ...b.runs].sort()).toEqual([...jobIds, theirs].sort());
    expect(a.runs.length).toBeGreaterThan(0);
    expect(b.runs.filter((id) => id !== theirs).length).toBeGreaterThan(0);
    for (const id of jobIds) expect(await store.listOutputs(id)).toHaveLength(1);
    expect(await store.listSessionSlots(busy.session_id, Date.now())).toEqual([]);
  }, 90_000);

  it("frees the session slots of an instance killed with SIGKILL: the survivor runs the session's waiting jobs and the dead one's, each once, never more at a time than allowed", async () => {
    const prefix = uniquePrefix();
    const start = killableBffs(prefix, { STAGING_SESSION_CONCURRENCY: '2' });
    // A is slow (~12 s a job) so it surely holds both slots when killed; B is fast.
    const [first, second] = await Promise.all([start({ STAGING_LOCAL_SPEED: '4' }), start({ STAGING_LOCAL_SPEED: '0.3' })]);
    const { session, auth, up } = await sessionWithPhoto(first.url);
    const create = async (url: string) => {
      const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }) });
      expect(res.status).toBe(201);
      return Job.parse(await res.json()).id;
    };
    const store = new RedisStore(`${redis.url}/?prefix=${prefix}`);
    afterThisTest(() => store.close());
    const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => {
      for (const end = Date.now() + ms; ; ) {
        const got = await probe();
        if (got) return got;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // The session's jobs running (by their stored status) and its slots, sampled throughout. Once
    // A is killed, the jobs it was running keep their last status until B takes them over
    // (pending again, with an interruption): that status is stale, nothing runs them.
    const ids: string[] = [];
    let heldByA: string[] = [];
    let killed = false;
    const stale = (j: JobRecord) => killed && heldByA.includes(j.id) && j.interruptions === 0;
    let mostRunning = 0;
    let mostSlots = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const jobs = await Promise.all(ids.map((id) => store.getJob(id)));
        mostRunning = Math.max(mostRunning, jobs.filter((j) => j && (j.status === 'compressing' || j.status === 'processing') && !stale(j)).length);
        mostSlots = Math.max(mostSlots, (await store.listSessionSlots(session.session_id, Date.now())).length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    // Three jobs on A: it runs two (the session's two slots) and queues one.
    const onA = [await create(first.url), await create(first.url), await create(first.url)];
    ids.push(...onA);
    heldByA = await until('A to hold both slots', async () => {
      const slots = await store.listSessionSlots(session.session_id, Date.now());
      return slots.length === 2 && slots.every((x) => x.holder.includes(`:${first.child.pid}:`)) && slots.map((x) => x.jobId);
    });
    // Three more on B: every slot is A's, so they wait in B's line, pending with their places.
    const onB = [await create(second.url), await create(second.url), await create(second.url)];
    ids.push(...onB);
    await until("B's jobs to wait for a slot", async () => {
      const jobs = await Promise.all(onB.map(async (id) => Job.parse(await (await fetch(`${second.url}/v1/jobs/${id}`, { headers: auth })).json())));
      for (const j of jobs) expect(j.status).toBe('pending');
      return jobs.map((j) => j.queue_position).join() === '1,2,3';
    });

    killed = true;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // A's slots expire with its leases; B runs its own three and takes over A's three.
    const done = await until(
      'every job to complete on B',
      async () => {
        const jobs = await Promise.all(ids.map((id) => store.getJob(id)));
        return jobs.every((j) => j?.status === 'completed') && jobs;
      },
      60_000,
    );
    sampling = false;
    await sampler;
    expect(mostRunning).toBe(2);
    expect(mostSlots).toBe(2);
    // Nothing lost, nothing run twice to the end: one output each; A's three (two running, one
    // queued) were taken over once, B's ran once.
    for (const id of ids) expect(await store.listOutputs(id)).toHaveLength(1);
    expect(done.filter((j) => j!.interruptions === 1).map((j) => j!.id).sort()).toEqual([...onA].sort());
    expect(done.filter((j) => j!.interruptions === 0).map((j) => j!.id).sort()).toEqual([...onB].sort());
    expect(done.every((j) => j!.creditsCharged === 2)).toBe(true);
    expect(await store.listSessionSlots(session.session_id, Date.now())).toEqual([]);
  }, 90_000);

  it("fails a job that waited for its session's slot on another instance past the queue deadline with job_stalled, and frees nothing it did not hold", async () => {
    // One slot per session; A's job holds it ~6 s, B's waits 1.5 s at most.
    const { a, b, prefix } = await twoInstances(undefined, { localSpeed: 2, sessionConcurrency: 1, jobs: { concurrency: 2, queueTimeoutMs: 1500 } });
    const store = new RedisStore(`${redis.url}/?prefix=${prefix}`);
    afterThisTest(() => store.close());
    const session = await mint(a.url);
    const photo = Upload.parse(await (await fetch(`${a.url}/v1/uploads`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'image/jpeg' }), body: fixture('kitchen-render.jpg') })).json());
    const start = async (url: string) =>
      Job.parse(await (await fetch(`${url}/v1/jobs`, { method: 'POST', headers: widget(session.token, { 'Content-Type': 'application/json' }), body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }) })).json()).id;
    const first = await start(a.url);
    for (let held = 0; held === 0; ) {
      held = (await store.listSessionSlots(session.session_id, Date.now())).length;
      if (!held) await new Promise((r) => setTimeout(r, 20));
    }
    const second = await start(b.url);
    let job = await store.getJob(second);
    while (job?.status === 'pending') {
      await new Promise((r) => setTimeout(r, 50));
      job = await store.getJob(second);
    }
    expect(job).toMatchObject({ status: 'failed', error: { code: 'job_stalled', retryable: true }, creditsCharged: 0 });
    expect(b.runs).toEqual([]);
    // A's job kept its slot and runs on.
    expect((await store.listSessionSlots(session.session_id, Date.now())).map((x) => x.jobId)).toEqual([first]);
    expect((await store.getJob(first))!.status).not.toBe('failed');
  }, 60_000);

  it('shares webhook wake-ups and replay memory between the instances', async () => {
    const { a, b } = await twoInstances();
    for (const x of [a, b]) expect(x.bff.deps.webhooks).toBeInstanceOf(RedisWebhookHub);
    await Promise.all([a, b].map((x) => (x.bff.deps.webhooks as RedisWebhookHub).subscribed));
    const woken = a.bff.deps.webhooks.wait('lumely:job-9', 5_000);
    b.bff.deps.webhooks.notify('lumely:job-9');
    expect(await woken).toBe(true);
    expect(await b.bff.deps.webhooks.firstDelivery('lumely\njob.completed:job-9:completed')).toBe(true);
    expect(await a.bff.deps.webhooks.firstDelivery('lumely\njob.completed:job-9:completed')).toBe(false);
  });

  it('reads the lease TTL from STAGING_LEASE_TTL_MS and refuses nonsense', () => {
    const env = { STAGING_DEV: '1' };
    expect(loadConfig(env).leaseTtlMs).toBe(30_000);
    expect(loadConfig({ ...env, STAGING_LEASE_TTL_MS: '1500' }).leaseTtlMs).toBe(1500);
    for (const bad of ['50', '1.5s', '-1']) expect(() => loadConfig({ ...env, STAGING_LEASE_TTL_MS: bad })).toThrow(/STAGING_LEASE_TTL_MS/);
  });
});

describe('the Redis event bus', () => {
  it('delivers once per listener on every instance and holds a channel only while it has listeners', async () => {
    const ns = `staging:${uniquePrefix()}:`;
    const conns = [new Redis(redis.port, '127.0.0.1'), new Redis(redis.port, '127.0.0.1'), new Redis(redis.port, '127.0.0.1')];
    afterThisTest(() => conns.forEach((c) => c.disconnect()));
    const a = new RedisJobEvents(conns[0]!, ns, 'inst-a');
    const b = new RedisJobEvents(conns[1]!, ns, 'inst-b');
    afterThisTest(async () => {
      await a.close();
      await b.close();
    });
    const got: string[] = [];
    const offA = a.subscribe('job_1', (p, terminal) => got.push(`a:${p}:${terminal}`));
    const offB = b.subscribe('job_1', (p, terminal) => got.push(`b:${p}:${terminal}`));
    const numsub = async () => Number(((await conns[2]!.pubsub('NUMSUB', `${ns}events:job_1`)) as [string, number])[1]);
    for (let i = 0; i < 100 && (await numsub()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await numsub()).toBe(2);

    a.publish('job_1', 'p1', false);
    b.publish('job_1', 'p2', true);
    for (let i = 0; i < 100 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show up
    expect(got.sort()).toEqual(['a:p1:false', 'a:p2:true', 'b:p1:false', 'b:p2:true']);

    offA();
    offB();
    for (let i = 0; i < 100 && (await numsub()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await numsub()).toBe(0);
    expect(a.listenerCount() + b.listenerCount()).toBe(0);
  });
});

describe('the Redis webhook hub', () => {
  async function twoHubs(replayWindowMs?: number) {
    const ns = `staging:${uniquePrefix()}:`;
    const conns = [new Redis(redis.port, '127.0.0.1'), new Redis(redis.port, '127.0.0.1')];
    afterThisTest(() => conns.forEach((c) => c.disconnect()));
    const a = new RedisWebhookHub(conns[0]!, ns, 'inst-a', { replayWindowMs });
    const b = new RedisWebhookHub(conns[1]!, ns, 'inst-b', { replayWindowMs });
    afterThisTest(async () => {
      await a.close();
      await b.close();
    });
    await Promise.all([a.subscribed, b.subscribed]);
    return { a, b };
  }

  it('wakes the instance that waits when the webhook reached another one, and only its waiters on that key', async () => {
    const { a, b } = await twoHubs();
    const started = performance.now();
    const woken = a.wait('lumely:job-1', 5_000);
    const other = a.wait('lumely:job-2', 300);
    b.notify('lumely:job-1');
    expect(await woken).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await other).toBe(false);
  });

  it('wakes its own waiters once, not again when its own message comes back', async () => {
    const { a } = await twoHubs();
    let wakes = 0;
    const first = a.wait('k', 2_000).then((w) => w && wakes++);
    a.notify('k');
    await first;
    // A second waiter registered after the notify must not be woken by the echo from Redis.
    expect(await a.wait('k', 300)).toBe(false);
    expect(wakes).toBe(1);
  });

  it('refuses a replay whichever instance it reaches, within the window only', async () => {
    const { a, b } = await twoHubs(300);
    const event = 'lumely\njob.completed:job-1:completed';
    expect(await a.firstDelivery(event)).toBe(true);
    expect(await b.firstDelivery(event)).toBe(false);
    expect(await a.firstDelivery(event)).toBe(false);
    expect(await b.firstDelivery('lumely\njob.failed:job-1:failed')).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await b.firstDelivery(event)).toBe(true);
  });
});
