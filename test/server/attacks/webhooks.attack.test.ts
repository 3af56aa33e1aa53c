import { describe, expect } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import { createStagingBff, type Provider } from '../../../src/server/index.js';
import { createLaminaProvider } from '../../../src/server/providers/lamina/index.js';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { createRoomStackProvider } from '../../../src/server/providers/roomstack/index.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { LAMINA_APP_IDS, startFakeLamina } from '../../fakes/lamina.js';
import { signLumelyWebhook, startFakeLumely } from '../../fakes/lumely.js';
import { startFakeRoomStack } from '../../fakes/roomstack.js';
import { afterThisTest, expectError, req, waitForStatus } from '../helpers.js';
import { socketBff } from '../support/socket-bff.js';
import { attack, storedState } from './ledger.js';

const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, retries: 2, timeoutMs: 3000 };
const LUMELY_KEY = 'lum_live_webhook_attack_0123456789ab';
const LUMELY_SECRET = 'whsec_lumely_attack_secret_0123';
const ROOMSTACK_SECRET = 'whsec_roomstack_attack_secret_0123';

async function bffWith(provider: (publicUrl: string) => Provider, port: number) {
  const { bff, server, auth, upload } = await socketBff(provider(`http://127.0.0.1:${port}`), port);
  const up = await upload();
  const runJob = async (body: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, upload_id: up.id }) });
    const job = Job.parse(await res.json());
    return waitForStatus(bff, job.id, ['completed', 'failed'], 15_000);
  };
  return { bff, server, runJob };
}

/** What an attack on the webhook route must leave untouched: the job, its outputs, the blobs. */
async function snapshot(bff: ReturnType<typeof createStagingBff>, jobId: string) {
  const job = await bff.deps.store.getJob(jobId);
  return { state: await storedState(bff, ['dev-user']), status: job!.status, updatedAt: job!.updatedAt, outputs: (await bff.deps.store.listOutputs(jobId)).map((o) => o.id) };
}

