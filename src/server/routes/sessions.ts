import { Hono } from 'hono';
import { CreateSessionRequest, DEFAULT_TOKEN_TTL_SECONDS, type SessionResponse } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../http/auth.js';
import type { BffEnv } from '../http/env.js';
import { jsonBody } from '../http/validate.js';
import { newId, nowIso } from '../ids.js';
import type { BffDeps } from './deps.js';

/** The token exchange: the host backend (admin key) or, in dev mode, the demo page mints widget tokens. */
export function sessionRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  const mint = async (body: CreateSessionRequest): Promise<SessionResponse> => {
    if (body.origins && d.allowedOrigins) {
      const outside = body.origins.filter((o) => !d.allowedOrigins!.includes(o));
      if (outside.length > 0) {
        throw ApiError.validation([{ path: 'origins', message: `not in STAGING_ALLOWED_ORIGINS: ${outside.join(', ')}` }], 'session');
      }
    }
    if (body.services) {
      const known = new Set((await d.catalog.services()).map((s) => s.id));
      const unknown = body.services.filter((s) => !known.has(s));
      if (unknown.length > 0) {
        throw ApiError.validation([{ path: 'services', message: `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` }], 'session');
      }
    }
    if (body.disclosure_profile !== undefined && !d.disclosure.has(body.disclosure_profile)) {
      throw ApiError.validation(
        [{ path: 'disclosure_profile', message: `unknown disclosure profile "${body.disclosure_profile}"; this BFF offers ${d.disclosure.ids().join(', ')}` }],
        'session',
      );
    }
    const id = newId('ses');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + (body.ttl_seconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000);
    const session = {
      id,
      subject: body.subject,
      origins: body.origins ?? [],
      services: body.services ?? null,
      maxCredits: body.max_credits ?? null,
      maxResolution: body.max_resolution ?? ('4K' as const),
      metadata: body.metadata ?? null,
      disclosureProfile: body.disclosure_profile ?? null,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
    };
    await d.store.createSession(session);
    const token = await d.tokens.mint({ ...session, sessionId: id, expiresAt });
    return { token, session_id: id, expires_at: session.expiresAt };
  };

  app.post('/v1/sessions', adminAuth(d.adminKey), async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await mint(await jsonBody(c, CreateSessionRequest)), 201);
  });

  app.delete('/v1/sessions/:id', adminAuth(d.adminKey), async (c) => {
    const revoked = await d.store.revokeSession(c.req.param('id'), nowIso());
    if (!revoked) throw ApiError.notFound('session');
    return c.body(null, 204);
  });

  // The demo page has no backend of its own; in dev mode it may mint tokens directly.
  app.post('/v1/dev/sessions', async (c) => {
    if (!d.dev) {
      throw new ApiError('dev_sessions_disabled', 'Dev sessions are off. Mint tokens from your backend with POST /v1/sessions, or set STAGING_DEV=1 for local development.');
    }
    // An empty body means "a demo user": the demo page should not have to invent one.
    const body = await jsonBody(c, CreateSessionRequest, { whenEmpty: { subject: 'dev-user' } });
    c.header('Cache-Control', 'no-store');
    return c.json(await mint(body), 201);
  });

  return app;
}
