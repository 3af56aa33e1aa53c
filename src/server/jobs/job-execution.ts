import type { JobError, JobStatus } from '../../contract/index.js';
import type { BlobStore } from '../blobs.js';
import type { DisclosurePublisher } from '../disclosure/publisher.js';
import type { WebhookHub } from '../events/webhook-hub.js';
import { newId, nowIso } from '../ids.js';
import type { Logger } from '../logger.js';
import { ProviderJobError, StopReason, type Provider, type ProviderImage, type ProviderTask } from '../providers/types.js';
import type { JobRecord, OutputRecord, Store, UploadRecord } from '../store/types.js';
import { uploadUrl, type UrlSigner } from './serialize-job.js';

/**
 * One job's work, once the runner (job-runner.ts: the queue, leases and session slots) has
 * started it: the provider's task from the stored job and its images, the provider's progress
 * stored and published, the outputs marked for publication and stored, and every way it can
 * end (completed, failed with a clear error, cancelled, interrupted by a shutdown).
 */

/** The statuses of a job at work: a stored update applies only while the job is in one of them. */
export const RUNNING: readonly JobStatus[] = ['pending', 'compressing', 'processing'];

export interface JobExecutionDeps {
  store: Store;
  blobs: BlobStore;
  provider: Provider;
  webhooks: WebhookHub;
  signer: UrlSigner;
  logger: Logger;
  /** A job still running after this long fails with `job_stalled`. */
  deadlineMs: number;
  publisher?: DisclosurePublisher;
  /** Serializes the job and hands it to its event stream's listeners (the runner's, with the job's place in line). */
  publish(job: JobRecord): Promise<void>;
}

/** Runs a pending job through the provider to its end; `controller` stops it (its reason says why). */
export async function executeJob(d: JobExecutionDeps, jobId: string, controller: AbortController): Promise<void> {
  const { store, provider } = d;
  const job = await store.getJob(jobId);
  if (!job || job.status !== 'pending') return;
  const deadline = setTimeout(() => controller.abort(new StopReason('deadline')), d.deadlineMs);
  let stateSaves = Promise.resolve();
  try {
    const task = await taskFor(d, job);
    let lastStatus: JobStatus = job.status;
    let lastProgress = -1;
    const outputs = await provider.execute(task, {
      signal: controller.signal,
      savedState: job.providerState,
      webhook: (key, ms) => d.webhooks.wait(key, ms, controller.signal),
      saveState: (state) => (stateSaves = stateSaves.then(() => store.updateJob(jobId, { providerState: state }).then(() => undefined))),
      progress: (status, progress) => {
        const p = Math.max(0, Math.min(0.99, progress));
        // Progress only moves forward, and tiny steps are not worth a write and an event.
        if (status === lastStatus && p - lastProgress < 0.01) return;
        lastStatus = status;
        lastProgress = p;
        void store.updateJob(jobId, { status, progress: p, updatedAt: nowIso() }, RUNNING).then((updated) => {
          if (updated) return d.publish(updated);
          controller.abort(new StopReason('cancelled'));
        });
      },
    });
    await stateSaves;
    controller.signal.throwIfAborted();
    const records: OutputRecord[] = [];
    for (const out of outputs) {
      const id = newId('out');
      const blobKey = `outputs/${id}.${out.contentType === 'image/png' ? 'png' : out.contentType === 'image/webp' ? 'webp' : 'jpg'}`;
      const prepared = d.publisher ? await d.publisher.prepare(job, id, out) : { data: out.data, disclosure: null };
      await d.blobs.put(blobKey, prepared.data);
      records.push({
        id,
        jobId,
        subject: job.subject,
        blobKey,
        contentType: out.contentType,
        bytes: prepared.data.length,
        width: out.width,
        height: out.height,
        localPreview: out.localPreview,
        disclosure: prepared.disclosure,
        ...(out.note ? { note: out.note } : {}),
        createdAt: nowIso(),
      });
    }
    const completed = await store.completeJob(jobId, records, nowIso());
    if (completed) {
      await d.publish(completed);
    } else {
      // Cancelled while the outputs were being written: they belong to no job.
      const keys = records.flatMap((r) => [r.blobKey, ...(r.disclosure?.publishedBlobKey ? [r.disclosure.publishedBlobKey] : [])]);
      await Promise.all(keys.map((k) => d.blobs.delete(k)));
    }
  } catch (err) {
    const reason = controller.signal.aborted ? controller.signal.reason : null;
    if (reason instanceof StopReason && reason.kind === 'shutdown') return; // recover() picks it up
    if (reason instanceof StopReason && reason.kind === 'cancelled') return; // already stored by the cancel
    if (reason instanceof StopReason && reason.kind === 'deadline') {
      await failJob(d, jobId, {
        code: 'job_stalled',
        message: `Processing took longer than ${Math.round(d.deadlineMs / 1000)} seconds and was stopped. Retry the job.`,
        retryable: true,
      });
      return;
    }
    if (err instanceof ProviderJobError) {
      await failJob(d, jobId, err.toJobError());
      return;
    }
    // Unknown errors are logged in full here but reach the user only as a generic sentence:
    // they may carry provider URLs or keys.
    d.logger.error('job failed', { job: jobId, error: err instanceof Error ? err.message : String(err) });
    await failJob(d, jobId, { code: 'processing_failed', message: 'The photo could not be processed. Retry the job.', retryable: true });
  } finally {
    clearTimeout(deadline);
  }
}

