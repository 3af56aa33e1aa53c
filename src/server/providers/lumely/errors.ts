import type { ProviderResponse } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';

/** Lumely's documented error body: `{ error, message?, credits_required?, credits_remaining? }`. */
interface LumelyErrorBody {
  error?: unknown;
  message?: unknown;
  credits_required?: unknown;
  credits_remaining?: unknown;
}

/**
 * Lumely's own error bodies → job errors. Its 403 covers four documented causes ("Insufficient
 * credits, 4K without paid plan, storage path access denied, monthly limit reached"), told
 * apart only by the `error` / `message` text, so the match is on those words. Everything else
 * falls through to ProviderHttp's default mapping (401 → server_misconfigured, 5xx/429 retried,
 * other 4xx → provider_error with Lumely's message, redacted).
 */
export function mapLumelyError(res: ProviderResponse): ProviderJobError | null {
  if (res.status !== 403) return null;
  const body = (res.json ?? {}) as LumelyErrorBody;
  const text = [body.error, body.message].filter((v): v is string => typeof v === 'string').join(' ');
  if (/insufficient credits/i.test(text) || typeof body.credits_required === 'number') {
    return new ProviderJobError(
      'insufficient_credits',
      'The photo service has run out of credits for this site. Please try again later or contact the site owner.',
      false,
    );
  }
  if (/monthly (credit )?limit/i.test(text)) {
    return new ProviderJobError(
      'insufficient_credits',
      "The photo service's monthly limit for this site has been reached. Please try again next month or contact the site owner.",
      false,
    );
  }
  if (/\b4K\b/i.test(text) || /paid (plan|subscription)/i.test(text)) {
    // Not our session's scope but the site's Lumely plan: a 2K job still works.
    return new ProviderJobError(
      'scope_denied',
      "4K output is not included in this site's Lumely plan. Choose 2K, or ask the site owner to upgrade the Lumely subscription.",
      false,
    );
  }
  return null;
}
