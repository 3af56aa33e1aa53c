/**
 * The contract's plain values: no zod here, so that code which needs only these (the first
 * screen of the one-tag script) does not carry the schemas. Re-exported by `./index.ts`.
 */

/** Output resolutions: `2K` is a 2048 px long side, `4K` a 3840 px long side. */
export const RESOLUTIONS = ['2K', '4K'] as const;
type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_LONG_SIDE: Record<Resolution, number> = { '2K': 2048, '4K': 3840 };

/** Orders resolutions so a session's `max_resolution` can be compared against a request. */
export const RESOLUTION_RANK: Record<Resolution, number> = { '2K': 1, '4K': 2 };

export const JOB_STATUSES = ['pending', 'compressing', 'processing', 'completed', 'failed', 'cancelled'] as const;
type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

/**
 * Every code a failed job's `error.code` carries (`job.error`, not an HTTP answer): a client
 * switches on these, never on the message. A newer BFF may add codes: treat an unknown one as
 * a general failure (`isJobErrorCode` tells them apart).
 */
export const JOB_ERROR_CODES = [
  'processing_failed', // the engine or provider could not process the image
  'provider_error', // the provider failed or answered something unreadable
  'provider_unavailable', // the provider is down or rate limiting us
  'insufficient_credits', // the provider account ran out of credits
  'server_misconfigured', // e.g. the provider refused our API key
  'invalid_request', // the provider refused the job's inputs (e.g. a missing reference image)
  'image_too_large', // the provider refused the image's size
  'job_interrupted', // the BFF restarted mid-job and the job could not be resumed
  'job_stalled', // the job passed its deadline, or waited too long in the queue
] as const;
type JobErrorCodeValue = (typeof JOB_ERROR_CODES)[number];

export const isJobErrorCode = (code: string): code is JobErrorCodeValue => (JOB_ERROR_CODES as readonly string[]).includes(code);
