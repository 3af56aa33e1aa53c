/**
 * `npm run bench -- load`: N concurrent widget sessions on loopback, each doing what the widget
 * does: mint a (dev) session, upload a real photo, create a job (local engine), follow it live
 * over SSE to its end, and download the output. Against one BFF process, then against two
 * processes sharing one store (STAGING_STORE=redis://…), where each session creates its job on
 * one instance and follows it on the other. Bounded in sessions, flows and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { isTerminal, Job, SessionResponse, Upload } from '../src/contract/index.js';
import { freePort, spawnBff } from '../scripts/spawn-bff.mjs';
import { percentile, rssMiB } from './support.js';

export interface BenchRow {
  name: string;
  value: string;
}

export interface LoadOptions {
  /** Concurrent widget sessions (default 20, at most 100). */
  sessions?: number;
  /** Flows (upload → job → live events → download) each session runs, one after another (default 2, at most 20). */
  flowsPerSession?: number;
  /** No new flow starts after this long; a configuration is stopped hard at three times it (default 20 s). */
  seconds?: number;
  /** STAGING_LOCAL_SPEED of the BFFs (default 0.05: 40 ms + 150 ms of simulated delay plus the real pixel work). */
  localSpeed?: number;
}

interface Instance {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

interface FlowTimes {
  upload: number;
  create: number;
  completion: number;
  download: number;
  total: number;
}

const TOKEN_SECRET = 'bench-load-token-secret-0123456789-abcdefghij';
const photo = readFileSync(fileURLToPath(new URL('../test/fixtures/living-room-render.jpg', import.meta.url)));

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function expectStatus(res: Response, statuses: number[], step: string): Promise<Response> {
  if (!statuses.includes(res.status)) throw new Error(`${step}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}

/** Reads `event: job` frames until a terminal status (or the stream's end); returns the last job. */
async function followToEnd(url: string, auth: Record<string, string>, signal: AbortSignal): Promise<Job> {
  const res = await expectStatus(await fetch(url, { headers: auth, signal }), [200], 'events');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: Job | null = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end; (end = buffer.indexOf('\n\n')) >= 0; ) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('event: job')) continue;
        const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        last = Job.parse(JSON.parse(data));
        if (isTerminal(last.status)) return last;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (!last) throw new Error('events: the stream ended without a job');
  throw new Error(`events: the stream ended on ${last.status}`);
}

/** One session: mint, then `flows` times upload → create → follow (on `follow`) → download. */
async function runSession(create: Instance, follow: Instance, flows: number, startBy: number, signal: AbortSignal, times: FlowTimes[], errors: string[]): Promise<void> {
  let auth: Record<string, string>;
  try {
    const res = await expectStatus(await fetch(`${create.url}/v1/dev/sessions`, { method: 'POST', signal }), [201], 'session');
    auth = { Authorization: `Bearer ${SessionResponse.parse(await res.json()).token}` };
  } catch (err) {
    errors.push(String(err));
    return;
  }
  for (let i = 0; i < flows && performance.now() < startBy; i++) {
    const t0 = performance.now();
    try {
      const [upload, uploadMs] = await timed(async () => {
        const res = await fetch(`${create.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: photo, signal });
        return Upload.parse(await (await expectStatus(res, [201], 'upload')).json());
      });
      const [job, createMs] = await timed(async () => {
        const res = await fetch(`${create.url}/v1/jobs`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': `load-${upload.id}` },
          body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: upload.id }),
          signal,
        });
        return Job.parse(await (await expectStatus(res, [201], 'create job')).json());
      });
      const [done, completionMs] = await timed(() => followToEnd(`${follow.url}/v1/jobs/${job.id}/events`, auth, signal));
      if (done.status !== 'completed') throw new Error(`job ${done.status}: ${done.error?.code ?? ''}`);
      const [, downloadMs] = await timed(async () => {
        // The signed URL names the creating instance's public URL; fetch it from the following one.
        const out = new URL(done.outputs[0]!.url);
        const res = await expectStatus(await fetch(`${follow.url}${out.pathname}${out.search}`, { signal }), [200], 'download');
        if ((await res.arrayBuffer()).byteLength === 0) throw new Error('download: empty output');
      });
      times.push({ upload: uploadMs, create: createMs, completion: completionMs, download: downloadMs, total: performance.now() - t0 });
    } catch (err) {
      errors.push(signal.aborted ? `flow stopped at the time limit (${String(err)})` : String(err));
    }
  }
}

