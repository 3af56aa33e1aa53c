/**
 * Detail of `staging-error`, which several elements fire. Declared once here so that every
 * element's `HTMLElementEventMap` agrees on one type (TypeScript refuses two different ones).
 */
export interface StagingErrorDetail {
  /** The contract's or the client's snake_case code (e.g. `network_error`, `unauthorized`). */
  code: string;
  /** A sentence a person can act on. */
  message: string;
  /** The tag of the element that fired it, e.g. `staging-picker`. */
  source?: string;
  /** The BFF's `X-Request-Id`, when an answer arrived: quote it to support. */
  requestId?: string;
}

declare global {
  interface HTMLElementEventMap {
    'staging-error': CustomEvent<StagingErrorDetail>;
  }
}
