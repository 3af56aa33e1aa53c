import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { parseRedisUrl, RedisStore } from '../../src/server/store/redis-store.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import type { BatchRecord, JobRecord, OutputRecord, Store } from '../../src/server/store/types.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { tempDir } from './temp-dir.js';

const t = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

function job(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return {
    id, subject: 'alice', sessionId: 'ses_1', status: 'pending', service: 'upscale', config: 'standard', resolution: '2K', editClass: 'technical', disclosureProfile: null,
    prompt: null, referenceId: null, uploadId: 'upl_1', maskUploadId: null, referenceUploadId: null, options: { a: 1 },
    location: null, variants: 1, cost: 2, creditsCharged: 2, progress: 0, error: null, providerState: null, attempt: 1,
    interruptions: 0, createdAt: t(0), updatedAt: t(0), ...over,
  };
}
const output = (id: string, jobId: string): OutputRecord => ({
  id, jobId, subject: 'alice', blobKey: `outputs/${id}.jpg`, contentType: 'image/jpeg', bytes: 10, width: 2048, height: 1365, localPreview: false, disclosure: null, createdAt: t(5),
});

// One throwaway redis-server for the file; each test gets its own key prefix instead of a flush.
let redis: TestRedis;
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const stores: Array<[string, () => Store]> = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore(join(tempDir(), 'staging.db'))],
  ['redis', () => new RedisStore(`${redis.url}/?prefix=t${process.pid}-${++prefixes}`)],
];

