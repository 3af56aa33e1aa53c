import type { ProviderResponse } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';

/**
 * The service documents one error body, { detail, error_code }, and no credit error of its
 * own: it runs the model on Replicate and passes Replicate failures on as 502 "External
 * service error (Replicate API)". Replicate's lack-of-credit answer ("You have insufficient
 * credit to run this model…", HTTP 402) is recognised in that text wherever it shows up.
 */
const CREDIT_WORDING = /insufficient[\s_-]*credit|out of credit|purchase credit|billing|payment required/i;

export const INSUFFICIENT_CREDITS_MESSAGE =
  'The image service has run out of credit. The site owner must top up the provider account before new jobs can run.';

export function isCreditError(text: string | null | undefined): boolean {
  return typeof text === 'string' && CREDIT_WORDING.test(text);
}

/** ProviderHttp's `mapError`: credits only; every other status keeps the shared mapping. */
export function mapInteriorRedesignError(res: ProviderResponse): ProviderJobError | null {
  if (res.status === 402) return new ProviderJobError('insufficient_credits', INSUFFICIENT_CREDITS_MESSAGE, false);
  const body = res.json as { detail?: unknown; error_code?: unknown } | null;
  const detail = typeof body?.detail === 'string' ? body.detail : null;
  const code = typeof body?.error_code === 'string' ? body.error_code : null;
  if (isCreditError(detail) || isCreditError(code)) return new ProviderJobError('insufficient_credits', INSUFFICIENT_CREDITS_MESSAGE, false);
  return null;
}