describe('provider webhooks', () => {
  attack('webhooks', 'lumely: forged, unsigned, tampered and replayed deliveries are refused; a stale event changes nothing', async () => {
    const f = await startFakeLumely({ apiKeys: [LUMELY_KEY], stepMs: 10 });
    afterThisTest(() => f.close());
    const port = await freePort();
    f.controls.setWebhook(`http://127.0.0.1:${port}/v1/webhooks/lumely`, LUMELY_SECRET, ['job.completed', 'job.failed', 'job.cancelled']);
    const { bff, runJob } = await bffWith((publicUrl) => createLumelyProvider({ baseUrl: f.url, apiKey: LUMELY_KEY, webhookSecret: LUMELY_SECRET, publicUrl, pollIntervalMs: 50, retry: fastRetry }), port);
    const job = await runJob({ service: 'render-enhancement', config: 'interior-modern' });
    expect(job.status).toBe('completed');
    await f.controls.settled();
    expect(f.state.webhookDeliveries.some((d) => d.status === 200)).toBe(true);
    const before = await snapshot(bff, job.id);
    const genuine = f.state.webhookDeliveries.find((d) => d.status === 200)!;
    const genuineBody = JSON.stringify(genuine.payload);

    expect((await f.controls.replayLastWebhook()).status).toBe(409);
    expect((await f.controls.sendWebhook({ secret: 'whsec_attacker_guess', payload: { event: 'job.failed', data: { id: 'x', output_image_url: 'http://169.254.169.254/' } } })).status).toBe(401);
    expect((await f.controls.sendWebhook({ signature: null })).status).toBe(401);
    expect((await f.controls.sendWebhook({ signature: '' })).status).toBe(401);
    expect((await f.controls.sendWebhook({ body: genuineBody.replace('completed', 'failed'), signature: signLumelyWebhook(genuineBody, LUMELY_SECRET) })).status).toBe(401);
    expect((await f.controls.sendWebhook({ signature: signLumelyWebhook(genuineBody, LUMELY_SECRET).toUpperCase().slice(0, 40) })).status).toBe(401);
    // Lumely's scheme has no timestamp: a validly signed but stale event is only a wake-up hint,
    // and the adapter re-reads the job from Lumely, so nothing about our job changes.
    const stale = await f.controls.sendWebhook({ payload: { event: 'job.failed', data: { ...(genuine.payload as { data: object }).data, status: 'failed', error_message: 'stale' } } });
    expect([200, 409]).toContain(stale.status);
    expect(await snapshot(bff, job.id)).toEqual(before);
  });

  attack('webhooks', 'roomstack: forged, tampered, replayed and stale (old timestamp) deliveries are refused', async () => {
    const rs = await startFakeRoomStack({ stepMs: 10 });
    afterThisTest(() => rs.close());
    const port = await freePort();
    const { bff, runJob } = await bffWith((publicUrl) => createRoomStackProvider({ baseUrl: `${rs.url}/api/v1`, apiKey: rs.apiKey, webhookSecret: ROOMSTACK_SECRET, publicUrl, pollIntervalMs: 50, retry: fastRetry }), port);
    rs.controls.setWebhook(`http://127.0.0.1:${port}/v1/webhooks/roomstack`, ROOMSTACK_SECRET);
    const job = await runJob({ service: 'generate', config: 'living_room', resolution: '2K' });
    expect(job.status).toBe('completed');
    const [first] = await rs.controls.waitForWebhooks(1);
    expect(first!.responseStatus).toBe(200);
    const before = await snapshot(bff, job.id);
    expect((await rs.controls.replayLastWebhook()).responseStatus).toBe(409);
    expect((await rs.controls.sendStaleWebhook(600)).responseStatus).toBe(401);
    expect((await rs.controls.sendStaleWebhook(-3600)).responseStatus).toBe(401); // from the future
    expect((await rs.controls.sendForgedWebhook()).responseStatus).toBe(401);
    expect((await rs.controls.sendTamperedWebhook()).responseStatus).toBe(401);
    expect(await snapshot(bff, job.id)).toEqual(before);
  });

  attack('webhooks', 'lamina: forged (wrong Ed25519 key), tampered, replayed and stale deliveries are refused', async () => {
    const lamina = await startFakeLamina({ stepMs: 10 });
    afterThisTest(() => lamina.close());
    const port = await freePort();
    const { bff, runJob } = await bffWith((publicUrl) => createLaminaProvider({ baseUrl: lamina.url, apiKey: lamina.apiKey, webhookSecret: 'fetch-signing-key', publicUrl, pollIntervalMs: 50, retry: fastRetry }), port);
    const job = await runJob({ service: LAMINA_APP_IDS.virtualStaging, config: 'default', options: { room_type: 'Living Room' } });
    expect(job.status).toBe('completed');
    const [first] = await lamina.controls.waitForWebhooks(1);
    expect(first!.responseStatus).toBe(200);
    const before = await snapshot(bff, job.id);
    expect((await lamina.controls.replayLastWebhook()).responseStatus).toBe(409);
    expect((await lamina.controls.sendStaleWebhook(400)).responseStatus).toBe(401);
    expect((await lamina.controls.sendForgedWebhook()).responseStatus).toBe(401);
    expect((await lamina.controls.sendTamperedWebhook()).responseStatus).toBe(401);
    expect(await snapshot(bff, job.id)).toEqual(before);
  });

  attack('webhooks', 'wrong provider path, and providers without webhooks', async () => {
    const f = await startFakeLumely({ apiKeys: [LUMELY_KEY], stepMs: 10 });
    afterThisTest(() => f.close());
    const { bff } = await bffWith((publicUrl) => createLumelyProvider({ baseUrl: f.url, apiKey: LUMELY_KEY, webhookSecret: LUMELY_SECRET, publicUrl }), await freePort());
    const body = JSON.stringify({ event: 'job.completed', data: { id: 'x' } });
    for (const path of ['roomstack', 'lamina', 'local', 'LUMELY', 'lumely%2f..%2froomstack', '..%2fjobs', '']) {
      const res = await req(bff, `/v1/webhooks/${path}`, { method: 'POST', origin: null, headers: { 'X-Lumely-Signature': signLumelyWebhook(body, LUMELY_SECRET) }, body });
      await expectError(res, 404, 'not_found');
    }
    // The right path but the GET method, and a signature for the body in the query string.
    await expectError(await req(bff, '/v1/webhooks/lumely', { origin: null }), 404, 'not_found');
    await expectError(await req(bff, `/v1/webhooks/lumely?signature=${signLumelyWebhook(body, LUMELY_SECRET)}`, { method: 'POST', origin: null, body }), 401, 'webhook_rejected');
  });

  attack('webhooks', 'oversized bodies: declared, and streamed without Content-Length (never buffered past 1 MB)', async () => {
    const f = await startFakeLumely({ apiKeys: [LUMELY_KEY], stepMs: 10 });
    afterThisTest(() => f.close());
    const { bff } = await bffWith((publicUrl) => createLumelyProvider({ baseUrl: f.url, apiKey: LUMELY_KEY, webhookSecret: LUMELY_SECRET, publicUrl }), await freePort());
    const big = '{"event":"job.completed","pad":"' + 'x'.repeat(2 * 1024 * 1024) + '"}';
    await expectError(await req(bff, '/v1/webhooks/lumely', { method: 'POST', origin: null, headers: { 'X-Lumely-Signature': signLumelyWebhook(big, LUMELY_SECRET) }, body: big }), 413, 'payload_too_large');
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled >= 1024 * 1024 * 1024) return c.close();
        pulled += 65_536;
        c.enqueue(new Uint8Array(65_536).fill(0x20));
      },
    });
    const res = await req(bff, '/v1/webhooks/lumely', { method: 'POST', origin: null, headers: { 'X-Lumely-Signature': 'ab'.repeat(32) }, body: stream, ...({ duplex: 'half' } as object) });
    await expectError(res, 413, 'payload_too_large');
    expect(pulled).toBeLessThan(4 * 1024 * 1024);
  });
});
