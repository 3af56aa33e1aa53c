import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isTerminal } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { toJobWithOutputs } from '../jobs/serialize-job.js';
import type { BffDeps } from './deps.js';
import { StreamWaker } from './stream-waker.js';

/**
 * `GET /v1/jobs/:id/events`: the job at once, then every change, comment heartbeats, and
 * the end after a terminal status. Listeners are fed by the in-process fan-out, never by
 * polling the store; a slow listener gets only the newest state (each event is the whole job).
 */
export function jobEventRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  app.get('/v1/jobs/:id/events', async (c) => {
    const { session } = c.get('auth');
    const first = await d.store.getJob(c.req.param('id'));
    if (!first || first.subject !== session.subject) throw ApiError.notFound('job');
    c.header('X-Accel-Buffering', 'no'); // proxies must not hold events back
    c.header('Cache-Control', 'no-store');
    const release = d.streams.acquire(session.id);

    return streamSSE(c, async (stream) => {
      let latest: { payload: string; terminal: boolean } | null = null;
      const waker = new StreamWaker();
      // Subscribe before reading the job so no change can fall between the read and the subscription.
      const unsubscribe = d.events.subscribe(first.id, (payload, terminal) => {
        if (!latest?.terminal) latest = { payload, terminal };
        waker.wake();
      });
      stream.onAbort(() => {
        unsubscribe();
        waker.wake();
      });
      try {
        const job = (await d.store.getJob(first.id))!;
        await stream.writeSSE({ event: 'job', data: JSON.stringify(await toJobWithOutputs(d.store, job, d.signer, d.runner)), retry: 2000 });
        if (isTerminal(job.status)) return;
        while (!stream.aborted) {
          if (!latest) {
            const timedOut = await waker.sleep(d.heartbeatMs);
            if (stream.aborted) return;
            if (timedOut) {
              await stream.write(': heartbeat\n\n');
              continue;
            }
          }
          const next = latest as { payload: string; terminal: boolean } | null;
          latest = null;
          if (!next) continue;
          await stream.writeSSE({ event: 'job', data: next.payload });
          if (next.terminal) return;
        }
      } finally {
        unsubscribe();
        release();
      }
    });
  });

  return app;
}
