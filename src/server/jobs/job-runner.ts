import { randomUUID } from 'node:crypto';
import { isTerminal, type JobError } from '../../contract/index.js';
import type { BlobStore } from '../blobs.js';
import type { JobEvents } from '../events/job-events.js';
import type { WebhookHub } from '../events/webhook-hub.js';
import { nowIso } from '../ids.js';
import type { Logger } from '../logger.js';
import { StopReason, type Provider } from '../providers/types.js';
import type { JobRecord, OutputRecord, Store } from '../store/types.js';
import type { DisclosurePublisher } from '../disclosure/publisher.js';
import { FairQueue, type QueuedJob } from './fair-queue.js';
import { LocalJobLeases, type JobLeases } from './job-leases.js';
import { LeaseHolder } from './lease-holder.js';
import { SessionSlots } from './session-slots.js';
import { executeJob, failJob, RUNNING } from './job-execution.js';
import { outputsOf, toJob, type UrlSigner } from './serialize-job.js';

/** The wake-up key (see WebhookHub) of a session's jobs waiting for one of its slots. */
const slotKey = (sessionId: string) => `session-slot:${sessionId}`;

export interface JobRunnerOptions {
  store: Store;
  blobs: BlobStore;
  events: JobEvents;
  webhooks: WebhookHub;
  provider: Provider;
  signer: UrlSigner;
  logger: Logger;
  /** Jobs processed at once by this process. */
  concurrency: number;
  /** Jobs of one session processed at once (STAGING_SESSION_CONCURRENCY), on every instance sharing the store together; default 3. */
  sessionConcurrency?: number;
  /** This instance, as named in the store's session slots (and the leases); default a new id. */
  instanceId?: string;
  /** A session with jobs waiting for a slot held elsewhere looks again this often, unless woken first. Default 1 s. */
  slotPollMs?: number;
  /** A job still waiting to start after this long fails with `job_stalled` (the service is too busy). Default 15 minutes. */
  queueTimeoutMs?: number;
  /** A job still running after this long fails with `job_stalled`. */
  deadlineMs: number;
  /** A job found in flight after this many restarts fails instead of looping. */
  maxInterruptions: number;
  /** Which instance tracks each job; default: this process owns every job. */
  leases?: JobLeases;
  /** With shared leases: how often to look for jobs whose holder died. Default min(10 s, lease TTL). */
  sweepMs?: number;
  /** Marks and labels each output for publication under its job's disclosure profile; without it outputs are stored as they came. */
  publisher?: DisclosurePublisher;
  /** Told of every terminal state it publishes (the host's webhooks); may be told twice. */
  onTerminal?: (job: JobRecord, outputs: OutputRecord[]) => void;
}

/**
 * Runs jobs through the provider: a fair line per session, the job's lease and a session slot
 * before it starts, its event stream, and after a restart the jobs that were in flight resumed
 * (or failed clearly). One job's work itself is job-execution.ts.
 */
export class JobRunner {
  private readonly queue: FairQueue;
  /** Running jobs: their abort controller and session. */
  private readonly active = new Map<string, { controller: AbortController; sessionId: string }>();
  /** Enqueued jobs whose session is still being looked up. */
  private readonly arriving = new Set<string>();
  private readonly done = new Set<Promise<void>>();
  /** Sessions whose waiting jobs' places are to be published again (see `lineMoved`). */
  private readonly moved = new Set<string>();
  private closed = false;
  /** The job leases this instance holds; a job is run only while its lease is ours. */
  private readonly leases: LeaseHolder;
  /** The session slots this instance holds; a job is run only with one. */
  private readonly slots: SessionSlots;
  /** Jobs taken from the queue whose lease and session slot are being taken: job id → session id. */
  private readonly starting = new Map<string, string>();
  /** Sessions whose every slot is held (some on other instances): their jobs wait for a slot to free. */
  private readonly blocked = new Set<string>();
  /** The waits for a free slot (see `start`), ended on close. */
  private readonly slotWaits = new Set<AbortController>();
  private readonly expireTimer: NodeJS.Timeout;

