/**
 * Signed webhooks to the host's backend (Standard Webhooks): a real receiver on a loopback socket
 * that verifies every delivery with the `standardwebhooks` library (Svix's reference
 * implementation), against a BFF on the local engine.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/index.js';
import { afterThisTest, expectError, json, makeBff, mintSession, req, tempDir, upload, waitForStatus } from './helpers.js';
import { freePort } from '../../scripts/spawn-bff.mjs';
import { startRedis, type TestRedis } from './support/redis-server.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: { type: string; timestamp: string; data: Record<string, any> } | null;
}

/** A host backend: verifies each delivery, answers with the next scripted status (then 200). */
async function receiver(script: number[] = []) {
  const deliveries: Delivery[] = [];
  const verifier = new Webhook(SECRET);
  const server: Server = createServer((rq, rs) => {
    const chunks: Buffer[] = [];
    rq.on('data', (c: Buffer) => chunks.push(c));
    rq.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(rq.headers['webhook-id']), 'webhook-timestamp': String(rq.headers['webhook-timestamp']), 'webhook-signature': String(rq.headers['webhook-signature']) };
      let verified: Delivery['verified'];
      try {
        verified = verifier.verify(body, headers) as Delivery['verified'];
      } catch {
        verified = null;
      }
      deliveries.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, verified });
      rs.writeHead(verified ? (script.shift() ?? 200) : 401).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  afterThisTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}/hooks/staging`, deliveries, verifier };
}

async function until<T>(what: string, f: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runJob(bff: ReturnType<typeof makeBff>, token: string, service = 'render-enhancement') {
  const photo = await upload(bff, token);
  const res = await req(bff, '/v1/jobs', { ...json({ service, config: 'interior-modern', upload_id: photo.id }), token });
  const job = (await res.json()) as { id: string };
  return waitForStatus(bff, job.id, ['completed', 'failed']);
}

describe('host webhooks', () => {
  it('refuses a URL without a secret, and a secret that is not whsec_ + base64, naming what to set', () => {
    const base = { STAGING_DEV: '1' };
    expect(() => loadConfig({ ...base, STAGING_HOST_WEBHOOK_URL: 'https://h.example.com/hook' })).toThrow(/STAGING_HOST_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...base, STAGING_HOST_WEBHOOK_URL: 'https://h.example.com/hook', STAGING_HOST_WEBHOOK_SECRET: 'hunter2-hunter2-hunter2-hunter2' })).toThrow(/must start with whsec_/);
    expect(() => loadConfig({ ...base, STAGING_HOST_WEBHOOK_URL: 'https://h.example.com/hook', STAGING_HOST_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' })).toThrow(/at least 24/);
    expect(() => loadConfig({ ...base, STAGING_HOST_WEBHOOK_URL: 'ftp://h', STAGING_HOST_WEBHOOK_SECRET: SECRET })).toThrow(/absolute http/);
    expect(loadConfig({ ...base, STAGING_HOST_WEBHOOK_URL: 'https://h.example.com/hook', STAGING_HOST_WEBHOOK_SECRET: SECRET }).hostWebhook).toEqual({ url: 'https://h.example.com/hook', secret: SECRET });
  });

  it('sends job.completed once, signed so that a Standard Webhooks library verifies it, with the session metadata and a usable output link', async () => {
    const host = await receiver();
    const bff = makeBff({ hostWebhook: { url: host.url, secret: SECRET } });
    const { token, session_id } = await mintSession(bff, { subject: 'agent-7', metadata: { listing_id: 'MLS-42' } });
    const job = await runJob(bff, token);
    expect(job.status).toBe('completed');
    const d = await until('job.completed', () => host.deliveries.find((x) => x.verified?.type === 'job.completed'));
    expect(d.verified!.data).toMatchObject({ subject: 'agent-7', session_id, session_metadata: { listing_id: 'MLS-42' }, job: { id: job.id, status: 'completed' } });
    const output = d.verified!.data.job.outputs[0];
    const image = await req(bff, output.url, { origin: null });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\//);
    // The signature covers the body: a changed body does not verify.
    expect(() => host.verifier.verify(d.body.replace('agent-7', 'agent-8'), { 'webhook-id': d.id, 'webhook-timestamp': d.timestamp, 'webhook-signature': d.signature })).toThrow();
    // Published again (a cancel race, a replayed state), the same happening is not sent twice.
    await bff.deps.runner.publish((await bff.deps.store.getJob(job.id))!);
    await new Promise((r) => setTimeout(r, 300));
    expect(host.deliveries.filter((x) => x.verified?.type === 'job.completed')).toHaveLength(1);
  });

  it('sends job.failed for a failed job', async () => {
    const host = await receiver();
    const bff = makeBff({ hostWebhook: { url: host.url, secret: SECRET }, localFailure: 'processing:always' });
    const { token } = await mintSession(bff);
    const job = await runJob(bff, token);
    expect(job.status).toBe('failed');
    const d = await until('job.failed', () => host.deliveries.find((x) => x.verified?.type === 'job.failed'));
    expect(d.verified!.data.job).toMatchObject({ id: job.id, status: 'failed', outputs: [] });
  });

  it('records "Use this image" with POST /v1/outputs/:id/select and sends output.selected; another subject gets 404', async () => {
    const host = await receiver();
    const bff = makeBff({ hostWebhook: { url: host.url, secret: SECRET } });
    const { token } = await mintSession(bff, { subject: 'agent-1' });
    const job = await runJob(bff, token);
    const [output] = await bff.deps.store.listOutputs(job.id);
    const other = await mintSession(bff, { subject: 'mallory' });
    await expectError(await req(bff, `/v1/outputs/${output!.id}/select`, { method: 'POST', token: other.token }), 404, 'not_found');
    const res = await req(bff, `/v1/outputs/${output!.id}/select`, { method: 'POST', token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ output_id: output!.id, job_id: job.id });
    const d = await until('output.selected', () => host.deliveries.find((x) => x.verified?.type === 'output.selected'));
    expect(d.verified!.data).toMatchObject({ subject: 'agent-1', job_id: job.id, output: { id: output!.id, job_id: job.id } });
    expect(host.deliveries.filter((x) => x.verified?.type === 'output.selected')).toHaveLength(1);
  });

  it('retries with backoff under the same webhook-id until the host answers 2xx, then stops', async () => {
    const host = await receiver([500, 503]);
    const bff = makeBff({ hostWebhook: { url: host.url, secret: SECRET }, hostWebhookBackoffMs: [50, 50, 50] });
    const { token } = await mintSession(bff);
    await runJob(bff, token);
    await until('the third attempt', () => host.deliveries.length >= 3);
    await new Promise((r) => setTimeout(r, 400));
    expect(host.deliveries.map((d) => d.verified?.type)).toEqual(['job.completed', 'job.completed', 'job.completed']);
    expect(new Set(host.deliveries.map((d) => d.id)).size).toBe(1);
    const stored = await bff.deps.store.getOutboxEvent(host.deliveries[0]!.id);
    expect(stored).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'the host answered 503' });
  });

  it('gives up after the last retry and says so in the log, without the secret', async () => {
    const host = await receiver([500, 500, 500, 500]);
    const lines: string[] = [];
    const logger = { info() {}, warn: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`), error: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`) };
    const bff = makeBff({ hostWebhook: { url: host.url, secret: SECRET }, hostWebhookBackoffMs: [30], logger });
    const { token } = await mintSession(bff);
    await runJob(bff, token);
    await until('two attempts', () => host.deliveries.length >= 2);
    const id = host.deliveries[0]!.id;
    await until('given up', () => lines.some((l) => l.startsWith('host webhook given up')));
    expect(await bff.deps.store.getOutboxEvent(id)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(lines.join('\n')).not.toContain(SECRET.slice(6, 20));
  });

  it('keeps undelivered events across a restart and delivers each once afterwards', async () => {
    const dir = tempDir();
    const host = await receiver([503]);
    const options = { store: `sqlite:${join(dir, 'staging.db')}`, dataDir: join(dir, 'blobs'), hostWebhook: { url: host.url, secret: SECRET }, hostWebhookBackoffMs: [60_000] };
    const first = makeBff(options);
    const { token } = await mintSession(first);
    await runJob(first, token);
    await until('the refused first attempt', () => host.deliveries.length === 1);
    const event = host.deliveries[0]!.id;
    // The host has answered; the outbox records the attempt just after (a busy machine showed the gap).
    await until('the attempt recorded', async () => (await first.deps.store.getOutboxEvent(event))?.attempts === 1);
    await first.close();
    // The next start finds the event still pending, and its retry time in the store.
    const second = makeBff({ ...options, hostWebhookBackoffMs: [60_000] });
    const pending = await second.deps.store.getOutboxEvent(event);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    await second.deps.store.settleOutboxEvent(event, { status: 'pending', attempts: 1, nextAttemptAt: Date.now(), error: 'due now' });
    await until('the delivery after the restart', () => host.deliveries.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(host.deliveries.map((d) => d.id)).toEqual([event, event]);
    expect(await second.deps.store.getOutboxEvent(event)).toMatchObject({ status: 'delivered' });
  });
});

describe('host webhooks with several instances on Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('two instances sharing a store deliver each event once', async () => {
    const host = await receiver();
    const store = `${redis.url}/?prefix=hooks${process.pid}`;
    const a = makeBff({ store, hostWebhook: { url: host.url, secret: SECRET } });
    const b = makeBff({ store, hostWebhook: { url: host.url, secret: SECRET } });
    const { token } = await mintSession(a);
    const jobs = [await runJob(a, token), await runJob(a, token), await runJob(a, token)];
    const [output] = await a.deps.store.listOutputs(jobs[0]!.id);
    // Both instances report the same selection; the store keeps one event.
    await Promise.all([req(a, `/v1/outputs/${output!.id}/select`, { method: 'POST', token }), req(b, `/v1/outputs/${output!.id}/select`, { method: 'POST', token })]);
    await until('four deliveries', () => host.deliveries.length >= 4);
    await new Promise((r) => setTimeout(r, 1500));
    expect(host.deliveries.every((d) => d.verified)).toBe(true);
    expect(host.deliveries.map((d) => d.verified!.type).sort()).toEqual(['job.completed', 'job.completed', 'job.completed', 'output.selected']);
    expect(new Set(host.deliveries.map((d) => d.id)).size).toBe(4);
  }, 60_000);
});
