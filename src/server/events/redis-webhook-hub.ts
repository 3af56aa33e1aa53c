import type { Redis } from 'ioredis';
import { closeSubscriber, subscriberFor } from './redis-subscriber.js';
import { deliveryDigest, WebhookHub } from './webhook-hub.js';

/**
 * The webhook hub of several BFF instances on one Redis. A provider's webhook reaches whichever
 * instance the load balancer picks, while the job it concerns is watched by the instance that
 * holds its lease: every notify is published on `<ns>webhooks` and each instance wakes its own
 * waiters. Deliveries are remembered in Redis (`SET NX` with the replay window as expiry), so
 * a replay is refused whichever instance it reaches.
 *
 * Messages are `<instanceId>\n<key>`: the publisher skips its own, its waiters already woke.
 */
export class RedisWebhookHub extends WebhookHub {
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly seenPrefix: string;
  private closed = false;
  /** Settles once this instance's subscription is live (tests wait for it). */
  readonly subscribed: Promise<void>;

  constructor(
    private readonly pub: Redis,
    namespace: string,
    private readonly instanceId: string,
    private readonly opts: { replayWindowMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    super(opts.replayWindowMs);
    this.channel = `${namespace}webhooks`;
    this.seenPrefix = `${namespace}webhook-seen:`;
    this.sub = subscriberFor(pub, (channel, message) => this.relay(channel, message), (err) => this.opts.onError?.(err));
    this.subscribed = this.sub.subscribe(this.channel).then(
      () => undefined,
      (err: unknown) => this.opts.onError?.(err),
    );
  }

  override async firstDelivery(identity: string): Promise<boolean> {
    const answer = await this.pub.set(this.seenPrefix + deliveryDigest(identity), '1', 'PX', this.replayWindowMs, 'NX');
    return answer === 'OK';
  }

  override notify(key: string): void {
    this.wake(key);
    if (this.closed) return;
    this.pub.publish(this.channel, `${this.instanceId}\n${key}`).catch((err) => this.opts.onError?.(err));
  }

  override async close(): Promise<void> {
    this.closed = true;
    await closeSubscriber(this.sub);
  }

  private relay(channel: string, message: string): void {
    const cut = message.indexOf('\n');
    if (channel !== this.channel || cut < 0 || message.slice(0, cut) === this.instanceId) return;
    this.wake(message.slice(cut + 1));
  }
}