  constructor(private readonly o: JobRunnerOptions) {
    this.queue = new FairQueue(o.sessionConcurrency ?? 3);
    const queueTimeoutMs = o.queueTimeoutMs ?? 15 * 60_000;
    this.expireTimer = setInterval(() => void this.expireQueued(queueTimeoutMs), Math.max(50, Math.min(5_000, Math.floor(queueTimeoutMs / 4))));
    this.expireTimer.unref();
    this.leases = new LeaseHolder({
      leases: o.leases ?? new LocalJobLeases(),
      logger: o.logger,
      sweepMs: o.sweepMs,
      sweep: () => this.resume('sweep'),
      // Another instance owns the job now: forget it here without touching its stored state.
      onLost: (id) => {
        this.lineMoved(this.queue.remove(id));
        this.active.get(id)?.controller.abort(new StopReason('shutdown'));
      },
    });
    this.slots = new SessionSlots({
      store: o.store,
      holder: o.instanceId ?? randomUUID(),
      limit: o.sessionConcurrency ?? 3,
      ttlMs: this.leases.ttlMs,
      logger: o.logger,
    });
  }

  /** Queues a job; pass its session when known (otherwise it is read from the store first). */
  enqueue(jobId: string, sessionId?: string): void {
    if (this.closed || this.active.has(jobId) || this.queue.has(jobId) || this.arriving.has(jobId)) return;
    this.leases.claim(jobId);
    if (sessionId !== undefined) {
      this.queue.push({ jobId, sessionId, queuedAt: Date.now() });
      this.pump();
      return;
    }
    this.arriving.add(jobId);
    void this.o.store
      .getJob(jobId)
      .then((job) => {
        if (!this.arriving.delete(jobId) || this.closed) return;
        if (!job) return void this.leases.release(jobId);
        this.queue.push({ jobId, sessionId: job.sessionId, queuedAt: Date.now() });
        this.pump();
      })
      .catch((err) => {
        this.arriving.delete(jobId);
        this.o.logger.error('job could not be queued', { job: jobId, error: String(err) });
        void this.leases.release(jobId);
      });
  }

  /** Jobs that waited longer than the queue allows fail: better a clear "try again" than a silent wait. */
  private async expireQueued(timeoutMs: number): Promise<void> {
    for (const q of this.queue.expire(Date.now() - timeoutMs)) {
      this.lineMoved(q);
      await this.fail(q.jobId, {
        code: 'job_stalled',
        message: `The service was too busy to start this photo within ${Math.round(timeoutMs / 60_000) || 1} minutes. Retry the job.`,
        retryable: true,
      }).catch((err) => this.o.logger.error('queued job could not be failed', { job: q.jobId, error: String(err) }));
      await this.leases.release(q.jobId);
    }
  }

  /** Stops a running job's work; the caller has already stored the cancelled status. */
  abort(jobId: string): void {
    this.active.get(jobId)?.controller.abort(new StopReason('cancelled'));
    this.arriving.delete(jobId);
    const queued = this.queue.remove(jobId);
    if (queued) {
      this.lineMoved(queued);
      void this.leases.release(jobId);
    }
  }

  /** A waiting job's place in its session's line on this instance (1 = next), or null. */
  queuePosition(jobId: string): number | null {
    return this.queue.position(jobId);
  }

  /**
   * A job of this session left the line (it started, was cancelled or expired): the session's
   * waiting jobs are published again with their new places, once per turn of the event loop.
   */
  private lineMoved(left: QueuedJob | null): void {
    if (!left || this.closed || this.moved.has(left.sessionId)) return;
    const { sessionId } = left;
    this.moved.add(sessionId);
    setImmediate(() => {
      this.moved.delete(sessionId);
      void this.republishQueued(sessionId).catch((err) => this.o.logger.error('queue positions could not be published', { error: String(err) }));
    });
  }

  private async republishQueued(sessionId: string): Promise<void> {
    for (const id of this.queue.queuedOf(sessionId)) {
      if (this.closed) return;
      const job = await this.o.store.getJob(id);
      // Still waiting here (not started or cancelled meanwhile): its new place is news.
      if (job?.status === 'pending' && this.queue.has(id)) await this.publish(job);
    }
  }