describe.each(stores)('%s store', (_name, open) => {
  it('keeps sessions and revokes them once', async () => {
    const s = open();
    await s.createSession({ id: 'ses_1', subject: 'alice', origins: ['https://a.example'], services: null, maxCredits: 5, maxResolution: '4K', metadata: { plan: 'pro' }, disclosureProfile: null, createdAt: t(0), expiresAt: t(900), revokedAt: null });
    expect(await s.getSession('ses_1')).toMatchObject({ subject: 'alice', origins: ['https://a.example'], maxCredits: 5, metadata: { plan: 'pro' }, revokedAt: null });
    expect(await s.revokeSession('ses_1', t(10))).toBe(true);
    expect(await s.revokeSession('ses_1', t(20))).toBe(true);
    expect((await s.getSession('ses_1'))!.revokedAt).toBe(t(10));
    expect(await s.revokeSession('ses_nope', t(10))).toBe(false);
    await s.close();
  });

  it('keeps what was done for publication: job edit class and profile, output disclosure, original pages withdrawn once', async () => {
    const s = open();
    await s.createSession({ id: 'ses_1', subject: 'alice', origins: [], services: null, maxCredits: null, maxResolution: '4K', metadata: null, disclosureProfile: 'stellar', createdAt: t(0), expiresAt: t(900), revokedAt: null });
    expect((await s.getSession('ses_1'))!.disclosureProfile).toBe('stellar');
    await s.createJob(job('job_1', { editClass: 'material', disclosureProfile: 'stellar' }), { maxCredits: null });
    expect(await s.getJob('job_1')).toMatchObject({ editClass: 'material', disclosureProfile: 'stellar' });
    const disclosure = { profile: 'stellar', editClass: 'material' as const, label: 'Virtually staged', caption: 'Virtually staged', remarks: 'One or more photo(s) was virtually staged.', original: 'none' as const, qrAllowed: false, publishedBlobKey: null, pageId: 'p'.repeat(24) };
    await s.completeJob('job_1', [{ ...output('out_1', 'job_1'), disclosure }], t(5));
    expect((await s.getOutput('out_1'))!.disclosure).toEqual(disclosure);
    expect((await s.listOutputs('job_1'))[0]!.disclosure).toEqual(disclosure);

    const page = { id: 'p'.repeat(24), outputId: 'out_1', jobId: 'job_1', uploadId: 'upl_1', subject: 'alice', createdAt: t(5), withdrawnAt: null };
    await s.createOriginalPage(page);
    expect(await s.getOriginalPage(page.id)).toEqual(page);
    expect(await s.getOriginalPage('q'.repeat(24))).toBeNull();
    expect(await s.withdrawOriginalPage(page.id, t(10))).toBe(true);
    expect(await s.withdrawOriginalPage(page.id, t(20))).toBe(true);
    expect((await s.getOriginalPage(page.id))!.withdrawnAt).toBe(t(10));
    expect(await s.withdrawOriginalPage('q'.repeat(24), t(20))).toBe(false);
  });

  it('enforces the credit allowance and idempotency atomically', async () => {
    const s = open();
    const idem = (key: string, jobId: string, hash = 'h1') => ({ subject: 'alice', key, requestHash: hash, jobId, createdAt: t(0) });
    expect((await s.createJob(job('job_a'), { maxCredits: 3, idempotency: idem('k1', 'job_a') })).kind).toBe('created');
    const replay = await s.createJob(job('job_b'), { maxCredits: 3, idempotency: idem('k1', 'job_b', 'h2') });
    expect(replay).toMatchObject({ kind: 'exists', requestHash: 'h1', job: { id: 'job_a' } });
    expect(await s.getJob('job_b')).toBeNull();
    expect(await s.createJob(job('job_c'), { maxCredits: 3 })).toEqual({ kind: 'insufficient_credits', used: 2 });
    expect(await s.creditsUsed('ses_1')).toBe(2);
    // Another subject may use the same key for its own job.
    expect((await s.createJob(job('job_d', { subject: 'bob', sessionId: 'ses_2' }), { maxCredits: null, idempotency: { ...idem('k1', 'job_d'), subject: 'bob' } })).kind).toBe('created');
    await s.close();
  });

  it('guards updates by status, completes atomically, and retries with re-reserved credits', async () => {
    const s = open();
    await s.createJob(job('job_a', { providerState: { remote: 'r1' } }), { maxCredits: null });
    expect(await s.updateJob('job_a', { status: 'processing', progress: 0.5 }, ['pending'])).toMatchObject({ status: 'processing', progress: 0.5, providerState: { remote: 'r1' } });
    expect(await s.updateJob('job_a', { status: 'compressing' }, ['pending'])).toBeNull();
    const done = await s.completeJob('job_a', [output('out_1', 'job_a'), output('out_2', 'job_a')], t(9));
    expect(done).toMatchObject({ status: 'completed', progress: 1 });
    expect((await s.listOutputs('job_a')).map((o) => o.id)).toEqual(['out_1', 'out_2']);
    expect(await s.completeJob('job_a', [output('out_3', 'job_a')], t(10))).toBeNull();
    expect(await s.getOutput('out_3')).toBeNull();
    expect(await s.retryJob('job_a', { sessionId: 'ses_1', maxCredits: null, now: t(11) })).toMatchObject({ kind: 'invalid_state' });

    await s.updateJob('job_a', { status: 'failed', creditsCharged: 0, error: { code: 'x', message: 'y', retryable: true } }, ['completed']);
    expect(await s.creditsUsed('ses_1')).toBe(0);
    expect(await s.retryJob('job_a', { sessionId: 'ses_1', maxCredits: 1, now: t(12) })).toEqual({ kind: 'insufficient_credits', used: 0 });
    const retried = await s.retryJob('job_a', { sessionId: 'ses_1', maxCredits: 2, now: t(12) });
    expect(retried).toMatchObject({ kind: 'ok', job: { status: 'pending', attempt: 2, creditsCharged: 2, error: null, providerState: null } });
    expect(await s.listOutputs('job_a')).toEqual([]);
    expect(await s.retryJob('job_nope', { sessionId: 'ses_1', maxCredits: null, now: t(12) })).toEqual({ kind: 'not_found' });
    await s.close();
  });

  it('keeps an output’s note; an output without one has none', async () => {
    const s = open();
    await s.createJob(job('job_n'), { maxCredits: null });
    const note = { code: 'no_reliable_lines', message: 'The photo was left as it was.' };
    await s.completeJob('job_n', [{ ...output('out_n1', 'job_n'), note }, output('out_n2', 'job_n')], t(9));
    const [noted, plain] = await s.listOutputs('job_n');
    expect(noted!.note).toEqual(note);
    expect(plain!.note).toBeUndefined();
    expect((await s.getOutput('out_n1'))!.note).toEqual(note);
    await s.close();
  });

  it('keeps host webhook events once each, hands each due event to one claimant, and settles them', async () => {
    const s = open();
    const e = (id: string) => ({ id, type: 'job.completed', payload: `{"n":"${id}"}`, createdAt: t(1) });
    expect(await s.addOutboxEvent(e('msg_a'))).toBe(true);
    expect(await s.addOutboxEvent(e('msg_a'))).toBe(false);
    expect(await s.addOutboxEvent(e('msg_b'))).toBe(true);
    // Two claimants at the same moment share the due events without overlap.
    const [first, second] = await Promise.all([s.claimOutboxEvents(1000, 60_000, 1), s.claimOutboxEvents(1000, 60_000, 5)]);
    expect([...first, ...second].map((x) => x.id).sort()).toEqual(['msg_a', 'msg_b']);
    expect(await s.claimOutboxEvents(2000, 60_000, 5)).toEqual([]);
    await s.settleOutboxEvent('msg_a', { status: 'pending', attempts: 1, nextAttemptAt: 5000, error: 'the host answered 500' });
    await s.settleOutboxEvent('msg_b', { status: 'delivered', at: t(2) });
    expect(await s.claimOutboxEvents(4999, 60_000, 5)).toEqual([]);
    const [again] = await s.claimOutboxEvents(5000, 60_000, 5);
    expect(again).toMatchObject({ id: 'msg_a', attempts: 1, status: 'pending', lastError: 'the host answered 500', payload: '{"n":"msg_a"}' });
    await s.settleOutboxEvent('msg_a', { status: 'failed', attempts: 2, error: 'gave up' });
    expect(await s.getOutboxEvent('msg_a')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await s.getOutboxEvent('msg_b')).toMatchObject({ status: 'delivered', deliveredAt: t(2) });
    expect(await s.claimOutboxEvents(10 ** 13, 60_000, 5)).toEqual([]);
    await s.close();
  });

  it('creates a batch and all its jobs at once, or nothing; replays its idempotency key; lists and cancels batches', async () => {
    const s = open();
    const batch = (id: string, jobIds: string[], at: number): BatchRecord => ({
      id, subject: 'alice', sessionId: 'ses_1', service: 'upscale', config: 'standard', resolution: '2K', prompt: null, options: {},
      variants: 1, referenceUploadId: null, referenceId: null, items: jobIds.map((jobId) => ({ uploadId: 'upl_1', jobId })),
      creditsRequired: 2 * jobIds.length, cancelledAt: null, createdAt: t(at),
    });
    // 4 credits allowed: a batch of three 2-credit jobs does not fit, and none of its jobs is stored.
    const tooBig = await s.createBatch(batch('bat_big', ['job_x1', 'job_x2', 'job_x3'], 1), ['job_x1', 'job_x2', 'job_x3'].map((id) => job(id)), { maxCredits: 4 });
    expect(tooBig).toEqual({ kind: 'insufficient_credits', used: 0 });
    expect(await s.getJob('job_x1')).toBeNull();
    expect(await s.getBatch('bat_big')).toBeNull();
    const key = { key: 'listing-42', requestHash: 'h1' };
    expect(await s.createBatch(batch('bat_a', ['job_a1', 'job_a2'], 2), [job('job_a1'), job('job_a2')], { maxCredits: 4, idempotency: key })).toEqual({ kind: 'created' });
    expect((await s.getJob('job_a2'))!.status).toBe('pending');
    expect(await s.creditsUsed('ses_1')).toBe(4);
    const again = await s.createBatch(batch('bat_b', ['job_b1'], 3), [job('job_b1')], { maxCredits: 4, idempotency: key });
    expect(again).toMatchObject({ kind: 'exists', requestHash: 'h1', batch: { id: 'bat_a', items: [{ jobId: 'job_a1' }, { jobId: 'job_a2' }] } });
    expect(await s.getJob('job_b1')).toBeNull();
    expect(await s.createBatch(batch('bat_c', ['job_c1'], 4), [job('job_c1', { creditsCharged: 0 })], { maxCredits: 4 })).toEqual({ kind: 'created' });
    expect((await s.listBatches({ subject: 'alice', limit: 10 })).map((b) => b.id)).toEqual(['bat_c', 'bat_a']);
    expect((await s.listBatches({ subject: 'alice', limit: 10, before: { createdAt: t(4), id: 'bat_c' } })).map((b) => b.id)).toEqual(['bat_a']);
    expect(await s.listBatches({ subject: 'bob', limit: 10 })).toEqual([]);
    expect(await s.cancelBatch('bat_a', t(5))).toBe(true);
    expect(await s.cancelBatch('bat_a', t(6))).toBe(true);
    expect(await s.cancelBatch('bat_nope', t(6))).toBe(false);
    expect((await s.getBatch('bat_a'))!.cancelledAt).toBe(t(5));
    await s.close();
  });

  it('redoes a batch item atomically (credits, idempotency, the item’s jobs) and keeps exclusions; a cancelled batch takes no redo', async () => {
    const s = open();
    const batch: BatchRecord = {
      id: 'bat_r', subject: 'alice', sessionId: 'ses_1', service: 'upscale', config: 'standard', resolution: '2K', prompt: null, options: {},
      variants: 1, referenceUploadId: null, referenceId: null, items: [{ uploadId: 'upl_1', jobId: 'job_r1' }, { uploadId: 'upl_2', jobId: 'job_r2' }],
      creditsRequired: 4, cancelledAt: null, createdAt: t(1),
    };
    expect(await s.createBatch(batch, [job('job_r1'), job('job_r2')], { maxCredits: null })).toEqual({ kind: 'created' });
    // A redo is paid by its caller's session: ses_2 has 3 credits, the redo costs 2.
    const idem = (key: string, jobId: string, hash = 'h1') => ({ subject: 'alice', key, requestHash: hash, jobId, createdAt: t(2) });
    const first = await s.redoBatchItem('bat_r', 1, job('job_r3', { sessionId: 'ses_2', batchId: 'bat_r', variation: 1 }), { maxCredits: 3, idempotency: idem('redo-1', 'job_r3') });
    expect(first).toMatchObject({ kind: 'created', replacedJobId: 'job_r2', job: { id: 'job_r3' }, batch: { items: [{ jobId: 'job_r1' }, { jobId: 'job_r3', previousJobIds: ['job_r2'] }] } });
    expect(await s.getJob('job_r3')).toMatchObject({ sessionId: 'ses_2', batchId: 'bat_r', variation: 1, status: 'pending' });
    expect(await s.creditsUsed('ses_2')).toBe(2);
    // The same key replays the job and changes nothing; a second redo does not fit the allowance.
    expect(await s.redoBatchItem('bat_r', 1, job('job_r4', { sessionId: 'ses_2' }), { maxCredits: 3, idempotency: idem('redo-1', 'job_r4', 'h2') })).toMatchObject({ kind: 'exists', requestHash: 'h1', job: { id: 'job_r3' } });
    expect(await s.redoBatchItem('bat_r', 1, job('job_r4', { sessionId: 'ses_2' }), { maxCredits: 3 })).toEqual({ kind: 'insufficient_credits', used: 2 });
    expect(await s.getJob('job_r4')).toBeNull();
    expect(await s.redoBatchItem('bat_r', 1, job('job_r5', { sessionId: 'ses_2' }), { maxCredits: null })).toMatchObject({ kind: 'created', replacedJobId: 'job_r3' });
    expect(await s.redoBatchItem('bat_r', 2, job('job_r6'), { maxCredits: null })).toEqual({ kind: 'not_found' });
    expect(await s.redoBatchItem('bat_nope', 0, job('job_r6'), { maxCredits: null })).toEqual({ kind: 'not_found' });
    expect(await s.getJob('job_r6')).toBeNull();

    expect(await s.setBatchItemExcluded('bat_r', 0, true)).toMatchObject({ items: [{ jobId: 'job_r1', excluded: true }, { jobId: 'job_r5' }] });
    expect(await s.setBatchItemExcluded('bat_r', 2, true)).toBeNull();
    expect(await s.setBatchItemExcluded('bat_nope', 0, true)).toBeNull();
    const read = await s.getBatch('bat_r');
    expect(read!.items).toEqual([
      { uploadId: 'upl_1', jobId: 'job_r1', excluded: true },
      { uploadId: 'upl_2', jobId: 'job_r5', previousJobIds: ['job_r2', 'job_r3'] },
    ]);
    expect((await s.listBatches({ subject: 'alice', limit: 1 }))[0]!.items).toEqual(read!.items);
    expect((await s.setBatchItemExcluded('bat_r', 0, false))!.items[0]!.excluded).toBe(false);

    await s.cancelBatch('bat_r', t(3));
    expect(await s.redoBatchItem('bat_r', 0, job('job_r7'), { maxCredits: null })).toEqual({ kind: 'cancelled' });
    expect(await s.getJob('job_r7')).toBeNull();
    // A redo made before the cancel still replays under its key.
    expect(await s.redoBatchItem('bat_r', 1, job('job_r8'), { maxCredits: null, idempotency: idem('redo-1', 'job_r8') })).toMatchObject({ kind: 'exists', job: { id: 'job_r3' } });
    await s.close();
  });

  it('holds at most `limit` slots of a session, frees one on release or expiry, and lets only its holder renew or release it', async () => {
    const s = open();
    const take = (jobId: string, holder: string, now: number, sessionId = 'ses_1') => s.takeSessionSlot({ sessionId, jobId, holder, now, ttlMs: 1000, limit: 2 });
    const held = async (now: number, sessionId = 'ses_1') => (await s.listSessionSlots(sessionId, now)).map((x) => `${x.jobId}@${x.holder}`).sort();
    expect(await take('job_1', 'inst-a', 0)).toBe(true);
    expect(await take('job_2', 'inst-b', 10)).toBe(true);
    // Two held across instances: a third job of the session waits, another session does not.
    expect(await take('job_3', 'inst-a', 20)).toBe(false);
    expect(await take('job_9', 'inst-a', 20, 'ses_2')).toBe(true);
    expect(await held(20)).toEqual(['job_1@inst-a', 'job_2@inst-b']);
    expect(await s.listSessionSlots('ses_1', 20)).toContainEqual({ jobId: 'job_2', holder: 'inst-b', expiresAt: 1010 });
    // Taking again the slot a job holds extends it (the job's new lease holder gets it); it is no second slot.
    expect(await take('job_1', 'inst-a', 500)).toBe(true);
    // Only the holder renews or releases.
    expect(await s.renewSessionSlot({ sessionId: 'ses_1', jobId: 'job_2', holder: 'inst-a', now: 600, ttlMs: 1000 })).toBe(false);
    await s.releaseSessionSlot('ses_1', 'job_2', 'inst-a');
    expect(await take('job_3', 'inst-a', 600)).toBe(false);
    await s.releaseSessionSlot('ses_1', 'job_2', 'inst-b');
    expect(await take('job_3', 'inst-a', 600)).toBe(true);
    // inst-a stops renewing job_1 (taken at 500): past its expiry the slot is free for another job.
    expect(await s.renewSessionSlot({ sessionId: 'ses_1', jobId: 'job_3', holder: 'inst-a', now: 1400, ttlMs: 1000 })).toBe(true);
    expect(await take('job_4', 'inst-b', 1499)).toBe(false);
    expect(await held(1500)).toEqual(['job_3@inst-a']);
    expect(await take('job_4', 'inst-b', 1500)).toBe(true);
    expect(await held(1500)).toEqual(['job_3@inst-a', 'job_4@inst-b']);
    // A renewal after the slot expired takes it again for the job still running, whoever's turn it would be.
    expect(await s.renewSessionSlot({ sessionId: 'ses_1', jobId: 'job_3', holder: 'inst-a', now: 3000, ttlMs: 1000 })).toBe(true);
    // A job taken over: its slot is freed whoever held it.
    await s.releaseSessionSlot('ses_1', 'job_3');
    expect(await held(3000)).toEqual([]);
    expect(await held(20, 'ses_2')).toEqual(['job_9@inst-a']);
    await s.close();
  });

  it('pages jobs newest first by subject and status, and lists unfinished ones', async () => {
    const s = open();
    for (let i = 0; i < 7; i++) await s.createJob(job(`job_${i}`, { createdAt: t(i % 3 === 0 ? 100 : i), status: i === 2 ? 'completed' : 'pending' }), { maxCredits: null });
    await s.createJob(job('job_bob', { subject: 'bob' }), { maxCredits: null });
    const seen: string[] = [];
    let before: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await s.listJobs({ subject: 'alice', limit: 3, before });
      seen.push(...page.map((j) => j.id));
      if (page.length < 3) break;
      const last = page[page.length - 1]!;
      before = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(['job_6', 'job_3', 'job_0', 'job_5', 'job_4', 'job_2', 'job_1']);
    expect((await s.listJobs({ subject: 'alice', status: 'completed', limit: 10 })).map((j) => j.id)).toEqual(['job_2']);
    expect((await s.listUnfinishedJobs()).map((j) => j.id).sort()).toEqual(['job_0', 'job_1', 'job_3', 'job_4', 'job_5', 'job_6', 'job_bob']);
    await s.close();
  });
});

