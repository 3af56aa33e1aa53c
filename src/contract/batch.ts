import * as z from 'zod/mini';
import { idOf, pageOf, pure, Resolution, Timestamp } from './common.js';
import { CreateJobRequest, Job, JobId, OptionValue } from './job.js';
import { UploadId } from './upload.js';

export const BatchId = idOf('bat');

/** Most photos a batch may hold by the schema; the BFF's own limit (STAGING_BATCH_MAX_ITEMS, default 60) is checked after. */
export const BATCH_ITEMS_HARD_LIMIT = 500;

const Options = () => z.record(z.string().check(z.maxLength(64)), OptionValue);

/** One photo of a batch: its upload, and what it may set for itself (its room, mask, prompt). */
export const CreateBatchItem = pure(() =>
  z.strictObject({
    upload_id: UploadId,
    config: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    mask_upload_id: z.optional(UploadId),
    prompt: z.optional(z.string().check(z.maxLength(2000))),
    options: z.optional(Options()),
  }),
);

/**
 * `POST /v1/batches`: a whole listing at once. The shared fields are the style lock: every item gets
 * the same service, config, options, prompt and reference image unless it sets its own config
 * (its room), mask, prompt or options. Send an `Idempotency-Key` header, as for jobs.
 */
export const CreateBatchRequest = pure(() =>
  z.strictObject({
    service: z.string().check(z.minLength(1), z.maxLength(64)),
    config: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    resolution: z.optional(Resolution),
    prompt: z.optional(z.string().check(z.maxLength(2000))),
    options: z.optional(Options()),
    reference_upload_id: z.optional(UploadId),
    variants: z.optional(z.int().check(z.minimum(1), z.maximum(8))),
    reference_id: z.optional(z.string().check(z.maxLength(255))),
    items: z.array(CreateBatchItem).check(z.minLength(1), z.maxLength(BATCH_ITEMS_HARD_LIMIT)),
  }),
);
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

export const BATCH_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export const BatchStatus = pure(() => z.enum(BATCH_STATUSES));
export type BatchStatus = z.infer<typeof BatchStatus>;

/** How many of the batch's jobs are in each state. */
export const BatchCounts = pure(() =>
  z.object({
    pending: z.int(),
    processing: z.int(),
    completed: z.int(),
    failed: z.int(),
    cancelled: z.int(),
  }),
);
export type BatchCounts = z.infer<typeof BatchCounts>;

/**
 * `POST /v1/batches/:id/items/:index/redo`: one more job for that photo, with the batch's style lock
 * (service, the item's config and mask, resolution, options, reference image, variants) and what is
 * set here on top: a new `prompt` (replaces the item's), `options` (merged over the item's), and
 * `new_variant` (default true: a new seed or variation where the engine has one; false keeps the
 * earlier one, for a change of prompt or options alone). Charged to the caller as one job; send an
 * `Idempotency-Key` header, as for jobs.
 */
export const RedoBatchItemRequest = pure(() =>
  z.strictObject({
    prompt: CreateJobRequest.shape.prompt,
    options: CreateJobRequest.shape.options,
    new_variant: z.optional(z.boolean()),
  }),
);
export type RedoBatchItemRequest = z.infer<typeof RedoBatchItemRequest>;

/** `PATCH /v1/batches/:id/items/:index`: the agent's decision on one photo; an excluded one is left out of the archive. */
export const UpdateBatchItemRequest = pure(() => z.strictObject({ excluded: z.boolean() }));
export type UpdateBatchItemRequest = z.infer<typeof UpdateBatchItemRequest>;

// Response schemas are built in pure() too, so that the first screen's bundle leaves them out until a client parses batches.
/** One photo of a batch: its current job (the latest redo's, if any) and the agent's decision. */
export const BatchItem = pure(() =>
  z.object({
    upload_id: UploadId,
    job_id: JobId,
    /** The item's earlier jobs, oldest first: each redo moves the current one here. */
    previous_job_ids: z.array(JobId),
    /** Left out of the archive (`PATCH …/items/:index`); false unless the agent excluded it. */
    excluded: z.boolean(),
  }),
);
export type BatchItem = z.infer<typeof BatchItem>;

export const Batch = pure(() =>
  z.object({
    id: BatchId,
    /** `running` until every job has ended; then `completed` when any has outputs, else `failed`; `cancelled` once cancelled. */
    status: BatchStatus,
    service: z.string(),
    config: z.nullable(z.string()),
    resolution: Resolution,
    prompt: z.nullable(z.string()),
    options: z.record(z.string(), OptionValue),
    variants: z.int(),
    reference_upload_id: z.nullable(UploadId),
    reference_id: z.nullable(z.string()),
    items: z.array(BatchItem),
    counts: BatchCounts,
    /** Credits held for the whole batch when it was created. */
    credits_required: z.number(),
    created_at: Timestamp,
    /**
     * A signed, expiring link to a ZIP of the outputs of every item's current job, excluded items left out
     * (and a manifest.json), once the batch's current jobs have ended with outputs.
     */
    archive_url: z.nullable(z.string()),
  }),
);
export type Batch = z.infer<typeof Batch>;

/** `GET /v1/batches/:id`: the batch and its items' current jobs, in item order. */
export const BatchWithJobs = pure(() => z.object({ ...Batch.shape, jobs: z.array(Job) }));
export type BatchWithJobs = z.infer<typeof BatchWithJobs>;

export const BatchPage = pure(() => pageOf(Batch));
export type BatchPage = z.infer<typeof BatchPage>;
