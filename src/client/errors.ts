import type { ValidationIssue } from '../contract/index.js';
import { loadSchemas } from './load-schemas.js';
import { parseRetryAfter } from './retry-after.js';

export interface StagingErrorInit {
  /** HTTP status, or 0 when no response arrived. */
  status?: number;
  code: string;
  message: string;
  requestId?: string | undefined;
  details?: Record<string, unknown>;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Base of every error the client throws. Switch on `code` (the contract's snake_case codes, or
 * the client's own: `network_error`, `timeout`, `aborted`, `invalid_response`), never on `message`.
 */
export class StagingError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown>;
  /** True when sending the same request again later may succeed. */
  readonly retryable: boolean;

  constructor(init: StagingErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status ?? 0;
    this.code = init.code;
    this.requestId = init.requestId;
    this.details = init.details ?? {};
    this.retryable = init.retryable ?? false;
  }
}

export interface StagingHttpErrorInit extends StagingErrorInit {
  issues?: ValidationIssue[] | undefined;
  retryAfterMs?: number | undefined;
}

/** A non-2xx answer. */
export class StagingHttpError extends StagingError {
  /** Field-level problems of a 400 `invalid_request`. */
  readonly issues: ValidationIssue[];
  /** From `Retry-After` (429, sometimes 503), in ms from when the answer arrived. */
  readonly retryAfterMs: number | undefined;

  constructor(init: StagingHttpErrorInit) {
    super(init);
    this.issues = init.issues ?? [];
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 401 and 403: the token is missing, expired, revoked, or lacks a scope or origin. */
export class StagingAuthError extends StagingHttpError {}

/** 429. */
export class StagingRateLimitError extends StagingHttpError {}

/** No answer arrived: offline, DNS, CORS refusal, connection reset. */
export class StagingNetworkError extends StagingError {
  constructor(message = 'The staging service could not be reached. Check the connection and try again.', cause?: unknown) {
    super({ code: 'network_error', message, retryable: true, cause });
  }
}

export class StagingTimeoutError extends StagingError {
  constructor(message = 'The staging service took too long to answer.', cause?: unknown) {
    super({ code: 'timeout', message, retryable: true, cause });
    // Same name as the DOMException an AbortSignal.timeout() raises, so generic checks keep working.
    this.name = 'TimeoutError';
  }
}

/** The caller aborted. `reason` is the signal's reason, untouched. */
export class StagingAbortError extends StagingError {
  readonly reason: unknown;
  constructor(reason: unknown) {
    super({ code: 'aborted', message: 'The request was aborted.', cause: reason });
    // Code that ignores cancellations tests `name === 'AbortError'`, as for fetch.
    this.name = 'AbortError';
    this.reason = reason;
  }
}

/** A 2xx answer that does not match the contract (a proxy page, an incompatible BFF version). */
export class StagingResponseError extends StagingError {
  readonly issues: ValidationIssue[];
  constructor(message: string, status: number, requestId: string | undefined, issues: ValidationIssue[] = [], cause?: unknown) {
    super({ status, code: 'invalid_response', message, requestId, cause });
    this.issues = issues;
  }
}

/**
 * The error for a caller's aborted signal. A caller's own `AbortSignal.timeout()` stays a
 * timeout; any other reason becomes a StagingAbortError carrying it.
 */
export function abortError(signal: AbortSignal): StagingError {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === 'TimeoutError' ? new StagingTimeoutError(undefined, reason) : new StagingAbortError(reason);
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Turns a non-2xx response into a typed error. Reads the body once; a body that is not the
 * documented error shape (a proxy's HTML 502, an empty 401) still yields a usable error.
 */
export async function errorFromResponse(res: Response): Promise<StagingHttpError> {
  const status = res.status;
  let text = '';
  try {
    text = await res.text();
  } catch {
    // The status alone is enough to classify the failure.
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // Without the schemas (their chunk did not load) the status alone still classifies the failure.
  const parsed = (await loadSchemas().catch(() => null))?.ErrorBody.safeParse(json) ?? { success: false as const };
  const headerId = res.headers.get('X-Request-Id') ?? undefined;
  let init: StagingHttpErrorInit;
  if (parsed.success) {
    const { code, message, request_id, issues, ...details } = parsed.data.error;
    init = { status, code, message, requestId: request_id ?? headerId, issues, details };
  } else {
    init = {
      status,
      code: status === 429 ? 'rate_limited' : status === 401 ? 'unauthorized' : 'http_error',
      message: `The staging service answered ${status}${res.statusText ? ` ${res.statusText}` : ''}.`,
      requestId: headerId,
      details: text ? { body: text.slice(0, 500) } : {},
    };
  }
  init.retryable = RETRYABLE_STATUS.has(status);
  init.retryAfterMs =
    parseRetryAfter(res.headers.get('Retry-After')) ??
    // Without Retry-After, the RateLimit-Reset delta says the same thing for a 429.
    (status === 429 ? parseRetryAfter(res.headers.get('RateLimit-Reset')) : undefined);
  if (status === 401 || status === 403) return new StagingAuthError(init);
  if (status === 429) return new StagingRateLimitError(init);
  return new StagingHttpError(init);
}
