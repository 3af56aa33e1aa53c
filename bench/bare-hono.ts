/**
 * The baseline of the read-path bench: a bare Hono app on @hono/node-server that answers
 * `GET /v1/jobs/:id` with the same JSON the BFF returns, and nothing else (no token, store,
 * rate limit or signing). Run as its own process, like the BFF, on the port in PORT; the JSON
 * comes on stdin.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;

const app = new Hono();
app.get('/v1/jobs/:id', (c) => c.json(job));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => process.stderr.write('listening\n'));
