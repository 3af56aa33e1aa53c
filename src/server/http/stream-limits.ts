import { ApiError } from '../errors.js';
import { ConfigError } from '../config-error.js';

/**
 * Caps long-lived event streams: per session and for the whole instance. Each stream holds a
 * socket, a subscription and a timer for as long as it is open, so a token must not be able to
 * open hundreds. Past a cap the answer is the documented 429 with `Retry-After`.
 */
export class StreamLimits {
  private total = 0;
  private readonly bySession = new Map<string, number>();

  constructor(
    readonly perSession: number,
    readonly max: number,
  ) {
    if (!(Number.isInteger(perSession) && perSession >= 1) || !(Number.isInteger(max) && max >= 1)) {
      throw new ConfigError('StreamLimits: perSession and max must be whole numbers ≥ 1');
    }
  }

  /** Takes a slot for `sessionId`; the returned function gives it back (calling it twice is harmless). */
  acquire(sessionId: string): () => void {
    const mine = this.bySession.get(sessionId) ?? 0;
    if (mine >= this.perSession) {
      throw new ApiError('rate_limited', `This session already has ${mine} live event streams open: close one (or wait for its job to end) before opening another.`, {}, { 'Retry-After': '5' });
    }
    if (this.total >= this.max) {
      throw new ApiError('rate_limited', 'The server is following too many live jobs right now: try again in a few seconds.', {}, { 'Retry-After': '5' });
    }
    this.bySession.set(sessionId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const n = (this.bySession.get(sessionId) ?? 1) - 1;
      if (n === 0) this.bySession.delete(sessionId);
      else this.bySession.set(sessionId, n);
    };
  }

  /** Open streams, for tests and the bench. */
  get open(): number {
    return this.total;
  }
}
