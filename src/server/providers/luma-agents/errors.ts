import type { ProviderResponse } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';

export const LABEL = 'Luma Agents';

const CREDITS_MESSAGE = 'The image service has run out of credits. The site owner must add funds to the Luma Agents account before new photos can be processed.';

/**
 * Synchronous errors (Error handling guide): the status code is the machine-readable part and
 * `detail` the human one. Only statuses needing a specific job error are mapped here; 400, 404
 * and 422 fall through to ProviderHttp's provider_error (which quotes `detail`, redacted), and
 * 429/502/503 to its retries.
 */
export function mapLumaError(res: ProviderResponse): ProviderJobError | null {
  switch (res.status) {
    case 402:
      return new ProviderJobError('insufficient_credits', CREDITS_MESSAGE, false);
    case 403:
      // "Access denied (suspended or deactivated client) — contact support": an account
      // problem only the site owner can fix, like a refused key.
      return new ProviderJobError('server_misconfigured', `${LABEL} has suspended or deactivated the site's account. The site owner must contact Luma support.`, false);
    case 413:
      return new ProviderJobError('image_too_large', `The photo is larger than ${LABEL} accepts (50 MB). Use a smaller photo.`, false);
    default:
      return null;
  }
}

/** Asynchronous failures (`failure_code` when polling), with the guide's "Retryable?" column. */
const FAILURES: Record<string, { code: string; retryable: boolean; lead: string }> = {
  content_moderated: { code: 'processing_failed', retryable: false, lead: 'The prompt or photo was refused by the content guidelines' },
  generation_failed: { code: 'processing_failed', retryable: true, lead: 'The image model failed' },
  budget_exhausted: { code: 'insufficient_credits', retryable: false, lead: '' },
  output_not_found: { code: 'processing_failed', retryable: true, lead: 'The result could not be retrieved' },
  image_too_large: { code: 'image_too_large', retryable: false, lead: 'The photo is too large for the image model' },
  unsupported_format: { code: 'image_unreadable', retryable: false, lead: 'The photo is in a format the image model does not support' },
  corrupt_input: { code: 'image_unreadable', retryable: false, lead: 'The photo could not be decoded by the image model' },
  invalid_request: { code: 'provider_error', retryable: false, lead: 'The image service rejected the request' },
  rate_limited: { code: 'provider_unavailable', retryable: true, lead: 'The image service is busy' },
};

/** A generation that ended `failed`, as a job error; `redact` strips secrets from the provider's words. */
export function failedGenerationError(code: string | null, reason: string | null, redact: (s: string) => string): ProviderJobError {
  const known = code ? FAILURES[code] : undefined;
  if (known?.code === 'insufficient_credits') return new ProviderJobError('insufficient_credits', CREDITS_MESSAGE, false);
  const lead = known?.lead ?? 'The image model could not process the photo';
  const why = reason ? redact(reason).replace(/\s+/g, ' ').trim().slice(0, 300) : '';
  const message = `${lead}${why ? `: ${why}` : '.'}${known?.retryable === false ? '' : ' Retry the job.'}`;
  return new ProviderJobError(known?.code ?? 'processing_failed', message, known?.retryable ?? true);
}
