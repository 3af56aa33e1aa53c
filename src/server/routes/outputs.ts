import { Hono } from 'hono';
import type { OutputSelection } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { nowIso } from '../ids.js';
import type { BffDeps } from './deps.js';

/**
 * `POST /v1/outputs/:id/select`: "Use this image", recorded by the BFF so that the host's backend
 * learns it from a signed `output.selected` webhook, not from a browser event any visitor can forge.
 */
export function outputRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  app.post('/v1/outputs/:id/select', async (c) => {
    const { session } = c.get('auth');
    const output = await d.store.getOutput(c.req.param('id'));
    if (!output || output.subject !== session.subject) throw ApiError.notFound('output');
    const job = await d.store.getJob(output.jobId);
    if (!job || job.subject !== session.subject) throw ApiError.notFound('output');
    await d.hostEvents?.outputSelected(job, output);
    const body: OutputSelection = { output_id: output.id, job_id: job.id, selected_at: nowIso() };
    return c.json(body);
  });

  return app;
}
