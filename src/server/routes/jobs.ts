import { Hono } from 'hono';
import { CreateJobRequest, ListJobsQuery, type JobPage } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { jsonBody, parseWith } from '../http/validate.js';
import { nowIso } from '../ids.js';
import { cancelJob } from '../jobs/cancel-job.js';
import { checkAgainstPhoto, checkJobRequest, checkScopes } from '../jobs/check-job-request.js';
import { decodeCursor, encodeCursor, idempotencyKey, newJobRecord, requestHash } from '../jobs/job-requests.js';
import { toJobWithOutputs } from '../jobs/serialize-job.js';
import { JobAnswers } from '../jobs/job-answers.js';
import type { JobRecord } from '../store/types.js';
import type { BffDeps } from './deps.js';

export function jobRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  /** The job if it belongs to the caller's subject; otherwise the same 404 as a missing one. */
  const ownJob = async (subject: string, id: string) => {
    const job = await d.store.getJob(id);
    if (!job || job.subject !== subject) throw ApiError.notFound('job');
    return job;
  };
  const ownUpload = async (subject: string, id: string | undefined, field: string) => {
    if (!id) return null;
    const u = await d.store.getUpload(id);
    if (!u || u.subject !== subject) throw new ApiError('not_found', `No upload ${id} exists for this session (${field}).`, { field });
    return u;
  };
  const respond = (job: JobRecord) => toJobWithOutputs(d.store, job, d.signer, d.runner);

  app.post('/v1/jobs', async (c) => {
    const { session } = c.get('auth');
    const key = idempotencyKey(c);
    const body = await jsonBody(c, CreateJobRequest);
    const checked = checkJobRequest(body, await d.catalog.service(body.service), session);
    const photo = (await ownUpload(session.subject, body.upload_id, 'upload_id'))!;
    checkAgainstPhoto(checked.service, checked.resolution, photo);
    await ownUpload(session.subject, body.mask_upload_id, 'mask_upload_id');
    await ownUpload(session.subject, body.reference_upload_id, 'reference_upload_id');
    for (const [i, id] of (body.bracket_upload_ids ?? []).entries()) {
      const bracket = (await ownUpload(session.subject, id, `bracket_upload_ids.${i}`))!;
      // Exposures of one scene from one camera are the same size; anything else cannot be merged.
      if (bracket.width !== photo.width || bracket.height !== photo.height) {
        throw ApiError.validation([{ path: `bracket_upload_ids.${i}`, message: `is ${bracket.width}×${bracket.height}, but upload_id is ${photo.width}×${photo.height}: bracketed photos must be the same size` }], 'job');
      }
    }

    const now = nowIso();
    const job = newJobRecord(session, body, checked, now);
    const hash = requestHash(body);
    const result = await d.store.createJob(job, {
      maxCredits: session.maxCredits,
      idempotency: key ? { subject: session.subject, key, requestHash: hash, jobId: job.id, createdAt: now } : undefined,
    });
    if (result.kind === 'exists') {
      if (result.requestHash !== hash) {
        throw ApiError.idempotencyKeyReused('job');
      }
      return c.json(await respond(result.job), 200);
    }
    if (result.kind === 'insufficient_credits') {
      throw ApiError.insufficientCredits('This job needs', checked.cost, result.used, session.maxCredits);
    }
    d.runner.enqueue(job.id, job.sessionId);
    return c.json(await respond(result.job), 201);
  });

  app.get('/v1/jobs', async (c) => {
    const { session } = c.get('auth');
    const q = parseWith(ListJobsQuery, c.req.query(), 'query');
    const limit = q.limit ?? 20;
    const rows = await d.store.listJobs({
      subject: session.subject,
      status: q.status,
      limit: limit + 1,
      before: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const page = rows.slice(0, limit);
    const body: JobPage = {
      data: await Promise.all(page.map(respond)),
      next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    };
    return c.json(body);
  });

  // The read path: a job's answer is the same text for a second (see JobAnswers).
  const answers = new JobAnswers(d.store, d.signer, d.runner);
  app.get('/v1/jobs/:id', async (c) => {
    const job = await ownJob(c.get('auth').session.subject, c.req.param('id'));
    c.header('Content-Type', 'application/json');
    return c.body(await answers.json(job));
  });

  app.post('/v1/jobs/:id/cancel', async (c) => {
    const job = await ownJob(c.get('auth').session.subject, c.req.param('id'));
    const cancelled = await cancelJob(d, job);
    if (!cancelled) {
      // Cancelling twice is harmless; cancelling a finished job is a real conflict.
      if (job.status === 'cancelled') return c.json(await respond(job));
      throw new ApiError('invalid_state', `This job is already ${job.status} and cannot be cancelled.`, { status: job.status });
    }
    return c.json(await respond(cancelled));
  });

  app.post('/v1/jobs/:id/retry', async (c) => {
    const { session } = c.get('auth');
    const job = await ownJob(session.subject, c.req.param('id'));
    // The calling session's scopes apply and it pays, whoever created the job: a retry is new work.
    const service = await d.catalog.service(job.service);
    checkScopes(session, { id: job.service, name: service?.name ?? job.service }, job.resolution);
    const result = await d.store.retryJob(job.id, { sessionId: session.id, maxCredits: session.maxCredits, now: nowIso() });
    if (result.kind === 'not_found') throw ApiError.notFound('job');
    if (result.kind === 'invalid_state') {
      throw new ApiError('invalid_state', `Only failed or cancelled jobs can be retried; this one is ${result.job.status}.`, { status: result.job.status });
    }
    if (result.kind === 'insufficient_credits') {
      throw new ApiError('insufficient_credits', `Retrying needs ${job.cost} credits, more than remain in this session.`, {
        credits_required: job.cost,
        credits_remaining: Math.max(0, (session.maxCredits ?? 0) - result.used),
      });
    }
    await d.runner.publish(result.job);
    d.runner.enqueue(job.id, session.id);
    return c.json(await respond(result.job));
  });

  return app;
}
