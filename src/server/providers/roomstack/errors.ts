import type { ProviderResponse } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';

/**
 * RoomStack's own error answers → job errors: 402 (credits, with the numbers its body gives),
 * 403 (subscription or permissions), and a synchronous edit that failed on RoomStack's side
 * (5xx with `meta.status: FAILED`), told with its reason rather than a generic "failed (500)".
 * Everything else keeps ProviderHttp's default mapping.
 */
export function mapRoomStackError(res: ProviderResponse, redact: (text: string) => string): ProviderJobError | null {
  const body = (res.json ?? {}) as Record<string, unknown>;
  if (res.status === 402) {
    const need = typeof body.creditsRequired === 'number' ? body.creditsRequired : null;
    const have = typeof body.availableCredits === 'number' ? body.availableCredits : null;
    const detail = need !== null && have !== null ? ` (it needs ${need}, ${have} left)` : '';
    return new ProviderJobError(
      'insufficient_credits',
      `The site's RoomStack account does not have enough credits for this job${detail}. Try fewer variants or a smaller size, or ask the site owner to top up.`,
      false,
    );
  }
  if (res.status === 403) {
    return new ProviderJobError('provider_error', "RoomStack refused the job: the site's subscription or permissions do not allow it. The site owner must check the RoomStack account.", false);
  }
  const meta = body.meta as { status?: unknown } | undefined;
  if (res.status >= 500 && typeof meta?.status === 'string' && meta.status.toUpperCase() === 'FAILED') {
    const reason = typeof body.error === 'string' ? redact(body.error).slice(0, 300) : 'the job failed';
    return new ProviderJobError('processing_failed', `RoomStack could not process this photo: ${reason}. Retry the job.`, true);
  }
  return null;
}
