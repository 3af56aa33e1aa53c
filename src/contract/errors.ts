import * as z from 'zod/mini';

/**
 * Every error code the BFF answers with. Clients switch on `code`, never on `message`
 * (messages are sentences for people and may change).
 */
export const ERROR_CODES = [
  'invalid_request', // 400: body, query or header failed validation; `issues` names the fields
  'invalid_json', // 400: the body is not JSON
  'unauthorized', // 401: missing, malformed or forged token / admin key
  'token_expired', // 401: the widget token is past `exp`: fetch a new one
  'session_revoked', // 401: the host revoked this session
  'origin_not_allowed', // 403: the request's Origin is not allowed for this token or BFF
  'scope_denied', // 403: the token does not allow this service / resolution
  'dev_sessions_disabled', // 403: /v1/dev/sessions without STAGING_DEV=1
  'insufficient_credits', // 402: the session's (or the provider account's) credits do not cover the job
  'not_found', // 404: no such resource for this subject
  'idempotency_key_reused', // 409: same Idempotency-Key, different body
  'original_withdrawn', // 410: the host withdrew this original's public page
  'invalid_state', // 409: e.g. cancelling a completed job, retrying a running one
  'request_timeout', // 408: the request body arrived too slowly or stalled (e.g. a trickling upload)
  'payload_too_large', // 413: upload or JSON body over the size limit
  'unsupported_media_type', // 415: not JPEG, PNG, WebP, GIF or HEIC (by magic bytes)
  'image_too_large', // 422: more pixels than the limit (decompression bomb guard)
  'image_unreadable', // 422: truncated or corrupt image
  'rate_limited', // 429: see Retry-After
  'webhook_rejected', // 401: a provider webhook with a bad, missing or stale signature
  'webhook_replayed', // 409: a provider webhook delivered before
  'provider_error', // 502: the provider failed
  'provider_unavailable', // 503: the provider is down or rate limiting us
  'server_misconfigured', // 500: e.g. the provider rejected our API key (never echoed)
  'internal_error', // 500
  // Job-level error codes (inside `job.error`, not HTTP answers)
  'job_interrupted', // the BFF restarted mid-job and the job could not be resumed
  'job_stalled', // the job passed its deadline
  'processing_failed', // the engine or provider could not process the image
  'brackets_mismatch', // the bracketed photos are not exposures of one scene (or cannot be aligned)
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

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
  'image_unreadable', // the provider could not decode the image
  'scope_denied', // the provider account's plan does not allow this service
  'job_interrupted', // the BFF restarted mid-job and the job could not be resumed
  'job_stalled', // the job passed its deadline, or waited too long in the queue
  'brackets_mismatch', // the bracketed photos are not exposures of one scene (or cannot be aligned)
] as const;

export const JobErrorCode = z.enum(JOB_ERROR_CODES);
export type JobErrorCode = z.infer<typeof JobErrorCode>;

export const isJobErrorCode = (code: string): code is JobErrorCode => (JOB_ERROR_CODES as readonly string[]).includes(code);

export const ValidationIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** `{"error": {"code", "message", ...details}}`: the one error shape of every non-2xx answer. */
export const ErrorBody = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    request_id: z.optional(z.string()),
    issues: z.optional(z.array(ValidationIssue)),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
