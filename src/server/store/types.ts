import type { EditClass, OriginalPlacement, JobError, JobStatus, Location, OutputNote, Resolution } from '../../contract/index.js';

export interface SessionRecord {
  id: string;
  subject: string;
  origins: string[];
  services: string[] | null;
  maxCredits: number | null;
  maxResolution: Resolution;
  metadata: Record<string, unknown> | null;
  /** The disclosure profile of its outputs; null = the BFF's default. */
  disclosureProfile: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface UploadRecord {
  id: string;
  subject: string;
  sessionId: string;
  blobKey: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  createdAt: string;
}

export interface OutputRecord {
  id: string;
  jobId: string;
  subject: string;
  blobKey: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  localPreview: boolean;
  /** What was done for its publication when it was stored; null for outputs stored before disclosure existed. */
  disclosure: OutputDisclosureRecord | null;
  /** What the person should know about this output; absent when nothing. */
  note?: OutputNote;
  createdAt: string;
}

/** What publishing an output takes, fixed when it was stored (a later change of profile does not rewrite it). */
export interface OutputDisclosureRecord {
  profile: string;
  editClass: EditClass;
  label: string | null;
  caption: string | null;
  remarks: string | null;
  original: OriginalPlacement;
  qrAllowed: boolean;
  /** The labelled copy to publish, when the profile burns a label in. */
  publishedBlobKey: string | null;
  /** Its original's public page (material outputs). */
  pageId: string | null;
  /** The structure-drift check (material outputs); null when it did not run. */
  drift?: { score: number; flagged: boolean; regions: Array<{ x: number; y: number; width: number; height: number }> } | null;
}

/** A public, long-lived page showing an output's original photo next to it (AB 723). */
export interface OriginalPageRecord {
  /** Unguessable: 128 bits or more. */
  id: string;
  outputId: string;
  jobId: string;
  uploadId: string;
  subject: string;
  createdAt: string;
  withdrawnAt: string | null;
}

export interface JobRecord {
  id: string;
  subject: string;
  sessionId: string;
  status: JobStatus;
  service: string;
  config: string;
  resolution: Resolution;
  /** The service's edit class when the job was made. */
  editClass: EditClass;
  /** The session's disclosure profile when the job was made (null = the BFF's default). */
  disclosureProfile: string | null;
  prompt: string | null;
  referenceId: string | null;
  uploadId: string;
  maskUploadId: string | null;
  referenceUploadId: string | null;
  /** The other bracketed exposures (hdr-merge); empty otherwise. */
  bracketUploadIds?: string[];
  /** The batch (listing) the job is an item of: its provider is given the listing's photos to hold one look across them. */
  batchId?: string | null;
  options: Record<string, string | number | boolean>;
  location: Location | null;
  variants: number;
  /**
   * Which try of its photo this is: 0 for a first job, one more for each redo that asked for another
   * variant. Engines with a documented seed or variation would take it from here; the local engine
   * grades its previews by it. Absent on jobs stored before redo existed (read: 0).
   */
  variation?: number;
  /** The job's price in credits (per-output cost × variants at its resolution). */
  cost: number;
  /** Credits the job holds now: `cost` while it may still complete, 0 once failed or cancelled. */
  creditsCharged: number;
  progress: number;
  error: JobError | null;
  /** Opaque adapter state for resuming after a restart. */
  providerState: unknown;
  /** Increments on each retry, so provider idempotency keys differ per attempt. */
  attempt: number;
  /** How many times a restart found this job in flight; bounds crash loops. */
  interruptions: number;
  createdAt: string;
  updatedAt: string;
}

export type JobPatch = Partial<
  Pick<JobRecord, 'status' | 'progress' | 'error' | 'providerState' | 'creditsCharged' | 'attempt' | 'interruptions' | 'updatedAt'>
>;

export interface IdempotencyRecord {
  subject: string;
  key: string;
  requestHash: string;
  jobId: string;
  createdAt: string;
}

export interface JobListOptions {
  subject: string;
  status?: JobStatus;
  limit: number;
  /** Exclusive: rows strictly older than this (createdAt, id) pair. */
  before?: { createdAt: string; id: string };
}

/**
 * Everything the BFF persists except blobs. SQLite by default, memory for unit tests,
 * Redis for several instances. All methods are async so a networked store fits.
 */
/** A listing's photos processed together: one job per item, in item order. */
export interface BatchRecord {
  id: string;
  subject: string;
  sessionId: string;
  service: string;
  config: string | null;
  resolution: Resolution;
  prompt: string | null;
  options: Record<string, string | number | boolean>;
  variants: number;
  referenceUploadId: string | null;
  referenceId: string | null;
  items: BatchItemRecord[];
  /** Credits held for the batch's first jobs when it was created (a redo is charged as a job of its own). */
  creditsRequired: number;
  cancelledAt: string | null;
  createdAt: string;
}

/** One photo of a batch. Batches stored before redo and exclusion existed lack the last two fields (read: none, false). */
export interface BatchItemRecord {
  uploadId: string;
  /** The current job: the latest redo's, else the batch's own. */
  jobId: string;
  /** Earlier jobs of the item, oldest first. */
  previousJobIds?: string[];
  excluded?: boolean;
}

export interface BatchListOptions {
  subject: string;
  limit: number;
  before?: { createdAt: string; id: string };
}

/** An event for the host's webhook endpoint, kept until it is delivered or given up. */
export interface OutboxEvent {
  /** The `webhook-id`: derived from what happened, so one happening is one event. */
  id: string;
  type: string;
  /** The JSON body, signed as it is. */
  payload: string;
  createdAt: string;
  attempts: number;
  /** Unix ms: when the event may be sent (again); a claim moves it forward. */
  nextAttemptAt: number;
  status: 'pending' | 'delivered' | 'failed';
  lastError: string | null;
  deliveredAt: string | null;
}

export type OutboxOutcome =
  | { status: 'delivered'; at: string }
  | { status: 'pending'; attempts: number; nextAttemptAt: number; error: string }
  | { status: 'failed'; attempts: number; error: string };

export interface Store {
  createSession(s: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  revokeSession(id: string, at: string): Promise<boolean>;

  createUpload(u: UploadRecord): Promise<void>;
  getUpload(id: string): Promise<UploadRecord | null>;

  /**
   * Creates the job, its idempotency record (when given) and checks the session's credit
   * allowance in one atomic step. Returns `exists` with the earlier job when the key was
   * used before, or `insufficient_credits` when the allowance would be exceeded.
   */
  createJob(
    job: JobRecord,
    opts: { idempotency?: IdempotencyRecord; maxCredits: number | null },
  ): Promise<
    | { kind: 'created'; job: JobRecord }
    | { kind: 'exists'; job: JobRecord; requestHash: string }
    | { kind: 'insufficient_credits'; used: number }
  >;
  getJob(id: string): Promise<JobRecord | null>;
  /**
   * Applies the patch only if the job's status is one of `ifStatus` (when given); returns
   * the updated job, or null when the guard failed or the job does not exist.
   */
  updateJob(id: string, patch: JobPatch, ifStatus?: readonly JobStatus[]): Promise<JobRecord | null>;
  /** Re-reserves credits and moves a failed/cancelled job back to pending, atomically. */
  /** Puts a failed or cancelled job back in the queue for the calling session, which pays for it (its allowance is checked). */
  retryJob(id: string, opts: { sessionId: string; maxCredits: number | null; now: string }): Promise<
    { kind: 'ok'; job: JobRecord } | { kind: 'invalid_state'; job: JobRecord } | { kind: 'insufficient_credits'; used: number } | { kind: 'not_found' }
  >;
  listJobs(opts: JobListOptions): Promise<JobRecord[]>;
  /** Jobs not in a terminal status: what a restart must resume or fail. */
  listUnfinishedJobs(): Promise<JobRecord[]>;
  /** Credits held by the session's jobs (released when a job fails or is cancelled). */
  creditsUsed(sessionId: string): Promise<number>;

  /**
   * Stores the outputs and marks the job completed in one atomic step, only if the job is
   * still unfinished (a cancel that won the race keeps the job cancelled). Returns the
   * completed job, or null when the guard failed.
   */
  completeJob(jobId: string, outputs: OutputRecord[], now: string): Promise<JobRecord | null>;
  getOutput(id: string): Promise<OutputRecord | null>;
  listOutputs(jobId: string): Promise<OutputRecord[]>;

  /**
   * Stores a batch and all its jobs at once, or nothing: the idempotency key (per subject) and the
   * session's credit allowance are checked for the whole batch first.
   */
  createBatch(
    batch: BatchRecord,
    jobs: JobRecord[],
    opts: { idempotency?: { key: string; requestHash: string }; maxCredits: number | null },
  ): Promise<{ kind: 'created' } | { kind: 'exists'; batch: BatchRecord; requestHash: string } | { kind: 'insufficient_credits'; used: number }>;
  getBatch(id: string): Promise<BatchRecord | null>;
  /**
   * A redo of one item: creates `job` (its idempotency record and the session's allowance checked
   * first, as in `createJob`) and makes it the item's current job, the replaced one appended to the
   * item's `previousJobIds`, in one atomic step. `not_found` when the batch or the item does not
   * exist; `cancelled` when the batch was cancelled (an earlier redo under the same key still replays).
   */
  redoBatchItem(
    batchId: string,
    index: number,
    job: JobRecord,
    opts: { idempotency?: IdempotencyRecord; maxCredits: number | null },
  ): Promise<
    | { kind: 'created'; job: JobRecord; batch: BatchRecord; replacedJobId: string }
    | { kind: 'exists'; job: JobRecord; requestHash: string }
    | { kind: 'insufficient_credits'; used: number }
    | { kind: 'cancelled' }
    | { kind: 'not_found' }
  >;
  /** Records the agent's decision on one item; null when the batch or the item does not exist. */
  setBatchItemExcluded(batchId: string, index: number, excluded: boolean): Promise<BatchRecord | null>;

  /** Stores an original's public page (its id is new and unguessable). */
  createOriginalPage(p: OriginalPageRecord): Promise<void>;
  getOriginalPage(id: string): Promise<OriginalPageRecord | null>;
  /** Withdraws the page (the first time wins); false when there is no such page. */
  withdrawOriginalPage(id: string, at: string): Promise<boolean>;
  listBatches(opts: BatchListOptions): Promise<BatchRecord[]>;
  /** Marks the batch cancelled (the first time wins); false when there is no such batch. */
  cancelBatch(id: string, at: string): Promise<boolean>;

  /** Stores a host webhook event unless one with its id exists; true when it was new. */
  addOutboxEvent(e: { id: string; type: string; payload: string; createdAt: string }): Promise<boolean>;
  /**
   * Up to `limit` pending events due at `now`, each claimed until `now + claimMs` (atomically, so two
   * instances never get the same event while the claim lasts).
   */
  claimOutboxEvents(now: number, claimMs: number, limit: number): Promise<OutboxEvent[]>;
  settleOutboxEvent(id: string, outcome: OutboxOutcome): Promise<void>;
  getOutboxEvent(id: string): Promise<OutboxEvent | null>;

  /**
   * Session slots: the jobs of a session running at once on every instance that shares the store
   * (STAGING_SESSION_CONCURRENCY). A slot belongs to one job, is held by one instance and is free
   * again once released or past its expiry (Unix ms, on the caller's clock), so a crashed
   * instance's slots free themselves. Takes a free slot for the job in one atomic step: true when
   * the job now holds one (a slot the job already held is extended and passes to `holder`, who
   * holds its lease), false when `limit` others are held.
   */
  takeSessionSlot(slot: SessionSlotClaim & { limit: number }): Promise<boolean>;
  /** Extends the job's slot (taking it again if it expired); false when another instance holds it now. */
  renewSessionSlot(slot: SessionSlotClaim): Promise<boolean>;
  /** Frees the job's slot if `holder` holds it; with no holder, whoever holds it (the job was taken over). */
  releaseSessionSlot(sessionId: string, jobId: string, holder?: string): Promise<void>;
  /** The session's slots held at `now`, in no particular order. */
  listSessionSlots(sessionId: string, now: number): Promise<SessionSlot[]>;

  close(): Promise<void>;
}

export interface SessionSlotClaim {
  sessionId: string;
  jobId: string;
  /** The instance. */
  holder: string;
  now: number;
  ttlMs: number;
}

export interface SessionSlot {
  jobId: string;
  holder: string;
  /** Unix ms. */
  expiresAt: number;
}
