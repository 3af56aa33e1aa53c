import { ConfigError } from '../config-error.js';
/**
 * The jobs waiting to run on this instance, taken fairly between sessions: one FIFO per session;
 * a free slot goes to the waiting session with the fewest jobs running (in turn among equals),
 * and a session already running its `perSession` jobs waits until one of them ends. One agent's 60-photo listing therefore delays another session's photo
 * by at most one job per running slot, not by the whole listing.
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

  constructor(private readonly perSession: number) {
    if (!(Number.isInteger(perSession) && perSession >= 1)) throw new ConfigError('FairQueue: perSession must be a whole number ≥ 1');
  }

  get size(): number {
    return this.bySessionOf.size;
  }

  has(jobId: string): boolean {
    return this.bySessionOf.has(jobId);
  }

  /** The job's place in its session's line (1 = that session's next to start), or null when it is not queued. */
  position(jobId: string): number | null {
    const sessionId = this.bySessionOf.get(jobId);
    if (sessionId === undefined) return null;
    return this.sessions.get(sessionId)!.findIndex((j) => j.jobId === jobId) + 1;
  }

  /** The jobs of a session waiting here, in the order they will start. */
  queuedOf(sessionId: string): string[] {
    return (this.sessions.get(sessionId) ?? []).map((j) => j.jobId);
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
    const list = this.sessions.get(sessionId)!;
    const i = list.findIndex((j) => j.jobId === jobId);
    const [job] = list.splice(i, 1);
    if (list.length === 0) this.sessions.delete(sessionId);
    return job ?? null;
  }

  /**
   * The next job to start, given how many each session has running; null when every waiting
   * session is at its limit. The chosen session moves to the back of the turn order.
   */
  take(running: (sessionId: string) => number): QueuedJob | null {
    // The waiting session with the fewest jobs running goes first; among equals, the one whose
    // turn it is. So a newcomer gets the next free slot even while a busy session has several.
    let chosen: string | null = null;
    let fewest = this.perSession;
    for (const sessionId of this.sessions.keys()) {
      const n = running(sessionId);
      if (n < fewest) {
        chosen = sessionId;
        fewest = n;
      }
    }
    if (chosen === null) return null;
    const list = this.sessions.get(chosen)!;
    const job = list.shift()!;
    this.bySessionOf.delete(job.jobId);
    this.sessions.delete(chosen);
    if (list.length > 0) this.sessions.set(chosen, list);
    return job;
  }

  /** Removes and returns the jobs queued before `before` (Unix ms). */
  expire(before: number): QueuedJob[] {
    const out: QueuedJob[] = [];
    for (const list of [...this.sessions.values()]) for (const j of list) if (j.queuedAt < before) out.push(j);
    for (const j of out) this.remove(j.jobId);
    return out;
  }

  /** Empties the queue, returning what was in it. */
  clear(): QueuedJob[] {
    const out = [...this.sessions.values()].flat();
    this.sessions.clear();
    this.bySessionOf.clear();
    return out;
  }
}
