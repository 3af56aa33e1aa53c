import { StagingError } from '../../client/index.js';

/** The tag of one of this package's elements. */
export type StagingTag = `staging-${string}`;

/**
 * Detail of `staging-error`, which several elements fire: one type, so that every element's
 * `HTMLElementEventMap` agrees (TypeScript refuses two different ones). Built by `errorDetail`.
 *
 * It is for the host page's developers: the element itself shows the person a sentence of its
 * own, chosen by `code` (see `error-text.ts`), never `message`.
 */
export interface StagingErrorDetail {
  /**
   * What went wrong, in snake_case: the contract's codes (`unauthorized`, `insufficient_credits`…),
   * the client's (`network_error`, `timeout`, `invalid_response`), the token manager's
   * (`token_refused`, `token_unavailable`), or an element's own (`not_found`, `not_configured`,
   * `load_failed`, and `unexpected` for a failure that is none of these).
   */
  code: string;
  /** The error's own sentence, as it arrived (the BFF's, the client's or the browser's): for logs. */
  message: string;
  /** The tag of the element that fired it, e.g. `staging-picker`. */
  source: StagingTag;
  /** What that element was doing, when it does several things: the widget's `upload`, `catalog`, `job`… */
  step?: string;
  /** The BFF's `X-Request-Id`, when an answer arrived: quote it to support. */
  requestId?: string;
}

/** A request the element (or the person) called off: nothing to report. */
export function isAbort(error: unknown): boolean {
  return (error instanceof StagingError && error.code === 'aborted') || (error instanceof DOMException && error.name === 'AbortError');
}

/**
 * The one way to build a `staging-error` detail. `error` is what was caught: a `StagingError`
 * keeps its code and request id, anything else is `unexpected`. A failure the element finds
 * itself is a `new StagingError({ code, message })`.
 */
export function errorDetail(source: StagingTag, error: unknown, step?: string): StagingErrorDetail {
  const known = error instanceof StagingError;
  const detail: StagingErrorDetail = {
    code: known ? error.code : 'unexpected',
    message: error instanceof Error && error.message ? error.message : String(error),
    source,
  };
  if (step) detail.step = step;
  if (known && error.requestId) detail.requestId = error.requestId;
  return detail;
}

declare global {
  interface HTMLElementEventMap {
    'staging-error': CustomEvent<StagingErrorDetail>;
  }
}