  /** Serializes the job once and hands it to every listener of its event stream. */
  async publish(job: JobRecord): Promise<void> {
    const outputs = await outputsOf(this.o.store, job);
    this.o.events.publish(job.id, JSON.stringify(toJob(job, outputs, this.o.signer, this.queue.position(job.id))), isTerminal(job.status));
    if (isTerminal(job.status)) this.o.onTerminal?.(job, outputs);
  }

  /**
   * Called once at start: every unfinished job either resumes or fails with a clear error.
   * With shared leases only jobs whose lease is free are touched: the others have a live holder.
   */
  recover(): Promise<{ resumed: number; failed: number }> {
    return this.resume('start');
  }

  private async resume(why: 'start' | 'sweep'): Promise<{ resumed: number; failed: number }> {
    let resumed = 0;
    let failed = 0;
    const now = Date.now();
    for (const job of await this.o.store.listUnfinishedJobs()) {
      if (this.closed) break;
      if (this.active.has(job.id) || this.queue.has(job.id) || this.leases.has(job.id)) continue;
      // A job created or moved within the TTL may belong to an instance that has not taken its
      // lease yet (createJob and enqueue are two steps). A holder that died stopped updating the
      // job no later than its last renewal, so this costs no delay past the lease's own expiry.
      if (this.leases.shared && now - Date.parse(job.updatedAt) < this.leases.ttlMs) continue;
      if (!(await this.leases.takeFree(job.id))) continue;
      // The job is ours now: a slot it held for the instance that ran it before is stale.
      await this.slots.drop(job.sessionId, job.id);
      this.slotFreed(job.sessionId);
      if (job.interruptions + 1 >= this.o.maxInterruptions) {
        await this.fail(job.id, {
          code: 'job_interrupted',
          message: 'The server restarted several times while processing this photo. Retry the job.',
          retryable: true,
        });
        await this.leases.release(job.id);
        failed++;
        continue;
      }
      // Provider state is kept so a remote adapter resumes tracking instead of submitting again.
      const updated = await this.o.store.updateJob(
        job.id,
        { status: 'pending', progress: 0, interruptions: job.interruptions + 1, updatedAt: nowIso() },
        RUNNING,
      );
      if (updated && !this.closed) {
        await this.publish(updated);
        this.enqueue(job.id, job.sessionId);
        resumed++;
      } else {
        await this.leases.release(job.id);
      }
    }
    if (resumed + failed > 0) {
      this.o.logger.info(why === 'start' ? 'jobs recovered after restart' : 'jobs taken over from a stopped instance', { resumed, failed });
    }
    return { resumed, failed };
  }

  /** Stops taking work and interrupts running jobs; they stay unfinished in the store for `recover`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.slotWaits) w.abort();
    clearInterval(this.expireTimer);
    this.leases.stop();
    for (const q of this.queue.clear()) void this.leases.release(q.jobId);
    for (const id of this.arriving) void this.leases.release(id);
    this.arriving.clear();
    for (const a of this.active.values()) a.controller.abort(new StopReason('shutdown'));
    await Promise.allSettled([...this.done]);
    // Whatever is still held (claims in flight) goes back now, so another instance need not wait for the TTL.
    await this.slots.close();
    await this.leases.close();
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Jobs of a session running on this instance now, or on their way to start. */
  private runningOf(sessionId: string): number {
    let n = 0;
    for (const a of this.active.values()) if (a.sessionId === sessionId) n++;
    for (const sid of this.starting.values()) if (sid === sessionId) n++;
    return n;
  }

