import { ApiError } from '../errors.js';
import { ConfigError } from '../config-error.js';

/**
 * Bounds image decoding: at most `concurrency` uploads decode at once in this process (the others
 * wait their turn), and one session may have at most `perSession` decoding or waiting.
 *
 * sharp runs each decode on a thread of libuv's pool, the pool that file reads use too (4 threads
 * unless UV_THREADPOOL_SIZE says otherwise). Keeping decodes below the pool's size leaves threads
 * for serving images, and bounds the native memory that decoded pixels take.
 */
export class DecodeGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly bySession = new Map<string, number>();

  constructor(
    readonly concurrency: number,
    readonly perSession: number,
  ) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1) || !(Number.isInteger(perSession) && perSession >= 1)) {
      throw new ConfigError('DecodeGate: concurrency and perSession must be whole numbers ≥ 1');
    }
  }

  async run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const mine = this.bySession.get(sessionId) ?? 0;
    if (mine >= this.perSession) {
      throw new ApiError('rate_limited', 'Your other photos are still being processed: wait a moment, then upload this one again.', {}, { 'Retry-After': '2' });
    }
    this.bySession.set(sessionId, mine + 1);
    try {
      if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
      else this.running++;
      try {
        return await work();
      } finally {
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      const n = (this.bySession.get(sessionId) ?? 1) - 1;
      if (n === 0) this.bySession.delete(sessionId);
      else this.bySession.set(sessionId, n);
    }
  }
}
