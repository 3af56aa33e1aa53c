import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { readBody } from '../http/read-body.js';
import type { BffDeps } from './deps.js';

const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * `POST /v1/webhooks/:provider`: verified by the configured provider's documented scheme,
 * refused when replayed, then handed to the job waiting on it (which reads the provider's
 * state itself: a webhook body is a hint, never trusted data).
 */
export function webhookRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  app.post('/v1/webhooks/:provider', async (c) => {
    const provider = d.provider;
    if (c.req.param('provider') !== provider.name || !provider.verifyWebhook) throw ApiError.notFound('webhook receiver');
    // Bounded while reading: a body without Content-Length is never buffered past the cap.
    const body = await readBody(c.req.raw, { maxBytes: MAX_WEBHOOK_BYTES, tooLarge: () => new ApiError('payload_too_large', 'Webhook bodies are limited to 1 MB.') });
    const headers = new Headers(c.req.raw.headers);
    const { key, event } = await provider.verifyWebhook({ headers, body });
    // Only a delivery that passed verification counts towards replays, so forgeries cannot poison
    // the cache; and it is its verified content that counts, so a re-encoded copy is a replay too.
    // One that gets through anyway (after the window) can only wake the job's tracking, which
    // reads the provider's own state: an idempotent wake-up, nothing more.
    if (!(await d.webhooks.firstDelivery(`${provider.name}\n${event}`))) throw new ApiError('webhook_replayed', 'This webhook delivery was already received.');
    d.webhooks.notify(key);
    return c.json({ received: true });
  });

  return app;
}
