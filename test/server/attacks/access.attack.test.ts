import { describe, expect } from 'vitest';
import { Job, JobPage } from '../../../src/contract/index.js';
import { expectError, json, req, upload } from '../helpers.js';
import { attack, nothingStored } from './ledger.js';
import { randomId, twoSubjects, victimJob } from './support.js';

const ALICE_ORIGIN = 'https://listings.example.com';

async function setup() {
  const s = await twoSubjects();
  const { up, job } = await victimJob(s.bff, s.alice.token);
  expect(job.status).toBe('completed');
  return { ...s, up, job };
}

describe('cross-subject access', () => {
  attack('access', "reading another subject's job, its events and its upload → the same 404 as a missing one", async () => {
    const { bff, mallory, up, job } = await setup();
    const m = mallory.token;
    const foreign = await expectError(await req(bff, `/v1/jobs/${job.id}`, { token: m }), 404, 'not_found');
    const missing = await expectError(await req(bff, `/v1/jobs/${randomId('job')}`, { token: m }), 404, 'not_found');
    expect(foreign.message).toBe(missing.message);
    expect(JSON.stringify(foreign)).not.toContain(job.id);
    await expectError(await req(bff, `/v1/jobs/${job.id}/events`, { token: m }), 404, 'not_found');
    const fu = await expectError(await req(bff, `/v1/uploads/${up.id}`, { token: m }), 404, 'not_found');
    const mu = await expectError(await req(bff, `/v1/uploads/${randomId('upl')}`, { token: m }), 404, 'not_found');
    expect(fu.message).toBe(mu.message);
  });

  attack('access', "cancelling and retrying another subject's job", async () => {
    const { bff, alice, mallory } = await setup();
    // A job of alice's that is still cancellable, and one that failed (retryable).
    const up = await upload(bff, alice.token);
    const running = Job.parse(await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }), token: alice.token, origin: ALICE_ORIGIN })).json());
    await nothingStored(bff, ['mallory'], async () => {
      await expectError(await req(bff, `/v1/jobs/${running.id}/cancel`, { method: 'POST', token: mallory.token }), 404, 'not_found');
      await expectError(await req(bff, `/v1/jobs/${running.id}/retry`, { method: 'POST', token: mallory.token }), 404, 'not_found');
    });
    expect((await bff.deps.store.getJob(running.id))!.status).not.toBe('cancelled');
    const cancelled = Job.parse(await (await req(bff, `/v1/jobs/${running.id}/cancel`, { method: 'POST', token: alice.token })).json());
    const attempt = (await bff.deps.store.getJob(cancelled.id))!.attempt;
    await expectError(await req(bff, `/v1/jobs/${cancelled.id}/retry`, { method: 'POST', token: mallory.token }), 404, 'not_found');
    expect(await bff.deps.store.getJob(cancelled.id)).toMatchObject({ status: 'cancelled', attempt });
  });

  attack('access', "creating a job from another subject's upload, mask or reference image", async () => {
    const { bff, mallory, up } = await setup();
    const own = await upload(bff, mallory.token);
    await nothingStored(bff, ['alice', 'mallory'], async () => {
      for (const body of [
        { service: 'render-enhancement', config: 'interior-modern', upload_id: up.id },
        { service: 'render-enhancement', config: 'interior-modern', upload_id: own.id, mask_upload_id: up.id },
        { service: 'virtual-staging', config: 'living-room', upload_id: own.id, reference_upload_id: up.id },
        { service: 'render-enhancement', config: 'interior-modern', upload_id: randomId('upl') },
      ]) {
        const e = await expectError(await req(bff, '/v1/jobs', { ...json(body), token: mallory.token }), 404, 'not_found');
        expect(['upload_id', 'mask_upload_id', 'reference_upload_id']).toContain(e.field);
      }
    });
    expect(await bff.deps.store.creditsUsed((await bff.deps.store.listJobs({ subject: 'mallory', limit: 1 }))[0]?.sessionId ?? 'none')).toBe(0);
  });

  attack('access', "listing: filters and a cursor built from another subject's job never show it", async () => {
    const { bff, mallory, job } = await setup();
    const forged = Buffer.from(JSON.stringify(['9999-12-31T00:00:00.000Z', job.id])).toString('base64url');
    for (const q of ['', '?status=completed', '?limit=100', `?cursor=${forged}`, `?status=completed&cursor=${forged}`]) {
      const res = await req(bff, `/v1/jobs${q}`, { token: mallory.token });
      expect(res.status).toBe(200);
      const page = JobPage.parse(await res.json());
      expect(page.data).toEqual([]);
    }
    await expectError(await req(bff, `/v1/jobs?subject=alice`, { token: mallory.token }), 400, 'invalid_request');
  });

  attack('access', "an Idempotency-Key alice used does not hand mallory alice's job", async () => {
    const { bff, alice, mallory } = await setup();
    const up = await upload(bff, alice.token);
    const body = { service: 'render-enhancement', config: 'interior-modern', upload_id: up.id };
    const a = await req(bff, '/v1/jobs', { ...json(body, { 'Idempotency-Key': 'order-42' }), token: alice.token, origin: ALICE_ORIGIN });
    expect(a.status).toBe(201);
    // Same key, same body (alice's upload): a 404 for the upload, not a 200 replay of alice's job.
    await expectError(await req(bff, '/v1/jobs', { ...json(body, { 'Idempotency-Key': 'order-42' }), token: mallory.token }), 404, 'not_found');
    const own = await upload(bff, mallory.token);
    const m = await req(bff, '/v1/jobs', { ...json({ ...body, upload_id: own.id }, { 'Idempotency-Key': 'order-42' }), token: mallory.token });
    expect(m.status).toBe(201);
    expect(Job.parse(await m.json()).id).not.toBe(Job.parse(await a.json()).id);
  });

  attack('access', 'enumerating ids: 60 random well-formed and malformed ids → 404, one message per kind', async () => {
    const { bff, mallory, job, up } = await setup();
    const messages = new Set<string>();
    const ids = [
      ...Array.from({ length: 20 }, () => randomId('job')),
      job.id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      job.id.toLowerCase(),
      job.id.slice(0, -1),
      `${job.id}%00`,
      up.id,
      'job_',
      '1',
      "job_' OR '1'='1",
    ];
    await nothingStored(bff, ['alice', 'mallory'], async () => {
      for (const id of ids) {
        for (const suffix of ['', '/events']) {
          const e = await expectError(await req(bff, `/v1/jobs/${encodeURIComponent(id)}${suffix}`, { token: mallory.token }), 404, 'not_found');
          messages.add(e.message);
        }
        for (const act of ['cancel', 'retry']) {
          const e = await expectError(await req(bff, `/v1/jobs/${encodeURIComponent(id)}/${act}`, { method: 'POST', token: mallory.token }), 404, 'not_found');
          messages.add(e.message);
        }
      }
      for (let i = 0; i < 20; i++) messages.add((await expectError(await req(bff, `/v1/uploads/${randomId('upl')}`, { token: mallory.token }), 404, 'not_found')).message);
    });
    expect(messages.size).toBe(2); // "No job with that id…" and "No upload with that id…"
  });
});

