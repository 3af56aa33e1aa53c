import type { Redis } from 'ioredis';
import { ConfigError } from '../config-error.js';
import { defineScripts, LEASE_SCRIPTS, type Scripted } from '../store/redis-scripts.js';

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

/** `<ns>lease:<jobId>` = instance id, with a PX expiry of `ttlMs`. */
export class RedisJobLeases implements JobLeases {
  readonly shared = true;
  private readonly r: Scripted<typeof LEASE_SCRIPTS>;

  constructor(
    redis: Redis,
    private readonly namespace: string,
    readonly instanceId: string,
    readonly ttlMs: number,
  ) {
    if (!(ttlMs >= 100)) throw new ConfigError('the lease TTL must be at least 100 ms');
    this.r = defineScripts(redis, LEASE_SCRIPTS);
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
