import * as z from 'zod/mini';
import { idOf, pageOf, pure, Resolution, Timestamp } from './common.js';
import { UploadId } from './upload.js';
import { EditClass, OutputDisclosure } from './disclosure.js';
import { JOB_STATUSES } from './constants.js';

export const JobId = idOf('job');
export const OutputId = idOf('out');

export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

export const OptionValue = z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]);

export const Location = pure(() =>
  z.strictObject({
    description: z.optional(z.string().check(z.maxLength(500))),
    city: z.optional(z.string().check(z.maxLength(200))),
    region: z.optional(z.string().check(z.maxLength(200))),
    country: z.optional(z.string().check(z.maxLength(200))),
    latitude: z.optional(z.number().check(z.minimum(-90), z.maximum(90))),
    longitude: z.optional(z.number().check(z.minimum(-180), z.maximum(180))),
  }),
);
export type Location = z.infer<typeof Location>;

/** `POST /v1/jobs` body. Send an `Idempotency-Key` header so a retried request never makes two jobs. */
export const CreateJobRequest = pure(() =>
  z.strictObject({
    service: z.string().check(z.minLength(1), z.maxLength(64)),
    config: z.string().check(z.minLength(1), z.maxLength(64)),
    upload_id: UploadId,
    resolution: z.optional(Resolution),
    prompt: z.optional(z.string().check(z.maxLength(2000))),
    mask_upload_id: z.optional(UploadId),
    reference_upload_id: z.optional(UploadId),
    options: z.optional(z.record(z.string().check(z.maxLength(64)), OptionValue)),
    location: z.optional(Location),
    variants: z.optional(z.int().check(z.minimum(1), z.maximum(8))),
    reference_id: z.optional(z.string().check(z.maxLength(255))),
    /** For services that merge bracketed exposures (`inputs.brackets`): the other exposures of the scene `upload_id` shows, same size. */
    bracket_upload_ids: z.optional(z.array(UploadId).check(z.minLength(1), z.maxLength(6))),
  }),
);
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

/**
 * The codes an output's note can carry, so that clients show their own sentence by code (the
 * widget does): straightening's verdicts so far. `message` is the BFF's English sentence, for
 * developers and logs. Clients must ignore a code they do not know.
 */
export const OUTPUT_NOTE_CODES = [
  'no_reliable_lines', // no clear verticals to straighten by: the geometry was left as it was
  'already_straight', // nothing to correct
  'tilt_too_large', // the lines lean too far for a camera tilt, or the crop would be too tight: left as it was
  'partly_straightened', // `auto` corrected a strong tilt only in part
] as const;
export type OutputNoteCode = (typeof OUTPUT_NOTE_CODES)[number];

/**
 * Something the person should know about an output, in a sentence they can act on, with a
 * stable code for programs (one of `OUTPUT_NOTE_CODES`): e.g. `no_reliable_lines` when
 * straightening found nothing to straighten by and returned the photo's geometry as it was.
 */
export const OutputNote = z.object({
  code: z.string(),
  message: z.string(),
});
export type OutputNote = z.infer<typeof OutputNote>;

export const JobOutput = z.object({
  id: OutputId,
  /** Signed, expiring URL; works in a plain `<img src>`. Re-read the job for a fresh one. */
  url: z.string(),
  width: z.int(),
  height: z.int(),
  content_type: z.string(),
  /** True when the engine could not perform the service and this is only a graded preview. */
  local_preview: z.boolean(),
  /** A heat map (PNG, transparent where nothing changed) of what this output changed in the photo: lay it over the output. Signed like `url`. */
  changes_url: z.string(),
  /** What publishing this output takes under the session's disclosure profile. */
  disclosure: OutputDisclosure,
  /** Present when the engine has something to say about this output (see `OutputNote`). */
  note: z.optional(OutputNote),
});
export type JobOutput = z.infer<typeof JobOutput>;

export const JobError = z.object({
  /**
   * One of `JOB_ERROR_CODES` (type `JobErrorCode`). Read as a string so that a code a newer BFF
   * adds does not make the whole job unreadable: `isJobErrorCode` narrows it.
   */
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type JobError = z.infer<typeof JobError>;

export const Job = z.object({
  id: JobId,
  status: JobStatus,
  service: z.string(),
  config: z.string(),
  resolution: Resolution,
  /** The service's edit class (see `Service.edit_class`). */
  edit_class: EditClass,
  prompt: z.nullable(z.string()),
  reference_id: z.nullable(z.string()),
  upload_id: UploadId,
  mask_upload_id: z.nullable(UploadId),
  reference_upload_id: z.nullable(UploadId),
  /** The other bracketed exposures merged with `upload_id` (empty for other services). */
  bracket_upload_ids: z.array(UploadId),
  options: z.record(z.string(), OptionValue),
  variants: z.int(),
  credits_charged: z.number(),
  created_at: Timestamp,
  updated_at: Timestamp,
  /** 0 to 1. */
  progress: z.number().check(z.minimum(0), z.maximum(1)),
  outputs: z.array(JobOutput),
  error: z.nullable(JobError),
  /**
   * While the job is `pending` in the BFF's queue: its place in its session's line (1 = the next of
   * this session's jobs to start). Absent or null once it runs, and on an answer from an instance
   * that does not hold the job's queue.
   */
  queue_position: z.optional(z.nullable(z.int().check(z.minimum(1)))),
});
export type Job = z.infer<typeof Job>;

export const JobPage = pageOf(Job);
export type JobPage = z.infer<typeof JobPage>;

/** `GET /v1/jobs` query. */
export const ListJobsQuery = pure(() =>
  z.strictObject({
    status: z.optional(JobStatus),
    limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number)).check(z.refine((n: number) => n >= 1 && n <= 100, 'limit must be 1 to 100'))),
    cursor: z.optional(z.string().check(z.maxLength(200))),
  }),
);
export type ListJobsQuery = z.infer<typeof ListJobsQuery>;

/** `POST /v1/outputs/:id/select`: the person chose this output ("Use this image"); the host hears it by webhook. */
export const OutputSelection = pure(() =>
  z.object({
    output_id: OutputId,
    job_id: JobId,
    selected_at: Timestamp,
  }),
);
export type OutputSelection = z.infer<typeof OutputSelection>;
