/**
 * Self-tests for the fake Lumely server: each documented behaviour is exercised with plain
 * fetch, the way an adapter would, so adapter tests can trust the fake.
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startFakeLumely, type FakeLumely, type LumelyOptions } from '../../fakes/lumely.js';
import { afterThisTest } from '../temp-dir.js';

const KEY = 'lum_live_test_0123456789abcdef';
const photo = readFileSync(new URL('../../fixtures/living-room-render.jpg', import.meta.url)); // 1600×960
const dataUri = `data:image/jpeg;base64,${photo.toString('base64')}`;

// Verbatim from the Lumely docs ("Verify it using your webhook secret").
function verifyWebhookSignature(payload: unknown, signature: string, secret: string) {
  const expected = crypto.createHmac('sha256', secret).update(JSON.stringify(payload)).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
// timingSafeEqual throws on a length mismatch; a forged signature of another length must read as "invalid".
const verifies = (body: string, sig: string | undefined, secret: string) => {
  try {
    return sig !== undefined && verifyWebhookSignature(JSON.parse(body), sig, secret);
  } catch {
    return false;
  }
};

async function fake(opts: Partial<LumelyOptions> = {}): Promise<FakeLumely> {
  const f = await startFakeLumely({ apiKeys: [KEY], stepMs: 10, ...opts });
  afterThisTest(() => f.close());
  return f;
}

function api(f: FakeLumely, path: string, init: { method?: string; body?: unknown; key?: string | null; signal?: AbortSignal } = {}) {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers.Authorization = `Bearer ${init.key ?? KEY}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(f.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

async function uploadPhoto(f: FakeLumely): Promise<string> {
  const res = await api(f, '/upload', { body: { image: dataUri } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { storage_path: string }).storage_path;
}

async function createJob(f: FakeLumely, extra: Record<string, unknown> = {}) {
  const storage_path = await uploadPhoto(f);
  const res = await api(f, '/jobs', { body: { service_type: 'virtual-staging', config_id: 'living-room', storage_path, ...extra } });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function pollUntil(f: FakeLumely, id: string, statuses: string[]): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const job = (await (await api(f, `/jobs/${id}`)).json()) as Record<string, unknown>;
    if (statuses.includes(job.status as string)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} stuck in ${String(job.status)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A stand-in for our BFF's webhook endpoint: records raw bodies exactly as received. */
async function webhookReceiver(status = 200) {
  const received: Array<{ body: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status).end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/lumely`, received };
}

describe('fake Lumely: auth and account', () => {
  it('serves the documented base path and refuses missing, wrong, non-API-key and revoked credentials with 401 { error, message }', async () => {
    const f = await fake();
    expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    for (const key of [null, 'lum_live_wrong', 'eyJhbGciOiJIUzI1NiJ9.e30.sig']) {
      const res = await api(f, '/credits', { key });
      expect(res.status).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(typeof body.error).toBe('string');
      expect(typeof body.message).toBe('string');
    }
    const ok = await api(f, '/credits');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ credits_remaining: 60, credits_total: 60, plan_id: 'basic', subscription_status: 'active' });

    const keys = (await (await api(f, '/api-keys')).json()) as { api_keys: Array<{ id: string }> };
    const id = keys.api_keys[0]!.id;
    expect((await api(f, `/api-keys/${id}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(200);
    expect((await api(f, '/credits')).status).toBe(401);
    // The recorded request keeps the scheme and key prefix but never the secret.
    expect(f.state.requests.at(-1)!.headers.authorization).toMatch(/^Bearer lum_live_…\[redacted\]$/);
  });

  it('sends X-RateLimit-Limit/Remaining/Reset (ISO 8601) on every response and a real 429 with Retry-After past the limit', async () => {
    const f = await fake({ rateLimitPerMinute: 3 });
    const first = await api(f, '/credits', { key: 'lum_live_wrong' });
    expect(first.status).toBe(401);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    const reset = first.headers.get('x-ratelimit-reset')!;
    expect(reset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(reset)).toBeGreaterThan(Date.now());
    await api(f, '/credits');
    await api(f, '/credits');
    const limited = await api(f, '/credits');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await limited.json()) as { error: string }).error).toBe('Rate limit exceeded');
  });

  it('lists the documented services, credits and resolutions, and the enterprise block when configured', async () => {
    const f = await fake({ enterprise: { company_name: 'Acme Architecture', allowed_services: ['render-enhancement'] } });
    const body = (await (await api(f, '/services')).json()) as { services: Array<Record<string, unknown>>; resolutions: string[] };
    expect(body.services.map((s) => s.id)).toEqual(['render-enhancement', 'virtual-staging', 'design-options', '3d-plans']);
    expect(body.services.find((s) => s.id === 'virtual-staging')).toMatchObject({ credits_2k: 2, credits_4k: 3, supports_mask: true, supports_reference_image: true });
    expect(body.resolutions).toEqual(['2K', '4K']);
    const credits = (await (await api(f, '/credits')).json()) as Record<string, unknown>;
    expect(credits.enterprise).toMatchObject({ company_name: 'Acme Architecture' });
    const { res } = await createJob(f);
    expect(res.status).toBe(403); // virtual-staging is not in allowed_services
  });

  it('answers an unsupported method with 405 and the "allowed" array', async () => {
    const f = await fake();
    const res = await api(f, '/credits', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { allowed: string[] }).allowed).toEqual(['GET']);
  });
});

