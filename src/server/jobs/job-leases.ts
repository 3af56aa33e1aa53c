import type { Redis } from 'ioredis';
import { ConfigError } from '../config-error.js';

/**
 * Who tracks a job at its provider. With several instances exactly one holds a job's lease
 * at a time; a holder that dies stops renewing, the lease expires, and another instance's
 * sweep takes the job over. A single instance needs no coordination.
 */
export interface JobLeases {
  /** True when other instances compete for jobs: the runner then sweeps for expired leases. */
  readonly shared: boolean;
  readonly ttlMs: number;
  /** Takes the lease if free (or already ours, extending it); false when another instance holds it. */
  acquire(jobId: string): Promise<boolean>;
  /** Extends our lease; false when it was lost (expired and taken, or never ours). */
  renew(jobId: string): Promise<boolean>;
  /** Gives the lease up if it is still ours. */
  release(jobId: string): Promise<void>;
}

/** One process owns every job: always granted. */
export class LocalJobLeases implements JobLeases {
  readonly shared = false;
  readonly ttlMs = 30_000;
  async acquire(): Promise<boolean> {
    return true;
  }
  async renew(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}

// Compare-and-act scripts: only the holder named in the key may extend or delete it, so a
// late release from an instance that lost its lease cannot free someone else's.
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

type LeaseCommands = {
  stagingLeaseAcquire(key: string, holder: string, ttl: number): Promise<number>;
  stagingLeaseRenew(key: string, holder: string, ttl: number): Promise<number>;
  stagingLeaseRelease(key: string, holder: string): Promise<number>;
};

/** `<ns>lease:<jobId>` = instance id, with a PX expiry of `ttlMs`. */
export class RedisJobLeases implements JobLeases {
  readonly shared = true;
  private readonly r: LeaseCommands;

  constructor(
    redis: Redis,
    private readonly namespace: string,
    readonly instanceId: string,
    readonly ttlMs: number,
  ) {
    if (!(ttlMs >= 100)) throw new ConfigError('the lease TTL must be at least 100 ms');
    for (const [name, lua] of [['stagingLeaseAcquire', ACQUIRE], ['stagingLeaseRenew', RENEW], ['stagingLeaseRelease', RELEASE]] as const) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
    this.r = redis as unknown as LeaseCommands;
  }

  key(jobId: string): string {
    return `${this.namespace}lease:${jobId}`;
  }

  async acquire(jobId: string): Promise<boolean> {
    return (await this.r.stagingLeaseAcquire(this.key(jobId), this.instanceId, this.ttlMs)) === 1;
  }

  async renew(jobId: string): Promise<boolean> {
    return (await this.r.stagingLeaseRenew(this.key(jobId), this.instanceId, this.ttlMs)) === 1;
  }

  async release(jobId: string): Promise<void> {
    await this.r.stagingLeaseRelease(this.key(jobId), this.instanceId);
  }
}
