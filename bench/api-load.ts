import { benchBff, percentile } from './support.js';

/** Throughput and latency of `GET /v1/jobs/:id` (token check, session lookup, rate limit, store read) on loopback. */
export async function benchJobReads(opts = { concurrency: 32, seconds: 5 }) {
  const bff = await benchBff({ STAGING_LOCAL_SPEED: '0' });
  try {
    const job = await bff.createJob();
    const url = `${bff.url}/v1/jobs/${job.id}`;
    const latencies: number[] = [];
    let errors = 0;
    // Warm-up: JIT, SQLite page cache, keep-alive connections.
    await Promise.all(Array.from({ length: opts.concurrency }, () => fetch(url, { headers: bff.auth }).then((r) => r.arrayBuffer())));
    const end = performance.now() + opts.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const res = await fetch(url, { headers: bff.auth });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), concurrency: opts.concurrency };
  } finally {
    await bff.stop();
  }
}
