import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { adminAuth } from '../http/auth.js';
import type { BffEnv } from '../http/env.js';
import type { BffDeps } from './deps.js';

/** `GET /v1/provider/account`: the provider account's credits and usage, for the host's admin key only. */
export function providerAccountRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();
  app.get('/v1/provider/account', adminAuth(d.adminKey), async (c) => {
    if (!d.provider.account) throw new ApiError('not_found', `The ${d.provider.name} provider does not report credits or usage.`);
    // A provider failure becomes a 502/503 in onError (apiErrorOfProvider).
    return c.json({ provider: d.provider.name, account: await d.provider.account(c.req.raw.signal) });
  });
  return app;
}
