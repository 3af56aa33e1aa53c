import type { ErrorCode, ValidationIssue } from '../contract/index.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  token_expired: 401,
  session_revoked: 401,
  insufficient_credits: 402,
  origin_not_allowed: 403,
  scope_denied: 403,
  dev_sessions_disabled: 403,
  not_found: 404,
  idempotency_key_reused: 409,
  invalid_state: 409,
  original_withdrawn: 410,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  image_too_large: 422,
  image_unreadable: 422,
  rate_limited: 429,
  webhook_rejected: 401,
  webhook_replayed: 409,
  internal_error: 500,
  server_misconfigured: 500,
  provider_error: 502,
  provider_unavailable: 503,
};

/**
 * An error with a documented code and a message a person can act on. `onError` turns it
 * into `{"error": {code, message, ...details}}`; nothing else reaches the client.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code] ?? 500;
  }

  static validation(issues: ValidationIssue[], what = 'request'): ApiError {
    const fields = issues.map((i) => i.path || '(root)').join(', ');
    return new ApiError('invalid_request', `The ${what} is invalid: check ${fields}.`, { issues });
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `No ${what} with that id exists for this session.`);
  }

  /** An Idempotency-Key already used with another body: `what` it made ("job"), `next` what a new key would make ("redo"). */
  static idempotencyKeyReused(what: string, next = what): ApiError {
    return new ApiError('idempotency_key_reused', `This Idempotency-Key was already used for a different ${what}. Use a new key for a new ${next}.`);
  }

  /**
   * The session's credits do not cover the request: `needs` starts the sentence ("This job
   * needs"), `used` is what the session has spent or holds, `after` ends it (" Nothing was started.").
   */
  static insufficientCredits(needs: string, required: number, used: number, maxCredits: number | null | undefined, after = ''): ApiError {
    const remaining = Math.max(0, (maxCredits ?? 0) - used);
    return new ApiError('insufficient_credits', `${needs} ${required} credits but only ${remaining} remain in this session.${after}`, {
      credits_required: required,
      credits_remaining: remaining,
    });
  }
}
