type Listener = (payload: string, terminal: boolean) => void;

/**
 * In-process fan-out of job changes. The runner publishes each change once, already
 * serialized; every event-stream listener of that job gets the same string, so a thousand
 * listeners cost a thousand socket writes and no store reads.
 */
export class JobEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(jobId: string, listener: Listener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(jobId) === set) this.listeners.delete(jobId);
    };
  }

  publish(jobId: string, payload: string, terminal: boolean): void {
    const set = this.listeners.get(jobId);
    if (!set) return;
    for (const l of [...set]) l(payload, terminal);
  }

  listenerCount(jobId?: string): number {
    if (jobId) return this.listeners.get(jobId)?.size ?? 0;
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
