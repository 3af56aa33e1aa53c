import type { JobStatus } from '../../contract/index.js';
import { isTerminal } from '../../contract/index.js';
import type { BatchListOptions, BatchRecord, IdempotencyRecord, OriginalPageRecord, JobListOptions, JobPatch, JobRecord, OutboxEvent, OutboxOutcome, OutputRecord, SessionRecord, SessionSlot, SessionSlotClaim, Store, UploadRecord } from './types.js';

// Records are copied in and out so callers can never mutate stored state by accident,
// which is what a real store's serialization guarantees too.
const copy = <T>(v: T): T => structuredClone(v);

/** A store in process memory, for unit tests and throwaway demos. Nothing survives a restart. */
export class MemoryStore implements Store {
  private sessions = new Map<string, SessionRecord>();
  private uploads = new Map<string, UploadRecord>();
  private jobs = new Map<string, JobRecord>();
  private outputs = new Map<string, OutputRecord>();
  private idempotency = new Map<string, IdempotencyRecord>();
  /** Per session, its slots by job. */
  private slots = new Map<string, Map<string, SessionSlot>>();

  async createSession(s: SessionRecord) {
    this.sessions.set(s.id, copy(s));
  }
  async getSession(id: string) {
    const s = this.sessions.get(id);
    return s ? copy(s) : null;
  }
  async revokeSession(id: string, at: string) {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.revokedAt ??= at;
    return true;
  }

  async createUpload(u: UploadRecord) {
    this.uploads.set(u.id, copy(u));
  }
  async getUpload(id: string) {
    const u = this.uploads.get(id);
    return u ? copy(u) : null;
  }

  private used(sessionId: string): number {
    let used = 0;
    for (const j of this.jobs.values()) if (j.sessionId === sessionId) used += j.creditsCharged;
    return used;
  }

