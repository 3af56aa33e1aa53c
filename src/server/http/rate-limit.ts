import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { BffEnv } from './env.js';
import { ConfigError } from '../config-error.js';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(key: string): Promise<RateLimitResult>;
}

/** A fixed window per key in process memory (one BFF instance). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!(limit > 0) || !(windowMs > 0)) throw new ConfigError('rate limit and window must be positive');
  }

  async hit(key: string, now = Date.now()): Promise<RateLimitResult> {
    if (now - this.lastSweep > this.windowMs) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) this.windows.set(key, (w = { count: 0, resetAt: now + this.windowMs }));
    w.count++;
    return {
      allowed: w.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/** Per-session limit with `RateLimit-*` headers; 429 + `Retry-After` past it. Runs after widgetAuth. */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<BffEnv> {
  if (!limiter) throw new ConfigError('rateLimit needs a limiter');
  return async (c, next) => {
    const r = await limiter.hit(`session:${c.get('auth').session.id}`);
    const headers = {
      'RateLimit-Limit': String(r.limit),
      'RateLimit-Remaining': String(r.remaining),
      'RateLimit-Reset': String(r.resetSeconds),
    };
    if (!r.allowed) {
      throw new ApiError('rate_limited', `Too many requests. Wait ${r.resetSeconds} seconds and try again.`, {}, { ...headers, 'Retry-After': String(r.resetSeconds) });
    }
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    await next();
  };
}
