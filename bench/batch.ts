/**
 * `npm run bench -- batch`: a 40-photo listing on the local engine, over HTTP, against a real BFF
 * process. The photos are the fixtures, each cropped and resized differently with sharp, so that
 * no two are the same size. Measures the time until every job has ended, how many of the
 * session's jobs run at once, a second session's wait for one photo while the listing runs (and
 * alone, in the same run), the BFF's peak memory, the delay from each job change to the batch
 * stream, and the archive's time to first byte and size.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { Batch, BatchWithJobs, isTerminal, Job, SessionResponse, Upload, type JobStatus } from '../src/contract/index.js';
import { readJobEvents } from '../test/server/sse.js';
import { benchBff, median, percentile, rssMiB } from './support.js';

const FIXTURES = [
  'living-room-render.jpg',
  'kitchen-render.jpg',
  'bedroom-furnished.jpg',
  'dining-open-plan-furnished.jpg',
  'house-exterior-suburban.jpg',
  'living-room-fireplace-1600.jpg',
  'living-room-staged-bright.jpg',
];

/** Photo `i` of the listing: a fixture, cropped (60–100 % of each side, at a varying offset) and resized to a long side of 900–2,400 px. */
async function listingPhoto(i: number): Promise<Buffer> {
  const source = readFileSync(new URL(`../test/fixtures/${FIXTURES[i % FIXTURES.length]}`, import.meta.url));
  const { width, height } = await sharp(source).metadata();
  const keep = 0.6 + ((i * 37) % 41) / 100;
  const w = Math.max(64, Math.floor(width * keep));
  const h = Math.max(64, Math.floor(height * (0.6 + ((i * 53) % 41) / 100)));
  const left = Math.floor(((width - w) * ((i * 29) % 11)) / 10);
  const top = Math.floor(((height - h) * ((i * 17) % 11)) / 10);
  const longSide = 900 + ((i * 389) % 1501);
  return sharp(source)
    .extract({ left, top, width: w, height: h })
    .resize({ width: w >= h ? longSide : undefined, height: h > w ? longSide : undefined })
    .jpeg({ quality: 85 })
    .toBuffer();
}

const RUNNING: readonly JobStatus[] = ['compressing', 'processing'];

