import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { TokenService } from '../tokens.js';
import type { BffEnv } from './env.js';
import { ConfigError } from '../config-error.js';

function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * Widget routes: a valid token (signature, algorithm, issuer, audience, expiry), a live
 * session (not revoked), and an Origin the token allows.
 */
export function widgetAuth(opts: { tokens: TokenService; store: Store }): MiddlewareHandler<BffEnv> {
  if (!opts.tokens || !opts.store) throw new ConfigError('widgetAuth needs tokens and store');
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    if (!token) throw new ApiError('unauthorized', 'Send the widget token as Authorization: Bearer <token>.');
    const claims = await opts.tokens.verify(token);
    const session = await opts.store.getSession(claims.sid);
    if (!session || session.subject !== claims.sub) throw new ApiError('unauthorized', 'The widget token does not match a session. Fetch a new one.');
    if (session.revokedAt) throw new ApiError('session_revoked', 'This session was revoked by the site. Sign in again.');
    const origin = c.req.header('origin');
    if (origin !== undefined && claims.origins.length > 0 && !claims.origins.includes(origin)) {
      throw new ApiError('origin_not_allowed', 'This widget token is not valid on this website.');
    }
    c.set('auth', { claims, session });
    await next();
  };
}

// Hashing first makes the comparison constant-time regardless of the keys' lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();

/** Host-backend routes: `Authorization: Bearer <STAGING_ADMIN_KEY>`, compared in constant time. */
export function adminAuth(adminKey: string | null): MiddlewareHandler<BffEnv> {
  const expected = adminKey ? digest(adminKey) : null;
  return async (c, next) => {
    if (!expected) {
      throw new ApiError('unauthorized', 'This BFF has no STAGING_ADMIN_KEY configured, so it cannot create sessions.');
    }
    const given = bearer(c.req.header('authorization'));
    if (!given || !timingSafeEqual(digest(given), expected)) {
      throw new ApiError('unauthorized', 'Send the admin key as Authorization: Bearer <STAGING_ADMIN_KEY>.');
    }
    await next();
  };
}
