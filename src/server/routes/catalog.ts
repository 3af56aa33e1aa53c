import { Hono } from 'hono';
import type { Credits } from '../../contract/index.js';
import type { BffEnv } from '../http/env.js';
import type { BffDeps } from './deps.js';

export function catalogRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  app.get('/v1/services', async (c) => c.json(await d.catalog.forSession(c.get('auth').session)));

  app.get('/v1/credits', async (c) => {
    const { session } = c.get('auth');
    const used = await d.store.creditsUsed(session.id);
    const body: Credits = {
      max_credits: session.maxCredits,
      used,
      remaining: session.maxCredits === null ? null : Math.max(0, session.maxCredits - used),
    };
    return c.json(body);
  });

  return app;
}
