import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { adminAuth } from '../http/auth.js';
import type { BffEnv } from '../http/env.js';
import { ProviderJobError } from '../providers/types.js';
import type { BffDeps } from './deps.js';

/** `GET /v1/provider/account`: the provider account's credits and usage, for the host's admin key only. */
export function providerAccountRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();
  app.get('/v1/provider/account', adminAuth(d.adminKey), async (c) => {
    if (!d.provider.account) throw new ApiError('not_found', `The ${d.provider.name} provider does not report credits or usage.`);
    try {
      return c.json({ provider: d.provider.name, account: await d.provider.account(c.req.raw.signal) });
    } catch (err) {
      if (err instanceof ProviderJobError) {
        const code = err.code === 'server_misconfigured' ? 'server_misconfigured' : err.retryable ? 'provider_unavailable' : 'provider_error';
        throw new ApiError(code, err.message);
      }
      throw err;
    }
  });
  return app;
}
