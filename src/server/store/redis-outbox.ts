import type { Redis } from 'ioredis';
import { defineScripts, OUTBOX_SCRIPTS, type Scripted } from './redis-scripts.js';
import type { OutboxEvent, OutboxOutcome } from './types.js';

/**
 * The host-webhook outbox on Redis, for several instances: each event's JSON under
 * `outbox:event:<id>` (written once, `SET NX`), and the pending ones in the sorted set
 * `outbox:due` scored by when they may be sent; a claim moves the score forward in one script,
 * so no two instances take the same event while the claim lasts. Delivered and given-up events
 * leave the set and expire after a week.
 */
export class RedisOutbox {
  private readonly r: Scripted<typeof OUTBOX_SCRIPTS>;

  constructor(
    private readonly redis: Redis,
    private readonly ns: string,
  ) {
    this.r = defineScripts(redis, OUTBOX_SCRIPTS);
  }

  private event(id: string) {
    return `${this.ns}outbox:event:${id}`;
  }
  private get due() {
    return `${this.ns}outbox:due`;
  }

  async add(e: { id: string; type: string; payload: string; createdAt: string }): Promise<boolean> {
    const record: OutboxEvent = { ...e, attempts: 0, nextAttemptAt: 0, status: 'pending', lastError: null, deliveredAt: null };
    if ((await this.redis.set(this.event(e.id), JSON.stringify(record), 'NX')) !== 'OK') return false;
    await this.redis.zadd(this.due, 0, e.id);
    return true;
  }

  async claim(now: number, claimMs: number, limit: number): Promise<OutboxEvent[]> {
    const ids = (await this.r.stagingOutboxClaim(this.due, now, now + claimMs, limit)) as string[];
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.event(id)));
    return raws.filter((r): r is string => r !== null).map((r) => ({ ...(JSON.parse(r) as OutboxEvent), nextAttemptAt: now + claimMs }));
  }

  async settle(id: string, o: OutboxOutcome): Promise<void> {
    const raw = await this.redis.get(this.event(id));
    if (!raw) return;
    const e = JSON.parse(raw) as OutboxEvent;
    if (o.status === 'delivered') Object.assign(e, { status: 'delivered', deliveredAt: o.at });
    else Object.assign(e, { status: o.status, attempts: o.attempts, lastError: o.error, ...(o.status === 'pending' ? { nextAttemptAt: o.nextAttemptAt } : {}) });
    const m = this.redis.multi();
    if (e.status === 'pending') m.set(this.event(id), JSON.stringify(e)).zadd(this.due, e.nextAttemptAt, id);
    else m.set(this.event(id), JSON.stringify(e), 'EX', 7 * 24 * 3600).zrem(this.due, id);
    await m.exec();
  }

  async get(id: string): Promise<OutboxEvent | null> {
    const raw = await this.redis.get(this.event(id));
    return raw ? (JSON.parse(raw) as OutboxEvent) : null;
  }
}
