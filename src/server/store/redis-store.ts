import { Redis, type RedisOptions } from 'ioredis';
import type { JobStatus } from '../../contract/index.js';
import { ConfigError } from '../config-error.js';
import { RedisOutbox } from './redis-outbox.js';
import { defineScripts, SLOT_SCRIPTS, STORE_SCRIPTS, type Scripted } from './redis-scripts.js';
import type { BatchListOptions, BatchRecord, IdempotencyRecord, OriginalPageRecord, JobListOptions, JobPatch, JobRecord, OutboxOutcome, OutputRecord, SessionRecord, SessionSlot, SessionSlotClaim, Store, UploadRecord } from './types.js';

/*
 * Layout under `staging:[<prefix>:]` (every value is JSON unless noted):
 *   session:<id>            the session          session:<id>:revoked   revokedAt (SET NX: the first revocation wins)
 *   upload:<id>             the upload           output:<id>            the output
 *   job:<id>                hash, one JSON-encoded field per JobRecord property, so Lua can guard and patch
 *                           single fields without decoding the whole job
 *   session-jobs:<sid>      set of job ids (credit sums)
 *   subject-jobs:<subject>  sorted set, all scores 0, members "<createdAt> <id>": lexicographic order is
 *                           (createdAt, id), which is the listing order and makes the cursor a ZREVRANGEBYLEX bound
 *   unfinished              set of job ids not in a terminal status
 *   job-outputs:<jobId>     list of output ids in variant order
 *   idem:<json [subject,key]>  hash {jobId, requestHash, createdAt}
 *   original:<id>           an original's public page    original:<id>:withdrawn  withdrawnAt (SET NX)
 *   batch:<id>              the batch as created          batch:<id>:cancelled     cancelledAt (SET NX)
 *   batch:<id>:jobs         hash, item index → the item's job ids oldest first, space-separated, current last (set by its first redo)
 *   batch:<id>:excluded     hash, item index → "1" or "0" (the agent's decision; absent = included)
 *   subject-batches:<subject>  sorted set like subject-jobs          batch-idem:<subject>:<key>  hash {batchId, requestHash}
 *
 * Each multi-key step that SQLite runs in one transaction is one Lua script (redis-scripts.ts),
 * so it is atomic across every BFF instance.
 */

/** Connection settings and key prefix from `redis://[user:pass@]host:port[/db][/prefix][?prefix=…]`. */
export function parseRedisUrl(spec: string): { options: RedisOptions; prefix: string } {
  const url = new URL(spec);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(`not a redis URL: ${url.protocol}`);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let db = 0;
  if (parts.length > 0 && /^\d+$/.test(parts[0]!)) db = Number(parts.shift());
  const prefix = url.searchParams.get('prefix') ?? parts.join(':');
  if (!/^[A-Za-z0-9._:-]*$/.test(prefix)) throw new ConfigError('the Redis key prefix may use letters, digits, ".", "_", ":" and "-" only');
  return {
    prefix,
    options: {
      host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: url.port ? Number(url.port) : 6379,
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db,
      tls: url.protocol === 'rediss:' ? {} : undefined,
    },
  };
}

const encodeFields = (record: object): string[] => {
  const out: string[] = [];
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out.push(k, JSON.stringify(v));
  return out;
};

function jobFromFlat(flat: unknown): JobRecord | null {
  if (!Array.isArray(flat) || flat.length === 0) return null;
  const o: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) o[String(flat[i])] = JSON.parse(String(flat[i + 1]));
  return o as unknown as JobRecord;
}

function jobFromHash(h: Record<string, string>): JobRecord | null {
  const keys = Object.keys(h);
  if (keys.length === 0) return null;
  const o: Record<string, unknown> = {};
  for (const k of keys) o[k] = JSON.parse(h[k]!);
  return o as unknown as JobRecord;
}

/**
 * The store for several BFF instances: sessions, revocations, idempotency keys, credits and
 * jobs live in one Redis, so any instance can serve any request.
 */
export class RedisStore implements Store {
  readonly redis: Redis;
  /** `staging:` plus the optional prefix; shared with the event bus, rate limiter and leases. */
  readonly namespace: string;
  private readonly r: Scripted<typeof STORE_SCRIPTS>;

  constructor(spec: string | { redis: Redis; prefix?: string }) {
    let prefix: string;
    if (typeof spec === 'string') {
      const parsed = parseRedisUrl(spec);
      prefix = parsed.prefix;
      this.redis = new Redis({ ...parsed.options, lazyConnect: false });
    } else {
      this.redis = spec.redis;
      prefix = spec.prefix ?? '';
    }
    this.namespace = `staging:${prefix ? `${prefix}:` : ''}`;
    this.r = defineScripts(this.redis, STORE_SCRIPTS);
  }

