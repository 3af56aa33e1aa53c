import { isTerminal, type Batch, type BatchCounts, type BatchStatus, type JobStatus } from '../../contract/index.js';
import type { BatchRecord } from '../store/types.js';
import type { UrlSigner } from './serialize-job.js';

export function batchCounts(statuses: readonly JobStatus[]): BatchCounts {
  const counts: BatchCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const s of statuses) counts[s === 'compressing' ? 'processing' : s]++;
  return counts;
}

export function batchStatus(b: BatchRecord, statuses: readonly JobStatus[]): BatchStatus {
  if (b.cancelledAt) return 'cancelled';
  if (statuses.some((s) => !isTerminal(s))) return 'running';
  return statuses.includes('completed') ? 'completed' : 'failed';
}

/** The batch as the API shows it; `statuses` are its jobs' statuses in item order. */
export function toBatch(b: BatchRecord, statuses: readonly JobStatus[], signer: UrlSigner): Batch {
  const status = batchStatus(b, statuses);
  const done = statuses.every(isTerminal);
  return {
    id: b.id,
    status,
    service: b.service,
    config: b.config,
    resolution: b.resolution,
    prompt: b.prompt,
    options: b.options,
    variants: b.variants,
    reference_upload_id: b.referenceUploadId,
    reference_id: b.referenceId,
    items: b.items.map((i) => ({ upload_id: i.uploadId, job_id: i.jobId, previous_job_ids: i.previousJobIds ?? [], excluded: i.excluded ?? false })),
    counts: batchCounts(statuses),
    credits_required: b.creditsRequired,
    created_at: b.createdAt,
    // Once every current job has ended, if any item the agent kept has outputs.
    archive_url: done && statuses.some((s, i) => s === 'completed' && !b.items[i]?.excluded) ? signer.publicUrl + signer.tokens.signPath(`/v1/batches/${b.id}/archive`, signer.ttlSeconds) : null,
  };
}
