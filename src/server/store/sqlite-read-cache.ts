import type { JobRecord, OutputRecord, SessionRecord } from './types.js';

const MAX_ENTRIES = 5000;

/**
 * What the read path asks SQLite for on every request, kept in memory: sessions (checked for
 * revocation on each widget request), finished jobs and the outputs of completed ones. A point
 * query costs 10–20 µs under load; a hit costs a Map lookup and `PRAGMA data_version` (2 µs).
 *
 * Correct with several connections to one file: `data_version` changes whenever another
 * connection commits, and then everything is dropped. This connection's own writes drop exactly
 * what they change (the store calls `forgetSession` / `forgetJob`). Records go out as copies.
 */
export class SqliteReadCache {
  private version: number | null = null;
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly finished = new Map<string, JobRecord>();
  private readonly outputs = new Map<string, OutputRecord[]>();

  constructor(private readonly dataVersion: () => number) {}

  private checkedThisTurn = false;

  /**
   * Drops everything when another connection has committed since the last look. Looked at once
   * per turn of the event loop: the requests served in one turn see the same state, as they
   * would if they had run a moment earlier.
   */
  private check(): void {
    if (this.checkedThisTurn) return;
    this.checkedThisTurn = true;
    setImmediate(() => {
      this.checkedThisTurn = false;
    });
    const v = this.dataVersion();
    if (v === this.version) return;
    this.version = v;
    this.sessions.clear();
    this.finished.clear();
    this.outputs.clear();
  }

  session(id: string, load: () => SessionRecord | null): SessionRecord | null {
    this.check();
    let s = this.sessions.get(id);
    if (!s) {
      const loaded = load();
      if (!loaded) return null;
      remember(this.sessions, id, (s = loaded));
    }
    return { ...s };
  }

  job(id: string, load: () => JobRecord | null): JobRecord | null {
    this.check();
    const hit = this.finished.get(id);
    if (hit) return { ...hit };
    const j = load();
    // Only finished jobs are kept: a running one changes every few hundred milliseconds.
    if (j && (j.status === 'completed' || j.status === 'failed' || j.status === 'cancelled')) remember(this.finished, id, { ...j });
    return j;
  }

  jobOutputs(jobId: string, load: () => OutputRecord[]): OutputRecord[] {
    this.check();
    let list = this.outputs.get(jobId);
    if (!list) {
      list = load();
      // Only a completed job's outputs are final.
      if (this.finished.get(jobId)?.status === 'completed') remember(this.outputs, jobId, list);
    }
    return list.map((o) => ({ ...o }));
  }

  forgetSession(id: string): void {
    this.sessions.delete(id);
  }

  forgetJob(id: string): void {
    this.finished.delete(id);
    this.outputs.delete(id);
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}
