import type { Logger } from '../logger.js';
import type { JobLeases } from './job-leases.js';

export interface LeaseHolderOptions {
  leases: JobLeases;
  logger: Logger;
  /** Called when a lease this instance held was lost (expired and maybe taken over): stop the job's work. */
  onLost(jobId: string): void;
  /** With shared leases: looks for jobs whose holder died (the runner's recovery pass). */
  sweep(): Promise<unknown>;
  /** How often to sweep. Default min(10 s, lease TTL). */
  sweepMs?: number;
}

/**
 * The job leases this instance holds, for the job runner: taken when a job is queued (so a job
 * waiting in the queue is already ours), renewed together while held, given back when the job
 * ends or the runner closes. With shared leases it also runs the sweep that takes over jobs
 * whose holder died. With the local leases every lease is granted and nothing is timed.
 */
export class LeaseHolder {
  /** Leases this instance holds (queued and running jobs). */
  private readonly held = new Set<string>();
  /** Lease acquisitions started at enqueue. */
  private readonly claims = new Map<string, Promise<boolean>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<unknown> | null = null;

  constructor(private readonly o: LeaseHolderOptions) {
    const { leases } = o;
    if (!leases.shared) return;
    const renew = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(leases.ttlMs / 3)));
    const sweep = setInterval(() => {
      this.sweeping ??= o
        .sweep()
        .catch((err) => o.logger.error('lease sweep failed', { error: String(err) }))
        .finally(() => (this.sweeping = null));
    }, o.sweepMs ?? Math.min(10_000, leases.ttlMs));
    // Neither timer may keep a process alive that has nothing else to do.
    renew.unref();
    sweep.unref();
    this.timers.push(renew, sweep);
  }

  /** True when other instances compete for jobs. */
  get shared(): boolean {
    return this.o.leases.shared;
  }

  get ttlMs(): number {
    return this.o.leases.ttlMs;
  }

  /** Starts taking the job's lease (once), so that it is ours by the time the job leaves the queue. */
  claim(jobId: string): void {
    if (!this.claims.has(jobId)) this.claims.set(jobId, this.acquire(jobId));
  }

  /** Whether this instance holds the job's lease or is taking it. */
  has(jobId: string): boolean {
    return this.held.has(jobId) || this.claims.has(jobId);
  }

  /** Waits for the claim started at enqueue (or claims now): true when the job is ours to run. */
  async take(jobId: string): Promise<boolean> {
    const claim = this.claims.get(jobId);
    // Taken before (the job then waited for a session slot) and not lost since: still ours.
    if (!claim && this.held.has(jobId)) return true;
    const mine = await (claim ?? this.acquire(jobId));
    this.claims.delete(jobId);
    return mine;
  }

  /** Takes a free lease for recovery; false when another instance holds it. Store errors reach the caller. */
  async takeFree(jobId: string): Promise<boolean> {
    if (!(await this.o.leases.acquire(jobId))) return false;
    this.held.add(jobId);
    return true;
  }

  /** Gives the job's lease back (if held), so another instance need not wait for the TTL. */
  async release(jobId: string): Promise<void> {
    this.claims.delete(jobId);
    if (!this.held.delete(jobId)) return;
    await this.o.leases.release(jobId).catch((err) => this.o.logger.warn('job lease release failed', { job: jobId, error: String(err) }));
  }

  /** Stops renewing and sweeping; `close` then gives back what is still held. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
  }

  /** Waits for a sweep and claims in flight, then gives back every lease still held. */
  async close(): Promise<void> {
    this.stop();
    await Promise.allSettled([this.sweeping]);
    await Promise.allSettled([...this.claims.values()]);
    await Promise.allSettled([...this.held].map((id) => this.release(id)));
  }

  private async acquire(jobId: string): Promise<boolean> {
    try {
      const ok = await this.o.leases.acquire(jobId);
      if (ok) this.held.add(jobId);
      return ok;
    } catch (err) {
      this.o.logger.error('job lease unavailable', { job: jobId, error: String(err) });
      return false;
    }
  }

  private async renewAll(): Promise<void> {
    for (const id of [...this.held]) {
      let kept: boolean;
      try {
        kept = await this.o.leases.renew(id);
      } catch (err) {
        // Redis unreachable: keep working; if the lease really expires, renew says so next time.
        this.o.logger.warn('job lease renewal failed', { job: id, error: String(err) });
        continue;
      }
      if (kept || !this.held.has(id)) continue;
      // Expired and possibly taken over (this process stalled past the TTL): the new holder
      // owns the job now, so stop without touching its stored state.
      this.o.logger.warn('job lease lost; another instance continues the job', { job: id });
      this.held.delete(id);
      this.claims.delete(id);
      this.o.onLost(id);
    }
  }
}