  private k(key: string): string {
    return this.namespace + key;
  }

  async createSession(s: SessionRecord): Promise<void> {
    const { revokedAt, ...rest } = s;
    const m = this.redis.multi().set(this.k(`session:${s.id}`), JSON.stringify(rest));
    if (revokedAt) m.set(this.k(`session:${s.id}:revoked`), revokedAt);
    await m.exec();
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const [raw, revokedAt] = await this.redis.mget(this.k(`session:${id}`), this.k(`session:${id}:revoked`));
    if (!raw) return null;
    return { ...(JSON.parse(raw) as Omit<SessionRecord, 'revokedAt'>), revokedAt: revokedAt ?? null };
  }

  async revokeSession(id: string, at: string): Promise<boolean> {
    return (await this.r.stagingRevokeSession(this.namespace, id, at)) === 1;
  }

  async createUpload(u: UploadRecord): Promise<void> {
    await this.redis.set(this.k(`upload:${u.id}`), JSON.stringify(u));
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const raw = await this.redis.get(this.k(`upload:${id}`));
    return raw ? (JSON.parse(raw) as UploadRecord) : null;
  }

  private idemKey(i: IdempotencyRecord): string {
    return this.k(`idem:${JSON.stringify([i.subject, i.key])}`);
  }

  /** What the job-creating scripts (a job, a batch item's redo) take first: the job's keys, its charge and the session's allowance, and the idempotency record. */
  private jobCreationArgs(job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }): string[] {
    const i = opts.idempotency;
    return [
      this.namespace,
      job.id,
      job.sessionId,
      job.subject,
      `${job.createdAt} ${job.id}`,
      String(job.creditsCharged),
      opts.maxCredits === null ? '' : String(opts.maxCredits),
      i ? this.idemKey(i) : '',
      i?.requestHash ?? '',
      i?.jobId ?? '',
      i?.createdAt ?? '',
    ];
  }

  async createJob(job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    const reply = (await this.r.stagingCreateJob(
      ...this.jobCreationArgs(job, opts),
      ...encodeFields(job),
    )) as [string, ...unknown[]];
    if (reply[0] === 'exists') return { kind: 'exists' as const, requestHash: String(reply[1]), job: jobFromFlat(reply[2])! };
    if (reply[0] === 'insufficient_credits') return { kind: 'insufficient_credits' as const, used: Number(reply[1]) };
    return { kind: 'created' as const, job: structuredClone(job) };
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return jobFromHash(await this.redis.hgetall(this.k(`job:${id}`)));
  }

  private async getJobs(ids: string[]): Promise<Array<JobRecord | null>> {
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.k(`job:${id}`));
    const res = (await p.exec()) ?? [];
    return res.map(([err, h]) => {
      if (err) throw err;
      return jobFromHash(h as Record<string, string>);
    });
  }

  async updateJob(id: string, patch: JobPatch, ifStatus?: readonly JobStatus[]): Promise<JobRecord | null> {
    const guard = ifStatus ? [String(ifStatus.length), ...ifStatus.map((s) => JSON.stringify(s))] : ['-1'];
    return jobFromFlat(await this.r.stagingUpdateJob(this.namespace, id, ...guard, ...encodeFields(patch)));
  }

  async retryJob(id: string, opts: { sessionId: string; maxCredits: number | null; now: string }) {
    const reply = (await this.r.stagingRetryJob(
      this.namespace,
      id,
      opts.maxCredits === null ? '' : String(opts.maxCredits),
      JSON.stringify(opts.now),
      opts.sessionId,
    )) as [string, ...unknown[]];
    switch (reply[0]) {
      case 'not_found':
        return { kind: 'not_found' as const };
      case 'invalid_state':
        return { kind: 'invalid_state' as const, job: jobFromFlat(reply[1])! };
      case 'insufficient_credits':
        return { kind: 'insufficient_credits' as const, used: Number(reply[1]) };
      default:
        return { kind: 'ok' as const, job: jobFromFlat(reply[1])! };
    }
  }

  async listJobs(o: JobListOptions): Promise<JobRecord[]> {
    const key = this.k(`subject-jobs:${o.subject}`);
    // A status filter reads the subject's list in bounded windows and filters them, instead of
    // keeping a second index per status that every status change would have to move.
    const batch = o.status ? Math.max(50, o.limit * 4) : o.limit;
    let max = o.before ? `(${o.before.createdAt} ${o.before.id}` : '+';
    const out: JobRecord[] = [];
    while (out.length < o.limit) {
      const members = await this.redis.zrevrangebylex(key, max, '-', 'LIMIT', 0, batch);
      if (members.length === 0) break;
      const jobs = await this.getJobs(members.map((m) => m.slice(m.indexOf(' ') + 1)));
      for (const j of jobs) {
        if (j && (!o.status || j.status === o.status)) out.push(j);
        if (out.length >= o.limit) break;
      }
      if (members.length < batch) break;
      max = `(${members[members.length - 1]}`;
    }
    return out;
  }

  async listUnfinishedJobs(): Promise<JobRecord[]> {
    const ids = await this.redis.smembers(this.k('unfinished'));
    const jobs = (await this.getJobs(ids)).filter((j): j is JobRecord => j !== null);
    return jobs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async creditsUsed(sessionId: string): Promise<number> {
    const ids = await this.redis.smembers(this.k(`session-jobs:${sessionId}`));
    let used = 0;
    for (const j of await this.getJobs(ids)) used += j?.creditsCharged ?? 0;
    return used;
  }

  async completeJob(jobId: string, outputs: OutputRecord[], now: string): Promise<JobRecord | null> {
    const args: string[] = [];
    for (const o of outputs) args.push(o.id, JSON.stringify(o));
    return jobFromFlat(await this.r.stagingCompleteJob(this.namespace, jobId, JSON.stringify(now), ...args));
  }

  async getOutput(id: string): Promise<OutputRecord | null> {
    const raw = await this.redis.get(this.k(`output:${id}`));
    return raw ? (JSON.parse(raw) as OutputRecord) : null;
  }

  async listOutputs(jobId: string): Promise<OutputRecord[]> {
    const ids = await this.redis.lrange(this.k(`job-outputs:${jobId}`), 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.k(`output:${id}`)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as OutputRecord);
  }

  async createBatch(batch: BatchRecord, jobs: JobRecord[], opts: { idempotency?: { key: string; requestHash: string }; maxCredits: number | null }) {
    const args: string[] = [];
    for (const j of jobs) args.push(j.id, `${j.createdAt} ${j.id}`, String(j.creditsCharged), JSON.stringify(encodeFields(j)));
    const reply = (await this.r.stagingCreateBatch(
      this.namespace,
      batch.sessionId,
      batch.subject,
      opts.maxCredits === null ? '' : String(opts.maxCredits),
      opts.idempotency ? this.k(`batch-idem:${batch.subject}:${opts.idempotency.key}`) : '',
      opts.idempotency?.requestHash ?? '',
      batch.id,
      JSON.stringify(batch),
      `${batch.createdAt} ${batch.id}`,
      ...args,
    )) as [string, ...unknown[]];
    if (reply[0] === 'exists') {
      const prior = JSON.parse(String(reply[2])) as BatchRecord;
      return { kind: 'exists' as const, requestHash: String(reply[1]), batch: { ...prior, cancelledAt: reply[3] ? String(reply[3]) : prior.cancelledAt } };
    }
    if (reply[0] === 'insufficient_credits') return { kind: 'insufficient_credits' as const, used: Number(reply[1]) };
    return { kind: 'created' as const };
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const key = this.k(`batch:${id}`);
    const res = (await this.redis.multi().mget(key, `${key}:cancelled`).hgetall(`${key}:jobs`).hgetall(`${key}:excluded`).exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    const [raw, cancelledAt] = res[0]![1] as [string | null, string | null];
    if (!raw) return null;
    const jobs = res[1]![1] as Record<string, string>;
    const excluded = res[2]![1] as Record<string, string>;
    const b = JSON.parse(raw) as BatchRecord;
    const items = b.items.map((item, i) => {
      const ids = jobs[i]?.split(' ');
      const out = ids ? { ...item, jobId: ids[ids.length - 1]!, previousJobIds: ids.slice(0, -1) } : item;
      return excluded[i] === undefined ? out : { ...out, excluded: excluded[i] === '1' };
    });
    return { ...b, items, cancelledAt: cancelledAt ?? b.cancelledAt };
  }

  async redoBatchItem(batchId: string, index: number, job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    const reply = (await this.r.stagingRedoBatchItem(
      ...this.jobCreationArgs(job, opts),
      batchId,
      String(index),
      ...encodeFields(job),
    )) as [string, ...unknown[]];
    switch (reply[0]) {
      case 'exists':
        return { kind: 'exists' as const, requestHash: String(reply[1]), job: jobFromFlat(reply[2])! };
      case 'insufficient_credits':
        return { kind: 'insufficient_credits' as const, used: Number(reply[1]) };
      case 'not_found':
      case 'cancelled':
        return { kind: reply[0] };
      default: {
        const batch = await this.getBatch(batchId);
        if (!batch) return { kind: 'not_found' as const };
        return { kind: 'created' as const, job: structuredClone(job), batch, replacedJobId: String(reply[1]) };
      }
    }
  }

  async setBatchItemExcluded(batchId: string, index: number, excluded: boolean): Promise<BatchRecord | null> {
    const b = await this.getBatch(batchId);
    if (!b || !b.items[index]) return null;
    // The items never change in number, so checking the index first and writing after is safe.
    await this.redis.hset(this.k(`batch:${batchId}:excluded`), String(index), excluded ? '1' : '0');
    b.items[index] = { ...b.items[index], excluded };
    return b;
  }

  async listBatches(o: BatchListOptions): Promise<BatchRecord[]> {
    const max = o.before ? `(${o.before.createdAt} ${o.before.id}` : '+';
    const members = await this.redis.zrevrangebylex(this.k(`subject-batches:${o.subject}`), max, '-', 'LIMIT', 0, o.limit);
    const batches = await Promise.all(members.map((m) => this.getBatch(m.slice(m.indexOf(' ') + 1))));
    return batches.filter((b): b is BatchRecord => b !== null);
  }

  async cancelBatch(id: string, at: string): Promise<boolean> {
    if (!(await this.redis.exists(this.k(`batch:${id}`)))) return false;
    await this.redis.set(this.k(`batch:${id}:cancelled`), at, 'NX');
    return true;
  }

  async createOriginalPage(p: OriginalPageRecord): Promise<void> {
    const { withdrawnAt, ...rest } = p;
    const m = this.redis.multi().set(this.k(`original:${p.id}`), JSON.stringify(rest));
    if (withdrawnAt) m.set(this.k(`original:${p.id}:withdrawn`), withdrawnAt);
    await m.exec();
  }

  async getOriginalPage(id: string): Promise<OriginalPageRecord | null> {
    const [raw, withdrawnAt] = await this.redis.mget(this.k(`original:${id}`), this.k(`original:${id}:withdrawn`));
    if (!raw) return null;
    return { ...(JSON.parse(raw) as Omit<OriginalPageRecord, 'withdrawnAt'>), withdrawnAt: withdrawnAt ?? null };
  }

  async withdrawOriginalPage(id: string, at: string): Promise<boolean> {
    if (!(await this.redis.exists(this.k(`original:${id}`)))) return false;
    await this.redis.set(this.k(`original:${id}:withdrawn`), at, 'NX');
    return true;
  }

  private outboxOf?: RedisOutbox;
  private get outbox(): RedisOutbox {
    return (this.outboxOf ??= new RedisOutbox(this.redis, this.namespace));
  }
  addOutboxEvent(e: { id: string; type: string; payload: string; createdAt: string }) {
    return this.outbox.add(e);
  }
  claimOutboxEvents(now: number, claimMs: number, limit: number) {
    return this.outbox.claim(now, claimMs, limit);
  }
  settleOutboxEvent(id: string, outcome: OutboxOutcome) {
    return this.outbox.settle(id, outcome);
  }
  getOutboxEvent(id: string) {
    return this.outbox.get(id);
  }

  /** `<ns>session-slots:<sessionId>` (job id → expiry) and `<ns>session-slot-holders:<sessionId>` (job id → instance). */
  private slotKeys(sessionId: string): [string, string] {
    return [this.k(`session-slots:${sessionId}`), this.k(`session-slot-holders:${sessionId}`)];
  }
  private get slotScripts(): Scripted<typeof SLOT_SCRIPTS> {
    return defineScripts(this.redis, SLOT_SCRIPTS);
  }
  async takeSessionSlot(c: SessionSlotClaim & { limit: number }): Promise<boolean> {
    return (await this.slotScripts.stagingSlotTake(...this.slotKeys(c.sessionId), c.jobId, c.holder, c.now, c.ttlMs, c.limit)) === 1;
  }
  async renewSessionSlot(c: SessionSlotClaim): Promise<boolean> {
    return (await this.slotScripts.stagingSlotRenew(...this.slotKeys(c.sessionId), c.jobId, c.holder, c.now, c.ttlMs)) === 1;
  }
  async releaseSessionSlot(sessionId: string, jobId: string, holder?: string): Promise<void> {
    await this.slotScripts.stagingSlotRelease(...this.slotKeys(sessionId), jobId, holder ?? '');
  }
  async listSessionSlots(sessionId: string, now: number): Promise<SessionSlot[]> {
    const [slots, holders] = this.slotKeys(sessionId);
    const flat = await this.redis.zrangebyscore(slots, `(${now}`, '+inf', 'WITHSCORES');
    const ids = flat.filter((_, i) => i % 2 === 0);
    const by = ids.length > 0 ? await this.redis.hmget(holders, ...ids) : [];
    return ids.map((jobId, i) => ({ jobId, holder: by[i] ?? '', expiresAt: Number(flat[2 * i + 1]) }));
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
