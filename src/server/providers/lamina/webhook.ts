import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../config-error.js';
import { ApiError } from '../../errors.js';
import type { ProviderHttp } from '../remote/provider-http.js';
import type { WebhookDelivery } from '../types.js';
import { asExecution } from './api-types.js';

const TOLERANCE_MS = 5 * 60_000;
const KEY_TTL_MS = 60 * 60_000;
/** A failed check refetches the key (it may have rotated), but not more often than this. */
const REFETCH_AFTER_MS = 60_000;

/**
 * Lamina signs `<timestamp>.<raw_body>` with Ed25519 (hex in X-Lamina-Webhook-Signature, unix seconds in
 * X-Lamina-Webhook-Timestamp) and publishes the public key as a JWK at GET /v1/webhooks/signing-key.
 *
 * There is no shared secret, so STAGING_PROVIDER_WEBHOOK_SECRET only switches webhooks on: any value
 * fetches the key from Lamina; a JWK (or `{ "keys": [...] }`) as the value pins that key instead.
 */
export class LaminaWebhookVerifier {
  private readonly pinned: KeyObject[] | null;
  private fetched: { at: number; keys: KeyObject[] } | null = null;

  constructor(
    private readonly http: ProviderHttp,
    private readonly secret: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.pinned = secret && secret.trim().startsWith('{') ? keysFrom(safeJson(secret)) : null;
    if (this.pinned && this.pinned.length === 0) throw new ConfigError('STAGING_PROVIDER_WEBHOOK_SECRET looks like a JSON key for Lamina but holds no Ed25519 JWK.');
  }

  async verify({ headers, body }: WebhookDelivery): Promise<{ key: string; event: string }> {
    if (this.secret === null) throw reject('Lamina webhooks are not enabled on this site.');
    const signature = headers.get('x-lamina-webhook-signature')?.trim() ?? '';
    const timestamp = headers.get('x-lamina-webhook-timestamp')?.trim() ?? '';
    if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) throw reject('The webhook signature or timestamp is missing or malformed.');
    if (Math.abs(this.now() - Number(timestamp) * 1000) > TOLERANCE_MS) throw reject('The webhook timestamp is too old or in the future.');
    const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
    const sig = Buffer.from(signature, 'hex');

    let keys = this.pinned ?? (await this.signingKeys(false));
    let ok = keys.some((k) => verify(null, signed, k, sig));
    if (!ok && !this.pinned && this.fetched && this.now() - this.fetched.at > REFETCH_AFTER_MS) {
      keys = await this.signingKeys(true);
      ok = keys.some((k) => verify(null, signed, k, sig));
    }
    if (!ok) throw reject('The webhook signature does not match Lamina’s signing key.');

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw reject('The webhook body is not JSON.');
    }
    const exec = asExecution(parsed);
    if (!exec) throw reject('The webhook names no run.');
    return { key: exec.runId, event: `${exec.runId}:${exec.status}` };
  }

  private async signingKeys(force: boolean): Promise<KeyObject[]> {
    if (!force && this.fetched && this.now() - this.fetched.at < KEY_TTL_MS) return this.fetched.keys;
    let keys: KeyObject[];
    try {
      const res = await this.http.request({ path: 'webhooks/signing-key', idempotent: true });
      keys = keysFrom(res.json);
    } catch {
      // Lamina retries a refused delivery (5 s, 30 s, 2 min), and the job's stream or polling goes on meanwhile.
      throw reject('Lamina’s webhook signing key could not be loaded.');
    }
    if (keys.length === 0) throw reject('Lamina published no usable webhook signing key.');
    this.fetched = { at: this.now(), keys };
    return keys;
  }
}

function keysFrom(value: unknown): KeyObject[] {
  const v = value as { keys?: unknown; data?: unknown } | null;
  const inner = (v && typeof v === 'object' && v.data && typeof v.data === 'object' ? v.data : v) as { keys?: unknown } | null;
  const list = Array.isArray(inner?.keys) ? inner.keys : inner ? [inner] : [];
  const out: KeyObject[] = [];
  for (const jwk of list as Array<JsonWebKey & { kty?: string; crv?: string; x?: string }>) {
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') continue;
    try {
      out.push(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }));
    } catch {
      // An unreadable entry is skipped; the others may still verify.
    }
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const reject = (message: string) => new ApiError('webhook_rejected', message);
