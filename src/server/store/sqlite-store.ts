import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobStatus } from '../../contract/index.js';
import { TERMINAL_STATUSES } from '../../contract/index.js';
import { SqliteReadCache } from './sqlite-read-cache.js';
import type { BatchListOptions, BatchRecord, IdempotencyRecord, OriginalPageRecord, JobListOptions, JobPatch, JobRecord, OutboxEvent, OutboxOutcome, OutputRecord, SessionRecord, SessionSlot, SessionSlotClaim, Store, UploadRecord } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, subject TEXT NOT NULL, origins TEXT NOT NULL, services TEXT,
  max_credits INTEGER, max_resolution TEXT NOT NULL, metadata TEXT,
  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY, subject TEXT NOT NULL, session_id TEXT NOT NULL, blob_key TEXT NOT NULL,
  content_type TEXT NOT NULL, bytes INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, subject TEXT NOT NULL, session_id TEXT NOT NULL, status TEXT NOT NULL,
  service TEXT NOT NULL, config TEXT NOT NULL, resolution TEXT NOT NULL, prompt TEXT, reference_id TEXT,
  upload_id TEXT NOT NULL, mask_upload_id TEXT, reference_upload_id TEXT,
  options TEXT NOT NULL, location TEXT, variants INTEGER NOT NULL, cost REAL NOT NULL, credits_charged REAL NOT NULL,
  progress REAL NOT NULL, error TEXT, provider_state TEXT, attempt INTEGER NOT NULL,
  interruptions INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_subject ON jobs (subject, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_by_session ON jobs (session_id);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (status) WHERE status IN ('pending', 'compressing', 'processing');
CREATE TABLE IF NOT EXISTS outputs (
  id TEXT PRIMARY KEY, job_id TEXT NOT NULL, subject TEXT NOT NULL, position INTEGER NOT NULL,
  blob_key TEXT NOT NULL, content_type TEXT NOT NULL, bytes INTEGER NOT NULL,
  width INTEGER NOT NULL, height INTEGER NOT NULL, local_preview INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outputs_by_job ON outputs (job_id, position);
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY, subject TEXT NOT NULL, session_id TEXT NOT NULL, record TEXT NOT NULL,
  idempotency_key TEXT, request_hash TEXT, cancelled_at TEXT, created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS batches_by_key ON batches (subject, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS batches_by_subject ON batches (subject, created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, status TEXT NOT NULL,
  last_error TEXT, delivered_at TEXT
);
CREATE TABLE IF NOT EXISTS original_pages (
  id TEXT PRIMARY KEY, output_id TEXT NOT NULL, job_id TEXT NOT NULL, upload_id TEXT NOT NULL,
  subject TEXT NOT NULL, created_at TEXT NOT NULL, withdrawn_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS session_slots (
  session_id TEXT NOT NULL, job_id TEXT NOT NULL, holder TEXT NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, job_id)
);
CREATE TABLE IF NOT EXISTS idempotency (
  subject TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, job_id TEXT NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (subject, key)
);
`;

/**
 * Columns added after the first release: a database made by an older BFF gets them at start
 * (SQLite's ADD COLUMN is cheap: existing rows read the default).
 */
const ADDED_COLUMNS: ReadonlyArray<[table: string, column: string, definition: string]> = [
  ['sessions', 'disclosure_profile', 'TEXT'],
  ['jobs', 'edit_class', "TEXT NOT NULL DEFAULT 'material'"],
  ['jobs', 'disclosure_profile', 'TEXT'],
  ['outputs', 'disclosure', 'TEXT'],
  ['jobs', 'bracket_upload_ids', "TEXT NOT NULL DEFAULT '[]'"],
  ['outputs', 'note', 'TEXT'],
  ['jobs', 'batch_id', 'TEXT'],
  ['jobs', 'variation', 'INTEGER NOT NULL DEFAULT 0'],
];

type Row = Record<string, unknown>;
const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown): T => (v === null || v === undefined ? (null as T) : (JSON.parse(String(v)) as T));

function sessionFrom(r: Row): SessionRecord {
  return {
    id: String(r.id),
    subject: String(r.subject),
    origins: parse<string[]>(r.origins),
    services: parse<string[] | null>(r.services),
    maxCredits: r.max_credits === null ? null : Number(r.max_credits),
    maxResolution: r.max_resolution as SessionRecord['maxResolution'],
    metadata: parse<Record<string, unknown> | null>(r.metadata),
    disclosureProfile: r.disclosure_profile === null || r.disclosure_profile === undefined ? null : String(r.disclosure_profile),
    createdAt: String(r.created_at),
    expiresAt: String(r.expires_at),
    revokedAt: r.revoked_at === null ? null : String(r.revoked_at),
  };
}

/** A batch is stored whole as JSON (rewritten in a transaction when an item is redone or excluded; `cancelled_at` is its own column), plus the columns it is found by. */
function batchFrom(r: Row): BatchRecord {
  return { ...parse<BatchRecord>(r.record), cancelledAt: r.cancelled_at === null ? null : String(r.cancelled_at) };
}

function outboxFrom(r: Row): OutboxEvent {
  return {
    id: String(r.id),
    type: String(r.type),
    payload: String(r.payload),
    createdAt: String(r.created_at),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    status: r.status as OutboxEvent['status'],
    lastError: r.last_error === null ? null : String(r.last_error),
    deliveredAt: r.delivered_at === null ? null : String(r.delivered_at),
  };
}

function uploadFrom(r: Row): UploadRecord {
  return {
    id: String(r.id),
    subject: String(r.subject),
    sessionId: String(r.session_id),
    blobKey: String(r.blob_key),
    contentType: String(r.content_type),
    bytes: Number(r.bytes),
    width: Number(r.width),
    height: Number(r.height),
    createdAt: String(r.created_at),
  };
}

function jobFrom(r: Row): JobRecord {
  return {
    id: String(r.id),
    subject: String(r.subject),
    sessionId: String(r.session_id),
    status: r.status as JobStatus,
    service: String(r.service),
    config: String(r.config),
    resolution: r.resolution as JobRecord['resolution'],
    editClass: r.edit_class as JobRecord['editClass'],
    disclosureProfile: r.disclosure_profile === null ? null : String(r.disclosure_profile),
    prompt: r.prompt === null ? null : String(r.prompt),
    referenceId: r.reference_id === null ? null : String(r.reference_id),
    uploadId: String(r.upload_id),
    maskUploadId: r.mask_upload_id === null ? null : String(r.mask_upload_id),
    referenceUploadId: r.reference_upload_id === null ? null : String(r.reference_upload_id),
    bracketUploadIds: parse<string[] | null>(r.bracket_upload_ids) ?? [],
    batchId: r.batch_id === null || r.batch_id === undefined ? null : String(r.batch_id),
    options: parse(r.options),
    location: parse(r.location),
    variants: Number(r.variants),
    ...(r.variation ? { variation: Number(r.variation) } : {}),
    cost: Number(r.cost),
    creditsCharged: Number(r.credits_charged),
    progress: Number(r.progress),
    error: parse(r.error),
    providerState: parse(r.provider_state),
    attempt: Number(r.attempt),
    interruptions: Number(r.interruptions),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function outputFrom(r: Row): OutputRecord {
  return {
    id: String(r.id),
    jobId: String(r.job_id),
    subject: String(r.subject),
    blobKey: String(r.blob_key),
    contentType: String(r.content_type),
    bytes: Number(r.bytes),
    width: Number(r.width),
    height: Number(r.height),
    localPreview: Number(r.local_preview) === 1,
    disclosure: parse(r.disclosure),
    ...(r.note === null || r.note === undefined ? {} : { note: parse<NonNullable<OutputRecord['note']>>(r.note) }),
    createdAt: String(r.created_at),
  };
}

const PATCH_COLUMNS: Record<keyof JobPatch, [string, (v: unknown) => unknown]> = {
  status: ['status', (v) => v],
  progress: ['progress', (v) => v],
  error: ['error', json],
  providerState: ['provider_state', json],
  creditsCharged: ['credits_charged', (v) => v],
  attempt: ['attempt', (v) => v],
  interruptions: ['interruptions', (v) => v],
  updatedAt: ['updated_at', (v) => v],
};

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The default store. better-sqlite3 is synchronous, so each method is one transaction
 * that no other request can interleave with — which is what makes the credit check and
 * the idempotency check in `createJob` atomic within one BFF process.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /**
   * Prepared statements by their SQL text. Preparing is most of the cost of a small query
   * (better-sqlite3 compiles the SQL every time), and the read path runs three per request.
   * The texts are a small fixed set (plus a few UPDATE shapes built from patch fields).
   */
  private readonly statements = new Map<string, Database.Statement>();

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size >= 256) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as Row[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
    const dataVersion = this.db.prepare('PRAGMA data_version').pluck();
    this.cache = new SqliteReadCache(() => dataVersion.get() as number);
  }

  private readonly cache: SqliteReadCache;

  async createSession(s: SessionRecord): Promise<void> {
    this
      .sql(
        `INSERT INTO sessions (id, subject, origins, services, max_credits, max_resolution, metadata, disclosure_profile, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.id, s.subject, json(s.origins), json(s.services), s.maxCredits, s.maxResolution, json(s.metadata), s.disclosureProfile, s.createdAt, s.expiresAt, s.revokedAt);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return this.cache.session(id, () => {
      const r = this.sql('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
      return r ? sessionFrom(r) : null;
    });
  }

  async revokeSession(id: string, at: string): Promise<boolean> {
    this.cache.forgetSession(id);
    const res = this.sql('UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id);
    return res.changes > 0;
  }

  async createUpload(u: UploadRecord): Promise<void> {
    this
      .sql(
        `INSERT INTO uploads (id, subject, session_id, blob_key, content_type, bytes, width, height, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.subject, u.sessionId, u.blobKey, u.contentType, u.bytes, u.width, u.height, u.createdAt);
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const r = this.sql('SELECT * FROM uploads WHERE id = ?').get(id) as Row | undefined;
    return r ? uploadFrom(r) : null;
  }

  private insertJob(j: JobRecord): void {
    this
      .sql(
        `INSERT INTO jobs (id, subject, session_id, status, service, config, resolution, edit_class, disclosure_profile, prompt, reference_id,
           upload_id, mask_upload_id, reference_upload_id, bracket_upload_ids, options, location, variants, cost, credits_charged,
           progress, error, provider_state, attempt, interruptions, created_at, updated_at, batch_id, variation)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        j.id, j.subject, j.sessionId, j.status, j.service, j.config, j.resolution, j.editClass, j.disclosureProfile, j.prompt, j.referenceId,
        j.uploadId, j.maskUploadId, j.referenceUploadId, json(j.bracketUploadIds ?? []), json(j.options), json(j.location), j.variants, j.cost, j.creditsCharged,
        j.progress, json(j.error), json(j.providerState), j.attempt, j.interruptions, j.createdAt, j.updatedAt, j.batchId ?? null, j.variation ?? 0,
      );
  }

  private creditsUsedSync(sessionId: string): number {
    const r = this.sql('SELECT COALESCE(SUM(credits_charged), 0) AS used FROM jobs WHERE session_id = ?').get(sessionId) as Row;
    return Number(r.used);
  }

  async createJob(job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    const tx = this.db.transaction(() => {
      if (opts.idempotency) {
        const prior = this
          .sql('SELECT request_hash, job_id FROM idempotency WHERE subject = ? AND key = ?')
          .get(opts.idempotency.subject, opts.idempotency.key) as Row | undefined;
        if (prior) {
          const existing = this.sql('SELECT * FROM jobs WHERE id = ?').get(prior.job_id) as Row;
          return { kind: 'exists' as const, job: jobFrom(existing), requestHash: String(prior.request_hash) };
        }
      }
      const used = this.creditsUsedSync(job.sessionId);
      if (opts.maxCredits !== null && used + job.creditsCharged > opts.maxCredits) {
        return { kind: 'insufficient_credits' as const, used };
      }
      this.insertJob(job);
      if (opts.idempotency) {
        const i = opts.idempotency;
        this
          .sql('INSERT INTO idempotency (subject, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(i.subject, i.key, i.requestHash, i.jobId, i.createdAt);
      }
      return { kind: 'created' as const, job };
    });
    return tx.immediate();
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.cache.job(id, () => {
      const r = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
      return r ? jobFrom(r) : null;
    });
  }

  async updateJob(id: string, patch: JobPatch, ifStatus?: readonly JobStatus[]): Promise<JobRecord | null> {
    this.cache.forgetJob(id);
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
      if (v === undefined) continue;
      const [col, enc] = PATCH_COLUMNS[k];
      sets.push(`${col} = ?`);
      values.push(enc(v));
    }
    const tx = this.db.transaction(() => {
      let where = 'id = ?';
      const params = [...values, id];
      if (ifStatus) {
        where += ` AND status IN (${ifStatus.map(() => '?').join(', ')})`;
        params.push(...ifStatus);
      }
      if (sets.length > 0) {
        const res = this.sql(`UPDATE jobs SET ${sets.join(', ')} WHERE ${where}`).run(...params);
        if (res.changes === 0) return null;
      }
      const r = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
      return r ? jobFrom(r) : null;
    });
    return tx.immediate();
  }

  async retryJob(id: string, opts: { sessionId: string; maxCredits: number | null; now: string }) {
    this.cache.forgetJob(id);
    const tx = this.db.transaction(() => {
      const r = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
      if (!r) return { kind: 'not_found' as const };
      const job = jobFrom(r);
      if (job.status !== 'failed' && job.status !== 'cancelled') return { kind: 'invalid_state' as const, job };
      const cost = job.cost;
      const used = this.creditsUsedSync(opts.sessionId);
      if (opts.maxCredits !== null && used + cost > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
      this
        .sql(
          `UPDATE jobs SET status = 'pending', progress = 0, error = NULL, provider_state = NULL, credits_charged = ?,
             attempt = attempt + 1, interruptions = 0, session_id = ?, updated_at = ? WHERE id = ?`,
        )
        .run(cost, opts.sessionId, opts.now, id);
      this.sql('DELETE FROM outputs WHERE job_id = ?').run(id);
      return { kind: 'ok' as const, job: jobFrom(this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row) };
    });
    return tx.immediate();
  }

  async listJobs(o: JobListOptions): Promise<JobRecord[]> {
    const where = ['subject = ?'];
    const params: unknown[] = [o.subject];
    if (o.status) {
      where.push('status = ?');
      params.push(o.status);
    }
    if (o.before) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(o.before.createdAt, o.before.createdAt, o.before.id);
    }
    params.push(o.limit);
    const rows = this
      .sql(`SELECT * FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params) as Row[];
    return rows.map(jobFrom);
  }

  async listUnfinishedJobs(): Promise<JobRecord[]> {
    const rows = this.sql(`SELECT * FROM jobs WHERE status NOT IN (${TERMINAL_SQL}) ORDER BY created_at`).all() as Row[];
    return rows.map(jobFrom);
  }

  async creditsUsed(sessionId: string): Promise<number> {
    return this.creditsUsedSync(sessionId);
  }

  async completeJob(jobId: string, outputs: OutputRecord[], now: string): Promise<JobRecord | null> {
    this.cache.forgetJob(jobId);
    const insert = this.sql(
      `INSERT INTO outputs (id, job_id, subject, position, blob_key, content_type, bytes, width, height, local_preview, disclosure, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tx = this.db.transaction(() => {
      const res = this
        .sql(`UPDATE jobs SET status = 'completed', progress = 1, error = NULL, updated_at = ? WHERE id = ? AND status NOT IN (${TERMINAL_SQL})`)
        .run(now, jobId);
      if (res.changes === 0) return null;
      // A job resumed after a crash may have stored outputs of an earlier run: keep only these.
      this.sql('DELETE FROM outputs WHERE job_id = ?').run(jobId);
      outputs.forEach((o, i) =>
        insert.run(o.id, jobId, o.subject, i, o.blobKey, o.contentType, o.bytes, o.width, o.height, o.localPreview ? 1 : 0, json(o.disclosure), json(o.note), o.createdAt),
      );
      return jobFrom(this.sql('SELECT * FROM jobs WHERE id = ?').get(jobId) as Row);
    });
    return tx.immediate();
  }

  async getOutput(id: string): Promise<OutputRecord | null> {
    const r = this.sql('SELECT * FROM outputs WHERE id = ?').get(id) as Row | undefined;
    return r ? outputFrom(r) : null;
  }

  async listOutputs(jobId: string): Promise<OutputRecord[]> {
    return this.cache.jobOutputs(jobId, () => (this.sql('SELECT * FROM outputs WHERE job_id = ? ORDER BY position').all(jobId) as Row[]).map(outputFrom));
  }

  async createBatch(batch: BatchRecord, jobs: JobRecord[], opts: { idempotency?: { key: string; requestHash: string }; maxCredits: number | null }) {
    return this.db.transaction(() => {
      if (opts.idempotency) {
        const prior = this.sql('SELECT * FROM batches WHERE subject = ? AND idempotency_key = ?').get(batch.subject, opts.idempotency.key) as Row | undefined;
        if (prior) return { kind: 'exists' as const, batch: batchFrom(prior), requestHash: String(prior.request_hash) };
      }
      const used = this.creditsUsedSync(batch.sessionId);
      const needed = jobs.reduce((n, j) => n + j.creditsCharged, 0);
      if (opts.maxCredits !== null && used + needed > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
      for (const j of jobs) this.insertJob(j);
      this.sql(
        'INSERT INTO batches (id, subject, session_id, record, idempotency_key, request_hash, cancelled_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(batch.id, batch.subject, batch.sessionId, JSON.stringify(batch), opts.idempotency?.key ?? null, opts.idempotency?.requestHash ?? null, batch.cancelledAt, batch.createdAt);
      return { kind: 'created' as const };
    }).immediate();
  }

  /** The idempotency key's earlier job, if the key was used. */
  private priorJob(i: IdempotencyRecord | undefined) {
    if (!i) return null;
    const prior = this.sql('SELECT request_hash, job_id FROM idempotency WHERE subject = ? AND key = ?').get(i.subject, i.key) as Row | undefined;
    if (!prior) return null;
    return { kind: 'exists' as const, job: jobFrom(this.sql('SELECT * FROM jobs WHERE id = ?').get(prior.job_id) as Row), requestHash: String(prior.request_hash) };
  }

  async redoBatchItem(batchId: string, index: number, job: JobRecord, opts: { idempotency?: IdempotencyRecord; maxCredits: number | null }) {
    return this.db.transaction(() => {
      const prior = this.priorJob(opts.idempotency);
      if (prior) return prior;
      const r = this.sql('SELECT * FROM batches WHERE id = ?').get(batchId) as Row | undefined;
      const batch = r ? batchFrom(r) : null;
      const item = batch?.items[index];
      if (!batch || !item) return { kind: 'not_found' as const };
      if (batch.cancelledAt) return { kind: 'cancelled' as const };
      const used = this.creditsUsedSync(job.sessionId);
      if (opts.maxCredits !== null && used + job.creditsCharged > opts.maxCredits) return { kind: 'insufficient_credits' as const, used };
      this.insertJob(job);
      const i = opts.idempotency;
      if (i) this.sql('INSERT INTO idempotency (subject, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)').run(i.subject, i.key, i.requestHash, i.jobId, i.createdAt);
      const replacedJobId = item.jobId;
      item.previousJobIds = [...(item.previousJobIds ?? []), replacedJobId];
      item.jobId = job.id;
      this.sql('UPDATE batches SET record = ? WHERE id = ?').run(JSON.stringify(batch), batchId);
      return { kind: 'created' as const, job, batch, replacedJobId };
    }).immediate();
  }

  async setBatchItemExcluded(batchId: string, index: number, excluded: boolean): Promise<BatchRecord | null> {
    return this.db.transaction(() => {
      const r = this.sql('SELECT * FROM batches WHERE id = ?').get(batchId) as Row | undefined;
      const batch = r ? batchFrom(r) : null;
      const item = batch?.items[index];
      if (!batch || !item) return null;
      item.excluded = excluded;
      this.sql('UPDATE batches SET record = ? WHERE id = ?').run(JSON.stringify(batch), batchId);
      return batch;
    }).immediate();
  }

  async createOriginalPage(p: OriginalPageRecord): Promise<void> {
    this
      .sql('INSERT INTO original_pages (id, output_id, job_id, upload_id, subject, created_at, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.id, p.outputId, p.jobId, p.uploadId, p.subject, p.createdAt, p.withdrawnAt);
  }

  async getOriginalPage(id: string): Promise<OriginalPageRecord | null> {
    const r = this.sql('SELECT * FROM original_pages WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    return {
      id: String(r.id),
      outputId: String(r.output_id),
      jobId: String(r.job_id),
      uploadId: String(r.upload_id),
      subject: String(r.subject),
      createdAt: String(r.created_at),
      withdrawnAt: r.withdrawn_at === null ? null : String(r.withdrawn_at),
    };
  }

  async withdrawOriginalPage(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE original_pages SET withdrawn_at = COALESCE(withdrawn_at, ?) WHERE id = ?').run(at, id).changes > 0;
  }

  async getBatch(id: string): Promise<BatchRecord | null> {
    const r = this.sql('SELECT * FROM batches WHERE id = ?').get(id) as Row | undefined;
    return r ? batchFrom(r) : null;
  }

  async listBatches(o: BatchListOptions): Promise<BatchRecord[]> {
    const rows = o.before
      ? this.sql('SELECT * FROM batches WHERE subject = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?').all(
          o.subject, o.before.createdAt, o.before.createdAt, o.before.id, o.limit,
        )
      : this.sql('SELECT * FROM batches WHERE subject = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(o.subject, o.limit);
    return (rows as Row[]).map(batchFrom);
  }

  async cancelBatch(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE batches SET cancelled_at = COALESCE(cancelled_at, ?) WHERE id = ?').run(at, id).changes > 0;
  }

  async addOutboxEvent(e: { id: string; type: string; payload: string; createdAt: string }): Promise<boolean> {
    const res = this.sql(
      `INSERT INTO outbox (id, type, payload, created_at, attempts, next_attempt_at, status) VALUES (?, ?, ?, ?, 0, 0, 'pending')
       ON CONFLICT (id) DO NOTHING`,
    ).run(e.id, e.type, e.payload, e.createdAt);
    return res.changes === 1;
  }

  async claimOutboxEvents(now: number, claimMs: number, limit: number): Promise<OutboxEvent[]> {
    return this.db.transaction(() => {
      const rows = this.sql(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`).all(now, limit) as Row[];
      const claim = this.sql('UPDATE outbox SET next_attempt_at = ? WHERE id = ?');
      for (const r of rows) claim.run(now + claimMs, r.id);
      return rows.map(outboxFrom);
    }).immediate();
  }

  async settleOutboxEvent(id: string, o: OutboxOutcome): Promise<void> {
    if (o.status === 'delivered') this.sql(`UPDATE outbox SET status = 'delivered', delivered_at = ? WHERE id = ?`).run(o.at, id);
    else if (o.status === 'pending') this.sql(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`).run(o.attempts, o.nextAttemptAt, o.error, id);
    else this.sql(`UPDATE outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?`).run(o.attempts, o.error, id);
  }

  async getOutboxEvent(id: string): Promise<OutboxEvent | null> {
    const r = this.sql('SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
    return r ? outboxFrom(r) : null;
  }

  // Each slot step is one IMMEDIATE transaction: it takes the file's write lock before counting,
  // so two processes on one database cannot both see the last free slot.
  async takeSessionSlot(c: SessionSlotClaim & { limit: number }): Promise<boolean> {
    return this.db.transaction(() => {
      this.sql('DELETE FROM session_slots WHERE session_id = ? AND expires_at <= ?').run(c.sessionId, c.now);
      const mine = this.sql('SELECT 1 FROM session_slots WHERE session_id = ? AND job_id = ?').get(c.sessionId, c.jobId);
      if (!mine && (this.sql('SELECT COUNT(*) FROM session_slots WHERE session_id = ?').pluck().get(c.sessionId) as number) >= c.limit) return false;
      this.sql('INSERT OR REPLACE INTO session_slots (session_id, job_id, holder, expires_at) VALUES (?, ?, ?, ?)').run(c.sessionId, c.jobId, c.holder, c.now + c.ttlMs);
      return true;
    }).immediate();
  }

  async renewSessionSlot(c: SessionSlotClaim): Promise<boolean> {
    return this.db.transaction(() => {
      const holder = this.sql('SELECT holder FROM session_slots WHERE session_id = ? AND job_id = ? AND expires_at > ?').pluck().get(c.sessionId, c.jobId, c.now);
      if (holder !== undefined && holder !== c.holder) return false;
      this.sql('INSERT OR REPLACE INTO session_slots (session_id, job_id, holder, expires_at) VALUES (?, ?, ?, ?)').run(c.sessionId, c.jobId, c.holder, c.now + c.ttlMs);
      return true;
    }).immediate();
  }

  async releaseSessionSlot(sessionId: string, jobId: string, holder?: string): Promise<void> {
    if (holder === undefined) this.sql('DELETE FROM session_slots WHERE session_id = ? AND job_id = ?').run(sessionId, jobId);
    else this.sql('DELETE FROM session_slots WHERE session_id = ? AND job_id = ? AND holder = ?').run(sessionId, jobId, holder);
  }

  async listSessionSlots(sessionId: string, now: number): Promise<SessionSlot[]> {
    const rows = this.sql('SELECT job_id, holder, expires_at FROM session_slots WHERE session_id = ? AND expires_at > ? ORDER BY job_id').all(sessionId, now) as Row[];
    return rows.map((r) => ({ jobId: r.job_id as string, holder: r.holder as string, expiresAt: r.expires_at as number }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

