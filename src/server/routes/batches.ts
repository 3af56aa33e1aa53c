import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import {
  CreateBatchRequest,
  ListJobsQuery,
  isTerminal,
  type BatchPage,
  type BatchWithJobs,
  type CreateJobRequest,
  type Job,
  type JobStatus,
  type ValidationIssue,
} from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { jsonBody, parseWith } from '../http/validate.js';
import { newId, nowIso } from '../ids.js';
import { cancelJob } from '../jobs/cancel-job.js';
import { checkAgainstPhoto, checkJobRequest } from '../jobs/check-job-request.js';
import { decodeCursor, encodeCursor, idempotencyKey, newJobRecord, requestHash } from '../jobs/job-requests.js';
import { toBatch } from '../jobs/serialize-batch.js';
import { toDisclosure, toJobWithOutputs } from '../jobs/serialize-job.js';
import type { BatchRecord, JobRecord, SessionRecord } from '../store/types.js';
import type { BffDeps } from './deps.js';
import { StreamWaker } from './stream-waker.js';

/**
 * Batches: a whole listing in one request. Every item becomes a job, checked like `POST /v1/jobs`
 * (a 400 names the item), the credits of all of them are held at once or the batch is refused, and
 * the jobs go to the fair queue, so one listing does not hold up other sessions.
 */
