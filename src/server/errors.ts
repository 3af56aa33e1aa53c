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
}
