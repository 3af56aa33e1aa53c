import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { expectError, json, makeBff, mintSession, req, upload, waitForStatus } from '../helpers.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { tempDir } from '../temp-dir.js';
import { attack } from './ledger.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const ADMIN = { Authorization: 'Bearer test-admin-key-0123456789' };

/** Scope on every action, and caps on what a token may hold open (issue 13, items 4 and 6). */
describe('scope on every action', () => {
  attack('scope', "a retry is checked against the calling session's services, resolution, credits and revocation, and charges that session", async () => {
    const bff = makeBff({ localSpeed: 4 });
    const s1 = await mintSession(bff, { subject: 'agent' });
    const photo = await upload(bff, s1.token);
    const created = await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id, resolution: '4K' }), token: s1.token });
    const job = (await created.json()) as { id: string; credits_charged: number };
    expect((await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token: s1.token })).status).toBe(200);
    await req(bff, `/v1/sessions/${s1.session_id}`, { method: 'DELETE', origin: null, headers: { Authorization: 'Bearer test-admin-key-0123456789' } });
    await expectError(await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token: s1.token }), 401, 'session_revoked');

    // The review's exact case: a session for the same subject that may only upscale, at 2K, with no credits.
    const s2 = await mintSession(bff, { subject: 'agent', services: ['upscale'], max_resolution: '2K', max_credits: 0 });
    await expectError(await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token: s2.token }), 403, 'scope_denied');
    const s3 = await mintSession(bff, { subject: 'agent', max_resolution: '2K' });
    await expectError(await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token: s3.token }), 403, 'scope_denied');
    const s4 = await mintSession(bff, { subject: 'agent', max_credits: 1 });
    await expectError(await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token: s4.token }), 402, 'insufficient_credits');
    expect((await bff.deps.store.getJob(job.id))!.status).toBe('cancelled');

    // A session allowed all of it retries, and the credits are its own, not the revoked one's.
    const s5 = await mintSession(bff, { subject: 'agent', max_credits: 10 });
    expect((await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token: s5.token })).status).toBe(200);
    expect(await (await req(bff, '/v1/credits', { token: s5.token })).json()).toMatchObject({ used: job.credits_charged });
    expect(await bff.deps.store.creditsUsed(s1.session_id)).toBe(0);
    await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token: s5.token });
    await waitForStatus(bff, job.id, ['cancelled']);
  });

  attack('streams', 'one token cannot hold many event streams open: past the per-session cap the answer is 429 with Retry-After, and a closed stream frees its slot', async () => {
    const bff = makeBff({ localSpeed: 20, maxStreamsPerSession: 3 });
    const { token } = await mintSession(bff, { subject: 'agent' });
    const other = await mintSession(bff, { subject: 'bystander' });
    const photo = await upload(bff, token);
    const job = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }), token })).json()) as { id: string };
    const open: Response[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await req(bff, `/v1/jobs/${job.id}/events`, { token });
      expect(res.status).toBe(200);
      open.push(res);
    }
    const refused = await expectError(await req(bff, `/v1/jobs/${job.id}/events`, { token }), 429, 'rate_limited');
    expect(refused.message).toMatch(/3 live event streams/);
    // Another session is not affected by this one's streams.
    const otherPhoto = await upload(bff, other.token);
    const otherJob = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: otherPhoto.id }), token: other.token })).json()) as { id: string };
    const theirs = await req(bff, `/v1/jobs/${otherJob.id}/events`, { token: other.token });
    expect(theirs.status).toBe(200);
    await theirs.body!.cancel();
    // Closing one stream gives its slot back.
    await open[0]!.body!.cancel();
    const end = Date.now() + 10_000;
    let again: Response;
    for (;;) {
      again = await req(bff, `/v1/jobs/${job.id}/events`, { token });
      if (again.status === 200 || Date.now() > end) break;
      await again.body?.cancel();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(again.status).toBe(200);
    for (const r of [again, ...open.slice(1)]) await r.body!.cancel();
    await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token });
    await req(bff, `/v1/jobs/${otherJob.id}/cancel`, { method: 'POST', token: other.token });
  });

  attack('links', "revoking a session ends its signed upload and output links at once, on every instance sharing the store, and browsers may cache them only briefly", async () => {
    // Two instances on one Redis store and one blob directory, as behind a load balancer.
    const prefix = `links-${Date.now().toString(36)}`;
    const dataDir = join(tempDir(), 'blobs');
    const a = makeBff({ store: `${redis.url}/?prefix=${prefix}`, dataDir });
    const b = makeBff({ store: `${redis.url}/?prefix=${prefix}`, dataDir });
    const s1 = await mintSession(a, { subject: 'agent' });
    const photo = await upload(a, s1.token);
    const created = (await (await req(a, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: photo.id }), token: s1.token })).json()) as { id: string };
    await waitForStatus(a, created.id, ['completed']);
    const done = (await (await req(a, `/v1/jobs/${created.id}`, { token: s1.token })).json()) as { outputs: Array<{ url: string }> };
    const links = [photo.url, done.outputs[0]!.url];
    for (const url of links) {
      for (const bff of [a, b]) {
        const res = await req(bff, url, { origin: null });
        expect(res.status, url).toBe(200);
        const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('Cache-Control') ?? '')?.[1]);
        expect(maxAge).toBeLessThanOrEqual(60);
        expect(res.headers.get('Cache-Control')).not.toContain('immutable');
        await res.arrayBuffer();
      }
    }
    // The same subject signs in again: a link handed to the new session outlives the old one.
    const s2 = await mintSession(a, { subject: 'agent' });
    const again = (await (await req(a, `/v1/uploads/${photo.id}`, { token: s2.token })).json()) as { url: string };

    expect((await req(a, `/v1/sessions/${s1.session_id}`, { method: 'DELETE', origin: null, headers: ADMIN })).status).toBe(204);
    for (const url of links) {
      for (const bff of [a, b]) {
        const err = await expectError(await req(bff, url, { origin: null }), 404, 'not_found');
        expect(err.message).toMatch(/signed out/);
      }
    }
    const fresh = await req(b, again.url, { origin: null });
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();
    // Removing the session id from a link does not make it a link without a session: the signature covers it.
    const stripped = links[0]!.replace(/&sid=[^&]+/, '');
    await expectError(await req(a, stripped, { origin: null }), 404, 'not_found');
  });
});
