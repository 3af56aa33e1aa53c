import { Hono } from 'hono';
import { isTerminal } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { toJobWithOutputs } from '../jobs/serialize-job.js';
import type { BffDeps } from './deps.js';
import { jobEventStream, type JobEventStream } from './job-event-stream.js';

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
    const release = d.streams.acquire(session.id);
    // Subscribe before reading the job so no change can fall between the read and the
    // subscription; a change that comes before the stream exists waits for it.
    let stream: JobEventStream | null = null;
    let early: { payload: string; terminal: boolean } | null = null;
    const unsubscribe = d.events.subscribe(first.id, (payload, terminal) => {
      if (stream) stream.push(payload, terminal);
      else if (!early?.terminal) early = { payload, terminal };
    });
    const close = () => {
      unsubscribe();
      release();
    };
    let job;
    try {
      job = (await d.store.getJob(first.id))!;
      const body = JSON.stringify(await toJobWithOutputs(d.store, job, d.signer, d.runner));
      stream = jobEventStream({ first: body, firstTerminal: isTerminal(job.status), retryMs: 2000, heartbeatMs: d.heartbeatMs, onClose: close });
    } catch (err) {
      close();
      throw err;
    }
    const waiting = early as { payload: string; terminal: boolean } | null;
    if (waiting) stream.push(waiting.payload, waiting.terminal);
    // The headers Hono's streamSSE sent, which clients and proxies already know.
    c.header('Transfer-Encoding', 'chunked');
    c.header('Content-Type', 'text/event-stream');
    c.header('Cache-Control', 'no-cache');
    c.header('Connection', 'keep-alive');
    c.header('X-Accel-Buffering', 'no'); // proxies must not hold events back
    return c.body(stream.readable);
  });

  return app;
}