describe('fake Lumely: upload and job validation', () => {
  it('accepts base64 with or without the data: prefix and validates the image', async () => {
    const f = await fake();
    const withPrefix = await api(f, '/upload', { body: { image: dataUri } });
    expect(withPrefix.status).toBe(201);
    const { storage_path } = (await withPrefix.json()) as { storage_path: string };
    expect(storage_path).toMatch(/^[0-9a-f-]{36}\/api_\d+_[0-9a-f]{12}\.jpg$/);
    expect(f.state.uploads.get(storage_path)!.bytes.equals(photo)).toBe(true);
    const png = await sharp(photo).png().toBuffer();
    expect((await api(f, '/upload', { body: { image: png.toString('base64') } })).status).toBe(201);

    for (const body of [{}, { image: 42 }, { image: 'not base64!!' }, { image: Buffer.from('hello world').toString('base64') }, { image: 'data:text/plain;base64,aGVsbG8=' }]) {
      const res = await api(f, '/upload', { body });
      expect(res.status).toBe(400);
      expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    }
  });

  it('enforces the 10 MB body limit', async () => {
    const f = await fake();
    const res = await api(f, '/upload', { body: { image: 'A'.repeat(10 * 1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('Payload too large');
    expect(f.state.uploads.size).toBe(0);
  });

  it('rejects missing or invalid job fields with 400 { error, message } and foreign storage paths with 403', async () => {
    const f = await fake({ autoAdvance: false });
    const storage_path = await uploadPhoto(f);
    const base = { service_type: 'virtual-staging', config_id: 'living-room', storage_path };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...base, service_type: undefined }, 400, 'service_type'],
      [{ ...base, service_type: 'sky-replacement' }, 400, 'service_type'],
      [{ ...base, config_id: undefined }, 400, 'config_id'],
      [{ ...base, config_id: 'aerial' }, 400, 'config_id'],
      [{ ...base, storage_path: undefined }, 400, 'storage_path'],
      [{ ...base, storage_path: 'other-user/api_1_aaaaaaaaaaaa.jpg' }, 403, 'Storage path'],
      [{ ...base, resolution: '8K' }, 400, 'resolution'],
      [{ ...base, reference_id: 'x'.repeat(256) }, 400, 'reference_id'],
      [{ ...base, idempotency_key: 'k'.repeat(256) }, 400, 'idempotency_key'],
      [{ ...base, service_type: '3d-plans', config_id: 'residential', mask_base64: photo.toString('base64') }, 400, 'Mask'],
      [{ ...base, service_type: 'render-enhancement', config_id: 'interior-modern', reference_image_base64: photo.toString('base64') }, 400, 'Reference'],
      [{ ...base, mask_base64: 'nope' }, 400, 'mask_base64'],
      [{ ...base, options: 'warm' }, 400, 'options'],
      [{ ...base, options: { lightning: 'warm' } }, 400, 'options'],
      [{ ...base, location: { latitude: 123 } }, 400, 'location'],
    ];
    for (const [body, status, mention] of cases) {
      const res = await api(f, '/jobs', { body });
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toContain(mention);
    }
    expect(f.state.jobs.size).toBe(0);
    expect(f.state.credits.remaining).toBe(60);
  });

  it('accepts every documented optional field and records it on the job', async () => {
    const f = await fake({ autoAdvance: false });
    const ref = await uploadPhoto(f);
    const mask = await sharp({ create: { width: 160, height: 96, channels: 3, background: '#fff' } }).png().toBuffer();
    const { res, body } = await createJob(f, {
      resolution: '2K',
      prompt: 'Modern Scandinavian style with warm lighting',
      mask_base64: mask.toString('base64'),
      reference_image_storage_path: ref,
      reference_id: 'project-42-room-3',
      idempotency_key: 'idem-optional-fields',
      options: { lighting: 'warm', style: 'modern' },
      location: { description: 'Grafton Street, Dublin, Ireland', city: 'Dublin', region: 'County Dublin', country: 'Ireland', latitude: 53.3411, longitude: -6.2603 },
    });
    expect(res.status).toBe(201);
    const rec = f.state.jobs.get(body.id as string)!;
    expect(rec.mask?.equals(mask)).toBe(true);
    expect(rec.referenceImageStoragePath).toBe(ref);
    expect(rec.job).toMatchObject({ prompt: 'Modern Scandinavian style with warm lighting', reference_id: 'project-42-room-3', options: { lighting: 'warm' }, location: { city: 'Dublin' } });
  });
});

describe('fake Lumely: job lifecycle', () => {
  it('runs upload → job → poll → completed and serves a real, tinted 2K JPEG at a public output_image_url', async () => {
    const f = await fake();
    const { res, body } = await createJob(f, { prompt: 'warm Scandinavian' });
    expect(res.status).toBe(201);
    expect(body).toEqual({ id: expect.any(String), status: 'pending', poll_url: `/api/v1/jobs/${body.id as string}` });
    const done = await pollUntil(f, body.id as string, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.error_message).toBeNull();
    expect(f.state.jobs.get(body.id as string)!.history).toEqual(['pending', 'compressing', 'processing', 'completed']);

    const img = await fetch(done.output_image_url as string); // public: no Authorization
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await img.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2048, 1229]);
    // The output must differ from the input photo, or an adapter returning its input would pass.
    const [a, b] = await Promise.all([sharp(bytes).resize(8, 8).raw().toBuffer(), sharp(photo).resize(8, 8).raw().toBuffer()]);
    expect(a.equals(b)).toBe(false);
    expect(f.state.credits.remaining).toBe(58);
  });

  it('renders 4K at 3840 px for 3 credits, and refuses 4K without a paid plan (403)', async () => {
    const f = await fake({ autoAdvance: false });
    const { body } = await createJob(f, { resolution: '4K' });
    const done = await f.controls.finish(body.id as string);
    const meta = await sharp(Buffer.from(await (await fetch(done.output_image_url!)).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([3840, 2304]);
    expect(f.state.credits.remaining).toBe(57);

    f.controls.setPaidPlan(false);
    const { res } = await createJob(f, { resolution: '4K' });
    expect(res.status).toBe(403);
  });

  it('answers insufficient credits with the documented 403 body', async () => {
    const f = await fake({ credits: 1 });
    const { res, body } = await createJob(f);
    expect(res.status).toBe(403);
    expect(body).toEqual({ error: 'Insufficient credits', message: 'You need 2 credits but only have 1 remaining.', credits_required: 2, credits_remaining: 1 });
  });

  it('returns the existing job with 200 for a repeated idempotency_key and charges once', async () => {
    const f = await fake({ autoAdvance: false });
    const storage_path = await uploadPhoto(f);
    const job = { service_type: 'render-enhancement', config_id: 'exterior-modern', storage_path, idempotency_key: 'bff-job-123' };
    const first = await api(f, '/jobs', { body: job });
    const second = await api(f, '/jobs', { body: job });
    expect([first.status, second.status]).toEqual([201, 200]);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as Array<{ id: string }>;
    expect(b!.id).toBe(a!.id);
    expect(f.state.jobs.size).toBe(1);
    expect(f.state.idempotencyKeys.get('bff-job-123')).toBe(a!.id);
    expect(f.state.credits.remaining).toBe(58);
  });

  it('cancels pending jobs and retries cancelled/failed ones (POST or PATCH), re-charging credits', async () => {
    const f = await fake({ autoAdvance: false });
    const { body } = await createJob(f);
    const id = body.id as string;
    await f.controls.advance(id); // compressing
    const cancelled = await api(f, `/jobs/${id}`, { method: 'POST', body: { action: 'cancel' } });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
    expect((await api(f, `/jobs/${id}`, { method: 'POST', body: { action: 'cancel' } })).status).toBe(400);
    expect((await api(f, `/jobs/${id}`, { method: 'POST', body: { action: 'explode' } })).status).toBe(400);
    expect((await api(f, `/jobs/${id}`, { method: 'POST', body: {} })).status).toBe(400);

    const retried = await api(f, `/jobs/${id}`, { method: 'PATCH', body: { action: 'retry' } });
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { status: string }).status).toBe('pending');
    expect(f.state.credits.remaining).toBe(56);
    const done = await f.controls.finish(id);
    expect(done.status).toBe('completed');
    expect((await api(f, `/jobs/${id}`, { method: 'POST', body: { action: 'retry' } })).status).toBe(400);
    expect((await api(f, `/jobs/${id}`, { method: 'DELETE' })).status).toBe(405);
    expect((await api(f, '/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);

    f.controls.failNext('job-fails');
    const second = await createJob(f);
    const failed = await f.controls.finish(second.body.id as string);
    expect(failed.status).toBe('failed');
    f.controls.setCredits(0);
    const noCredits = await api(f, `/jobs/${failed.id}`, { method: 'POST', body: { action: 'retry' } });
    expect(noCredits.status).toBe(403);
    expect(((await noCredits.json()) as { error: string }).error).toBe('Insufficient credits');
  });

  it('lists jobs filtered by status and service_type with limit/offset', async () => {
    const f = await fake({ autoAdvance: false });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createJob(f)).body.id as string);
    await f.controls.finish(ids[0]!);
    const all = (await (await api(f, '/jobs')).json()) as { jobs: Array<{ id: string }>; total: number; limit: number; offset: number };
    expect([all.total, all.limit, all.offset, all.jobs.length]).toEqual([3, 50, 0, 3]);
    const completed = (await (await api(f, '/jobs?status=completed')).json()) as { jobs: Array<{ id: string }> };
    expect(completed.jobs.map((j) => j.id)).toEqual([ids[0]]);
    const page = (await (await api(f, '/jobs?service_type=virtual-staging&limit=1&offset=1')).json()) as { jobs: unknown[]; total: number };
    expect([page.jobs.length, page.total]).toEqual([1, 3]);
    expect((await api(f, '/jobs?service_type=render-enhancement').then((r) => r.json()) as { total: number }).total).toBe(0);
    expect((await api(f, '/jobs?status=done')).status).toBe(400);
    expect((await api(f, '/jobs?limit=abc')).status).toBe(400);
  });
});

