import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { BffEnv } from './env.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

// Random bytes are fetched for 256 ids at a time: one call per id was 4 % of a small request.
const ID_BYTES = 12;
let pool = Buffer.alloc(0);
let at = 0;
function randomId(): string {
  if (at + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * 256);
    at = 0;
  }
  at += ID_BYTES;
  return pool.toString('base64url', at - ID_BYTES, at);
}

/**
 * Every response carries `X-Request-Id`, `X-Content-Type-Options: nosniff` and, unless its route
 * says otherwise, `Cache-Control: no-store`. A well-formed id from a proxy in front of us is
 * kept so logs line up across hops; anything else is replaced, never echoed.
 */
export function requestId(): MiddlewareHandler<BffEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : `req_${randomId()}`;
    c.set('requestId', id);
    // Set before the handler, never on `c.res` after it: every response Hono builds (routes, the
    // event stream, onError, notFound) starts from these headers, and touching `c.res.headers`
    // afterwards turns @hono/node-server's lightweight response into a full one (a third of a
    // small read's cost).
    c.header('X-Request-Id', id);
    c.header('X-Content-Type-Options', 'nosniff');
    // The default; a route that may be cached (signed images, the OpenAPI document) sets its own.
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
