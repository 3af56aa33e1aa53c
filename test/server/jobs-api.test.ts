import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Catalog, Credits, Job, JobPage } from '../../src/contract/index.js';
import { expectError, fixture, json, makeBff, mintSession, req, upload, waitForStatus } from './helpers.js';

const jobBody = (uploadId: string, over: Record<string, unknown> = {}) => ({ service: 'render-enhancement', config: 'interior-modern', upload_id: uploadId, ...over });

describe('catalog and credits', () => {
  it('filters the catalog by the session scopes', async () => {
    const bff = makeBff();
    const full = Catalog.parse(await (await req(bff, '/v1/services', { token: (await mintSession(bff)).token })).json());
    expect(full.services.map((s) => s.id).sort()).toEqual(['3d-plans', 'design-options', 'hdr-merge', 'render-enhancement', 'straighten', 'upscale', 'virtual-staging']);
    expect(full.resolutions).toEqual(['2K', '4K']);
    expect(full.upload).toMatchObject({ max_bytes: 10 * 1024 * 1024, max_pixels: 50_000_000 });
    expect(full.upload.content_types).toContain('image/heic');
    const staging = full.services.find((s) => s.id === 'virtual-staging')!;
    expect(staging.preview_only).toBe(true);
    expect(staging.credits).toEqual({ '2K': 2, '4K': 3 });

    const { token } = await mintSession(bff, { subject: 'a', services: ['upscale', 'render-enhancement'], max_resolution: '2K' });
    const narrow = Catalog.parse(await (await req(bff, '/v1/services', { token })).json());
    expect(narrow.services.map((s) => s.id).sort()).toEqual(['render-enhancement', 'upscale']);
    expect(narrow.resolutions).toEqual(['2K']);
    expect(narrow.services.every((s) => s.resolutions.join() === '2K' && s.credits['4K'] === undefined)).toBe(true);
  });

  it('reports the allowance and what jobs hold', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'a', max_credits: 10 });
    const up = await upload(bff, token);
    await req(bff, '/v1/jobs', { ...json(jobBody(up.id, { resolution: '4K' })), token });
    expect(Credits.parse(await (await req(bff, '/v1/credits', { token })).json())).toEqual({ max_credits: 10, used: 3, remaining: 7 });
  });
});

