import type { Redis } from 'ioredis';
import { closeSubscriber, subscriberFor } from './redis-subscriber.js';
import { JobEvents } from './job-events.js';

type Listener = (payload: string, terminal: boolean) => void;

/** What a listener that just attached should see if a change slipped past before its subscription was live. */
export type Resync = (jobId: string) => Promise<{ payload: string; terminal: boolean } | null>;

/**
 * Job fan-out across BFF instances. Local listeners are served exactly as by JobEvents;
 * every publish also goes to Redis channel `<ns>events:<jobId>`, and each instance relays
 * what other instances published to its own listeners. An instance subscribes to a job's
 * channel only while it has a local listener for that job, on a dedicated connection
 * (a subscribed connection can run no other command).
 *
 * Messages are `<instanceId>\n<0|1>\n<payload>`: the origin id lets the publisher skip its
 * own message, since its local listeners already got it synchronously.
 */
export class RedisJobEvents extends JobEvents {
  private readonly sub: Redis;
  private readonly channelPrefix: string;
  private closed = false;

  constructor(
    private readonly pub: Redis,
    namespace: string,
    private readonly instanceId: string,
    private readonly opts: { resync?: Resync; onError?: (err: unknown) => void } = {},
  ) {
    super();
    this.channelPrefix = `${namespace}events:`;
    this.sub = subscriberFor(pub, (channel, message) => this.relay(channel, message), (err) => this.opts.onError?.(err));
  }

  override subscribe(jobId: string, listener: Listener): () => void {
    const first = super.listenerCount(jobId) === 0;
    const unsubscribe = super.subscribe(jobId, listener);
    if (first && !this.closed) {
      this.sub
        .subscribe(this.channelPrefix + jobId)
        // The route reads the job right after subscribing, possibly before SUBSCRIBE was live on
        // the server: a change published by another instance in that gap would be lost, and a
        // lost terminal event leaves the stream open forever. Re-reading once closes the gap.
        .then(() => this.resync(jobId))
        .catch((err) => this.opts.onError?.(err));
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (super.listenerCount(jobId) === 0 && !this.closed) {
        this.sub.unsubscribe(this.channelPrefix + jobId).catch((err) => this.opts.onError?.(err));
      }
    };
  }

  override publish(jobId: string, payload: string, terminal: boolean): void {
    super.publish(jobId, payload, terminal);
    if (this.closed) return;
    this.pub
      .publish(this.channelPrefix + jobId, `${this.instanceId}\n${terminal ? 1 : 0}\n${payload}`)
      .catch((err) => this.opts.onError?.(err));
  }

  async close(): Promise<void> {
    this.closed = true;
    await closeSubscriber(this.sub);
  }

  private relay(channel: string, message: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    const a = message.indexOf('\n');
    const b = message.indexOf('\n', a + 1);
    if (a < 0 || b < 0 || message.slice(0, a) === this.instanceId) return;
    super.publish(channel.slice(this.channelPrefix.length), message.slice(b + 1), message.slice(a + 1, b) === '1');
  }

  private async resync(jobId: string): Promise<void> {
    if (!this.opts.resync || super.listenerCount(jobId) === 0) return;
    const snap = await this.opts.resync(jobId);
    if (snap) super.publish(jobId, snap.payload, snap.terminal);
  }
}
