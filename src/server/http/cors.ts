import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { BffEnv } from './env.js';

export type OriginPolicy = (origin: string) => boolean;

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** STAGING_ALLOWED_ORIGINS as a predicate; in dev mode with no list, any localhost origin. */
export function originPolicy(allowed: string[] | null, dev: boolean): OriginPolicy {
  if (allowed && allowed.length > 0) {
    const set = new Set(allowed);
    return (o) => set.has(o);
  }
  return dev ? (o) => LOCALHOST.test(o) : () => false;
}

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID';
const EXPOSE_HEADERS = 'X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After';

/**
 * Exact-origin CORS for the widget routes. No wildcard and no credentials: the widget
 * authenticates with a Bearer token, so cookies never ride along. A request that carries
 * an Origin outside the policy is refused outright, not merely left unreadable.
 * Requests without Origin (server-to-server, same-origin GETs) pass: the token still rules.
 */
export function cors(allowed: OriginPolicy): MiddlewareHandler<BffEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    if (!allowed(origin)) {
      throw new ApiError('origin_not_allowed', `This BFF does not accept requests from ${origin.slice(0, 200)}. Add it to STAGING_ALLOWED_ORIGINS.`);
    }
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    await next();
  };
}
