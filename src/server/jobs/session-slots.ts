import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

export interface SessionSlotsOptions {
  store: Store;
  /** This instance (the holder named in the store). */
  holder: string;
  /** STAGING_SESSION_CONCURRENCY. */
  limit: number;
  /** How long a slot outlives its last renewal: the job leases' TTL, so a dead instance's slots free with its leases. */
  ttlMs: number;
  logger: Logger;
}

/**
 * The session slots this instance holds for the jobs it runs: STAGING_SESSION_CONCURRENCY
 * counted in the store, so it holds across every instance sharing it. A job takes a slot before
 * it starts and gives it back when it ends; held slots are renewed together every TTL/3, and
 * a slot whose holder stopped renewing (a crash) is free after the TTL.
 */
export class SessionSlots {
  /** Job id → session id, for the slots held here. */
  private readonly held = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | null = null;

  constructor(private readonly o: SessionSlotsOptions) {
    this.timer = setInterval(() => {
      this.renewing ??= this.renewAll().finally(() => (this.renewing = null));
    }, Math.max(50, Math.floor(o.ttlMs / 3)));
    this.timer.unref();
  }

  get limit(): number {
    return this.o.limit;
  }

  /** Takes a free slot of the session for the job; false when the session already runs its limit (on any instance). */
  async take(sessionId: string, jobId: string): Promise<boolean> {
    const { store, holder, limit, ttlMs } = this.o;
    if (!(await store.takeSessionSlot({ sessionId, jobId, holder, limit, ttlMs, now: Date.now() }))) return false;
    this.held.set(jobId, sessionId);
    return true;
  }

  /** Gives the job's slot back (if held here). */
  async release(jobId: string): Promise<void> {
    const sessionId = this.held.get(jobId);
    if (sessionId === undefined) return;
    this.held.delete(jobId);
    await this.o.store
      .releaseSessionSlot(sessionId, jobId, this.o.holder)
      .catch((err) => this.o.logger.warn('session slot release failed', { job: jobId, error: String(err) }));
  }

  /** Frees the job's slot whoever holds it: this instance has just taken the job over from one that stopped. */
  async drop(sessionId: string, jobId: string): Promise<void> {
    this.held.delete(jobId);
    await this.o.store.releaseSessionSlot(sessionId, jobId);
  }

  /** Stops renewing; the slots still held are given back by their jobs' ends (or expire). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    await Promise.allSettled([...this.held.keys()].map((id) => this.release(id)));
  }

  private async renewAll(): Promise<void> {
    const { store, holder, ttlMs } = this.o;
    for (const [jobId, sessionId] of [...this.held]) {
      try {
        if (await store.renewSessionSlot({ sessionId, jobId, holder, ttlMs, now: Date.now() })) continue;
      } catch (err) {
        // The store is unreachable: keep running; the next renewal says whether the slot was lost.
        this.o.logger.warn('session slot renewal failed', { job: jobId, error: String(err) });
        continue;
      }
      // Another instance took the job over (its lease had expired): that one holds the slot now.
      if (this.held.get(jobId) === sessionId) this.held.delete(jobId);
    }
  }
}
