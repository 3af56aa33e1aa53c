import { msg } from './locale.js';

/**
 * What an element tells the person when a request fails, by the error's code: a sentence that
 * says what they can do, in the element's locale. The error's own message (the BFF's or the
 * browser's, often technical, never translated) stays in `staging-error` for the host's
 * developers and is never shown. One table for every element, so the same failure reads the
 * same everywhere.
 */
const BY_CODE: Record<string, string> = {
  get token_refused() { return msg('Your sign-in has expired. Sign in again, or reload the page.', { id: 'error.token_refused' }); },
  get token_unavailable() { return msg('The staging tool could not start. Reload the page, or try again in a minute.', { id: 'error.token_unavailable' }); },
  get unauthorized() { return msg('Your sign-in has expired. Reload the page to continue.', { id: 'error.unauthorized' }); },
  get token_expired() { return BY_CODE.unauthorized!; },
  get session_revoked() { return msg('This session has ended. Reload the page to continue.', { id: 'error.session_revoked' }); },
  get network_error() { return msg('The connection was lost. Check it and try again.', { id: 'error.network_error' }); },
  get timeout() { return msg('This is taking too long. Check the connection and try again.', { id: 'error.timeout' }); },
  get rate_limited() { return msg('Too many tries at once. Wait a moment, then try again.', { id: 'error.rate_limited' }); },
  get provider_unavailable() { return msg('The staging service is busy. Try again in a minute.', { id: 'error.provider_unavailable' }); },
  get provider_error() { return msg('The staging service had a problem. Try again in a minute.', { id: 'error.provider_error' }); },
  get load_failed() { return msg('This step could not be loaded. Check the connection and try again.', { id: 'error.load_failed' }); },
};

/** Adds sentences for more codes (getters, read at render time). */
export function addErrorTexts(more: Record<string, string>): void {
  Object.defineProperties(BY_CODE, Object.getOwnPropertyDescriptors(more));
}

export const genericErrorText = (): string => msg('Something went wrong. Try again; if it keeps happening, reload the page.', { id: 'error.generic' });

/**
 * The sentence to show for an error code. `overrides` lets an element say what a code means
 * for what it was doing (a job-progress `invalid_state` on Cancel: "it has already finished").
 */
export function errorText(code: string, overrides: Readonly<Record<string, string>> = {}): string {
  if (Object.hasOwn(overrides, code)) return overrides[code]!;
  return Object.hasOwn(BY_CODE, code) ? BY_CODE[code]! : genericErrorText();
}
