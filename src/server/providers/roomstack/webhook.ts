import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { WebhookDelivery } from '../types.js';
import { parseGeneration, type RoomStackGeneration } from './status.js';

/** Deliveries older or newer than this are refused: a captured delivery cannot be replayed later. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

/** Docs are silent on the timestamp's format; Unix seconds (what the fake sends), milliseconds and ISO dates are read. */
function timestampMs(raw: string): number | null {
  const t = raw.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n > 1e12 ? n : n * 1000;
  }
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : at;
}

/**
 * RoomStack's documented scheme: `RoomStack-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`
 * with the timestamp from `RoomStack-Timestamp`. Several comma/space-separated `v1=` values are accepted
 * (as during a secret rotation); any one matching is enough. Returns the verified generation.
 */
export function verifyRoomStackDelivery(delivery: WebhookDelivery, secret: string | null, now = Date.now()): RoomStackGeneration {
  // Without a configured secret nothing can be verified, so nothing is trusted.
  if (!secret) throw new ApiError('webhook_rejected', 'RoomStack webhooks are not accepted: no webhook secret is configured.');
  const timestamp = delivery.headers.get('roomstack-timestamp');
  const header = delivery.headers.get('roomstack-signature');
  if (!timestamp || !header) throw new ApiError('webhook_rejected', 'The RoomStack webhook is not signed.');
  const at = timestampMs(timestamp);
  if (at === null || Math.abs(now - at) > WEBHOOK_TOLERANCE_MS) {
    throw new ApiError('webhook_rejected', 'The RoomStack webhook timestamp is missing or outside the 5-minute tolerance.');
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(delivery.body).digest();
  const given = header
    .split(/[\s,]+/)
    .map((part) => /^v1=([0-9a-f]{64})$/i.exec(part)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  // Every candidate is compared (no early exit), each on equal-length buffers in constant time.
  let ok = false;
  for (const sig of given) if (sig.length === expected.length && timingSafeEqual(sig, expected)) ok = true;
  if (!ok) throw new ApiError('webhook_rejected', 'The RoomStack webhook signature does not match.');

  let payload: unknown;
  try {
    payload = JSON.parse(delivery.body.toString('utf8'));
  } catch {
    throw new ApiError('webhook_rejected', 'The RoomStack webhook body is not JSON.');
  }
  const generation = parseGeneration((payload as { data?: unknown } | null)?.data);
  if (!generation) throw new ApiError('webhook_rejected', 'The RoomStack webhook names no generation.');
  return generation;
}

/**
 * Verified webhook payloads waiting for the job that tracks them. RoomStack documents its
 * download URLs only in webhook payloads (its polling route is an undocumented app page), so
 * a signed payload is kept here for `execute` to pick up when the webhook wakes it.
 * Bounded and short-lived: after a restart, tracking falls back to polling.
 */
export class VerifiedDeliveries {
  private readonly byId = new Map<string, { generation: RoomStackGeneration; until: number }>();

  constructor(
    private readonly ttlMs = 60 * 60_000,
    private readonly max = 500,
  ) {}

  put(generation: RoomStackGeneration, now = Date.now()): void {
    for (const [k, v] of this.byId) if (v.until <= now) this.byId.delete(k);
    this.byId.delete(generation.generationId);
    this.byId.set(generation.generationId, { generation, until: now + this.ttlMs });
    while (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value!);
  }

  has(generationId: string): boolean {
    return this.byId.has(generationId);
  }

  take(generationId: string, now = Date.now()): RoomStackGeneration | null {
    const hit = this.byId.get(generationId);
    if (!hit) return null;
    this.byId.delete(generationId);
    return hit.until > now ? hit.generation : null;
  }

  clear(): void {
    this.byId.clear();
  }
}
