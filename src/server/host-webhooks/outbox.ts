import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { OutboxEvent, Store } from '../store/types.js';
import { signDelivery } from './signature.js';

export type HostEventType = 'job.completed' | 'job.failed' | 'output.selected' | 'batch.completed';

export interface HostWebhooksOptions {
  store: Store;
  url: string;
  /** Key bytes of the `whsec_…` secret. */
  key: Buffer;
  logger: Logger;
  /** Waits before each retry, in ms; past the last, the event is given up. */
  backoffMs?: readonly number[];
  /** How long a claimed event is kept from other instances while it is being sent. */
  claimMs?: number;
  /** Longest wait for the host's answer. */
  timeoutMs?: number;
  /** How often due events are looked for when nothing wakes the sender. */
  pollMs?: number;
}

/** About 3 days in all, as Standard Webhooks senders usually retry. */
export const DEFAULT_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 86_400_000, 86_400_000];

/**
 * Signed webhooks to the host's backend (STAGING_HOST_WEBHOOK_URL), so that a listing site attaches
 * a staged photo on the server's word rather than on a browser event any visitor can forge.
 *
 * Events go into the store's outbox first (durable across restarts, shared by instances on Redis)
 * under an id derived from what happened, so the same event is stored once however often it is
 * reported. A sender claims due events for a short lease (no two instances send one event at the
 * same time), posts them signed, and marks them delivered on a 2xx; otherwise it retries with
 * backoff. The `webhook-id` stays the same across retries: a host that saw an id already can
 * ignore the repeat (a crash between the host's 2xx and our mark is the one way to get one).
 */
export class HostWebhooks {
  private readonly backoff: readonly number[];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly inflight = new AbortController();

  constructor(private readonly o: HostWebhooksOptions) {
    this.backoff = o.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.schedule(0);
  }

  /**
   * Stores an event for delivery and wakes the sender. `key` names what happened (e.g. the job id
   * and attempt), so reporting the same thing twice stores one event.
   */
  async emit(type: HostEventType, key: string, data: Record<string, unknown>): Promise<void> {
    const id = `msg_${createHash('sha256').update(`${type}\n${key}`).digest('base64url').slice(0, 27)}`;
    const createdAt = new Date().toISOString();
    const payload = JSON.stringify({ type, timestamp: createdAt, data });
    if (await this.o.store.addOutboxEvent({ id, type, payload, createdAt })) this.wake();
  }

  /** Sends what is due now (tests and the timer). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain()
      .catch((err: unknown) => this.o.logger.warn('host webhook delivery loop failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.schedule(this.o.pollMs ?? 1000);
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.inflight.abort();
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const due = await this.o.store.claimOutboxEvents(Date.now(), this.o.claimMs ?? 60_000, 10);
      if (due.length === 0) return;
      await Promise.all(due.map((e) => this.deliver(e)));
    }
  }

  private async deliver(e: OutboxEvent): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let failure: string;
    try {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'staging-bff-webhooks/1',
          'webhook-id': e.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signDelivery(this.o.key, e.id, timestamp, e.payload),
        },
        body: e.payload,
        redirect: 'manual',
        signal: AbortSignal.any([this.inflight.signal, AbortSignal.timeout(this.o.timeoutMs ?? 10_000)]),
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) {
        await this.o.store.settleOutboxEvent(e.id, { status: 'delivered', at: new Date().toISOString() });
        return;
      }
      failure = `the host answered ${res.status}`;
    } catch (err) {
      if (this.closed) return; // the claim runs out and another start sends it
      failure = err instanceof Error && err.name === 'TimeoutError' ? 'the host did not answer in time' : 'the host could not be reached';
    }
    const attempts = e.attempts + 1;
    const wait = this.backoff[attempts - 1];
    if (wait === undefined) {
      this.o.logger.error('host webhook given up', { id: e.id, type: e.type, attempts, reason: failure });
      await this.o.store.settleOutboxEvent(e.id, { status: 'failed', attempts, error: failure });
      return;
    }
    this.o.logger.warn('host webhook will be retried', { id: e.id, type: e.type, attempts, in_ms: wait, reason: failure });
    await this.o.store.settleOutboxEvent(e.id, { status: 'pending', attempts, nextAttemptAt: Date.now() + wait, error: failure });
  }
}