describe('fake Lumely: failure injection', () => {
  it('injects 500, 429 (Retry-After + rate-limit headers), 401 and insufficient-credits once each', async () => {
    const f = await fake({ autoAdvance: false, retryAfterSeconds: 2 });
    f.controls.failNext('500');
    const e500 = await api(f, '/credits');
    expect(e500.status).toBe(500);
    expect(typeof ((await e500.json()) as { message: unknown }).message).toBe('string');

    f.controls.failNext('429');
    const e429 = await api(f, '/credits');
    expect(e429.status).toBe(429);
    expect(e429.headers.get('retry-after')).toBe('2');
    expect(e429.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Date.parse(e429.headers.get('x-ratelimit-reset')!)).not.toBeNaN();

    f.controls.failNext('401');
    expect((await api(f, '/credits')).status).toBe(401);
    expect((await api(f, '/credits')).status).toBe(200);

    f.controls.failNext('insufficient-credits');
    expect((await api(f, '/credits')).status).toBe(200); // waits for job creation
    const { res, body } = await createJob(f, { resolution: '4K' });
    expect(res.status).toBe(403);
    expect(body).toMatchObject({ error: 'Insufficient credits', credits_required: 3 });
    expect(body.credits_remaining as number).toBeLessThan(3);
    expect(f.state.jobs.size).toBe(0);
  });

  it('never answers on "timeout", destroys the socket on "drop", and truncates the JSON on "malformed-json"', async () => {
    const f = await fake();
    f.controls.failNext('timeout', { path: '/credits' });
    await expect(api(f, '/credits', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(f.state.requests.at(-1)!.outcome).toBe('timeout');

    f.controls.failNext('drop');
    await expect(api(f, '/credits')).rejects.toThrow();
    expect(f.state.requests.at(-1)!.outcome).toBe('drop');

    f.controls.failNext('malformed-json');
    const res = await api(f, '/credits');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow();
  });

  it('can lose the response after the job was created, so a retry with the same idempotency_key finds it', async () => {
    const f = await fake({ autoAdvance: false });
    const storage_path = await uploadPhoto(f);
    const job = { service_type: 'virtual-staging', config_id: 'bedroom', storage_path, idempotency_key: 'lost-response' };
    f.controls.failNext('drop', { method: 'POST', path: '/jobs', afterHandler: true });
    await expect(api(f, '/jobs', { body: job })).rejects.toThrow();
    expect(f.state.jobs.size).toBe(1);
    const again = await api(f, '/jobs', { body: job });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe([...f.state.jobs.keys()][0]);
  });

  it('"job-fails" ends the next job failed with error_message, and it can be retried', async () => {
    const f = await fake();
    f.controls.failNext('job-fails', { errorMessage: 'Model overloaded' });
    const { body } = await createJob(f);
    const failed = await pollUntil(f, body.id as string, ['completed', 'failed']);
    expect(failed).toMatchObject({ status: 'failed', error_message: 'Model overloaded', output_image_url: null });
    await api(f, `/jobs/${body.id as string}`, { method: 'POST', body: { action: 'retry' } });
    expect((await pollUntil(f, body.id as string, ['completed', 'failed'])).status).toBe('completed');
  });
});

describe('fake Lumely: webhooks', () => {
  it('registers via POST /webhooks and delivers signed job.completed / job.failed / job.cancelled payloads the docs code verifies', async () => {
    const f = await fake({ autoAdvance: false });
    const hook = await webhookReceiver();
    expect((await api(f, '/webhooks', { body: { url: 'http://example.com/hook' } })).status).toBe(400); // HTTPS unless localhost
    expect((await api(f, '/webhooks', { body: { url: hook.url, events: ['job.exploded'] } })).status).toBe(400);
    const reg = await api(f, '/webhooks', { body: { url: hook.url, events: ['job.completed', 'job.failed', 'job.cancelled'] } });
    expect(reg.status).toBe(201);
    const { secret, id: webhookId } = (await reg.json()) as { secret: string; id: string };
    expect(secret.length).toBeGreaterThan(16);

    const ok = await createJob(f);
    await f.controls.finish(ok.body.id as string);
    f.controls.failNext('job-fails');
    const bad = await createJob(f);
    await f.controls.finish(bad.body.id as string);
    const gone = await createJob(f);
    await api(f, `/jobs/${gone.body.id as string}`, { method: 'PATCH', body: { action: 'cancel' } });
    await f.controls.settled();

    expect(hook.received).toHaveLength(3);
    const events = hook.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> });
    expect(events.map((e) => e.event)).toEqual(['job.completed', 'job.failed', 'job.cancelled']);
    expect(events[0]!.data).toMatchObject({ id: ok.body.id, status: 'completed', output_image_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.jpg$/) });
    expect(events[1]!.data).toMatchObject({ status: 'failed', error_message: expect.any(String) });
    for (const r of hook.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(verifies(r.body, r.headers['x-lumely-signature'] as string, secret)).toBe(true);
      expect(verifies(r.body, r.headers['x-lumely-signature'] as string, 'whsec_wrong')).toBe(false);
    }
    expect(f.state.webhookDeliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(f.state.outboundFetches.every((x) => x.url === hook.url && x.method === 'POST')).toBe(true);

    // Deactivated webhooks receive nothing; default subscription excludes job.cancelled.
    expect((await api(f, `/webhooks/${webhookId}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(200);
    await f.controls.finish((await createJob(f)).body.id as string);
    await f.controls.settled();
    expect(hook.received).toHaveLength(3);
    const list = (await (await api(f, '/webhooks')).json()) as { webhooks: Array<Record<string, unknown>> };
    expect(list.webhooks[0]).toMatchObject({ id: webhookId, is_active: false });
    expect(list.webhooks[0]!.secret).toBeUndefined();
  });

  it('replays, forges and sends stale deliveries for attack tests', async () => {
    const f = await fake({ autoAdvance: false });
    const hook = await webhookReceiver();
    f.controls.setWebhook(hook.url, 'whsec_known_secret', ['job.completed', 'job.failed', 'job.cancelled']);
    f.controls.failNext('job-fails');
    const { body } = await createJob(f);
    const id = body.id as string;
    await f.controls.finish(id); // job.failed
    await api(f, `/jobs/${id}`, { method: 'POST', body: { action: 'retry' } });
    await f.controls.finish(id); // job.completed
    await f.controls.settled();
    const [failedDelivery, completedDelivery] = hook.received;

    const replay = await f.controls.replayLastWebhook();
    expect(replay.kind).toBe('replay');
    expect(hook.received.at(-1)!.body).toBe(completedDelivery!.body);
    expect(hook.received.at(-1)!.headers['x-lumely-signature']).toBe(completedDelivery!.headers['x-lumely-signature']);

    // Stale: a validly signed job.failed for a job that has since completed.
    await f.controls.sendWebhook({ payload: JSON.parse(failedDelivery!.body) });
    const stale = hook.received.at(-1)!;
    expect(verifies(stale.body, stale.headers['x-lumely-signature'] as string, 'whsec_known_secret')).toBe(true);
    expect((JSON.parse(stale.body) as { event: string }).event).toBe('job.failed');

    await f.controls.sendWebhook({ payload: { event: 'job.completed', data: { id, output_image_url: 'https://evil.example/x.jpg' } }, secret: 'whsec_attacker' });
    const forged = hook.received.at(-1)!;
    expect(verifies(forged.body, forged.headers['x-lumely-signature'] as string, 'whsec_known_secret')).toBe(false);

    await f.controls.sendWebhook({ signature: null });
    expect(hook.received.at(-1)!.headers['x-lumely-signature']).toBeUndefined();
    expect(f.state.webhookDeliveries.map((d) => d.kind)).toEqual(['event', 'event', 'replay', 'manual', 'manual', 'manual']);
  });

  it('counts failed deliveries and resets the count when re-enabled', async () => {
    const f = await fake({ autoAdvance: false });
    const hook = await webhookReceiver(500);
    const w = f.controls.setWebhook(hook.url, 'whsec_x');
    await f.controls.finish((await createJob(f)).body.id as string);
    await f.controls.settled();
    expect(f.state.webhooks.get(w.id)!.failure_count).toBe(1);
    await api(f, `/webhooks/${w.id}`, { method: 'PATCH', body: { is_active: false } });
    await api(f, `/webhooks/${w.id}`, { method: 'PATCH', body: { is_active: true } });
    expect(f.state.webhooks.get(w.id)!.failure_count).toBe(0);
  });
});
