import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { VerifiedWebhook, WebhookDelivery } from '../types.js';

/**
 * Lumely's webhook scheme: `X-Lumely-Signature` = hex HMAC-SHA256, keyed with the webhook
 * secret, of `JSON.stringify(payload)`; the payload is `{ event, data }` with `data` the job.
 *
 * Registration is left to the site owner, not done by the adapter: Lumely generates each
 * endpoint's secret itself (POST /webhooks takes only `url` and `events`), so an endpoint the
 * adapter registered would be signed with a secret we would have to persist somewhere, while
 * STAGING_PROVIDER_WEBHOOK_SECRET is configuration. What must be set up once, in the Lumely
 * dashboard or with POST /api/v1/webhooks:
 *   url    = `${STAGING_PUBLIC_URL}/v1/webhooks/lumely`
 *   events = ["job.completed", "job.failed", "job.cancelled"]
 * and its secret goes into STAGING_PROVIDER_WEBHOOK_SECRET. Without it jobs still finish:
 * webhooks only wake the adapter's polling early.
 *
 * What is signed: Lumely's own sample verifies `JSON.stringify(req.body)`, the body parsed and
 * serialized again, so Lumely's guarantee is about that string, not about the bytes on the
 * wire. We check the raw bytes first (they are what Lumely serialized, unless something on the
 * way re-formatted them) and then, as the docs' sample does, `JSON.stringify(JSON.parse(body))`.
 * Accepting the second form is no weaker than the documented check: a forger still needs the
 * secret to produce an HMAC for any string, and the job id we return is read from that very
 * parsed payload. The raw-first order matters for bodies whose re-serialization differs from
 * what Lumely signed (e.g. `\u00e9` escapes, or numbers like 1.0 that JSON.stringify prints as 1).
 *
 * Staleness: the scheme has no timestamp, so an old, validly signed delivery cannot be told
 * from a fresh one. That is acceptable here because a delivery is only a hint: the adapter
 * then reads the job with GET /jobs/{id} and never trusts the webhook body, and the BFF refuses
 * a byte-identical replay (409 webhook_replayed).
 */
export function verifyLumelyWebhook(delivery: WebhookDelivery, secret: string | null): VerifiedWebhook {
  if (!secret) throw new ApiError('webhook_rejected', 'Lumely webhooks are not accepted: no webhook secret is configured.');
  const given = (delivery.headers.get('x-lumely-signature') ?? '').trim();
  if (!/^[0-9a-f]{64}$/i.test(given)) throw new ApiError('webhook_rejected', 'The Lumely webhook signature is missing or malformed.');
  const givenBytes = Buffer.from(given, 'hex');
  const raw = delivery.body.toString('utf8');

  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    throw new ApiError('webhook_rejected', 'The Lumely webhook body is not JSON.');
  }
  const candidates = [raw, JSON.stringify(payload)];
  const valid = candidates.some((text) => timingSafeEqual(givenBytes, createHmac('sha256', secret).update(text).digest()));
  if (!valid) throw new ApiError('webhook_rejected', 'The Lumely webhook signature does not match.');

  const { event, data } = (payload ?? {}) as { event?: unknown; data?: { id?: unknown; status?: unknown } };
  const id = data?.id;
  if (typeof id !== 'string' || id.length === 0) throw new ApiError('webhook_rejected', 'The Lumely webhook names no job.');
  // No timestamp and no delivery id in Lumely's scheme: the event is the job, its event type and state.
  return { key: id, event: `${String(event)}:${id}:${String(data?.status)}` };
}
