import type { Store } from '../store/types.js';
import type { JobRecord } from '../store/types.js';
import type { UrlSigner } from './serialize-job.js';
import { toJobWithOutputs } from './serialize-job.js';

/**
 * `GET /v1/jobs/:id` answers as JSON text, kept until the clock's second changes. Within one
 * second a job's answer is the same bytes for every caller: its signed links expire at
 * `now + ttl` to the second, and the key holds what else changes it (the job's `updatedAt`, which
 * every change of status, progress or outputs moves, and a waiting job's place in line). A widget polling, or many tabs watching one
 * job, then costs a store read and a write instead of a serialization with several HMACs each.
 * The caller's own checks (token, revocation, ownership) still run on every request.
 */
export class JobAnswers {
  private second = -1;
  private readonly bodies = new Map<string, string>();

  constructor(
    private readonly store: Pick<Store, 'listOutputs'>,
    private readonly signer: UrlSigner,
    /** Where a waiting job's place in its session's line comes from (the job runner). */
    private readonly queue: { queuePosition(id: string): number | null },
    /** Answers kept per second at most (a bound on memory under many distinct jobs). */
    private readonly max = 2000,
  ) {}

  async json(job: JobRecord): Promise<string> {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.bodies.clear();
      this.second = second;
    }
    const position = this.queue.queuePosition(job.id);
    const key = `${job.id}\n${job.updatedAt}\n${job.status}\n${position}`;
    const kept = this.bodies.get(key);
    if (kept !== undefined) return kept;
    const body = JSON.stringify(await toJobWithOutputs(this.store, job, this.signer, { queuePosition: () => position }));
    // Signed in the second it started in; kept only if that is still the current one.
    if (Math.floor(Date.now() / 1000) === second && this.second === second && this.bodies.size < this.max) this.bodies.set(key, body);
    return body;
  }
}
