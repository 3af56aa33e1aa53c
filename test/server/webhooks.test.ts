import { createHmac, timingSafeEqual } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Job } from '../../src/contract/index.js';
import { ApiError } from '../../src/server/errors.js';
import type { Provider } from '../../src/server/providers/types.js';
import { createLocalProvider } from '../../src/server/providers/local/index.js';
import { ADMIN_KEY, expectError, json, makeBff, mintSession, req, upload, waitForStatus } from './helpers.js';

const SECRET = 'whsec_test_0123456789';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

/**
 * A provider that, like a remote one, submits and then waits: it polls every 30 s and wakes
 * early on a verified webhook about its job. It verifies deliveries with an HMAC header.
 */
function webhookProvider(): Provider & { submitted: string[] } {
  const local = createLocalProvider({ delayScale: 0 });
  const submitted: string[] = [];
  return {
    name: 'acme',
    submitted,
    services: () => local.services(),
    async execute(task, ctx) {
      const remoteId = `remote-${task.jobId}`;
      submitted.push(remoteId);
      const woken = await ctx.webhook(remoteId, 30_000);
      if (!woken) throw new Error('no webhook');
      const data = await sharp({ create: { width: 2048, height: 1365, channels: 3, background: '#888' } }).jpeg().toBuffer();
      return [{ data, contentType: 'image/jpeg', width: 2048, height: 1365, localPreview: false }];
    },
    async verifyWebhook({ headers, body }) {
      const given = Buffer.from(headers.get('x-acme-signature') ?? '');
      const expected = Buffer.from(sign(body.toString('utf8')));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError('webhook_rejected', 'The webhook signature does not match.');
      }
      const { id, status } = JSON.parse(body.toString('utf8')) as { id: string; status?: string };
      return { key: id, event: `${id}:${status ?? ''}` };
    },
  };
}

describe('POST /v1/webhooks/:provider', () => {
  it('wakes the waiting job on a verified delivery, and refuses forged, replayed and misaddressed ones', async () => {
    const provider = webhookProvider();
    const bff = makeBff({ providerInstance: provider });
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }), token })).json());
    await waitForStatus(bff, job.id, ['pending', 'compressing', 'processing']);
    while (provider.submitted.length === 0) await new Promise((r) => setTimeout(r, 10));
    const body = JSON.stringify({ id: provider.submitted[0], status: 'completed' });

    await expectError(await req(bff, '/v1/webhooks/acme', { method: 'POST', origin: null, headers: { 'X-Acme-Signature': sign(body + ' ') }, body }), 401, 'webhook_rejected');
    await expectError(await req(bff, '/v1/webhooks/acme', { method: 'POST', origin: null, body }), 401, 'webhook_rejected');
    await expectError(await req(bff, '/v1/webhooks/lumely', { method: 'POST', origin: null, headers: { 'X-Acme-Signature': sign(body) }, body }), 404, 'not_found');
    expect((await bff.deps.store.getJob(job.id))!.status).not.toBe('completed');

    const t0 = Date.now();
    const ok = await req(bff, '/v1/webhooks/acme', { method: 'POST', origin: null, headers: { 'X-Acme-Signature': sign(body) }, body });
    expect(ok.status).toBe(200);
    await waitForStatus(bff, job.id, ['completed']);
    expect(Date.now() - t0).toBeLessThan(5_000); // long before the 30 s poll
    await expectError(await req(bff, '/v1/webhooks/acme', { method: 'POST', origin: null, headers: { 'X-Acme-Signature': sign(body) }, body }), 409, 'webhook_replayed');
  });

  it('reports the provider account to the admin key only', async () => {
    const provider = { ...webhookProvider(), account: async () => ({ credits_remaining: 58 }) };
    const bff = makeBff({ providerInstance: provider });
    const { token } = await mintSession(bff);
    expect(await (await req(bff, '/v1/provider/account', { origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json()).toEqual({ provider: 'acme', account: { credits_remaining: 58 } });
    await expectError(await req(bff, '/v1/provider/account', { token }), 401, 'unauthorized');
    await expectError(await req(makeBff(), '/v1/provider/account', { origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } }), 404, 'not_found');
  });

  it('is a 404 for the local engine, which takes no webhooks', async () => {
    const bff = makeBff();
    await expectError(await req(bff, '/v1/webhooks/local', { method: 'POST', origin: null, body: '{}' }), 404, 'not_found');
  });
});