export async function benchBatch(photos = 40) {
  const load = loadavg();
  const bff = await benchBff({ STAGING_LOCAL_SPEED: process.env.BENCH_LOCAL_SPEED ?? '1' });
  const pid = bff.child.pid!;
  const rss: number[] = [];
  const rssTimer = setInterval(() => rss.push(rssMiB(pid)), 100);
  try {
    const post = (path: string, auth: Record<string, string>, body: unknown) =>
      fetch(`${bff.url}${path}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const uploadPhoto = async (auth: Record<string, string>, bytes: Buffer) => {
      let res: Response;
      // The BFF decodes a few uploads at a time and asks the rest to come back (429, as the widget is told).
      while ((res = await fetch(`${bff.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: new Uint8Array(bytes) })).status === 429) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
      }
      if (res.status !== 201) throw new Error(`POST /v1/uploads: HTTP ${res.status} ${await res.text()}`);
      return Upload.parse(await res.json());
    };

    // The listing's photos, made and uploaded two at a time.
    const uploads: string[] = new Array(photos);
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let i = next++; i < photos; i = next++) uploads[i] = (await uploadPhoto(bff.auth, await listingPhoto(i))).id;
      }),
    );

    // A second session with one photo: its job's wait, from create to completed, on its own event stream.
    const other = SessionResponse.parse(await (await post('/v1/dev/sessions', {}, { subject: 'bystander' })).json());
    const otherAuth = { Authorization: `Bearer ${other.token}` };
    const otherPhoto = await uploadPhoto(otherAuth, await listingPhoto(photos));
    const bystander = async () => {
      const t0 = performance.now();
      const job = Job.parse(await (await post('/v1/jobs', otherAuth, { service: 'render-enhancement', config: 'interior-modern', upload_id: otherPhoto.id })).json());
      for await (const e of readJobEvents(await fetch(`${bff.url}/v1/jobs/${job.id}/events`, { headers: otherAuth }))) {
        if (e.event === 'job' && isTerminal((JSON.parse(e.data) as Job).status)) break;
      }
      return performance.now() - t0;
    };
    const alone = await bystander();

    // The listing.
    const t0 = performance.now();
    const res = await post('/v1/batches', bff.auth, { service: 'render-enhancement', config: 'interior-modern', items: uploads.map((upload_id) => ({ upload_id })) });
    if (res.status !== 201) throw new Error(`POST /v1/batches: HTTP ${res.status} ${await res.text()}`);
    const batch = BatchWithJobs.parse(await res.json());
    const createMs = performance.now() - t0;

    const statuses = new Map<string, JobStatus>(batch.jobs.map((j) => [j.id, j.status]));
    const running = () => [...statuses.values()].filter((s) => RUNNING.includes(s)).length;
    // Jobs of the session running at once: at every change the stream reports, and sampled every 100 ms (the typical figure).
    let maxRunning = 0;
    const runningSamples: number[] = [];
    const runningTimer = setInterval(() => runningSamples.push(running()), 100);
    // Each change's delay: from the job's own updated_at (written by the runner) to its arrival on the batch stream.
    const delays: number[] = [];
    const lastStored = new Map<string, number>();
    let placeUpdates = 0;
    let snapshotDone = false;
    let during: Promise<number> | null = null;
    let lastBatch: Batch | null = null;
    for await (const e of readJobEvents(await fetch(`${bff.url}/v1/batches/${batch.id}/events`, { headers: bff.auth }))) {
      if (e.event === 'batch') {
        snapshotDone = true;
        lastBatch = Batch.parse(JSON.parse(e.data));
        continue;
      }
      if (e.event !== 'job') continue;
      const arrived = Date.now();
      const job = JSON.parse(e.data) as Job;
      statuses.set(job.id, job.status);
      maxRunning = Math.max(maxRunning, running());
      // The first frames are the state at connection time, not changes. A waiting job published
      // again with its new place in line keeps its stored updated_at: counted apart, not timed.
      const stored = Date.parse(job.updated_at);
      if (snapshotDone && stored > (lastStored.get(job.id) ?? 0)) delays.push(arrived - stored);
      else if (snapshotDone && job.status === 'pending') placeUpdates++;
      lastStored.set(job.id, Math.max(stored, lastStored.get(job.id) ?? 0));
      // The bystander's photo, once the listing has filled the session's slots.
      if (!during && running() > 0) during = bystander();
    }
    const allDoneMs = performance.now() - t0;
    clearInterval(runningTimer);
    const behind = await (during ?? bystander());
    const counts = lastBatch?.counts;

    // The archive: headers, first byte and every byte, with memory sampled meanwhile.
    const done = BatchWithJobs.parse(await (await fetch(`${bff.url}/v1/batches/${batch.id}`, { headers: bff.auth })).json());
    if (!done.archive_url) throw new Error(`the batch ended ${done.status} without an archive`);
    const rssBeforeArchive = rssMiB(pid);
    const rssArchiveFrom = rss.length;
    const a0 = performance.now();
    const archive = await fetch(done.archive_url);
    const reader = archive.body!.getReader();
    let firstByteMs = NaN;
    let bytes = 0;
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      if (bytes === 0) firstByteMs = performance.now() - a0;
      bytes += value.byteLength;
    }
    const archiveMs = performance.now() - a0;
    const rssDuringArchive = Math.max(rssMiB(pid), ...rss.slice(rssArchiveFrom));

    const sortedDelays = [...delays].sort((a, b) => a - b);
    return {
      photos,
      load,
      loadAfter: loadavg(),
      createMs,
      allDoneMs,
      counts,
      maxRunning,
      typicalRunning: median(runningSamples.filter((n) => n > 0)),
      alone,
      behind,
      peakRssMiB: Math.max(...rss),
      rssBeforeArchive,
      rssDuringArchive,
      delays: { n: delays.length, median: median(delays), p95: percentile(sortedDelays, 95), max: sortedDelays[sortedDelays.length - 1] ?? NaN },
      placeUpdates,
      archive: { status: archive.status, firstByteMs, totalMs: archiveMs, bytes },
    };
  } finally {
    clearInterval(rssTimer);
    await bff.stop();
  }
}
