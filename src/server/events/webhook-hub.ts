import { createHash } from 'node:crypto';

/**
 * One delivery's identity: what its verified content says happened (the provider, its job or
 * event id, and the state), not its bytes, so that a re-encoded copy (upper-case hex, re-indented
 * JSON, an extra header, another bogus signature value) is the same delivery.
 */
export function deliveryDigest(identity: string): string {
  return createHash('sha256').update(identity).digest('hex');
}

/**
 * Connects verified provider webhooks to the adapters waiting on them, and remembers recent
 * deliveries so a replayed one is refused. This one serves a single process; with several
 * instances on one Redis, RedisWebhookHub shares both across them.
 */
export class WebhookHub {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly seen = new Map<string, number>();

  constructor(protected readonly replayWindowMs = 24 * 60 * 60_000) {}

  /** True the first time a delivery with this verified identity is seen within the window; false for a replay. */
  async firstDelivery(identity: string, now = Date.now()): Promise<boolean> {
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    const digest = deliveryDigest(identity);
    if (this.seen.has(digest)) return false;
    this.seen.set(digest, now + this.replayWindowMs);
    return true;
  }

  /** Wakes whoever waits on `key`. */
  notify(key: string): void {
    this.wake(key);
  }

  /** Resolves true when `key` is notified within `ms`, false on timeout or abort. */
  wait(key: string, ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const done = (woken: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve(woken);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      set.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async close(): Promise<void> {}

  /** Wakes this process's waiters on `key`. */
  protected wake(key: string): void {
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const wake of set) wake();
  }
}
