import { ConfigError } from '../config-error.js';
/**
 * The jobs waiting to run on this instance, taken fairly between sessions: one FIFO per session;
 * a free slot goes to the waiting session with the fewest jobs running (in turn among equals),
 * and a session already running its `perSession` jobs waits until one of them ends. One agent's 60-photo listing therefore delays another session's photo
 * by at most one job per running slot, not by the whole listing.
 *
 * A job taken is on its way out (it has no place in line any more, as if it ran) until the runner
 * `settle`s it: started, it leaves the queue; not started (all its session's slots are held, some
 * by other instances), it is next in its session's line again.
 */
export interface QueuedJob {
  jobId: string;
  sessionId: string;
  /** Unix ms, for the queue deadline. */
  queuedAt: number;
}

export class FairQueue {
  /** Per session, its jobs in arrival order; the Map's order is the round-robin order. */
  private readonly sessions = new Map<string, QueuedJob[]>();
  private readonly bySessionOf = new Map<string, string>();
  /** Jobs taken and not yet settled. */
  private readonly taken = new Set<string>();

  constructor(private readonly perSession: number) {
    if (!(Number.isInteger(perSession) && perSession >= 1)) throw new ConfigError('FairQueue: perSession must be a whole number ≥ 1');
  }

  get size(): number {
    return this.bySessionOf.size;
  }

  has(jobId: string): boolean {
    return this.bySessionOf.has(jobId);
  }

  /** The job's place in its session's line (1 = that session's next to start), or null when it is not queued (or taken). */
  position(jobId: string): number | null {
    const sessionId = this.bySessionOf.get(jobId);
    if (sessionId === undefined || this.taken.has(jobId)) return null;
    return this.queuedOf(sessionId).indexOf(jobId) + 1;
  }

  /** The jobs of a session waiting here (not taken), in the order they will start. */
  queuedOf(sessionId: string): string[] {
    return (this.sessions.get(sessionId) ?? []).filter((j) => !this.taken.has(j.jobId)).map((j) => j.jobId);
  }

  push(job: QueuedJob): void {
    if (this.has(job.jobId)) return;
    let list = this.sessions.get(job.sessionId);
    if (!list) this.sessions.set(job.sessionId, (list = []));
    list.push(job);
    this.bySessionOf.set(job.jobId, job.sessionId);
  }

  remove(jobId: string): QueuedJob | null {
    const sessionId = this.bySessionOf.get(jobId);
    if (sessionId === undefined) return null;
    this.bySessionOf.delete(jobId);
    this.taken.delete(jobId);
    const list = this.sessions.get(sessionId)!;
    const i = list.findIndex((j) => j.jobId === jobId);
    const [job] = list.splice(i, 1);
    if (list.length === 0) this.sessions.delete(sessionId);
    return job ?? null;
  }

  /** Whether the job was taken and is not yet settled. */
  isTaken(jobId: string): boolean {
    return this.taken.has(jobId);
  }

  /** Ends a `take`: a started job leaves the line (returned); one that could not start waits at its place again. */
  settle(jobId: string, started: boolean): QueuedJob | null {
    if (!this.taken.delete(jobId)) return null;
    return started ? this.remove(jobId) : null;
  }

  /**
   * The next job to start, given how many each session has running (counting its jobs taken and
   * not settled); null when every waiting session is at its limit. The job stays in line until
   * `settle`d; the chosen session moves to the back of the turn order.
   */
  take(running: (sessionId: string) => number): QueuedJob | null {
    // The waiting session with the fewest jobs running goes first; among equals, the one whose
    // turn it is. So a newcomer gets the next free slot even while a busy session has several.
    let chosen: QueuedJob | null = null;
    let fewest = this.perSession;
    for (const [sessionId, list] of this.sessions) {
      const next = list.find((j) => !this.taken.has(j.jobId));
      if (!next) continue;
      const n = running(sessionId);
      if (n < fewest) {
        chosen = next;
        fewest = n;
      }
    }
    if (chosen === null) return null;
    const list = this.sessions.get(chosen.sessionId)!;
    this.taken.add(chosen.jobId);
    this.sessions.delete(chosen.sessionId);
    this.sessions.set(chosen.sessionId, list);
    return chosen;
  }

  /** Removes and returns the jobs queued before `before` (Unix ms); a job taken is settled by its taker instead. */
  expire(before: number): QueuedJob[] {
    const out: QueuedJob[] = [];
    for (const list of [...this.sessions.values()]) for (const j of list) if (j.queuedAt < before && !this.taken.has(j.jobId)) out.push(j);
    for (const j of out) this.remove(j.jobId);
    return out;
  }

  /** Empties the queue, returning what was in it. */
  clear(): QueuedJob[] {
    const out = [...this.sessions.values()].flat();
    this.sessions.clear();
    this.bySessionOf.clear();
    this.taken.clear();
    return out;
  }
}
