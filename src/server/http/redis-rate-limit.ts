import type { Redis } from 'ioredis';
import type { RateLimiter, RateLimitResult } from './rate-limit.js';
import { ConfigError } from '../config-error.js';

// INCR and the window's expiry in one script: a crash between the two would otherwise leave
// a counter without a TTL that refuses the session forever.
const HIT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

/** The same fixed window as MemoryRateLimiter, counted in Redis so every instance shares it. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!(limit > 0) || !(windowMs > 0)) throw new ConfigError('rate limit and window must be positive');
    if (!('stagingRateHit' in redis)) redis.defineCommand('stagingRateHit', { numberOfKeys: 1, lua: HIT });
  }

  async hit(key: string): Promise<RateLimitResult> {
    const run = (this.redis as unknown as { stagingRateHit: (k: string, ms: number) => Promise<[number, number]> }).stagingRateHit;
    const [count, ttl] = await run.call(this.redis, `${this.namespace}rate:${key}`, Math.ceil(this.windowMs));
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }
}
