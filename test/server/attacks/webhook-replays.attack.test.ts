import { createHmac } from 'node:crypto';
import { describe, expect } from 'vitest';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { createRoomStackProvider } from '../../../src/server/providers/roomstack/index.js';
import { expectError, makeBff, req } from '../helpers.js';
import { attack } from './ledger.js';

/**
 * Replays of captured, validly signed provider webhooks, re-encoded so that their bytes differ
 * (issue 13, item 8). Before: deduplicated on a hash of the raw headers and body, so every
 * variant below was accepted. Now the identity is the verified content.
 */
const SECRET = 'whsec_replay_test_secret_0123456789';
const post = (bff: ReturnType<typeof makeBff>, provider: string, headers: Record<string, string>, body: string) =>
  req(bff, `/v1/webhooks/${provider}`, { method: 'POST', origin: null, headers: { 'Content-Type': 'application/json', ...headers }, body });

describe('webhook replays', () => {
  attack('webhooks', 'a re-encoded Lumely delivery (upper-case hex, re-indented JSON, an extra header) is a replay; another event of the job is not', async () => {
    const bff = makeBff({ providerInstance: createLumelyProvider({ apiKey: 'lum_live_x', webhookSecret: SECRET, publicUrl: 'http://bff.test', baseUrl: 'http://127.0.0.1:9' }) });
    const payload = { event: 'job.completed', data: { id: 'lj_replay_1', status: 'completed' } };
    const body = JSON.stringify(payload);
    const sig = createHmac('sha256', SECRET).update(body).digest('hex');
    expect((await post(bff, 'lumely', { 'X-Lumely-Signature': sig }, body)).status).toBe(200);
    const variants: Array<[Record<string, string>, string]> = [
      [{ 'X-Lumely-Signature': sig }, body],
      [{ 'X-Lumely-Signature': sig.toUpperCase() }, body],
      [{ 'X-Lumely-Signature': sig }, JSON.stringify(payload, null, 2)],
      [{ 'X-Lumely-Signature': sig, 'X-Forwarded-For': '203.0.113.9' }, body],
    ];
    for (const [headers, b] of variants) await expectError(await post(bff, 'lumely', headers, b), 409, 'webhook_replayed');
    // The same job's next state is a new event.
    const failed = JSON.stringify({ event: 'job.failed', data: { id: 'lj_replay_1', status: 'failed' } });
    expect((await post(bff, 'lumely', { 'X-Lumely-Signature': createHmac('sha256', SECRET).update(failed).digest('hex') }, failed)).status).toBe(200);
  });

  attack('webhooks', 'a re-encoded RoomStack delivery (a second bogus v1= value, upper-case hex, re-indented JSON) is a replay', async () => {
    const bff = makeBff({ providerInstance: createRoomStackProvider({ apiKey: 'rs_key', webhookSecret: SECRET, publicUrl: 'http://bff.test', baseUrl: 'http://127.0.0.1:9' }) });
    const ts = String(Math.floor(Date.now() / 1000));
    const payload = { event: 'generation.completed', data: { generationId: 'gen_replay_1', status: 'completed', images: [] } };
    const signed = (b: string) => createHmac('sha256', SECRET).update(`${ts}.${b}`).digest('hex');
    const body = JSON.stringify(payload);
    expect((await post(bff, 'roomstack', { 'RoomStack-Timestamp': ts, 'RoomStack-Signature': `v1=${signed(body)}` }, body)).status).toBe(200);
    const reindented = JSON.stringify(payload, null, 2);
    const variants: Array<[Record<string, string>, string]> = [
      [{ 'RoomStack-Timestamp': ts, 'RoomStack-Signature': `v1=${signed(body)}, v1=${'0'.repeat(64)}` }, body],
      [{ 'RoomStack-Timestamp': ts, 'RoomStack-Signature': `v1=${signed(body).toUpperCase()}` }, body],
      // Re-indented and signed again: only someone with the secret can, but it is still the same event.
      [{ 'RoomStack-Timestamp': ts, 'RoomStack-Signature': `v1=${signed(reindented)}` }, reindented],
    ];
    for (const [headers, b] of variants) await expectError(await post(bff, 'roomstack', headers, b), 409, 'webhook_replayed');
  });
});