  private pump(): void {
    while (!this.closed && this.active.size + this.starting.size < this.o.concurrency) {
      const next = this.queue.take((sessionId) => (this.blocked.has(sessionId) ? Infinity : this.runningOf(sessionId)));
      if (!next) return;
      this.starting.set(next.jobId, next.sessionId);
      const p = this.start(next)
        .catch((err) => {
          this.o.logger.error('job could not be started', { job: next.jobId, error: String(err) });
          // Not lost: back in line, and its session tried again after the poll.
          if (this.queue.isTaken(next.jobId)) {
            this.queue.settle(next.jobId, false);
            if (!this.blocked.has(next.sessionId)) this.waitForSlot(next.sessionId, this.slotWait(next.sessionId).wake);
          }
        })
        .finally(() => {
          this.starting.delete(next.jobId);
          this.done.delete(p);
          this.pump();
        });
      this.done.add(p);
    }
  }

  /**
   * Takes the job's lease (claimed when it was queued) and a slot of its session, counted in the
   * store across instances. With both it runs; without a slot it waits at its place in line
   * until one frees (see `waitForSlot`); without the lease another instance tracks it.
   */
  private async start(next: QueuedJob): Promise<void> {
    const { jobId: id, sessionId } = next;
    if (!(await this.leases.take(id))) {
      this.lineMoved(this.queue.remove(id));
      return;
    }
    // Listen for a freed slot before asking for one, so a slot freed in between is not missed.
    const { woken, wake } = this.slotWait(sessionId);
    let slot = false;
    try {
      slot = await this.slots.take(sessionId, id);
    } catch (err) {
      this.o.logger.error('session slot unavailable', { job: id, error: String(err) });
    }
    if (this.closed || !this.queue.isTaken(id)) {
      // Cancelled, taken over or closing meanwhile: whoever removed it released its lease (again here, in case the claim landed after).
      woken.abort();
      if (slot) {
        await this.slots.release(id);
        this.slotFreed(sessionId);
      }
      if (!this.queue.has(id)) await this.leases.release(id);
      return;
    }
    if (!slot) {
      this.queue.settle(id, false);
      if (this.blocked.has(sessionId)) woken.abort(); // another of its jobs already waits
      else this.waitForSlot(sessionId, wake);
      return;
    }
    woken.abort();
    this.lineMoved(this.queue.settle(id, true));
    const controller = new AbortController();
    this.starting.delete(id);
    this.active.set(id, { controller, sessionId });
    const p = this.run(id, sessionId, controller)
      .catch((err) => this.o.logger.error('job runner failed', { job: id, error: String(err) }))
      .finally(() => {
        this.active.delete(id);
        this.done.delete(p);
        this.pump();
      });
    this.done.add(p);
  }

  /**
   * The session's slots are all held: its jobs here wait (the others' turns go on) until a slot
   * is given back (on this instance or another: `slotFreed`) or the poll comes round (a slot
   * freed by expiry, after a crash, sends no word).
   */
  private waitForSlot(sessionId: string, wake: Promise<boolean>): void {
    this.blocked.add(sessionId);
    void wake.then(() => {
      this.blocked.delete(sessionId);
      this.pump();
    });
  }

  /** Waits for word that a slot of the session is free, or the poll; `woken.abort()` ends it early (close does). */
  private slotWait(sessionId: string): { woken: AbortController; wake: Promise<boolean> } {
    const woken = new AbortController();
    this.slotWaits.add(woken);
    const wake = this.o.webhooks.wait(slotKey(sessionId), this.o.slotPollMs ?? 1000, woken.signal).finally(() => this.slotWaits.delete(woken));
    return { woken, wake };
  }

  /** Tells every instance's waiting jobs of the session that one of its slots is free. */
  private slotFreed(sessionId: string): void {
    this.o.webhooks.notify(slotKey(sessionId));
  }

  private async run(jobId: string, sessionId: string, controller: AbortController): Promise<void> {
    try {
      await this.process(jobId, controller);
    } finally {
      await this.slots.release(jobId);
      this.slotFreed(sessionId);
      await this.leases.release(jobId);
    }
  }

  private process(jobId: string, controller: AbortController): Promise<void> {
    return executeJob({ ...this.o, publish: (job) => this.publish(job) }, jobId, controller);
  }

  private fail(jobId: string, error: JobError): Promise<void> {
    return failJob({ store: this.o.store, publish: (job) => this.publish(job) }, jobId, error);
  }
}