  async createJob(job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    if (opts.idempotency) {
      const prior = this.idempotency.get(`${opts.idempotency.subject}\n${opts.idempotency.key}`);
      if (prior) return { kind: 'exists' as const, job: copy(this.jobs.get(prior.jobId)!), requestHash: prior.requestHash };
    }
    const used = this.used(job.sessionId);
    if (opts.maxCredits !== null && used + job.creditsCharged > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
    this.jobs.set(job.id, copy(job));
    if (opts.idempotency) this.idempotency.set(`${opts.idempotency.subject}\n${opts.idempotency.key}`, copy(opts.idempotency));
    return { kind: 'created' as const, job: copy(job) };
  }

  async getJob(id: string) {
    const j = this.jobs.get(id);
    return j ? copy(j) : null;
  }

  async updateJob(id: string, patch: JobPatch, ifStatus?: readonly JobStatus[]) {
    const j = this.jobs.get(id);
    if (!j || (ifStatus && !ifStatus.includes(j.status))) return null;
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (j as unknown as Record<string, unknown>)[k] = copy(v);
    return copy(j);
  }

  async retryJob(id: string, opts: { sessionId: string; maxCredits: number | null; now: string }) {
    const j = this.jobs.get(id);
    if (!j) return { kind: 'not_found' as const };
    if (j.status !== 'failed' && j.status !== 'cancelled') return { kind: 'invalid_state' as const, job: copy(j) };
    const used = this.used(opts.sessionId);
    if (opts.maxCredits !== null && used + j.cost > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
    Object.assign(j, {
      sessionId: opts.sessionId,
      status: 'pending',
      progress: 0,
      error: null,
      providerState: null,
      creditsCharged: j.cost,
      attempt: j.attempt + 1,
      interruptions: 0,
      updatedAt: opts.now,
    } satisfies JobPatch & Pick<JobRecord, 'sessionId'>);
    for (const [oid, o] of this.outputs) if (o.jobId === id) this.outputs.delete(oid);
    return { kind: 'ok' as const, job: copy(j) };
  }

  async listJobs(o: JobListOptions) {
    const before = o.before;
    return [...this.jobs.values()]
      .filter((j) => j.subject === o.subject && (!o.status || j.status === o.status))
      .filter((j) => !before || j.createdAt < before.createdAt || (j.createdAt === before.createdAt && j.id < before.id))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, o.limit)
      .map(copy);
  }

  async listUnfinishedJobs() {
    return [...this.jobs.values()].filter((j) => !isTerminal(j.status)).map(copy);
  }

  async creditsUsed(sessionId: string) {
    return this.used(sessionId);
  }

  async completeJob(jobId: string, outputs: OutputRecord[], now: string) {
    const j = this.jobs.get(jobId);
    if (!j || isTerminal(j.status)) return null;
    Object.assign(j, { status: 'completed', progress: 1, error: null, updatedAt: now } satisfies JobPatch);
    for (const [oid, o] of this.outputs) if (o.jobId === jobId) this.outputs.delete(oid);
    for (const o of outputs) this.outputs.set(o.id, copy(o));
    return copy(j);
  }
  async getOutput(id: string) {
    const o = this.outputs.get(id);
    return o ? copy(o) : null;
  }
  async listOutputs(jobId: string) {
    // Insertion order of a Map is the order outputs were added: the job's variant order.
    return [...this.outputs.values()].filter((o) => o.jobId === jobId).map(copy);
  }

  private readonly originalPages = new Map<string, OriginalPageRecord>();
  async createOriginalPage(p: OriginalPageRecord) {
    this.originalPages.set(p.id, copy(p));
  }
  async getOriginalPage(id: string) {
    const p = this.originalPages.get(id);
    return p ? copy(p) : null;
  }
  async withdrawOriginalPage(id: string, at: string) {
    const p = this.originalPages.get(id);
    if (!p) return false;
    p.withdrawnAt ??= at;
    return true;
  }

  private readonly batches = new Map<string, BatchRecord>();
  private readonly batchKeys = new Map<string, { batchId: string; requestHash: string }>();

  async createBatch(batch: BatchRecord, jobs: JobRecord[], opts: { idempotency?: { key: string; requestHash: string }; maxCredits: number | null }) {
    const idemKey = opts.idempotency ? `${batch.subject}\n${opts.idempotency.key}` : null;
    const prior = idemKey ? this.batchKeys.get(idemKey) : undefined;
    if (prior) return { kind: 'exists' as const, batch: copy(this.batches.get(prior.batchId)!), requestHash: prior.requestHash };
    const used = this.used(batch.sessionId);
    const needed = jobs.reduce((n, j) => n + j.creditsCharged, 0);
    if (opts.maxCredits !== null && used + needed > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
    for (const j of jobs) this.jobs.set(j.id, copy(j));
    this.batches.set(batch.id, copy(batch));
    if (idemKey) this.batchKeys.set(idemKey, { batchId: batch.id, requestHash: opts.idempotency!.requestHash });
    return { kind: 'created' as const };
  }
  async getBatch(id: string) {
    const b = this.batches.get(id);
    return b ? copy(b) : null;
  }
  async redoBatchItem(batchId: string, index: number, job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    if (opts.idempotency) {
      const prior = this.idempotency.get(`${opts.idempotency.subject}\n${opts.idempotency.key}`);
      if (prior) return { kind: 'exists' as const, job: copy(this.jobs.get(prior.jobId)!), requestHash: prior.requestHash };
    }
    const b = this.batches.get(batchId);
    const item = b?.items[index];
    if (!b || !item) return { kind: 'not_found' as const };
    if (b.cancelledAt) return { kind: 'cancelled' as const };
    const used = this.used(job.sessionId);
    if (opts.maxCredits !== null && used + job.creditsCharged > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
    this.jobs.set(job.id, copy(job));
    if (opts.idempotency) this.idempotency.set(`${opts.idempotency.subject}\n${opts.idempotency.key}`, copy(opts.idempotency));
    const replacedJobId = item.jobId;
    item.previousJobIds = [...(item.previousJobIds ?? []), replacedJobId];
    item.jobId = job.id;
    return { kind: 'created' as const, job: copy(job), batch: copy(b), replacedJobId };
  }
  async setBatchItemExcluded(batchId: string, index: number, excluded: boolean) {
    const item = this.batches.get(batchId)?.items[index];
    if (!item) return null;
    item.excluded = excluded;
    return copy(this.batches.get(batchId)!);
  }
  async listBatches(o: BatchListOptions) {
    const before = o.before;
    return [...this.batches.values()]
      .filter((b) => b.subject === o.subject)
      .filter((b) => !before || b.createdAt < before.createdAt || (b.createdAt === before.createdAt && b.id < before.id))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, o.limit)
      .map(copy);
  }
  async cancelBatch(id: string, at: string) {
    const b = this.batches.get(id);
    if (!b) return false;
    b.cancelledAt ??= at;
    return true;
  }

  private readonly outbox = new Map<string, OutboxEvent>();

  async addOutboxEvent(e: { id: string; type: string; payload: string; createdAt: string }) {
    if (this.outbox.has(e.id)) return false;
    this.outbox.set(e.id, { ...e, attempts: 0, nextAttemptAt: 0, status: 'pending', lastError: null, deliveredAt: null });
    return true;
  }
  async claimOutboxEvents(now: number, claimMs: number, limit: number) {
    const due = [...this.outbox.values()].filter((e) => e.status === 'pending' && e.nextAttemptAt <= now).slice(0, limit);
    for (const e of due) e.nextAttemptAt = now + claimMs;
    return due.map(copy);
  }
  async settleOutboxEvent(id: string, o: OutboxOutcome) {
    const e = this.outbox.get(id);
    if (!e) return;
    if (o.status === 'delivered') Object.assign(e, { status: 'delivered', deliveredAt: o.at });
    else Object.assign(e, { status: o.status, attempts: o.attempts, lastError: o.error, ...(o.status === 'pending' ? { nextAttemptAt: o.nextAttemptAt } : {}) });
  }
  async getOutboxEvent(id: string) {
    const e = this.outbox.get(id);
    return e ? copy(e) : null;
  }

  /** The session's slots, with the expired ones dropped. */
  private slotsOf(sessionId: string, now: number): Map<string, SessionSlot> {
    let held = this.slots.get(sessionId);
    if (!held) this.slots.set(sessionId, (held = new Map()));
    for (const [jobId, slot] of held) if (slot.expiresAt <= now) held.delete(jobId);
    return held;
  }
  async takeSessionSlot(c: SessionSlotClaim & { limit: number }) {
    const held = this.slotsOf(c.sessionId, c.now);
    if (!held.has(c.jobId) && held.size >= c.limit) return false;
    held.set(c.jobId, { jobId: c.jobId, holder: c.holder, expiresAt: c.now + c.ttlMs });
    return true;
  }
  async renewSessionSlot(c: SessionSlotClaim) {
    const held = this.slotsOf(c.sessionId, c.now);
    const slot = held.get(c.jobId);
    if (slot && slot.holder !== c.holder) return false;
    held.set(c.jobId, { jobId: c.jobId, holder: c.holder, expiresAt: c.now + c.ttlMs });
    return true;
  }
  async releaseSessionSlot(sessionId: string, jobId: string, holder?: string) {
    const held = this.slots.get(sessionId);
    const slot = held?.get(jobId);
    if (!held || !slot || (holder !== undefined && slot.holder !== holder)) return;
    held.delete(jobId);
    if (held.size === 0) this.slots.delete(sessionId);
  }
  async listSessionSlots(sessionId: string, now: number) {
    return [...(this.slots.get(sessionId)?.values() ?? [])].filter((s) => s.expiresAt > now).map(copy);
  }

  async close() {}
}