/** Stores a job's failure (only while it is at work: a cancel stored first wins) and publishes it. */
export async function failJob(d: Pick<JobExecutionDeps, 'store' | 'publish'>, jobId: string, error: JobError): Promise<void> {
  const failed = await d.store.updateJob(jobId, { status: 'failed', error, creditsCharged: 0, updatedAt: nowIso() }, RUNNING);
  if (failed) await d.publish(failed);
}

async function taskFor(d: JobExecutionDeps, job: JobRecord): Promise<ProviderTask> {
  const image = async (id: string | null): Promise<ProviderImage | null> => {
    if (!id) return null;
    const u = await d.store.getUpload(id);
    if (!u) throw new ProviderJobError('processing_failed', 'An image of this job is missing on the server. Upload it again.', false);
    return providerImage(d, u, job.sessionId);
  };
  return {
    jobId: job.id,
    service: job.service,
    config: job.config,
    resolution: job.resolution,
    prompt: job.prompt,
    options: job.options,
    location: job.location,
    variants: job.variants,
    variation: job.variation ?? 0,
    referenceId: job.referenceId,
    idempotencyKey: `${job.id}:${job.attempt}`,
    image: (await image(job.uploadId))!,
    mask: await image(job.maskUploadId),
    reference: await image(job.referenceUploadId),
    brackets: await Promise.all((job.bracketUploadIds ?? []).map(async (id) => (await image(id))!)),
    listing: await listingOf(d, job),
  };
}

/** The photos of the job's batch, for the provider to hold one look across them (a photo removed since is left out). */
async function listingOf(d: JobExecutionDeps, job: JobRecord): Promise<ProviderTask['listing']> {
  const batch = job.batchId ? await d.store.getBatch(job.batchId) : null;
  if (!batch) return null;
  const uploads = await Promise.all(batch.items.map((i) => d.store.getUpload(i.uploadId)));
  return { id: batch.id, images: uploads.filter((u): u is UploadRecord => u !== null).map((u) => providerImage(d, u, job.sessionId)) };
}

/** An input for the provider; its public URL is bound to the job's session. */
function providerImage(d: JobExecutionDeps, u: UploadRecord, sessionId: string): ProviderImage {
  return {
    uploadId: u.id,
    contentType: u.contentType,
    width: u.width,
    height: u.height,
    read: () => d.blobs.get(u.blobKey),
    publicUrl: () => uploadUrl(d.signer, u.id, sessionId),
  };
}
