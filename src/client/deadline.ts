import { abortError, type StagingError, StagingTimeoutError } from './errors.js';

/**
 * One attempt's signal: the caller's signal combined with a timer this attempt owns.
 * A plain AbortSignal.timeout() cannot be stopped or re-armed, and an event stream needs
 * both: the timer covers connecting, then either stops or becomes an idle timer.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #timer = new AbortController();
  #handle: ReturnType<typeof setTimeout> | undefined;
  #unlink: (() => void) | undefined;

  constructor(
    readonly caller: AbortSignal | undefined,
    ms: number,
  ) {
    if (!caller) this.signal = this.#timer.signal;
    else if (typeof AbortSignal.any === 'function') this.signal = AbortSignal.any([caller, this.#timer.signal]);
    else {
      // Safari before 17.4 and WPE WebKit 2.38 have no AbortSignal.any: the caller's abort is
      // forwarded to the timer's controller, and the listener removed when the attempt ends.
      const forward = () => this.#timer.abort(caller.reason);
      if (caller.aborted) forward();
      else {
        caller.addEventListener('abort', forward, { once: true });
        this.#unlink = () => caller.removeEventListener('abort', forward);
      }
      this.signal = this.#timer.signal;
    }
    this.arm(ms);
  }

  /** Restarts the timer; 0 or less stops it. */
  arm(ms: number): void {
    clearTimeout(this.#handle);
    this.#handle = ms > 0 && ms < Infinity ? setTimeout(() => this.#timer.abort(new DOMException('Timed out', 'TimeoutError')), ms) : undefined;
  }

  clear(): void {
    this.arm(0);
    this.#unlink?.();
    this.#unlink = undefined;
  }

  /** The typed error for an aborted attempt, or undefined when neither signal fired. */
  abortReason(): StagingError | undefined {
    if (this.caller?.aborted) return abortError(this.caller);
    if (this.#timer.signal.aborted) return new StagingTimeoutError();
    return undefined;
  }
}

/** Waits `ms`, rejecting at once with the typed abort error when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(handle);
      reject(abortError(signal!));
    };
    const handle = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles with `promise`, or rejects with the typed abort error as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