/** Runs the sessions, sampling each BFF's RSS, and describes the result as rows. */
async function measure(label: string, instances: Instance[], o: Required<LoadOptions>, crossFollow: boolean): Promise<BenchRow[]> {
  const pids = instances.map((i) => i.child.pid!);
  const rssStart = pids.map(rssMiB);
  const rssPeak = [...rssStart];
  const sampler = setInterval(() => pids.forEach((p, k) => (rssPeak[k] = Math.max(rssPeak[k]!, rssMiB(p)))), 200);
  const times: FlowTimes[] = [];
  const errors: string[] = [];
  const hardStop = AbortSignal.timeout(o.seconds * 3000);
  const started = performance.now();
  const startBy = started + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.sessions }, (_, s) => {
      const create = instances[s % instances.length]!;
      const follow = crossFollow ? instances[(s + 1) % instances.length]! : create;
      return runSession(create, follow, o.flowsPerSession, startBy, hardStop, times, errors);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rssEnd = pids.map(rssMiB);
  const p = (k: keyof FlowTimes) => {
    const xs = times.map((t) => t[k]).sort((a, b) => a - b);
    return `${percentile(xs, 50).toFixed(0)} / ${percentile(xs, 99).toFixed(0)} ms`;
  };
  const rows: BenchRow[] = [
    { name: `load ${label}: flows completed / errors`, value: `${times.length} / ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}` },
    { name: `load ${label}: throughput`, value: `${(times.length / elapsed).toFixed(2)} flows/s (${o.sessions} sessions × ≤${o.flowsPerSession} flows in ${elapsed.toFixed(1)} s)` },
    { name: `load ${label}: upload p50 / p99`, value: p('upload') },
    { name: `load ${label}: job creation p50 / p99`, value: p('create') },
    { name: `load ${label}: creation → completed (live events) p50 / p99`, value: p('completion') },
    { name: `load ${label}: output download p50 / p99`, value: p('download') },
    { name: `load ${label}: whole flow p50 / p99`, value: p('total') },
    {
      name: `load ${label}: BFF RSS start → peak → end`,
      value: pids.map((_, k) => `${rssStart[k]!.toFixed(0)} → ${rssPeak[k]!.toFixed(0)} → ${rssEnd[k]!.toFixed(0)} MiB`).join('; '),
    },
  ];
  return rows;
}

function baseEnv(dir: string, port: number, o: Required<LoadOptions>): Record<string, string> {
  return {
    STAGING_DEV: '1',
    STAGING_TOKEN_SECRET: TOKEN_SECRET,
    STAGING_DATA_DIR: join(dir, 'blobs'),
    STAGING_LOCAL_SPEED: String(o.localSpeed),
    PORT: String(port),
    STAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The bench measures the server, not the limiter's refusals.
    STAGING_RATE_LIMIT: '1000000/60',
  };
}

/** A redis-server on a free loopback port, from the test helper when it exists, else started here. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const helper = fileURLToPath(new URL('../test/server/support/redis-server.ts', import.meta.url));
  if (existsSync(helper)) {
    const mod = (await import(pathToFileURL(helper).href)) as Record<string, unknown>;
    const start = (mod.startRedisServer ?? mod.startRedis ?? mod.default) as (() => Promise<{ url: string; stop?: () => Promise<void>; close?: () => Promise<void> }>) | undefined;
    if (typeof start === 'function') {
      const r = await start();
      return { url: r.url, stop: async () => void (await (r.stop ?? r.close)?.()) };
    }
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    const end = Date.now() + 5000;
    const tick = async () => {
      const net = await import('node:net');
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve()));
      s.once('error', () => (Date.now() > end ? reject(new Error('redis-server did not start')) : setTimeout(tick, 100)));
    };
    void tick();
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))),
  };
}

/** Whether this build's openStore accepts redis:// (tried for real against a live server). */
async function redisStoreProblem(url: string): Promise<string | null> {
  try {
    const { openStore } = await import('../src/server/store/open-store.js');
    const store = openStore(url);
    await store.getSession('ses_probe');
    await store.close();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export async function benchLoad(options: LoadOptions = {}): Promise<BenchRow[]> {
  const o: Required<LoadOptions> = {
    sessions: Math.min(100, Math.max(1, options.sessions ?? 20)),
    flowsPerSession: Math.min(20, Math.max(1, options.flowsPerSession ?? 2)),
    seconds: Math.min(120, Math.max(1, options.seconds ?? 20)),
    localSpeed: options.localSpeed ?? 0.05,
  };
  const rows: BenchRow[] = [];

  // One instance, SQLite.
  {
    const dir = mkdtempSync(join(tmpdir(), 'staging-load-'));
    const port = await freePort();
    const bff = await spawnBff({ ...baseEnv(dir, port, o), STAGING_STORE: `sqlite:${join(dir, 'staging.db')}` });
    try {
      rows.push(...(await measure('1 instance (SQLite)', [bff], o, false)));
    } finally {
      await bff.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // Two instances sharing a Redis store and the blob directory; events followed on the other one.
  let redis: Awaited<ReturnType<typeof startRedis>> | null = null;
  try {
    redis = await startRedis();
  } catch (err) {
    rows.push({ name: 'load 2 instances (Redis)', value: `skipped: no redis-server could be started (${String(err)})` });
  }
  if (redis) {
    try {
      const problem = await redisStoreProblem(redis.url);
      if (problem) {
        rows.push({ name: 'load 2 instances (Redis)', value: `skipped: openStore does not accept redis:// yet ("${problem}")` });
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'staging-load2-'));
        const instances: Instance[] = [];
        try {
          for (let k = 0; k < 2; k++) {
            const port = await freePort();
            instances.push(await spawnBff({ ...baseEnv(dir, port, o), STAGING_STORE: redis.url }));
          }
          rows.push(...(await measure('2 instances (Redis, events on the other instance)', instances, o, true)));
        } finally {
          await Promise.all(instances.map((i) => i.stop()));
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await redis.stop();
    }
  }
  return rows;
}

// Standalone: `node --import tsx bench/load.ts`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await benchLoad()) console.log(`${row.name}: ${row.value}`);
}
