import { Hono } from 'hono';
import { isTerminal, RedoBatchItemRequest, UpdateBatchItemRequest, type BatchWithJobs, type CreateJobRequest } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { jsonBody } from '../http/validate.js';
import { nowIso } from '../ids.js';
import { cancelJob } from '../jobs/cancel-job.js';
import { checkAgainstPhoto, checkJobRequest } from '../jobs/check-job-request.js';
import { idempotencyKey, newJobRecord, requestHash } from '../jobs/job-requests.js';
import { toBatch } from '../jobs/serialize-batch.js';
import { toJobWithOutputs } from '../jobs/serialize-job.js';
import type { BatchRecord, JobRecord } from '../store/types.js';
import type { BffDeps } from './deps.js';

/**
 * What the agent decides per photo of a listing: redo it (a new job with the batch's style lock, a
 * new prompt or options, another variant; charged to the caller as one job) or leave it out of the
 * archive. Both change the batch: its items, counts, event stream and archive follow.
 */
export function batchItemRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  /** The batch if it belongs to the caller's subject (else the same 404 as a missing one), and the item's index, checked. */
  const ownItem = async (subject: string, id: string, rawIndex: string) => {
    const b = await d.store.getBatch(id);
    if (!b || b.subject !== subject) throw ApiError.notFound('batch');
    const index = /^\d{1,4}$/.test(rawIndex) ? Number(rawIndex) : -1;
    if (index < 0 || index >= b.items.length) {
      throw ApiError.validation([{ path: 'index', message: `must be the place of one of this batch's ${b.items.length} items: 0 to ${b.items.length - 1}` }], 'item');
    }
    return { b, index };
  };
  const withJobs = async (b: BatchRecord): Promise<BatchWithJobs> => {
    const jobs = (await Promise.all(b.items.map((i) => d.store.getJob(i.jobId)))).filter((j): j is JobRecord => j !== null);
    return { ...toBatch(b, jobs.map((j) => j.status), d.signer), jobs: await Promise.all(jobs.map((j) => toJobWithOutputs(d.store, j, d.signer, d.runner))) };
  };
  /** Tells the batch's event streams that an item changed (they re-read the batch); see batchRoutes' events. */
  const announce = (batchId: string, index: number) => d.events.publish(batchId, JSON.stringify({ item: index }), false);

  app.post('/v1/batches/:id/items/:index/redo', async (c) => {
    const { session } = c.get('auth');
    const key = idempotencyKey(c);
    const { b, index } = await ownItem(session.subject, c.req.param('id'), c.req.param('index'));
    const body = await jsonBody(c, RedoBatchItemRequest);
    const current = await d.store.getJob(b.items[index]!.jobId);
    if (!current) throw ApiError.notFound('batch');

    // The style lock is the item's current job: service, room, mask, resolution, options,
    // reference, variants. The body changes the prompt (empty: the config's own) and options.
    const request: CreateJobRequest = {
      service: current.service,
      config: current.config,
      upload_id: current.uploadId,
      resolution: current.resolution,
      prompt: body.prompt !== undefined ? body.prompt || undefined : (current.prompt ?? undefined),
      mask_upload_id: current.maskUploadId ?? undefined,
      reference_upload_id: current.referenceUploadId ?? undefined,
      options: { ...current.options, ...body.options },
      location: current.location ?? undefined,
      variants: current.variants,
      reference_id: current.referenceId ?? undefined,
      bracket_upload_ids: current.bracketUploadIds?.length ? current.bracketUploadIds : undefined,
    };
    // The calling session's scopes apply and it pays, whoever made the batch: a redo is new work.
    const checked = checkJobRequest(request, await d.catalog.service(current.service), session);
    const photo = await d.store.getUpload(current.uploadId);
    if (photo) checkAgainstPhoto(checked.service, checked.resolution, photo);
    const variation = (current.variation ?? 0) + (body.new_variant === false ? 0 : 1);
    const now = nowIso();
    const job: JobRecord = { ...newJobRecord(session, request, checked, now), batchId: b.id, ...(variation ? { variation } : {}) };
    const hash = requestHash({ batch_id: b.id, index, ...body });
    const result = await d.store.redoBatchItem(b.id, index, job, {
      maxCredits: session.maxCredits,
      idempotency: key ? { subject: session.subject, key, requestHash: hash, jobId: job.id, createdAt: now } : undefined,
    });
    switch (result.kind) {
      case 'exists':
        if (result.requestHash !== hash) {
          throw ApiError.idempotencyKeyReused('job', 'redo');
        }
        return c.json(await toJobWithOutputs(d.store, result.job, d.signer, d.runner), 200);
      case 'insufficient_credits':
        throw ApiError.insufficientCredits('This redo needs', checked.cost, result.used, session.maxCredits);
      case 'cancelled':
        throw new ApiError('invalid_state', 'This batch was cancelled: its photos cannot be redone. Start a new batch.', { status: 'cancelled' });
      case 'not_found':
        throw ApiError.notFound('batch');
      case 'created': {
        d.runner.enqueue(job.id, session.id);
        // Streams first drop the replaced job, so that its cancelling below never shows in the batch's counts.
        announce(b.id, index);
        // The job it replaced is no longer the item's: if it had not ended, it stops and its credits are released.
        const replaced = await d.store.getJob(result.replacedJobId);
        if (replaced && !isTerminal(replaced.status)) await cancelJob(d, replaced);
        return c.json(await toJobWithOutputs(d.store, result.job, d.signer, d.runner), 201);
      }
    }
  });

  app.patch('/v1/batches/:id/items/:index', async (c) => {
    const { session } = c.get('auth');
    const { b, index } = await ownItem(session.subject, c.req.param('id'), c.req.param('index'));
    const body = await jsonBody(c, UpdateBatchItemRequest);
    const updated = await d.store.setBatchItemExcluded(b.id, index, body.excluded);
    if (!updated) throw ApiError.notFound('batch');
    announce(b.id, index);
    return c.json(await withJobs(updated));
  });

  return app;
}