describe('sqlite store on disk', () => {
  it('opens a database made before outputs had notes, adding the column in place', async () => {
    const path = join(tempDir(), 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE outputs (
      id TEXT PRIMARY KEY, job_id TEXT NOT NULL, subject TEXT NOT NULL, position INTEGER NOT NULL,
      blob_key TEXT NOT NULL, content_type TEXT NOT NULL, bytes INTEGER NOT NULL,
      width INTEGER NOT NULL, height INTEGER NOT NULL, local_preview INTEGER NOT NULL, created_at TEXT NOT NULL
    )`);
    old.prepare(`INSERT INTO outputs VALUES ('out_old', 'job_old', 'alice', 0, 'outputs/out_old.jpg', 'image/jpeg', 10, 2048, 1365, 0, ?)`).run(t(1));
    old.close();
    const s = new SqliteStore(path);
    expect(await s.getOutput('out_old')).toEqual({ ...output('out_old', 'job_old'), createdAt: t(1) });
    await s.createJob(job('job_new'), { maxCredits: null });
    const note = { code: 'already_straight', message: 'Nothing to correct.' };
    await s.completeJob('job_new', [{ ...output('out_new', 'job_new'), note }], t(9));
    expect((await s.getOutput('out_new'))!.note).toEqual(note);
    await s.close();
    // Opening it again finds the column there.
    const again = new SqliteStore(path);
    expect((await again.getOutput('out_new'))!.note).toEqual(note);
    await again.close();
  });

  it('keeps everything across a reopen', async () => {
    const path = join(tempDir(), 'staging.db');
    const a = new SqliteStore(path);
    await a.createJob(job('job_a', { status: 'processing', providerState: { step: 3 } }), { maxCredits: null });
    const batch: BatchRecord = {
      id: 'bat_1', subject: 'alice', sessionId: 'ses_1', service: 'upscale', config: 'standard', resolution: '2K', prompt: null, options: {},
      variants: 1, referenceUploadId: null, referenceId: null, items: [{ uploadId: 'upl_1', jobId: 'job_b1' }, { uploadId: 'upl_1', jobId: 'job_b2' }], creditsRequired: 4, cancelledAt: null, createdAt: t(1),
    };
    await a.createBatch(batch, [job('job_b1', { status: 'completed' }), job('job_b2', { status: 'completed' })], { maxCredits: null });
    await a.redoBatchItem('bat_1', 0, job('job_b3', { batchId: 'bat_1', variation: 2 }), { maxCredits: null });
    await a.setBatchItemExcluded('bat_1', 1, true);
    await a.close();
    const b = new SqliteStore(path);
    expect(await b.getJob('job_a')).toMatchObject({ status: 'processing', providerState: { step: 3 }, options: { a: 1 } });
    expect(await b.getJob('job_b3')).toMatchObject({ batchId: 'bat_1', variation: 2 });
    expect((await b.getBatch('bat_1'))!.items).toEqual([
      { uploadId: 'upl_1', jobId: 'job_b3', previousJobIds: ['job_b1'] },
      { uploadId: 'upl_1', jobId: 'job_b2', excluded: true },
    ]);
    expect((await b.listUnfinishedJobs()).map((j) => j.id)).toEqual(['job_a', 'job_b3']);
    await b.close();
  });

  it('adds the disclosure columns to a database made before them, keeping its rows', async () => {
    const path = join(tempDir(), 'staging.db');
    const old = new Database(path);
    // The tables as the first release made them (without disclosure_profile, edit_class, disclosure).
    old.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, subject TEXT NOT NULL, origins TEXT NOT NULL, services TEXT, max_credits INTEGER, max_resolution TEXT NOT NULL, metadata TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT);
      CREATE TABLE jobs (id TEXT PRIMARY KEY, subject TEXT NOT NULL, session_id TEXT NOT NULL, status TEXT NOT NULL, service TEXT NOT NULL, config TEXT NOT NULL, resolution TEXT NOT NULL, prompt TEXT, reference_id TEXT, upload_id TEXT NOT NULL, mask_upload_id TEXT, reference_upload_id TEXT, options TEXT NOT NULL, location TEXT, variants INTEGER NOT NULL, cost REAL NOT NULL, credits_charged REAL NOT NULL, progress REAL NOT NULL, error TEXT, provider_state TEXT, attempt INTEGER NOT NULL, interruptions INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE outputs (id TEXT PRIMARY KEY, job_id TEXT NOT NULL, subject TEXT NOT NULL, position INTEGER NOT NULL, blob_key TEXT NOT NULL, content_type TEXT NOT NULL, bytes INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, local_preview INTEGER NOT NULL, created_at TEXT NOT NULL);
      INSERT INTO sessions VALUES ('ses_old', 'alice', '[]', NULL, NULL, '4K', NULL, '${t(0)}', '${t(900)}', NULL);
      INSERT INTO jobs VALUES ('job_old', 'alice', 'ses_old', 'completed', 'upscale', 'standard', '2K', NULL, NULL, 'upl_1', NULL, NULL, '{}', NULL, 1, 1, 1, 1, NULL, NULL, 1, 0, '${t(0)}', '${t(1)}');
      INSERT INTO outputs VALUES ('out_old', 'job_old', 'alice', 0, 'outputs/out_old.jpg', 'image/jpeg', 10, 2048, 1365, 0, '${t(1)}');`);
    old.close();
    const s = new SqliteStore(path);
    expect(await s.getSession('ses_old')).toMatchObject({ subject: 'alice', disclosureProfile: null });
    // An old job counts as material: disclosing an edit that did not need it is lawful, the reverse is not.
    expect(await s.getJob('job_old')).toMatchObject({ status: 'completed', editClass: 'material', disclosureProfile: null });
    expect(await s.getOutput('out_old')).toMatchObject({ blobKey: 'outputs/out_old.jpg', disclosure: null });
    await s.createSession({ id: 'ses_new', subject: 'bob', origins: [], services: null, maxCredits: null, maxResolution: '4K', metadata: null, disclosureProfile: 'crmls', createdAt: t(0), expiresAt: t(900), revokedAt: null });
    expect((await s.getSession('ses_new'))!.disclosureProfile).toBe('crmls');
    await s.close();
  });

  it('serves repeated reads from memory, yet sees what another connection to the file commits', async () => {
    const path = join(tempDir(), 'staging.db');
    const reader = new SqliteStore(path);
    const writer = new SqliteStore(path);
    const nextTurn = () => new Promise((r) => setImmediate(r));
    await writer.createSession({ id: 'ses_a', subject: 'alice', origins: [], services: null, maxCredits: null, maxResolution: '4K', metadata: null, disclosureProfile: null, createdAt: t(0), expiresAt: t(900), revokedAt: null });
    await writer.createJob(job('job_a', { status: 'failed' }), { maxCredits: null });
    expect(await reader.getSession('ses_a')).toMatchObject({ revokedAt: null });
    expect(await reader.getJob('job_a')).toMatchObject({ status: 'failed' });
    // Copies go out: changing one does not change what the next reader gets.
    (await reader.getJob('job_a'))!.status = 'completed';
    expect(await reader.getJob('job_a')).toMatchObject({ status: 'failed' });
    await writer.revokeSession('ses_a', t(9));
    await writer.retryJob('job_a', { sessionId: 'ses_1', maxCredits: null, now: t(9) });
    await nextTurn();
    expect(await reader.getSession('ses_a')).toMatchObject({ revokedAt: t(9) });
    expect(await reader.getJob('job_a')).toMatchObject({ status: 'pending' });
    // This connection's own writes are seen at once.
    await reader.revokeSession('ses_a', t(10));
    await reader.updateJob('job_a', { status: 'cancelled' });
    expect(await reader.getJob('job_a')).toMatchObject({ status: 'cancelled' });
    await reader.close();
    await writer.close();
  });
});

