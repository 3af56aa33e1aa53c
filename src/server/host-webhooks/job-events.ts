import type { Logger } from '../logger.js';
import { toJob, toOutput, type UrlSigner } from '../jobs/serialize-job.js';
import type { JobRecord, OutputRecord, Store } from '../store/types.js';
import type { HostWebhooks } from './outbox.js';

/**
 * Output links in a webhook are signed for a day rather than the widget's short lifetime: the
 * host's backend may fetch the image well after the event, and retries can come hours later.
 */
export const WEBHOOK_LINK_TTL_SECONDS = 24 * 3600;

export interface HostEventsOptions {
  webhooks: HostWebhooks;
  store: Store;
  signer: UrlSigner;
  logger: Logger;
}

/** Turns what happens to jobs and outputs into host webhook events, with the session's own metadata. */
export class HostEvents {
  private readonly signer: UrlSigner;

  constructor(private readonly o: HostEventsOptions) {
    this.signer = { ...o.signer, ttlSeconds: WEBHOOK_LINK_TTL_SECONDS };
  }

  /** A job reached `completed` or `failed` (once per attempt, however often it is reported). */
  jobFinished(job: JobRecord, outputs: OutputRecord[]): void {
    if (job.status !== 'completed' && job.status !== 'failed') return;
    const type = job.status === 'completed' ? 'job.completed' : 'job.failed';
    void this.emit(type, `${job.id}\n${job.attempt}`, job.sessionId, { job: toJob(job, outputs, this.signer) });
  }

  /** The person chose this output ("Use this image"). */
  async outputSelected(job: JobRecord, output: OutputRecord): Promise<void> {
    await this.emit('output.selected', output.id, job.sessionId, { output: { ...toOutput(output, job, this.signer), job_id: job.id }, job_id: job.id });
  }

  private async emit(type: 'job.completed' | 'job.failed' | 'output.selected', key: string, sessionId: string, data: Record<string, unknown>): Promise<void> {
    try {
      const session = await this.o.store.getSession(sessionId);
      await this.o.webhooks.emit(type, key, { ...data, subject: session?.subject ?? null, session_id: sessionId, session_metadata: session?.metadata ?? null });
    } catch (err) {
      this.o.logger.error('host webhook event could not be stored', { type, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