describe('signed output and upload URLs', () => {
  attack('signed-urls', 'tampered id, expires and sig', async () => {
    const { bff, job, up } = await setup();
    const url = new URL(job.outputs[0]!.url);
    expect((await req(bff, url.pathname + url.search, { origin: null })).status).toBe(200);
    const id = url.pathname.split('/').pop()!;
    const expires = url.searchParams.get('expires')!;
    const sig = url.searchParams.get('sig')!;
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const variants = [
      `/v1/outputs/${randomId('out')}?expires=${expires}&sig=${sig}`,
      `/v1/outputs/${id}?expires=${Number(expires) + 1}&sig=${sig}`,
      `/v1/outputs/${id}?expires=${Number(expires) + 10 * 365 * 86400}&sig=${sig}`,
      // The same expiry in another spelling is another URL: only the canonical form is signed.
      `/v1/outputs/${id}?expires=${expires}.0&sig=${sig}`,
      `/v1/outputs/${id}?expires=0${expires}&sig=${sig}`,
      `/v1/outputs/${id}?expires=0x${Number(expires).toString(16)}&sig=${sig}`,
      `/v1/outputs/${id}?expires=%20${expires}&sig=${sig}`,
      `/v1/outputs/${id}?expires=${expires}&sig=${flip(sig)}`,
      `/v1/outputs/${id}?expires=${expires}&sig=${sig.slice(0, -1)}`,
      `/v1/outputs/${id}?expires=${expires}&sig=`,
      `/v1/outputs/${id}?expires=${expires}`,
      `/v1/outputs/${id}?sig=${sig}`,
      `/v1/outputs/${id}`,
      `/v1/outputs/${id}?expires=${expires}&sig=${sig}&sig=x`.replace(`sig=${sig}&`, 'sig=x&'),
      `/v1/uploads/${up.id}/content?expires=${expires}&sig=${sig}`,
    ];
    for (const v of variants) {
      const res = await req(bff, v, { origin: null });
      expect(res.headers.get('content-type')).toMatch(/json/);
      await expectError(res, 404, 'not_found');
    }
  });

  attack('signed-urls', 'an expired link is refused', async () => {
    const { bff, job } = await setup();
    const path = new URL(job.outputs[0]!.url).pathname;
    const old = bff.deps.tokens.signPath(path, 60, Date.now() - 3600_000);
    await expectError(await req(bff, old, { origin: null }), 404, 'not_found');
    const zero = bff.deps.tokens.signPath(path, 0);
    await expectError(await req(bff, zero, { origin: null }), 404, 'not_found');
  });

  attack('signed-urls', "an upload's signature reused on an output path and vice versa", async () => {
    const { bff, job, up } = await setup();
    const uploadUrl = new URL(up.url);
    const outUrl = new URL(job.outputs[0]!.url);
    const outId = outUrl.pathname.split('/').pop()!;
    await expectError(await req(bff, `/v1/outputs/${outId}${uploadUrl.search}`, { origin: null }), 404, 'not_found');
    await expectError(await req(bff, `/v1/outputs/${up.id}${uploadUrl.search}`, { origin: null }), 404, 'not_found');
    await expectError(await req(bff, `/v1/uploads/${up.id}/content${outUrl.search}`, { origin: null }), 404, 'not_found');
    // A job id signed as if it were a path: the widget-token routes never accept a signature.
    await expectError(await req(bff, `/v1/jobs/${job.id}${outUrl.search}`, { origin: null }), 401, 'unauthorized');
  });

  attack('signed-urls', 'path traversal in ids (..%2f, encoded slashes, backslashes, dot segments)', async () => {
    const { bff, up } = await setup();
    const search = new URL(up.url).search;
    const sign = (p: string) => bff.deps.tokens.signPath(p, 600);
    const evil = [
      `/v1/outputs/..%2fuploads%2f${up.id}%2fcontent${search}`,
      `/v1/outputs/..%2F..%2F..%2Fetc%2Fpasswd${search}`,
      `/v1/outputs/%2e%2e%2f%2e%2e%2fstaging.db${search}`,
      `/v1/outputs/..%5c..%5cetc%5cpasswd${search}`,
      `/v1/uploads/..%2f..%2fetc%2fpasswd/content${search}`,
      // Even a genuinely signed traversal path must not reach the file system.
      sign('/v1/outputs/..%2f..%2fetc%2fpasswd'),
      sign('/v1/outputs/../../etc/passwd'),
      sign(`/v1/uploads/..%2F${up.id}/content`),
    ];
    for (const path of evil) {
      const res = await req(bff, path, { origin: null });
      const text = await res.clone().text();
      expect(text).not.toContain('root:');
      await expectError(res, 404, 'not_found');
    }
  });
});