describe('sqlite store shared by two connections', () => {
  it("hands a session's slots to exactly `limit` of the jobs that race for them, and sees the other's releases", async () => {
    const path = join(tempDir(), 'staging.db');
    const [a, b] = [new SqliteStore(path), new SqliteStore(path)];
    const claim = (s: Store, i: number) => s.takeSessionSlot({ sessionId: 'ses_1', jobId: `job_${i}`, holder: s === a ? 'inst-a' : 'inst-b', now: 0, ttlMs: 60_000, limit: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claim(i % 2 ? b : a, i)));
    expect(results).toEqual([true, true, true, false, false, false, false, false]);
    await b.releaseSessionSlot('ses_1', 'job_1', 'inst-b');
    expect(await claim(a, 4)).toBe(true);
    expect((await b.listSessionSlots('ses_1', 0)).map((x) => x.jobId).sort()).toEqual(['job_0', 'job_2', 'job_4']);
    await a.close();
    await b.close();
  });
});

describe('redis store shared by several instances', () => {
  it('keeps the credit check and the idempotency key atomic across connections', async () => {
    const url = `${redis.url}/?prefix=race${process.pid}`;
    const instances = [new RedisStore(url), new RedisStore(url), new RedisStore(url)];
    // Ten jobs of 2 credits against an allowance of 7, from three connections at once: exactly three fit.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => instances[i % 3]!.createJob(job(`job_${i}`), { maxCredits: 7 })),
    );
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(3);
    expect(await instances[0]!.creditsUsed('ses_1')).toBe(6);
    // One key raced from every connection: one job, the rest replay it.
    const idem = (jobId: string) => ({ subject: 'alice', key: 'same', requestHash: 'h', jobId, createdAt: t(0) });
    const raced = await Promise.all(
      instances.map((s, i) => s.createJob(job(`job_k${i}`, { sessionId: 'ses_2' }), { maxCredits: null, idempotency: idem(`job_k${i}`) })),
    );
    const winners = raced.filter((r) => r.kind === 'created');
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]!.kind === 'created' ? winners[0]!.job.id : '';
    for (const r of raced) if (r.kind === 'exists') expect(r.job.id).toBe(winnerId);
    await Promise.all(instances.map((s) => s.close()));
  });

  it("hands a session's slots to exactly `limit` of the jobs that race for them from several connections", async () => {
    const url = `${redis.url}/?prefix=slots${process.pid}`;
    const instances = [new RedisStore(url), new RedisStore(url), new RedisStore(url)];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => instances[i % 3]!.takeSessionSlot({ sessionId: 'ses_1', jobId: `job_${i}`, holder: `inst-${i % 3}`, now: Date.now(), ttlMs: 60_000, limit: 3 })),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await instances[0]!.listSessionSlots('ses_1', Date.now())).toHaveLength(3);
    await Promise.all(instances.map((s) => s.close()));
  });

  it('reads the key prefix and database from the URL', () => {
    expect(parseRedisUrl('redis://u:p%40ss@cache.internal:6380/2/tenant-a')).toMatchObject({
      prefix: 'tenant-a',
      options: { host: 'cache.internal', port: 6380, db: 2, username: 'u', password: 'p@ss' },
    });
    expect(parseRedisUrl('rediss://cache.internal?prefix=t1')).toMatchObject({ prefix: 't1', options: { port: 6379, db: 0, tls: {} } });
    expect(() => parseRedisUrl('redis://h/?prefix=a b')).toThrow(/prefix/);
  });
});
