import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { BffEnv } from './env.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Every response carries `X-Request-Id`. A well-formed id from a proxy in front of us is
 * kept so logs line up across hops; anything else is replaced, never echoed.
 */
export function requestId(): MiddlewareHandler<BffEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : `req_${randomBytes(12).toString('base64url')}`;
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
    c.res.headers.set('X-Request-Id', id);
  };
}
