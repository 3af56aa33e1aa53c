import type { Redis } from 'ioredis';
import { defineScripts, RATE_LIMIT_SCRIPTS, type Scripted } from '../store/redis-scripts.js';
import type { RateLimiter, RateLimitResult } from './rate-limit.js';
import { ConfigError } from '../config-error.js';

/** The same fixed window as MemoryRateLimiter, counted in Redis so every instance shares it. */
export class RedisRateLimiter implements RateLimiter {
  private readonly r: Scripted<typeof RATE_LIMIT_SCRIPTS>;

  constructor(
    redis: Redis,
    private readonly namespace: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!(limit > 0) || !(windowMs > 0)) throw new ConfigError('rate limit and window must be positive');
    this.r = defineScripts(redis, RATE_LIMIT_SCRIPTS);
  }

  async hit(key: string): Promise<RateLimitResult> {
    const [count, ttl] = (await this.r.stagingRateHit(`${this.namespace}rate:${key}`, Math.ceil(this.windowMs))) as [number, number];
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }
}
