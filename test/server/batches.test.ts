import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batch, BatchPage, BatchWithJobs, Job } from '../../src/contract/index.js';
import sharp from 'sharp';
import { expectError, fixture, json, makeBff, mintSession, req, tempDir, upload, waitForStatus } from './helpers.js';
import { readJobEvents } from './sse.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { unzip, waitForBatch } from './support/batches.js';

type Bff = ReturnType<typeof makeBff>;

async function photos(bff: Bff, token: string, n: number) {
  const names = ['living-room-render.jpg', 'kitchen-render.jpg', 'bedroom-furnished.jpg'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await upload(bff, token, names[i % names.length])).id);
  return out;
}

const create = (bff: Bff, token: string, body: unknown, headers: Record<string, string> = {}) => req(bff, '/v1/batches', { ...json(body, headers), token });


describe('batches', () => {
  it("puts the copies to publish in the ZIP, labelled where the session's disclosure profile asks, with what each needs in the manifest", async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1', disclosure_profile: 'ca-ab723' });
    const ids = await photos(bff, token, 2);
    const res = await create(bff, token, { service: 'virtual-staging', config: 'living-room', items: ids.map((upload_id) => ({ upload_id })) });
    expect(res.status).toBe(201);
    const done = await waitForBatch(bff, token, BatchWithJobs.parse(await res.json()).id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const files = await unzip(Buffer.from(await (await req(bff, done.archive_url!, { origin: null })).arrayBuffer()));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: Array<{ file: string; output_id: string; disclosure: Record<string, unknown> }> };
    expect(manifest.files).toHaveLength(2);
    for (const [i, entry] of manifest.files.entries()) {
      const output = done.jobs[i]!.outputs[0]!;
      expect(entry.output_id).toBe(output.id);
      expect(entry.disclosure).toMatchObject({ profile: 'ca-ab723', edit_class: 'material', burned_in: true, original_page_url: output.disclosure.original_page_url });
      expect(entry.disclosure).not.toHaveProperty('published_url');
      const published = Buffer.from(await (await req(bff, output.disclosure.published_url, { origin: null })).arrayBuffer());
      expect(files.get(entry.file)!.equals(published)).toBe(true);
    }
  }, 90_000);

  it('runs a listing in one request: one style for every photo, each item its own room, and one ZIP of everything with a manifest', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const ids = await photos(bff, token, 3);
    const res = await create(bff, token, {
      service: 'render-enhancement',
      config: 'interior-modern',
      options: { lighting: 'natural' },
      items: [{ upload_id: ids[0] }, { upload_id: ids[1], config: 'interior-traditional' }, { upload_id: ids[2] }],
    });
    expect(res.status).toBe(201);
    const batch = BatchWithJobs.parse(await res.json());
    expect(batch.items.map((i) => i.upload_id)).toEqual(ids);
    expect(batch.jobs.map((j) => j.config)).toEqual(['interior-modern', 'interior-traditional', 'interior-modern']);
    expect(batch.jobs.every((j) => j.options.lighting === 'natural')).toBe(true);
    expect(batch.credits_required).toBe(batch.jobs.reduce((n, j) => n + j.credits_charged, 0));
    const done = await waitForBatch(bff, token, batch.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ pending: 0, processing: 0, completed: 3, failed: 0, cancelled: 0 });

    const archive = await req(bff, done.archive_url!, { origin: null });
    expect(archive.status).toBe(200);
    expect(archive.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(Buffer.from(await archive.arrayBuffer()));
    expect([...files.keys()].sort()).toEqual(['01-interior-modern.jpg', '02-interior-traditional.jpg', '03-interior-modern.jpg', 'manifest.json']);
    expect(files.get('01-interior-modern.jpg')!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: Array<{ file: string; original_upload_id: string; job_id: string }> };
    expect(manifest.files.map((f) => [f.file, f.original_upload_id, f.job_id])).toEqual(done.jobs.map((j, i) => [[...files.keys()].sort()[i], ids[i], j.id]));
    // The signed link is the credential: edited, it is refused.
    // Change the signature's first character (to one it is not, or the link stays valid).
    const forged = done.archive_url!.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await req(bff, forged, { origin: null })).status).toBe(404);
    // It expires: within the signed-URL lifetime (an hour by default), and refused once past it.
    const expires = Number(new URL(done.archive_url!).searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(3590_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(3600_000);
    const path = `/v1/batches/${done.id}/archive`;
    const lapsed = bff.deps.tokens.signPath(path, 3600, Date.now() - 3601_000);
    expect((await req(bff, lapsed, { origin: null })).status).toBe(404);
    expect((await req(bff, bff.deps.tokens.signPath(path, 3600), { origin: null })).status).toBe(200);
  });

  it('checks the whole batch’s credits before anything starts, saying how many are needed and remain', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 4 });
    const ids = await photos(bff, token, 3);
    const err = await expectError(await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) }), 402, 'insufficient_credits');
    expect(err).toMatchObject({ credits_remaining: 4 });
    expect(err.credits_required).toBeGreaterThan(4);
    expect(((await (await req(bff, '/v1/jobs', { token })).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('names the item in a 400, refuses another subject’s photo as that item’s 404, and holds to STAGING_BATCH_MAX_ITEMS', async () => {
    const bff = makeBff({ batchMaxItems: 2 });
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const other = await mintSession(bff, { subject: 'mallory' });
    const [mine] = await photos(bff, token, 1);
    const [theirs] = await photos(bff, other.token, 1);
    const bad = await expectError(await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: [{ upload_id: mine }, { upload_id: mine, config: 'no-such-room' }] }), 400, 'invalid_request');
    expect(bad.issues).toEqual([expect.objectContaining({ path: 'items.1.config' })]);
    const noConfig = await expectError(await create(bff, token, { service: 'render-enhancement', items: [{ upload_id: mine }] }), 400, 'invalid_request');
    expect(noConfig.issues).toEqual([expect.objectContaining({ path: 'items.0.config' })]);
    const foreign = await expectError(await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: [{ upload_id: mine }, { upload_id: theirs }] }), 404, 'not_found');
    expect(foreign.field).toBe('items.1.upload_id');
    const tooMany = await expectError(await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: [{ upload_id: mine }, { upload_id: mine }, { upload_id: mine }] }), 400, 'invalid_request');
    expect(tooMany.issues).toEqual([{ path: 'items', message: 'allows at most 2 photos per batch' }]);
    expect(((await (await req(bff, '/v1/jobs', { token })).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('replays an Idempotency-Key, refuses it for another body, and hides batches from other subjects', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const other = await mintSession(bff, { subject: 'mallory' });
    const ids = await photos(bff, token, 2);
    const body = { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) };
    const first = await create(bff, token, body, { 'Idempotency-Key': 'listing-7' });
    const again = await create(bff, token, body, { 'Idempotency-Key': 'listing-7' });
    expect([first.status, again.status]).toEqual([201, 200]);
    const a = Batch.parse(await first.json());
    expect(Batch.parse(await again.json()).id).toBe(a.id);
    await expectError(await create(bff, token, { ...body, items: [body.items[0]] }, { 'Idempotency-Key': 'listing-7' }), 409, 'idempotency_key_reused');
    for (const path of [`/v1/batches/${a.id}`, `/v1/batches/${a.id}/events`]) await expectError(await req(bff, path, { token: other.token }), 404, 'not_found');
    await expectError(await req(bff, `/v1/batches/${a.id}/cancel`, { method: 'POST', token: other.token }), 404, 'not_found');
    expect(BatchPage.parse(await (await req(bff, '/v1/batches', { token: other.token })).json()).data).toEqual([]);
    expect(BatchPage.parse(await (await req(bff, '/v1/batches', { token })).json()).data.map((b) => b.id)).toEqual([a.id]);
  });

  it('streams the whole listing on one connection: every job change, the counts after each, and the end after the last job', async () => {
    const bff = makeBff({ localSpeed: 0.1 });
    const { token } = await mintSession(bff);
    const ids = await photos(bff, token, 3);
    const batch = Batch.parse(await (await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    const res = await req(bff, `/v1/batches/${batch.id}/events`, { token });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const lastOf = new Map<string, Job>();
    let lastBatch: Batch | null = null;
    let batchEvents = 0;
    for await (const e of readJobEvents(res)) {
      if (e.event === 'job') {
        const j = JSON.parse(e.data) as Job;
        lastOf.set(j.id, j);
      } else if (e.event === 'batch') {
        lastBatch = Batch.parse(JSON.parse(e.data));
        batchEvents++;
      }
    }
    // The stream ended by itself, after every job ended.
    expect([...lastOf.values()].map((j) => j.status)).toEqual(['completed', 'completed', 'completed']);
    expect(lastBatch).toMatchObject({ status: 'completed', counts: { completed: 3 } });
    expect(batchEvents).toBeGreaterThan(1);
  });

  it("shows each queued job as pending with its place in the session's line, and moves the places as jobs start", async () => {
    const bff = makeBff({ localSpeed: 0.2, sessionConcurrency: 1 });
    const { token } = await mintSession(bff);
    const ids = await photos(bff, token, 4);
    const res = await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) });
    const batch = BatchWithJobs.parse(await res.json());
    // The first job took the session's one slot at once; the other three wait in item order.
    expect(batch.jobs.map((j) => [j.status, j.queue_position ?? null])).toEqual([
      [batch.jobs[0]!.status, null],
      ['pending', 1],
      ['pending', 2],
      ['pending', 3],
    ]);
    // A single job's read says the same.
    expect(Job.parse(await (await req(bff, `/v1/jobs/${batch.jobs[3]!.id}`, { token })).json()).queue_position).toBe(3);
    // On the batch stream, each waiting job's place counts down to 1 before it starts, and a job that runs has none.
    const places = new Map<string, number[]>();
    for await (const e of readJobEvents(await req(bff, `/v1/batches/${batch.id}/events`, { token }))) {
      if (e.event !== 'job') continue;
      const j = Job.parse(JSON.parse(e.data));
      if (j.status !== 'pending') expect(j.queue_position ?? null).toBeNull();
      else if (j.queue_position) places.set(j.id, [...(places.get(j.id) ?? []), j.queue_position]);
    }
    const last = batch.jobs[3]!.id;
    expect(places.get(last)).toEqual(expect.arrayContaining([3, 2, 1]));
    expect(places.get(last)).toEqual([...places.get(last)!].sort((a, b) => b - a));
  }, 90_000);

  it('cancels what has not finished and releases its credits', async () => {
    const bff = makeBff({ localSpeed: 4, sessionConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const ids = await photos(bff, token, 3);
    const batch = Batch.parse(await (await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    const res = await req(bff, `/v1/batches/${batch.id}/cancel`, { method: 'POST', token });
    expect(res.status).toBe(200);
    const cancelled = BatchWithJobs.parse(await res.json());
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.jobs.every((j) => j.status === 'cancelled' && j.credits_charged === 0)).toBe(true);
    expect(await (await req(bff, '/v1/credits', { token })).json()).toMatchObject({ used: 0, remaining: 100 });
  });

  it('cancels only what has not finished: a completed photo keeps its output and its charge, the rest are released', async () => {
    const bff = makeBff({ localSpeed: 0.3, sessionConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const ids = await photos(bff, token, 3);
    const batch = Batch.parse(await (await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    await waitForStatus(bff, batch.items[0]!.job_id, ['completed'], 60_000);
    const cancelled = BatchWithJobs.parse(await (await req(bff, `/v1/batches/${batch.id}/cancel`, { method: 'POST', token })).json());
    const [first, ...rest] = cancelled.jobs;
    expect(first).toMatchObject({ status: 'completed', outputs: [expect.anything()] });
    expect(first!.credits_charged).toBeGreaterThan(0);
    expect(rest.map((j) => [j.status, j.credits_charged])).toEqual([
      ['cancelled', 0],
      ['cancelled', 0],
    ]);
    expect(cancelled).toMatchObject({ status: 'cancelled', counts: { completed: 1, cancelled: 2 } });
    expect(await (await req(bff, '/v1/credits', { token })).json()).toMatchObject({ used: first!.credits_charged, remaining: 100 - first!.credits_charged });
  }, 90_000);

  it('streams the archive while it is written: the first bytes leave before the later photos are even opened', async () => {
    const bff = makeBff({ localSpeed: 0 });
    const { token } = await mintSession(bff);
    const ids = await photos(bff, token, 3);
    const batch = Batch.parse(await (await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    const done = await waitForBatch(bff, token, batch.id, ['completed', 'failed']);
    // Which stored files the archive has opened so far (the blob store's own streams, counted).
    const blobs = bff.deps.blobs;
    const opened: string[] = [];
    const nodeStream = blobs.nodeStream.bind(blobs);
    blobs.nodeStream = (key: string) => {
      opened.push(key);
      return nodeStream(key);
    };
    const archive = await req(bff, done.archive_url!, { origin: null });
    const reader = archive.body!.getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeGreaterThan(0);
    // Entries are read one at a time as the client reads: at the first byte, the third photo is not open yet.
    const openedAtFirstByte = opened.length;
    expect(openedAtFirstByte).toBeLessThan(3);
    const chunks: Uint8Array[] = [first.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(opened).toHaveLength(3);
    const files = await unzip(Buffer.concat(chunks));
    expect([...files.keys()]).toEqual(['01-interior-modern.jpg', '02-interior-modern.jpg', '03-interior-modern.jpg', 'manifest.json']);
  }, 90_000);

  it('loses nothing queued across a restart: the next start runs every job of the batch once', async () => {
    const dir = tempDir();
    const options = { store: `sqlite:${join(dir, 'staging.db')}`, dataDir: join(dir, 'blobs'), localSpeed: 1, sessionConcurrency: 1, jobs: { concurrency: 1 } };
    const first = makeBff(options);
    const { token } = await mintSession(first);
    const ids = await photos(first, token, 3);
    const batch = Batch.parse(await (await create(first, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    await waitForStatus(first, batch.items[0]!.job_id, ['compressing', 'processing']);
    await first.close();
    const second = makeBff({ ...options, localSpeed: 0 });
    await second.ready;
    const done = await waitForBatch(second, token, batch.id, ['completed', 'failed']);
    expect(done.counts.completed).toBe(3);
    expect(done.jobs.every((j) => j.outputs.length === 1)).toBe(true);
  });
});

describe('one look across a listing on the local engine', () => {
  /** A fixture with its mid-tones moved by a gamma per channel (black and white stay, so the engine's own levels cannot undo it). */
  const exposed = async (name: string, gammas: [number, number, number]) => {
    const { data, info } = await sharp(fixture(name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tables = gammas.map((g) => Uint8Array.from({ length: 256 }, (_, v) => Math.round(255 * Math.pow(v / 255, g))));
    for (let i = 0; i < data.length; i++) data[i] = tables[i % 3]![data[i]!]!;
    return sharp(data, { raw: info }).jpeg({ quality: 92 }).toBuffer();
  };
  /** Mean luminance (Rec. 709) and the red/green and blue/green ratios of the channel means. */
  const look = async (bytes: Buffer) => {
    const [r, g, b] = (await sharp(bytes).stats()).channels.map((c) => c.mean) as [number, number, number];
    return { luminance: 0.2126 * r + 0.7152 * g + 0.0722 * b, rg: r / g, bg: b / g };
  };
  const output = async (bff: Bff, job: Job) => Buffer.from(await (await req(bff, job.outputs[0]!.url, { origin: null })).arrayBuffer());

  it('brings the rooms of one listing closer in exposure and white balance than each enhanced alone', async () => {
    const bff = makeBff({ localSpeed: 0 });
    const { token } = await mintSession(bff);
    // Two rooms shot differently: a dark one, and a bright one with a warm cast.
    const photos = [await exposed('kitchen-render.jpg', [1.7, 1.7, 1.7]), await exposed('bedroom-furnished.jpg', [0.6, 0.65, 0.8])];
    const ids: string[] = [];
    for (const body of photos) {
      const res = await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(body) });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const alone: Job[] = [];
    for (const upload_id of ids) {
      const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id }), token })).json());
      await waitForStatus(bff, job.id, ['completed']);
      alone.push(Job.parse(await (await req(bff, `/v1/jobs/${job.id}`, { token })).json()));
    }
    const batch = Batch.parse(await (await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    const together = (await waitForBatch(bff, token, batch.id, ['completed', 'failed'])).jobs;
    const [a0, b0] = await Promise.all(alone.map(async (j) => look(await output(bff, j))));
    const [a1, b1] = await Promise.all(together.map(async (j) => look(await output(bff, j))));
    const gap = (x: typeof a0, y: typeof a0) => ({ luminance: Math.abs(x!.luminance - y!.luminance), balance: Math.abs(x!.rg - y!.rg) + Math.abs(x!.bg - y!.bg) });
    const before = gap(a0, b0);
    const after = gap(a1, b1);
    // Alone, the engine's own white balance and levels leave them far apart; in one listing at least half the gap closes.
    expect(before.luminance).toBeGreaterThan(20);
    expect(after.luminance).toBeLessThan(before.luminance / 2);
    expect(after.balance).toBeLessThan(before.balance / 2);
  }, 90_000);
});

describe('batches with several instances on Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('a batch created on one instance is read, streamed and finished through another', async () => {
    const store = `${redis.url}/?prefix=batch${process.pid}`;
    const a = makeBff({ store });
    const b = makeBff({ store });
    const { token } = await mintSession(a);
    const ids = await photos(a, token, 2);
    const batch = Batch.parse(await (await create(a, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) })).json());
    const done = await waitForBatch(b, token, batch.id, ['completed', 'failed']);
    expect(done.counts.completed).toBe(2);
    const res = await req(b, `/v1/batches/${batch.id}/events`, { token });
    const events = [];
    for await (const e of readJobEvents(res)) events.push(e.event);
    expect(events).toEqual(['job', 'job', 'batch']);
  }, 60_000);
});

describe('a listing archive whose file is gone', () => {
  it('ends the download instead of crashing the process', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const ids = await photos(bff, token, 2);
    const res = await create(bff, token, { service: 'render-enhancement', config: 'interior-modern', items: ids.map((upload_id) => ({ upload_id })) });
    const done = await waitForBatch(bff, token, Batch.parse(await res.json()).id, ['completed', 'failed']);
    // Lose the second output's file behind the BFF's back.
    const lost = await bff.deps.store.getOutput(done.jobs[1]!.outputs[0]!.id);
    await bff.deps.blobs.delete(lost!.blobKey);
    const archive = await req(bff, done.archive_url!, { origin: null });
    expect(archive.status).toBe(200);
    await expect(archive.arrayBuffer()).rejects.toThrow();
  }, 60_000);
});
