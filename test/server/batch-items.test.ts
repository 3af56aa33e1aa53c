/**
 * The agent's decisions per photo of a listing (issue 10): redo one photo (a new prompt, options or
 * variant, charged to the caller as one job) and leave photos out; the batch, its stream and its
 * archive follow each item's current job.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batch, BatchWithJobs, Job } from '../../src/contract/index.js';
import { StagingClient } from '../../src/client/api-client.js';
import { TokenManager } from '../../src/client/token-manager.js';
import { ADMIN_KEY, BASE, expectError, json, makeBff, mintSession, req, tempDir, upload, waitForStatus } from './helpers.js';
import { readJobEvents } from './sse.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { unzip, waitForBatch } from './support/batches.js';

type Bff = ReturnType<typeof makeBff>;

const ENHANCE = { service: 'render-enhancement', config: 'interior-modern' };

async function startBatch(bff: Bff, token: string, n: number, body: Record<string, unknown> = ENHANCE) {
  const names = ['living-room-render.jpg', 'kitchen-render.jpg', 'bedroom-furnished.jpg'];
  const items = [];
  for (let i = 0; i < n; i++) items.push({ upload_id: (await upload(bff, token, names[i % names.length])).id });
  const res = await req(bff, '/v1/batches', { ...json({ ...body, items }), token });
  expect(res.status).toBe(201);
  return BatchWithJobs.parse(await res.json());
}

const redo = (bff: Bff, token: string, batchId: string, index: number | string, body: unknown, headers: Record<string, string> = {}) =>
  req(bff, `/v1/batches/${batchId}/items/${index}/redo`, { ...json(body, headers), token });
const setItem = (bff: Bff, token: string, batchId: string, index: number | string, body: unknown) =>
  req(bff, `/v1/batches/${batchId}/items/${index}`, { ...json(body), method: 'PATCH', token });
const getBatch = async (bff: Bff, token: string, id: string) => BatchWithJobs.parse(await (await req(bff, `/v1/batches/${id}`, { token })).json());
const credits = async (bff: Bff, token: string) => (await (await req(bff, '/v1/credits', { token })).json()) as { used: number; remaining: number | null };

const bytesOf = async (bff: Bff, url: string) => Buffer.from(await (await req(bff, url, { origin: null })).arrayBuffer());

interface Manifest {
  excluded_items: number[];
  files: Array<{ file: string; item: number; job_id: string; output_id: string }>;
}

describe('batch items: redo and exclude', () => {
  it('redoes a photo with a new prompt and options: a job of the batch charged to the caller, the item’s job from then on, and the archive holds its output, not the first, and leaves out an excluded photo', async () => {
    const bff = makeBff();
    const creator = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const batch = await startBatch(bff, creator.token, 3);
    const done = await waitForBatch(bff, creator.token, batch.id);
    expect(done.status).toBe('completed');
    expect(done.items.map((i) => [i.excluded, i.previous_job_ids])).toEqual([
      [false, []],
      [false, []],
      [false, []],
    ]);
    const creatorUsed = (await credits(bff, creator.token)).used;

    // Another session of the same agent redoes the first photo: it pays, the creator's session does not.
    const caller = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const res = await redo(bff, caller.token, batch.id, 0, { prompt: 'cooler light, keep the sofa', options: { lighting: 'cool' } });
    expect(res.status).toBe(201);
    const job = Job.parse(await res.json());
    const first = done.jobs[0]!;
    expect(job.id).not.toBe(first.id);
    expect(job).toMatchObject({ prompt: 'cooler light, keep the sofa', service: first.service, config: first.config, upload_id: first.upload_id, resolution: first.resolution, options: { lighting: 'cool' } });
    expect(job.credits_charged).toBeGreaterThan(0);
    expect(await credits(bff, caller.token)).toMatchObject({ used: job.credits_charged, remaining: 100 - job.credits_charged });
    expect((await credits(bff, creator.token)).used).toBe(creatorUsed);
    // The job belongs to the listing: the engine is handed the listing's photos as for the others.
    expect((await bff.deps.store.getJob(job.id))!.batchId).toBe(batch.id);

    // The batch follows the redo at once: the item's job, its earlier one kept, the counts.
    const running = await getBatch(bff, creator.token, batch.id);
    expect(running.items[0]).toEqual({ upload_id: first.upload_id, job_id: job.id, previous_job_ids: [first.id], excluded: false });
    expect(running.jobs.map((j) => j.id)).toEqual([job.id, done.jobs[1]!.id, done.jobs[2]!.id]);
    expect(running.counts.completed + running.counts.pending + running.counts.processing).toBe(3);

    // The agent leaves the second photo out.
    const patched = await setItem(bff, caller.token, batch.id, 1, { excluded: true });
    expect(patched.status).toBe(200);
    expect(BatchWithJobs.parse(await patched.json()).items.map((i) => i.excluded)).toEqual([false, true, false]);

    const after = await waitForBatch(bff, creator.token, batch.id);
    expect(after).toMatchObject({ status: 'completed', counts: { completed: 3, failed: 0, cancelled: 0 } });
    const redone = after.jobs[0]!;
    expect(redone.id).toBe(job.id);
    const files = await unzip(await bytesOf(bff, after.archive_url!));
    expect([...files.keys()].sort()).toEqual(['01-interior-modern.jpg', '03-interior-modern.jpg', 'manifest.json']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest.excluded_items).toEqual([2]);
    expect(manifest.files.map((f) => [f.file, f.item, f.job_id, f.output_id])).toEqual([
      ['01-interior-modern.jpg', 1, job.id, redone.outputs[0]!.id],
      ['03-interior-modern.jpg', 3, done.jobs[2]!.id, done.jobs[2]!.outputs[0]!.id],
    ]);
    // The redo's picture, not the first one (the cool light changed it).
    const redoneBytes = await bytesOf(bff, redone.outputs[0]!.url);
    const firstBytes = await bytesOf(bff, first.outputs[0]!.url);
    expect(redoneBytes.equals(firstBytes)).toBe(false);
    expect(files.get('01-interior-modern.jpg')!.equals(redoneBytes)).toBe(true);

    // Taken back in, it is in the archive again; the link it had is a plain link still.
    expect((await setItem(bff, creator.token, batch.id, 1, { excluded: false })).status).toBe(200);
    const again = await unzip(await bytesOf(bff, after.archive_url!));
    expect([...again.keys()].sort()).toEqual(['01-interior-modern.jpg', '02-interior-modern.jpg', '03-interior-modern.jpg', 'manifest.json']);
  }, 90_000);

  it('refuses a redo the calling session may not make: a service outside its scope, credits it lacks, a revoked session; nothing changes', async () => {
    const bff = makeBff();
    const creator = await mintSession(bff, { subject: 'agent-1' });
    const batch = await waitForBatch(bff, creator.token, (await startBatch(bff, creator.token, 1)).id);
    const cost = batch.jobs[0]!.credits_charged;
    expect(cost).toBeGreaterThan(0);

    const scoped = await mintSession(bff, { subject: 'agent-1', services: ['upscale'] });
    await expectError(await redo(bff, scoped.token, batch.id, 0, {}), 403, 'scope_denied');
    const poor = await mintSession(bff, { subject: 'agent-1', max_credits: cost - 1 });
    const err = await expectError(await redo(bff, poor.token, batch.id, 0, {}), 402, 'insufficient_credits');
    expect(err).toMatchObject({ credits_required: cost, credits_remaining: cost - 1 });
    const revoked = await mintSession(bff, { subject: 'agent-1' });
    const rv = await req(bff, `/v1/sessions/${revoked.session_id}`, { method: 'DELETE', origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(rv.status).toBeLessThan(300);
    await expectError(await redo(bff, revoked.token, batch.id, 0, {}), 401, 'session_revoked');
    await expectError(await setItem(bff, revoked.token, batch.id, 0, { excluded: true }), 401, 'session_revoked');

    const unchanged = await getBatch(bff, creator.token, batch.id);
    expect(unchanged.items[0]).toMatchObject({ job_id: batch.jobs[0]!.id, previous_job_ids: [], excluded: false });
    expect((await credits(bff, poor.token)).used).toBe(0);
    // A prompt the service does not take is refused like a job's.
    const upscaled = await waitForBatch(bff, creator.token, (await startBatch(bff, creator.token, 1, { service: 'upscale', config: 'standard', resolution: '4K' })).id);
    const bad = await expectError(await redo(bff, creator.token, upscaled.id, 0, { prompt: 'sharper' }), 400, 'invalid_request');
    expect(bad.issues).toEqual([expect.objectContaining({ path: 'prompt' })]);
  }, 60_000);

  it('hides the items of another subject’s batch (404), names a bad index in a 400, and checks the body', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const other = await mintSession(bff, { subject: 'mallory' });
    const batch = await startBatch(bff, token, 2);
    await expectError(await redo(bff, other.token, batch.id, 0, {}), 404, 'not_found');
    await expectError(await setItem(bff, other.token, batch.id, 0, { excluded: true }), 404, 'not_found');
    await expectError(await redo(bff, token, 'bat_0123456789abcdefXYZ', 0, {}), 404, 'not_found');
    // Widget routes: the token and the origin are checked before anything else.
    await expectError(await req(bff, `/v1/batches/${batch.id}/items/0/redo`, json({})), 401, 'unauthorized');
    await expectError(await req(bff, `/v1/batches/${batch.id}/items/0`, { ...json({ excluded: true }), method: 'PATCH' }), 401, 'unauthorized');
    await expectError(await req(bff, `/v1/batches/${batch.id}/items/0`, { ...json({ excluded: true }), method: 'PATCH', token, origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    for (const index of ['2', '-1', 'x', '1.5', '99999']) {
      const e = await expectError(await setItem(bff, token, batch.id, index, { excluded: true }), 400, 'invalid_request');
      expect(e.issues).toEqual([{ path: 'index', message: "must be the place of one of this batch's 2 items: 0 to 1" }]);
      await expectError(await redo(bff, token, batch.id, index, {}), 400, 'invalid_request');
    }
    const body = await expectError(await setItem(bff, token, batch.id, 0, { excluded: 'yes' }), 400, 'invalid_request');
    expect(body.issues).toEqual([expect.objectContaining({ path: 'excluded' })]);
    const unknown = await expectError(await redo(bff, token, batch.id, 0, { seed: 4 }), 400, 'invalid_request');
    expect(unknown.issues).toEqual([expect.objectContaining({ message: 'unknown field seed' })]);
    expect((await getBatch(bff, token, batch.id)).items.every((i) => !i.excluded && i.previous_job_ids.length === 0)).toBe(true);
  });

  it('replays a redo’s Idempotency-Key (200, the same job, charged once) and refuses it for another body or item (409)', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const batch = await waitForBatch(bff, token, (await startBatch(bff, token, 2)).id);
    const used = (await credits(bff, token)).used;
    const a = await redo(bff, token, batch.id, 0, { options: { lighting: 'warm' } }, { 'Idempotency-Key': 'redo-1' });
    const b = await redo(bff, token, batch.id, 0, { options: { lighting: 'warm' } }, { 'Idempotency-Key': 'redo-1' });
    expect([a.status, b.status]).toEqual([201, 200]);
    const job = Job.parse(await a.json());
    expect(Job.parse(await b.json()).id).toBe(job.id);
    await expectError(await redo(bff, token, batch.id, 0, { options: { lighting: 'cool' } }, { 'Idempotency-Key': 'redo-1' }), 409, 'idempotency_key_reused');
    await expectError(await redo(bff, token, batch.id, 1, { options: { lighting: 'warm' } }, { 'Idempotency-Key': 'redo-1' }), 409, 'idempotency_key_reused');
    const now = await getBatch(bff, token, batch.id);
    expect(now.items.map((i) => i.previous_job_ids.length)).toEqual([1, 0]);
    expect((await credits(bff, token)).used).toBe(used + job.credits_charged);
  });

  it('a redo of a photo still in the queue replaces its job: the old one is cancelled and its credits released', async () => {
    const bff = makeBff({ localSpeed: 2, sessionConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 100 });
    const batch = await startBatch(bff, token, 2);
    const queued = batch.jobs[1]!;
    expect(queued.status).toBe('pending');
    const job = Job.parse(await (await redo(bff, token, batch.id, 1, { options: { lighting: 'bright' } })).json());
    expect((await bff.deps.store.getJob(queued.id))!).toMatchObject({ status: 'cancelled', creditsCharged: 0 });
    const now = await getBatch(bff, token, batch.id);
    expect(now.items[1]).toMatchObject({ job_id: job.id, previous_job_ids: [queued.id] });
    expect(now.counts.cancelled).toBe(0);
    expect((await credits(bff, token)).used).toBe(batch.jobs[0]!.credits_charged + job.credits_charged);
    await req(bff, `/v1/batches/${batch.id}/cancel`, { method: 'POST', token });
  });

  it('refuses a redo in a cancelled batch (409)', async () => {
    const bff = makeBff({ localSpeed: 2, sessionConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const batch = await startBatch(bff, token, 1);
    await req(bff, `/v1/batches/${batch.id}/cancel`, { method: 'POST', token });
    await expectError(await redo(bff, token, batch.id, 0, {}), 409, 'invalid_state');
  });

  it('streams a redo on the batch’s one connection: the new job and its changes, the item in the batch event, and ends after it', async () => {
    const bff = makeBff({ localSpeed: 0.3, sessionConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const batch = await startBatch(bff, token, 3);
    const res = await req(bff, `/v1/batches/${batch.id}/events`, { token });
    let redone: Job | null = null;
    const seen = new Map<string, string[]>();
    let last: Batch | null = null;
    for await (const e of readJobEvents(res)) {
      if (e.event === 'job') {
        const j = Job.parse(JSON.parse(e.data));
        seen.set(j.id, [...(seen.get(j.id) ?? []), j.status]);
        // As soon as the first photo is done, redo the last one (still queued behind the second).
        if (!redone && j.id === batch.jobs[0]!.id && j.status === 'completed') {
          redone = Job.parse(await (await redo(bff, token, batch.id, 2, { options: { lighting: 'dusk' } })).json());
        }
      } else if (e.event === 'batch') {
        last = Batch.parse(JSON.parse(e.data));
      }
    }
    expect(redone).not.toBeNull();
    expect(seen.get(redone!.id)).toEqual(expect.arrayContaining(['completed']));
    expect(seen.get(redone!.id)!.at(-1)).toBe('completed');
    expect(last).toMatchObject({ status: 'completed', counts: { completed: 3, cancelled: 0 } });
    expect(last!.items[2]).toEqual({ upload_id: batch.items[2]!.upload_id, job_id: redone!.id, previous_job_ids: [batch.jobs[2]!.id], excluded: false });
  }, 90_000);

  it('on the local engine, another variant of a generated preview looks different; new_variant: false returns the same picture', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const batch = await waitForBatch(bff, token, (await startBatch(bff, token, 1, { service: 'virtual-staging', config: 'living-room' })).id);
    const firstBytes = await bytesOf(bff, batch.jobs[0]!.outputs[0]!.url);
    const same = Job.parse(await (await redo(bff, token, batch.id, 0, { new_variant: false })).json());
    await waitForStatus(bff, same.id, ['completed']);
    const other = Job.parse(await (await redo(bff, token, batch.id, 0, {})).json());
    await waitForStatus(bff, other.id, ['completed']);
    const done = await getBatch(bff, token, batch.id);
    expect(done.items[0]!.previous_job_ids).toEqual([batch.jobs[0]!.id, same.id]);
    const sameBytes = await bytesOf(bff, Job.parse(await (await req(bff, `/v1/jobs/${same.id}`, { token })).json()).outputs[0]!.url);
    const otherBytes = await bytesOf(bff, done.jobs[0]!.outputs[0]!.url);
    // The pixels (each file's metadata names its own output).
    const pixels = (b: Buffer) => sharp(b).raw().toBuffer();
    expect((await pixels(sameBytes)).equals(await pixels(firstBytes))).toBe(true);
    expect((await pixels(otherBytes)).equals(await pixels(firstBytes))).toBe(false);
  });

  it('allows PATCH from the widget’s origin (the preflight names it)', async () => {
    const bff = makeBff();
    const res = await bff.app.request(`${BASE}/v1/batches/bat_0123456789abcdefXYZ/items/0`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://listings.example.com', 'Access-Control-Request-Method': 'PATCH' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('the client: redoBatchItem and setBatchItem, parsed with the contract', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const batch = await waitForBatch(bff, token, (await startBatch(bff, token, 2)).id);
    const seen: Array<{ method: string; url: string; key: string | null }> = [];
    const client = new StagingClient({
      endpoint: BASE,
      tokens: new TokenManager({ fetchToken: async () => token }),
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push({ method: request.method, url: request.url, key: request.headers.get('Idempotency-Key') });
        return bff.app.request(request);
      },
    });
    const job = await client.redoBatchItem(batch.id, 1, { prompt: 'warmer', options: { lighting: 'warm' } });
    expect(job).toMatchObject({ prompt: 'warmer', options: { lighting: 'warm' }, status: expect.any(String) });
    const b = await client.setBatchItem(batch.id, 0, { excluded: true });
    expect(b.items.map((i) => [i.excluded, i.job_id])).toEqual([
      [true, batch.jobs[0]!.id],
      [false, job.id],
    ]);
    expect(seen.map((s) => [s.method, s.url.replace(BASE, '')])).toEqual([
      ['POST', `/v1/batches/${batch.id}/items/1/redo`],
      ['PATCH', `/v1/batches/${batch.id}/items/0`],
    ]);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    // An aborted call ends with the signal's reason, like the client's other calls.
    const ac = new AbortController();
    ac.abort();
    await expect(client.setBatchItem(batch.id, 0, { excluded: false }, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    // A bad index reaches the BFF and comes back as its 400.
    await expect(client.setBatchItem(batch.id, 5, { excluded: false })).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
  });
});

describe('batch items on Redis, across two instances', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('a redo and an exclusion made through one instance are what the other reads and zips', async () => {
    // Two instances of one deployment: one Redis, one data directory.
    const store = `${redis.url}/?prefix=items${process.pid}`;
    const dataDir = join(tempDir(), 'blobs');
    const a = makeBff({ store, dataDir });
    const b = makeBff({ store, dataDir });
    const { token } = await mintSession(a, { subject: 'agent-1' });
    const batch = await waitForBatch(a, token, (await startBatch(a, token, 2)).id);
    const job = Job.parse(await (await redo(a, token, batch.id, 0, { options: { lighting: 'cool' } })).json());
    expect((await setItem(a, token, batch.id, 1, { excluded: true })).status).toBe(200);
    const done = await waitForBatch(b, token, batch.id);
    expect(done.items.map((i) => [i.job_id, i.previous_job_ids, i.excluded])).toEqual([
      [job.id, [batch.jobs[0]!.id], false],
      [batch.jobs[1]!.id, [], true],
    ]);
    const files = await unzip(await bytesOf(b, done.archive_url!));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest.files.map((f) => f.job_id)).toEqual([job.id]);
    expect(manifest.excluded_items).toEqual([2]);
  }, 60_000);

  it('a stream open on one instance follows a redo made through the other', async () => {
    const store = `${redis.url}/?prefix=itemstream${process.pid}`;
    const dataDir = join(tempDir(), 'blobs');
    const a = makeBff({ store, dataDir, localSpeed: 0.3, sessionConcurrency: 1 });
    const b = makeBff({ store, dataDir, localSpeed: 0.3, sessionConcurrency: 1 });
    const { token } = await mintSession(a, { subject: 'agent-1' });
    const batch = await startBatch(a, token, 2);
    let redone: Job | null = null;
    const seen = new Set<string>();
    let last: Batch | null = null;
    for await (const e of readJobEvents(await req(b, `/v1/batches/${batch.id}/events`, { token }))) {
      if (e.event === 'batch') last = Batch.parse(JSON.parse(e.data));
      if (e.event !== 'job') continue;
      const j = Job.parse(JSON.parse(e.data));
      if (j.status === 'completed') seen.add(j.id);
      if (!redone && j.id === batch.jobs[0]!.id && j.status === 'completed') {
        redone = Job.parse(await (await redo(a, token, batch.id, 1, { options: { lighting: 'warm' } })).json());
      }
    }
    expect(redone).not.toBeNull();
    expect(seen.has(redone!.id)).toBe(true);
    expect(last).toMatchObject({ status: 'completed', counts: { completed: 2, cancelled: 0 } });
    expect(last!.items.map((i) => i.job_id)).toEqual([batch.jobs[0]!.id, redone!.id]);
  }, 60_000);
});
