import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` plus
 * base64 key bytes; the signature is `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * sent with `webhook-id` and `webhook-timestamp` (Unix seconds). Any Standard Webhooks library
 * (e.g. the `standardwebhooks` package) verifies it on the host's side.
 */
export const SECRET_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;

/** The key bytes of a `whsec_…` secret, or a sentence saying what is wrong with it (never the secret). */
export function parseWebhookSecret(secret: string): Buffer | string {
  if (!secret.startsWith(SECRET_PREFIX)) return `must start with ${SECRET_PREFIX} followed by base64 (e.g. \`echo whsec_$(openssl rand -base64 32)\`)`;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return `must be ${SECRET_PREFIX} followed by standard base64`;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES) return `holds ${key.length} bytes; use at least ${MIN_KEY_BYTES} random bytes`;
  return key;
}

export function signDelivery(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}