export function batchRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  const ownBatch = async (subject: string, id: string) => {
    const b = await d.store.getBatch(id);
    if (!b || b.subject !== subject) throw ApiError.notFound('batch');
    return b;
  };
  const jobsOf = async (b: BatchRecord) => (await Promise.all(b.items.map((i) => d.store.getJob(i.jobId)))).filter((j): j is JobRecord => j !== null);
  const statusesOf = (jobs: JobRecord[]) => jobs.map((j) => j.status);
  const jobJson = (j: JobRecord): Promise<Job> => toJobWithOutputs(d.store, j, d.signer, d.runner);
  const withJobs = async (b: BatchRecord): Promise<BatchWithJobs> => {
    const jobs = await jobsOf(b);
    return { ...toBatch(b, statusesOf(jobs), d.signer), jobs: await Promise.all(jobs.map(jobJson)) };
  };

  app.post('/v1/batches', async (c) => {
    const { session } = c.get('auth');
    const key = idempotencyKey(c);
    const body = await jsonBody(c, CreateBatchRequest);
    if (body.items.length > d.batchMaxItems) {
      throw ApiError.validation([{ path: 'items', message: `allows at most ${d.batchMaxItems} photos per batch` }], 'batch');
    }
    const now = nowIso();
    const batchId = newId('bat');
    const jobs = await jobsForItems(d, session, body, now, batchId);
    const batch: BatchRecord = {
      id: batchId,
      subject: session.subject,
      sessionId: session.id,
      service: body.service,
      config: body.config ?? null,
      resolution: jobs[0]!.resolution,
      prompt: body.prompt ?? null,
      options: body.options ?? {},
      variants: jobs[0]!.variants,
      referenceUploadId: body.reference_upload_id ?? null,
      referenceId: body.reference_id ?? null,
      items: jobs.map((j) => ({ uploadId: j.uploadId, jobId: j.id })),
      creditsRequired: jobs.reduce((n, j) => n + j.creditsCharged, 0),
      cancelledAt: null,
      createdAt: now,
    };
    const hash = requestHash(body);
    const result = await d.store.createBatch(batch, jobs, { maxCredits: session.maxCredits, idempotency: key ? { key, requestHash: hash } : undefined });
    if (result.kind === 'exists') {
      if (result.requestHash !== hash) {
        throw ApiError.idempotencyKeyReused('batch');
      }
      return c.json(await withJobs(result.batch), 200);
    }
    if (result.kind === 'insufficient_credits') {
      throw ApiError.insufficientCredits(`These ${jobs.length} photos need`, batch.creditsRequired, result.used, session.maxCredits, ' Nothing was started.');
    }
    for (const j of jobs) d.runner.enqueue(j.id, session.id);
    return c.json(await withJobs(batch), 201);
  });

  app.get('/v1/batches', async (c) => {
    const { session } = c.get('auth');
    const q = parseWith(ListJobsQuery, c.req.query(), 'query');
    if (q.status) throw ApiError.validation([{ path: 'status', message: 'is not a filter of batches' }], 'query');
    const limit = q.limit ?? 20;
    const rows = await d.store.listBatches({ subject: session.subject, limit: limit + 1, before: q.cursor ? decodeCursor(q.cursor) : undefined });
    const page = rows.slice(0, limit);
    const body: BatchPage = {
      data: await Promise.all(page.map(async (b) => toBatch(b, statusesOf(await jobsOf(b)), d.signer))),
      next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    };
    return c.json(body);
  });

  app.get('/v1/batches/:id', async (c) => c.json(await withJobs(await ownBatch(c.get('auth').session.subject, c.req.param('id')))));

  app.post('/v1/batches/:id/cancel', async (c) => {
    const b = await ownBatch(c.get('auth').session.subject, c.req.param('id'));
    await d.store.cancelBatch(b.id, nowIso());
    for (const j of await jobsOf(b)) if (!isTerminal(j.status)) await cancelJob(d, j);
    return c.json(await withJobs((await d.store.getBatch(b.id))!));
  });

  // One stream for the whole listing: `event: job` for every change of an item's current job, `event: batch` with the counts
  // after each, the end after the last current job ends. A redo or an exclusion (announced on the batch's own id, see
  // batch-items.ts) makes it re-read the batch: a redo's new job is then followed, and sent at once.
  app.get('/v1/batches/:id/events', async (c) => {
    const { session } = c.get('auth');
    const first = await ownBatch(session.subject, c.req.param('id'));
    c.header('X-Accel-Buffering', 'no');
    const release = d.streams.acquire(session.id);
    return streamSSE(c, async (stream) => {
      const statuses = new Map<string, JobStatus>();
      const pending: string[] = [];
      const waker = new StreamWaker();
      let changed = false;
      const subscriptions = new Map<string, () => void>();
      const follow = (jobId: string) => {
        if (subscriptions.has(jobId)) return;
        subscriptions.set(
          jobId,
          d.events.subscribe(jobId, (payload) => {
            pending.push(payload);
            waker.wake();
          }),
        );
      };
      // Subscribe first, then read, so that no change falls between the two.
      const unannounce = d.events.subscribe(first.id, () => {
        changed = true;
        waker.wake();
      });
      stream.onAbort(() => waker.wake());
      let b = first;
      /** Re-reads the batch: follows each item's current job (sending the ones new to this stream), drops replaced ones. True when it sent any. */
      const refresh = async (): Promise<boolean> => {
        b = (await d.store.getBatch(first.id)) ?? b;
        const current = new Set(b.items.map((i) => i.jobId));
        for (const [id, unsubscribe] of subscriptions) {
          if (current.has(id)) continue;
          unsubscribe();
          subscriptions.delete(id);
          statuses.delete(id);
        }
        const fresh = b.items.map((i) => i.jobId).filter((id) => !statuses.has(id));
        for (const id of fresh) follow(id);
        for (const j of await jobsOf({ ...b, items: b.items.filter((i) => fresh.includes(i.jobId)) })) {
          statuses.set(j.id, j.status);
          await stream.writeSSE({ event: 'job', data: JSON.stringify(await jobJson(j)) });
        }
        return fresh.length > 0;
      };
      try {
        const batchEvent = () => JSON.stringify(toBatch(b, b.items.map((i) => statuses.get(i.jobId) ?? 'pending'), d.signer));
        await refresh();
        let sent = batchEvent();
        await stream.writeSSE({ event: 'batch', data: sent, retry: 2000 });
        while (!stream.aborted && [...statuses.values()].some((s) => !isTerminal(s))) {
          if (pending.length === 0 && !changed) {
            const timedOut = await waker.sleep(d.heartbeatMs);
            if (timedOut && !stream.aborted) {
              await stream.write(': heartbeat\n\n');
              // An announcement from another instance may have been published before this one's subscription was live.
              changed = true;
            }
            continue;
          }
          let wrote = false;
          if (changed) {
            changed = false;
            wrote = await refresh();
          }
          // Several changes of one job since the last write: only its newest state matters.
          const newest = new Map<string, string>();
          for (const payload of pending.splice(0)) newest.set((JSON.parse(payload) as Job).id, payload);
          for (const [id, payload] of newest) {
            if (!statuses.has(id)) continue; // a replaced job's late change
            statuses.set(id, (JSON.parse(payload) as Job).status);
            await stream.writeSSE({ event: 'job', data: payload });
            wrote = true;
          }
          // After job changes, and when the batch itself changed (an item redone or excluded); not for a quiet re-read.
          const next = batchEvent();
          if (wrote || next !== sent) await stream.writeSSE({ event: 'batch', data: (sent = next) });
        }
      } finally {
        unannounce();
        for (const u of subscriptions.values()) u();
        release();
      }
    });
  });

  // The ZIP of every kept output, behind a signed link (a plain download): streamed while it is written.
  app.get('/v1/batches/:id/archive', async (c) => {
    d.tokens.verifyPath(c.req.path, c.req.query('expires'), c.req.query('sig'));
    const b = await d.store.getBatch(c.req.param('id'));
    if (!b) throw ApiError.notFound('batch');
    const zip = new ZipFile();
    const manifest: unknown[] = [];
    // Each item's current job (its latest redo's); an item the agent excluded is left out, its number kept by the others.
    for (const [index, item] of b.items.entries()) {
      if (item.excluded) continue;
      const job = await d.store.getJob(item.jobId);
      if (job?.status !== 'completed') continue;
      const outputs = await d.store.listOutputs(job.id);
      for (const [variant, o] of outputs.entries()) {
        const ext = o.contentType === 'image/png' ? 'png' : o.contentType === 'image/webp' ? 'webp' : 'jpg';
        const name = `${String(index + 1).padStart(2, '0')}-${slug(job.config)}${outputs.length > 1 ? `-${variant + 1}` : ''}.${ext}`;
        // The copy to publish: with its label when the disclosure profile burns one in.
        const key = o.disclosure?.publishedBlobKey ?? o.blobKey;
        // JPEG and PNG are compressed already: stored, not deflated again.
        zip.addReadStreamLazy(name, { compress: false, mtime: new Date(o.createdAt) }, (cb) => {
          const file = d.blobs.nodeStream(key);
          // A file that cannot be read (gone from the data dir) ends the download, logged, instead
          // of an unhandled stream error taking the process down.
          file.on('error', (err) => {
            d.logger.error('batch archive: a file could not be read', { batch: b.id, output: o.id, error: err.message });
            (zip.outputStream as Readable).destroy(err);
          });
          cb(null, file);
        });
        // What publishing each file takes, without the expiring link (the file is beside it).
        const { published_url: _link, ...disclosure } = toDisclosure(o, job, d.signer);
        manifest.push({ file: name, item: index + 1, original_upload_id: job.uploadId, job_id: job.id, output_id: o.id, config: job.config, width: o.width, height: o.height, local_preview: o.localPreview, disclosure });
      }
    }
    const excluded = b.items.flatMap((i, index) => (i.excluded ? [index + 1] : []));
    zip.addBuffer(Buffer.from(`${JSON.stringify({ batch_id: b.id, service: b.service, created_at: b.createdAt, excluded_items: excluded, files: manifest }, null, 2)}\n`), 'manifest.json');
    zip.end();
    return c.body(Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="listing-${b.id}.zip"`,
      'Cache-Control': 'private, no-store',
      'Access-Control-Allow-Origin': '*',
    });
  });

  return app;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'photo';

/** One job per item, each checked like a single job; any problem is a 400 naming the item. */
async function jobsForItems(d: BffDeps, session: SessionRecord, body: CreateBatchRequest, now: string, batchId: string): Promise<JobRecord[]> {
  const service = await d.catalog.service(body.service);
  if (!service) throw ApiError.validation([{ path: 'service', message: `unknown service "${body.service}"` }], 'batch');
  const owns = async (id: string | undefined, path: string) => {
    if (!id) return;
    const u = await d.store.getUpload(id);
    if (!u || u.subject !== session.subject) throw new ApiError('not_found', `No upload ${id} exists for this session (${path}).`, { field: path });
  };
  await owns(body.reference_upload_id, 'reference_upload_id');
  const jobs: JobRecord[] = [];
  const issues: ValidationIssue[] = [];
  for (const [i, item] of body.items.entries()) {
    const config = item.config ?? body.config;
    if (!config) {
      issues.push({ path: `items.${i}.config`, message: 'is required: set config on the batch or on the item' });
      continue;
    }
    const request: CreateJobRequest = {
      service: body.service,
      config,
      upload_id: item.upload_id,
      resolution: body.resolution,
      prompt: item.prompt ?? body.prompt,
      mask_upload_id: item.mask_upload_id,
      reference_upload_id: body.reference_upload_id,
      options: body.options || item.options ? { ...body.options, ...item.options } : undefined,
      variants: body.variants,
      reference_id: body.reference_id,
    };
    try {
      const checked = checkJobRequest(request, service, session);
      const photo = await d.store.getUpload(item.upload_id);
      if (photo && photo.subject === session.subject) checkAgainstPhoto(service, checked.resolution, photo, 'resolution');
      jobs.push({ ...newJobRecord(session, request, checked, now), batchId });
    } catch (err) {
      const itemIssues = err instanceof ApiError ? (err.details.issues as ValidationIssue[] | undefined) : undefined;
      if (!itemIssues) throw err; // a scope refusal is the same for every item
      issues.push(...itemIssues.map((x) => ({ path: `items.${i}.${x.path}`, message: x.message })));
    }
    await owns(item.upload_id, `items.${i}.upload_id`);
    await owns(item.mask_upload_id, `items.${i}.mask_upload_id`);
  }
  if (issues.length > 0) throw ApiError.validation(issues, 'batch');
  return jobs;
}
