/**
 * What an element tells the person when a request fails, by the error's code: a sentence that
 * says what they can do. The error's own message (the BFF's or the browser's, often technical,
 * never translated) stays in `staging-error` for the host's developers and is never shown.
 * One table for every element, so the same failure reads the same everywhere.
 */
const BY_CODE: Record<string, string> = {
  token_refused: 'Your sign-in has expired. Sign in again, or reload the page.',
  token_unavailable: 'The staging tool could not start. Reload the page, or try again in a minute.',
  unauthorized: 'Your sign-in has expired. Reload the page to continue.',
  token_expired: 'Your sign-in has expired. Reload the page to continue.',
  session_revoked: 'This session has ended. Reload the page to continue.',
  network_error: 'The connection was lost. Check it and try again.',
  timeout: 'This is taking too long. Check the connection and try again.',
  rate_limited: 'Too many tries at once. Wait a moment, then try again.',
  insufficient_credits: 'There are not enough credits left for this. Choose a smaller size, or ask for more credits.',
  scope_denied: 'This option is not available to you. Choose another.',
  payload_too_large: 'This photo is too large. Choose a smaller one.',
  unsupported_media_type: 'This kind of file cannot be used. Choose a JPEG, PNG, WebP or HEIC photo.',
  image_unreadable: 'This photo could not be read. It may be damaged: choose another.',
  image_too_large: 'This photo has too many pixels. Choose a smaller one.',
  provider_unavailable: 'The staging service is busy. Try again in a minute.',
  provider_error: 'The staging service had a problem. Try again in a minute.',
  load_failed: 'This step could not be loaded. Check the connection and try again.',
  not_configured: 'This is not connected to the staging service yet. Tell the site’s owner.',
};

export const GENERIC_ERROR_TEXT = 'Something went wrong. Try again; if it keeps happening, reload the page.';

/**
 * The sentence to show for an error code. `overrides` lets an element say what a code means
 * for what it was doing (a job-progress `invalid_state` on Cancel: "it has already finished").
 */
export function errorText(code: string, overrides: Readonly<Record<string, string>> = {}): string {
  if (Object.hasOwn(overrides, code)) return overrides[code]!;
  return Object.hasOwn(BY_CODE, code) ? BY_CODE[code]! : GENERIC_ERROR_TEXT;
}
