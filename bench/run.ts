/**
 * `npm run bench`: measures on loopback, with real processes, and prints one table.
 * Figures vary with the machine: compare runs on the same machine, quote medians.
 */
import { benchJobReads } from './api-load.js';
import { benchFanout } from './sse-fanout.js';

type Row = { name: string; value: string };
const rows: Row[] = [];
const add = (name: string, value: string) => {
  rows.push({ name, value });
  process.stderr.write(`  ${name}: ${value}\n`);
};
const only = process.argv.slice(2);
const wanted = (k: string) => only.length === 0 || only.includes(k);

if (wanted('api')) {
  process.stderr.write('GET /v1/jobs/:id under load…\n');
  const r = await benchJobReads();
  add(`GET /v1/jobs/:id throughput (${r.concurrency} concurrent, keep-alive)`, `${r.rps.toFixed(0)} req/s (${r.requests} requests, ${r.errors} errors)`);
  add('GET /v1/jobs/:id latency p50 / p99', `${r.p50.toFixed(2)} ms / ${r.p99.toFixed(2)} ms`);
}

if (wanted('read')) {
  process.stderr.write('the read path against a bare Hono route (autocannon)…\n');
  const { benchReadPath } = await import('./read-path.js');
  const r = await benchReadPath();
  add(`bare Hono route, same JSON (${r.connections} connections, autocannon)`, `${r.bare.rps.toFixed(0)} req/s, p50 ${r.bare.p50} ms, p99 ${r.bare.p99} ms`);
  add(`GET /v1/jobs/:id, a completed job with ${r.outputs} output (same run)`, `${r.bff.rps.toFixed(0)} req/s, p50 ${r.bff.p50} ms, p99 ${r.bff.p99} ms, ${r.bff.errors} errors`);
  add('read path / bare Hono (goal ≥ 50 %)', `${(r.ratio * 100).toFixed(0)} %`);
}

if (wanted('fair')) {
  process.stderr.write("a bystander's job while another session's jobs are queued…\n");
  const { benchFairness } = await import('./fairness.js');
  const r = await benchFairness();
  add("a bystander's job, alone (create → completed)", `${(r.alone / 1000).toFixed(2)} s`);
  add(`the same with another session's ${r.noisyJobs} jobs queued first`, `${(r.behind / 1000).toFixed(2)} s (${(r.behind / r.alone).toFixed(1)}× alone)`);
}

if (wanted('batch')) {
  process.stderr.write('a 40-photo listing on the local engine (POST /v1/batches → batch stream → archive)…\n');
  const { benchBatch } = await import('./batch.js');
  const r = await benchBatch();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  add('load average (1/5/15 min) before → after', `${r.load.map((x) => x.toFixed(2)).join(' / ')} → ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')}`);
  add(`${r.photos} photos: POST /v1/batches → every job ended`, `${s(r.allDoneMs)} (answered in ${r.createMs.toFixed(0)} ms; ${r.counts?.completed ?? '?'} completed, ${r.counts?.failed ?? '?'} failed)`);
  add('jobs of the session running at once, max / typical (median of 100 ms samples)', `${r.maxRunning} / ${r.typicalRunning}`);
  add("a second session's photo (create → completed): alone / during the listing", `${s(r.alone)} / ${s(r.behind)} (${(r.behind / r.alone).toFixed(1)}× alone)`);
  add('BFF memory at peak (RSS, sampled every 100 ms)', `${r.peakRssMiB.toFixed(0)} MiB`);
  add(`job change (updated_at) → batch stream, median / p95 / max (${r.delays.n} changes)`, `${r.delays.median} ms / ${r.delays.p95} ms / ${r.delays.max} ms`);
  add('queue-position updates on the batch stream (waiting jobs moving up)', String(r.placeUpdates));
  add('archive: time to first byte / whole download / size', `${r.archive.firstByteMs.toFixed(0)} ms / ${r.archive.totalMs.toFixed(0)} ms / ${(r.archive.bytes / 1024 / 1024).toFixed(1)} MiB (HTTP ${r.archive.status})`);
  add('BFF memory before → during the archive (RSS)', `${r.rssBeforeArchive.toFixed(0)} MiB → ${r.rssDuringArchive.toFixed(0)} MiB`);
}

if (wanted('sse')) {
  process.stderr.write('1,000 event-stream listeners on one job…\n');
  const r = await benchFanout(1000);
  add(`SSE listeners connected / received the change`, `${r.listeners} / ${r.received}`);
  add('BFF memory idle → with listeners (RSS)', `${r.rssBeforeMiB.toFixed(1)} MiB → ${r.rssConnectedMiB.toFixed(1)} MiB (${r.perListenerKiB.toFixed(1)} KiB per listener)`);
  add('job change (a cancel, answered in ' + `${r.cancelMs.toFixed(0)} ms) → first / last listener`, `${r.firstMs.toFixed(1)} ms / ${r.lastMs.toFixed(1)} ms`);
  add('fan-out: first → 1,000th listener (goal ≤ 50 ms)', `${r.spreadMs.toFixed(1)} ms (the BFF's CPU from the cancel to the last copy: ${r.serverCpuMs} ms)`);
  add(
    "the server's send loop: cancel request's arrival → the 1,000th copy's socket write returned",
    r.serverSendMs === null ? 'the probe did not report' : `${r.serverSendMs.toFixed(1)} ms (the BFF's CPU meanwhile: ${r.serverSendCpuMs!.toFixed(1)} ms)`,
  );
}

if (wanted('load')) {
  process.stderr.write('widget sessions under load (upload → job → live events → download), one instance and two…\n');
  const { benchLoad } = await import('./load.js');
  for (const r of await benchLoad()) add(r.name, r.value);
}
if (wanted('engine')) {
  process.stderr.write('local engine on a 6000×4000 JPEG…\n');
  const { benchEngine } = await import('./engine.js');
  for (const r of await benchEngine()) add(r.name, r.value);
}

if (wanted('heic')) {
  process.stderr.write('event-loop stalls while a HEIC photo decodes…\n');
  const { benchHeic } = await import('./heic.js');
  for (const r of await benchHeic()) add(r.name, r.value);
}

if (wanted('size')) {
  process.stderr.write('one-tag script bundle size…\n');
  const { benchBundleSize } = await import('./bundle-size.js');
  for (const r of await benchBundleSize()) add(r.name, r.value);
}

if (wanted('upload')) {
  process.stderr.write('bytes uploaded for a 2K and a 4K job, from a 24 MP phone photo (the built script in Chromium)…\n');
  const { benchUpload } = await import('./upload.js');
  for (const r of await benchUpload()) add(r.name, r.value);
}

const width = Math.max(...rows.map((r) => r.name.length), 6);
console.log(`\n| ${'metric'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |`);
for (const r of rows) console.log(`| ${r.name.padEnd(width)} | ${r.value} |`);
