import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort } from '../scripts/spawn-bff.mjs';
import { benchBff, median } from './support.js';

/**
 * The read path, `GET /v1/jobs/:id` (token check, session lookup, rate limit, store read, signed
 * output URLs), against a bare Hono route that returns the same JSON, in the same run, both as
 * their own processes and loaded by autocannon on loopback. Runs alternate (bare, BFF, bare, BFF,
 * …) so that a change in the machine's load hits both; the ratio of the medians is the figure.
 */
export async function benchReadPath(opts = { connections: 32, seconds: 4, rounds: 3 }) {
  const bff = await benchBff({ STAGING_LOCAL_SPEED: '0' });
  const port = await freePort();
  const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-hono.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['pipe', 'ignore', 'pipe'] });
  try {
    let job = await bff.createJob();
    while (job.status !== 'completed' && job.status !== 'failed') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await fetch(`${bff.url}/v1/jobs/${job.id}`, { headers: bff.auth })).json()) as typeof job;
    }
    const body = await (await fetch(`${bff.url}/v1/jobs/${job.id}`, { headers: bff.auth })).text();
    bare.stdin.end(body);
    await new Promise<void>((resolve, reject) => {
      bare.stderr.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
      bare.once('exit', (code) => reject(new Error(`the bare Hono server exited (${code})`)));
    });
    const load = async (url: string, headers: Record<string, string>) => {
      const r = await autocannon({ url, headers, connections: opts.connections, duration: opts.seconds });
      return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
    };
    const runs = { bare: [] as Awaited<ReturnType<typeof load>>[], bff: [] as Awaited<ReturnType<typeof load>>[] };
    // Warm-up of both (JIT, SQLite page cache, connections), not counted.
    await load(`http://127.0.0.1:${port}/v1/jobs/${job.id}`, {});
    await load(`${bff.url}/v1/jobs/${job.id}`, bff.auth);
    for (let i = 0; i < opts.rounds; i++) {
      runs.bare.push(await load(`http://127.0.0.1:${port}/v1/jobs/${job.id}`, {}));
      runs.bff.push(await load(`${bff.url}/v1/jobs/${job.id}`, bff.auth));
    }
    const summary = (xs: typeof runs.bare) => ({
      rps: median(xs.map((x) => x.rps)),
      p50: median(xs.map((x) => x.p50)),
      p99: median(xs.map((x) => x.p99)),
      errors: xs.reduce((n, x) => n + x.errors, 0),
    });
    const b = summary(runs.bare);
    const s = summary(runs.bff);
    return { bare: b, bff: s, ratio: s.rps / b.rps, connections: opts.connections, outputs: job.outputs.length };
  } finally {
    bare.kill();
    await bff.stop();
  }
}
