import type { ProviderResponse } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';
import type { LaminaErrorEnvelope } from './api-types.js';

export function envelopeOf(res: ProviderResponse): LaminaErrorEnvelope | null {
  return res.json && typeof res.json === 'object' ? res.json : null;
}

/**
 * The docs are silent on how an exhausted balance is reported; an error naming credits in its code or
 * message (or a 402) is read as one, whatever its status (the fake answers 403 FORBIDDEN).
 */
export function isCreditError(status: number, env: LaminaErrorEnvelope | null): boolean {
  const code = typeof env?.code === 'string' ? env.code : '';
  const message = typeof env?.error === 'string' ? env.error : '';
  return status === 402 || /CREDIT/i.test(code) || /\b(insufficient|not enough|out of|no)\s+credits?\b|credit (balance|limit)/i.test(message);
}

/**
 * Lamina's `{error, code, retryable, requestId, retryAfter?}` envelope → a job error. 401 and 429 stay
 * with ProviderHttp (configuration error; Retry-After), as do 5xx the envelope calls retryable.
 */
export function mapLaminaError(res: ProviderResponse, redact: (s: string) => string): ProviderJobError | null {
  const env = envelopeOf(res);
  if (isCreditError(res.status, env)) {
    return new ProviderJobError('insufficient_credits', 'The image service has run out of credits. Please let the site owner know, then try again later.', false);
  }
  if (res.status === 401 || res.status === 429) return null;
  if (res.status >= 500) {
    if (env?.retryable !== false) return null;
    return new ProviderJobError('provider_error', `Lamina failed the request: ${describe(res, env, redact)}`, false);
  }
  if (res.status >= 400) {
    return new ProviderJobError('provider_error', `Lamina refused the request: ${describe(res, env, redact)}`, env?.retryable === true);
  }
  return null;
}

function describe(res: ProviderResponse, env: LaminaErrorEnvelope | null, redact: (s: string) => string): string {
  const parts = [typeof env?.error === 'string' ? env.error : `HTTP ${res.status}`];
  if (typeof env?.code === 'string') parts[0] += ` (${env.code})`;
  // VALIDATION_ERROR lists which inputs were wrong; those field names are what a site owner needs.
  if (Array.isArray(env?.details)) {
    const msgs = env.details.map((d) => (d as { message?: unknown })?.message).filter((m): m is string => typeof m === 'string');
    if (msgs.length) parts.push(msgs.slice(0, 3).join('; '));
  }
  return redact(parts.join(': ')).slice(0, 300);
}
