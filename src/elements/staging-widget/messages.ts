import type { StagingErrorDetail } from '../shared/error-event.js';

/**
 * What the widget says to the person in front of it, in one place (ready for localisation).
 * Error codes map to what that person can do; the technical sentence stays in `staging-error`
 * for the host's developers.
 */
export const TEXT = {
  headings: {
    upload: 'Add a photo of the room',
    configure: 'Choose what to do',
    mask: 'Paint the area to change',
    progress: 'Working on your photo',
    failed: 'This photo could not be finished',
    cancelled: 'Cancelled',
    result: 'Your result',
  },
  tryAgain: 'Try again',
  yourPhoto: 'Your photo',
  changePhoto: 'Change photo',
  dismiss: 'Dismiss the error',
  startOver: 'Cancel and start over',
  selected: 'Saved: this is the image you chose. You can still download it or try another style.',
  selecting: 'Saving your choice…',
} as const;

const BY_CODE: Record<string, string> = {
  token_refused: 'Your sign-in has expired. Sign in again, or reload the page.',
  token_unavailable: 'The staging tool could not start. Reload the page, or try again in a minute.',
  unauthorized: 'Your sign-in has expired. Reload the page to continue.',
  token_expired: 'Your sign-in has expired. Reload the page to continue.',
  network_error: 'The connection was lost. Check it and try again.',
  timeout: 'This is taking too long. Check the connection and try again.',
  rate_limited: 'Too many tries at once. Wait a moment, then try again.',
  insufficient_credits: 'There are not enough credits left for this. Choose a smaller size, or ask for more credits.',
  scope_denied: 'This option is not available to you. Choose another.',
  payload_too_large: 'This photo is too large. Choose a smaller one.',
  unsupported_media_type: 'This kind of file cannot be used. Choose a JPEG, PNG, WebP or HEIC photo.',
  image_unreadable: 'This photo could not be read. It may be damaged: choose another.',
  image_too_large: 'This photo has too many pixels. Choose a smaller one.',
  session_revoked: 'This session has ended. Reload the page to continue.',
  provider_unavailable: 'The staging service is busy. Try again in a minute.',
  provider_error: 'The staging service had a problem. Try again in a minute.',
  load_failed: 'This step could not be loaded. Check the connection and try again.',
};

/** The sentence to show for an error: by its code, else a general one that blames no one. */
export function messageFor(error: Pick<StagingErrorDetail, 'code'>): string {
  return BY_CODE[error.code] ?? 'Something went wrong. Try again; if it keeps happening, reload the page.';
}