describe('POST /v1/uploads', () => {
  it('stores a normalized photo and serves it under a signed URL', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token, 'phone-exif-orientation-6.jpg');
    const meta = await sharp(fixture('phone-exif-orientation-6.jpg')).metadata();
    expect(meta.orientation).toBe(6);
    // Stored upright: width and height swap.
    expect([up.width, up.height]).toEqual([meta.height, meta.width]);
    const img = await req(bff, up.url, { origin: null });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const stored = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.width).toBe(up.width);
    // Read back by id (after a reload): same upload, freshly signed URL; another subject sees nothing.
    const again = await (await req(bff, `/v1/uploads/${up.id}`, { token })).json();
    expect(again).toMatchObject({ id: up.id, width: up.width, height: up.height });
    const other = await mintSession(bff, { subject: 'someone-else' });
    await expectError(await req(bff, `/v1/uploads/${up.id}`, { token: other.token }), 404, 'not_found');
    await expectError(await req(bff, `/v1/uploads/${up.id}`), 401, 'unauthorized');
  });

  it('refuses what is not an image with the documented error', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const res = await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/svg+xml' }, body: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
    await expectError(res, 415, 'unsupported_media_type');
    await expectError(await req(bff, '/v1/uploads', { method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') }), 401, 'unauthorized');
  });

  it('enforces the configured size limit', async () => {
    const bff = makeBff({ upload: { maxBytes: 100_000 } });
    const { token } = await mintSession(bff);
    await expectError(await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') }), 413, 'payload_too_large');
  });
});

describe('jobs', () => {
  it('runs a job to completion with a real output behind a signed URL', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const res = await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token });
    expect(res.status).toBe(201);
    const created = Job.parse(await res.json());
    expect(created).toMatchObject({ status: 'pending', service: 'render-enhancement', resolution: '2K', credits_charged: 2, outputs: [], error: null, variants: 1 });
    await waitForStatus(bff, created.id, ['completed']);
    const done = Job.parse(await (await req(bff, `/v1/jobs/${created.id}`, { token })).json());
    expect(done.progress).toBe(1);
    expect(done.outputs).toHaveLength(1);
    const out = done.outputs[0]!;
    expect(Math.max(out.width, out.height)).toBe(2048);
    expect(out.local_preview).toBe(false);
    const img = await req(bff, out.url, { origin: null });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe(out.content_type);
    // Short: a revoked session's links must not live on in a cache (issue 13, item 5).
    expect(img.headers.get('cache-control')).toMatch(/^private, max-age=(?:[1-5]?\d|60)$/);
    expect(img.headers.get('access-control-allow-origin')).toBe('*');
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([out.width, out.height]);
    // Conditional GET: the same ETag is a 304.
    expect((await req(bff, out.url, { origin: null, headers: { 'If-None-Match': img.headers.get('etag')! } })).status).toBe(304);
    // A tampered or re-targeted signature is a bare 404.
    const tampered = out.url.replace(/sig=([A-Za-z0-9_-])/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    await expectError(await req(bff, tampered, { origin: null }), 404, 'not_found');
    await expectError(await req(bff, out.url.replace(out.id, 'out_AAAAAAAAAAAAAAAAAAAAAAAA'), { origin: null }), 404, 'not_found');
  });

  it('marks generative outputs of the local engine as previews, and charges nothing for them', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const created = Job.parse(await (await req(bff, '/v1/jobs', { ...json({ service: 'design-options', config: 'interior-modern', upload_id: up.id, variants: 2 }), token })).json());
    // A preview is not the service: the local engine cannot add furniture, so it costs nothing.
    expect(created.credits_charged).toBe(0);
    expect(await (await req(bff, '/v1/credits', { token })).json()).toMatchObject({ used: 0 });
    await waitForStatus(bff, created.id, ['completed']);
    const done = Job.parse(await (await req(bff, `/v1/jobs/${created.id}`, { token })).json());
    expect(done.outputs.map((o) => o.local_preview)).toEqual([true, true]);
  });

  it('validates against the catalog, naming the fields', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const e1 = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'nope', upload_id: up.id, prompt: 'x', variants: 3, options: { color: 'red' } }), token }), 400, 'invalid_request');
    expect((e1.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['config', 'options.color', 'prompt', 'variants']);
    const e2 = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'teleport', config: 'x', upload_id: up.id }), token }), 400, 'invalid_request');
    expect(JSON.stringify(e2.issues)).toContain('service');
    const e3 = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', upload_id: 'job_123', resolution: '8K' }), token }), 400, 'invalid_request');
    expect((e3.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['config', 'resolution', 'upload_id']);
    await expectError(await req(bff, '/v1/jobs', { ...json(jobBody('upl_AAAAAAAAAAAAAAAAAAAAAAAA')), token }), 404, 'not_found');
  });

  it('enforces the session scopes and credit allowance', async () => {
    const bff = makeBff();
    const s = await mintSession(bff, { subject: 'a', services: ['upscale'], max_resolution: '2K', max_credits: 2 });
    const up = await upload(bff, s.token);
    await expectError(await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token: s.token }), 403, 'scope_denied');
    await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id, resolution: '4K' }), token: s.token }), 403, 'scope_denied');
    expect((await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id }), token: s.token })).status).toBe(201);
    expect((await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id }), token: s.token })).status).toBe(201);
    const err = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id }), token: s.token }), 402, 'insufficient_credits');
    expect(err).toMatchObject({ credits_required: 1, credits_remaining: 0 });
  });

  it('replays an Idempotency-Key and refuses it for another body', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const first = await req(bff, '/v1/jobs', { ...json(jobBody(up.id), { 'Idempotency-Key': 'key-1' }), token });
    const again = await req(bff, '/v1/jobs', { ...json(jobBody(up.id), { 'Idempotency-Key': 'key-1' }), token });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(Job.parse(await again.json()).id).toBe(Job.parse(await first.json()).id);
    await expectError(await req(bff, '/v1/jobs', { ...json(jobBody(up.id, { prompt: 'brighter' }), { 'Idempotency-Key': 'key-1' }), token }), 409, 'idempotency_key_reused');
    await expectError(await req(bff, '/v1/jobs', { ...json(jobBody(up.id), { 'Idempotency-Key': 'x'.repeat(256) }), token }), 400, 'invalid_request');
    expect((await bff.deps.store.listJobs({ subject: 'agent-1', limit: 10 })).length).toBe(1);
  });

  it('hides jobs, uploads and outputs of another subject behind 404', async () => {
    const bff = makeBff();
    const alice = await mintSession(bff, { subject: 'alice' });
    const bob = await mintSession(bff, { subject: 'bob' });
    const up = await upload(bff, alice.token);
    const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token: alice.token })).json());
    await expectError(await req(bff, `/v1/jobs/${job.id}`, { token: bob.token }), 404, 'not_found');
    await expectError(await req(bff, `/v1/jobs/${job.id}/events`, { token: bob.token }), 404, 'not_found');
    await expectError(await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token: bob.token }), 404, 'not_found');
    await expectError(await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token: bob.token }), 404, 'not_found');
    const page = JobPage.parse(await (await req(bff, '/v1/jobs', { token: bob.token })).json());
    expect(page.data).toEqual([]);
    // A second session of the same subject sees the job.
    const alice2 = await mintSession(bff, { subject: 'alice' });
    expect((await req(bff, `/v1/jobs/${job.id}`, { token: alice2.token })).status).toBe(200);
  });

  it('lists jobs newest first in cursor pages, filtered by status', async () => {
    const bff = makeBff({ localSpeed: 100 }); // slow: jobs stay pending while listed
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(Job.parse(await (await req(bff, '/v1/jobs', { ...json(jobBody(up.id, { reference_id: `r${i}` })), token })).json()).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: JobPage = JobPage.parse(await (await req(bff, `/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token })).json());
      seen.push(...page.data.map((j) => j.id));
      cursor = page.next_cursor;
    } while (cursor);
    // Newest first as the API promises: created_at descending, then id descending (jobs made in
    // the same millisecond have no other order).
    const created = await Promise.all(ids.map(async (id) => Job.parse(await (await req(bff, `/v1/jobs/${id}`, { token })).json())));
    const expected = created
      .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1))
      .map((j) => j.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(5);
    expect(JobPage.parse(await (await req(bff, '/v1/jobs?status=completed', { token })).json()).data).toEqual([]);
    await expectError(await req(bff, '/v1/jobs?limit=1000', { token }), 400, 'invalid_request');
    await expectError(await req(bff, '/v1/jobs?cursor=garbage', { token }), 400, 'invalid_request');
    await expectError(await req(bff, '/v1/jobs?status=weird', { token }), 400, 'invalid_request');
  });

  it('cancels a running job, releases its credits, and retries it', async () => {
    const bff = makeBff({ localSpeed: 20 });
    const { token } = await mintSession(bff, { subject: 'a', max_credits: 2 });
    const up = await upload(bff, token);
    const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token })).json());
    await waitForStatus(bff, job.id, ['compressing', 'processing']);
    const cancelled = Job.parse(await (await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token })).json());
    expect(cancelled).toMatchObject({ status: 'cancelled', credits_charged: 0 });
    expect(Job.parse(await (await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token })).json()).status).toBe('cancelled');
    // The runner stopped: the job stays cancelled and gains no outputs.
    await new Promise((r) => setTimeout(r, 300));
    expect((await bff.deps.store.getJob(job.id))!.status).toBe('cancelled');
    expect(bff.deps.runner.activeCount).toBe(0);

    const retried = Job.parse(await (await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token })).json());
    expect(retried).toMatchObject({ status: 'pending', credits_charged: 2 });
    await expectError(await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token }), 409, 'invalid_state');
  });

  it('refuses to cancel a finished job', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token);
    const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token })).json());
    await waitForStatus(bff, job.id, ['completed']);
    await expectError(await req(bff, `/v1/jobs/${job.id}/cancel`, { method: 'POST', token }), 409, 'invalid_state');
  });

  it('fails a job with the injected error, releases credits, and a retry can succeed', async () => {
    const bff = makeBff({ localFailure: 'processing:first-attempt' });
    const { token } = await mintSession(bff, { subject: 'a', max_credits: 2 });
    const up = await upload(bff, token);
    const job = Job.parse(await (await req(bff, '/v1/jobs', { ...json(jobBody(up.id)), token })).json());
    await waitForStatus(bff, job.id, ['failed']);
    const failed = Job.parse(await (await req(bff, `/v1/jobs/${job.id}`, { token })).json());
    expect(failed.credits_charged).toBe(0);
    expect(failed.error).toMatchObject({ retryable: true });
    expect(failed.error!.message.length).toBeGreaterThan(10);
    await req(bff, `/v1/jobs/${job.id}/retry`, { method: 'POST', token });
    await waitForStatus(bff, job.id, ['completed']);
  });
});
