import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTERIOR_REDESIGN_CREDIT_ERROR,
  INTERIOR_REDESIGN_FETCH_ERROR,
  INTERIOR_REDESIGN_JOB_ERROR,
  startFakeInteriorRedesign,
  type FakeInteriorRedesign,
} from '../../fakes/interior-redesign.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

/**
 * Stands in for the BFF's signed input URLs: photos are only served with the right `sig`,
 * so a fetch recorded by the fake proves it used the URL verbatim.
 */
async function startPhotoServer() {
  // Fixtures shrunk once so sharp work per job stays small on a shared 2-core box.
  const photos: Record<string, Buffer> = {
    '/living.jpg': await sharp(fixture('living-room-render.jpg')).resize(320).jpeg().toBuffer(),
    '/bedroom.jpg': await sharp(fixture('bedroom-furnished.jpg')).resize(300).jpeg().toBuffer(),
    // Stored 480x800 with EXIF orientation 6; upright it is wider than tall.
    '/phone.jpg': fixture('phone-exif-orientation-6.jpg'),
  };
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    hits.push(req.url ?? '');
    if (u.pathname === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('not an image');
    const body = photos[u.pathname];
    if (!body) return void res.writeHead(404).end();
    if (u.searchParams.get('sig') !== 'good') return void res.writeHead(403).end();
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    hits,
    signed: (name: string) => `${base}/${name}?sig=good&expires=9999999999`,
    raw: (path: string) => base + path,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

type JobStatusBody = { job_id: string; status: string; output: (string | null)[] | null; error: string | null };

let photos: Awaited<ReturnType<typeof startPhotoServer>>;
let fake: FakeInteriorRedesign;

function api(path: string, init: RequestInit & { key?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('Authorization', `Bearer ${init.key ?? fake.apiKey}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  return fetch(fake.url + path, { ...init, headers });
}

const post = (path: string, body: unknown, init: RequestInit & { key?: string | null } = {}) =>
  api(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), ...init });

async function create(path: string, body: unknown): Promise<string> {
  const res = await post(path, body);
  expect(res.status).toBe(200);
  const json = (await res.json()) as { job_id: string; status: string };
  expect(json.status).toBe('starting');
  return json.job_id;
}

/**
 * The statuses a job went through (the fake's own record), after checking that those a poller
 * saw are among them, in order: on a loaded machine a poll may miss a 30 ms step.
 */
function lifecycle(jobId: string, seen: string[], f = fake): string[] {
  const history = f.state.jobs.get(jobId)!.history.map((h) => h.status);
  expect(history.filter((s) => seen.includes(s)), 'the polled statuses, in the order the job went through them').toEqual(seen);
  return history;
}

/** Polls the documented status route; returns the final body and every status seen. */
async function poll(jobId: string, f = fake): Promise<{ body: JobStatusBody; seen: string[] }> {
  const seen: string[] = [];
  for (let i = 0; i < 400; i++) {
    const res = await fetch(`${f.url}/v1/jobs/${jobId}`, { headers: { Authorization: `Bearer ${f.apiKey}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as JobStatusBody;
    if (seen.at(-1) !== body.status) seen.push(body.status);
    if (['succeeded', 'failed', 'canceled'].includes(body.status)) return { body, seen };
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`job ${jobId} never finished`);
}

async function download(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const data = Buffer.from(await res.arrayBuffer());
  return { type: res.headers.get('content-type'), meta: await sharp(data).metadata(), data };
}

beforeAll(async () => {
  photos = await startPhotoServer();
  fake = await startFakeInteriorRedesign({ stepMs: 30 });
});
afterAll(async () => {
  await fake?.close();
  await photos?.close();
});

describe('interior-redesign fake: health and auth', () => {
  it('serves /health without a key and reports auth_required', async () => {
    const res = await fetch(`${fake.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, auth_required: true });
  });

  it('refuses missing and wrong keys with the documented 401 body, and redacts keys in state', async () => {
    const missing = await api('/v1/jobs', { key: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Missing API key', error_code: 'missing_api_key' });

    const wrong = await post('/v1/redesign', { image_url: photos.signed('living.jpg'), prompt: 'x' }, { key: 'nope' });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { detail: string; error_code: string };
    expect(body).toEqual({ detail: 'Invalid API key', error_code: 'invalid_api_key' });
    expect(fake.state.jobs.size).toBe(0);

    const rec = fake.state.requests.at(-1)!;
    expect(rec).toMatchObject({ method: 'POST', path: '/v1/redesign', auth: 'invalid', status: 401 });
    expect(rec.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(fake.state.requests)).not.toContain(fake.apiKey);
  });

  it('reports auth_required:false and skips auth when so configured', async () => {
    const open = await startFakeInteriorRedesign({ authRequired: false });
    try {
      expect(await (await fetch(`${open.url}/health`)).json()).toEqual({ ok: true, auth_required: false });
      const res = await fetch(`${open.url}/v1/jobs`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ results: [] });
    } finally {
      await open.close();
    }
  });
});

describe('interior-redesign fake: validation', () => {
  const good = () => ({ image_url: photos.signed('living.jpg'), prompt: 'modern minimalist living room' });
  it.each([
    ['/v1/redesign', { image_url: undefined }, 'image_url is required'],
    ['/v1/redesign', { image_url: 'ftp://x/y.jpg', prompt: 'x' }, 'image_url must be an absolute http(s) URL'],
    ['/v1/redesign', { prompt: '  ' }, 'prompt is required'],
    ['/v1/redesign', { num_outputs: 5 }, 'num_outputs must be between 1 and 4'],
    ['/v1/redesign', { output_format: 'gif' }, 'output_format must be one of png, jpg, jpeg, webp'],
    ['/v1/redesign', { wait_seconds: 61 }, 'wait_seconds must be between 0 and 60'],
    ['/v1/redesign', { preserve_layout: 'yes' }, 'preserve_layout must be a boolean'],
    ['/v1/upscale', { scale: 5 }, 'scale must be 2, 3 or 4'],
    ['/v1/batch-upscale', { image_urls: [] }, 'image_urls must contain between 1 and 11 items'],
    ['/v1/batch-redesign', { images: Array.from({ length: 12 }, () => ({ image_url: 'http://x/y.jpg', prompt: 'p' })) }, 'images must contain between 1 and 11 items'],
    ['/v1/batch-redesign', { images: [{ image_url: 'http://x/y.jpg' }] }, 'images[0].prompt is required'],
  ])('POST %s %j -> 422', async (path, patch, detail) => {
    const res = await post(path, { ...good(), ...patch });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ detail, error_code: 'validation_error' });
  });

  it('answers 400 for a body that is not JSON, 404 for unknown jobs/routes, 422 for a bad list limit', async () => {
    const bad = await post('/v1/redesign', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: 'Invalid JSON body', error_code: 'invalid_json' });
    expect((await api('/v1/jobs/no-such-job')).status).toBe(404);
    expect((await api('/v1/jobs/no-such-job/result')).status).toBe(404);
    expect((await api('/v1/nothing-here')).status).toBe(404);
    expect((await api('/v1/jobs?limit=0')).status).toBe(422);
    expect(fake.state.jobs.size).toBe(0);
  });
});

describe('interior-redesign fake: flows', () => {
  it('redesign: starting -> processing -> succeeded, num_outputs real images in output_format', async () => {
    const signed = photos.signed('living.jpg');
    const jobId = await create('/v1/redesign', { image_url: signed, prompt: 'modern minimalist living room', num_outputs: 2, output_format: 'webp' });
    const { body, seen } = await poll(jobId);
    expect(lifecycle(jobId, seen)).toEqual(['starting', 'processing', 'succeeded']);
    expect(body.error).toBeNull();
    expect(body.output).toHaveLength(2);

    const imgs = await Promise.all(body.output!.map((u) => download(u!)));
    for (const img of imgs) {
      expect(img.type).toBe('image/webp');
      expect(img.meta.format).toBe('webp');
      expect([img.meta.width, img.meta.height]).toEqual([320, 192]);
    }
    expect(imgs[0]!.data.equals(imgs[1]!.data)).toBe(false);

    // The fake fetched the signed URL verbatim, exactly once for this job.
    const fetches = fake.state.fetches.filter((f) => f.jobId === jobId);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toMatchObject({ url: signed, ok: true, status: 200, contentType: 'image/jpeg', injected: false });
    expect(photos.hits).toContain('/living.jpg?sig=good&expires=9999999999');

    const result = await api(`/v1/jobs/${jobId}/result`);
    expect(await result.json()).toEqual({ job_id: jobId, output: body.output });

    const list = (await (await api('/v1/jobs?limit=1')).json()) as { results: Array<Record<string, unknown>> };
    expect(list.results).toHaveLength(1);
    expect(list.results[0]).toMatchObject({ job_id: jobId, status: 'succeeded' });
    expect(Object.keys(list.results[0]!).sort()).toEqual(['created_at', 'job_id', 'replicate_id', 'status', 'updated_at']);
    expect(fake.state.jobs.get(jobId)!.options.use_webhook).toBe(true);
    expect(fake.state.deliveries).toEqual([]);
  });

  it('redesign honours EXIF orientation and preserve_layout:false with jpg output', async () => {
    const jobId = await create('/v1/redesign', { image_url: photos.signed('phone.jpg'), prompt: 'p', preserve_layout: false, output_format: 'jpg' });
    const { body } = await poll(jobId);
    expect(body.status).toBe('succeeded');
    expect(body.output![0]).toMatch(/\.jpg$/);
    const img = await download(body.output![0]!);
    expect(img.meta.format).toBe('jpeg');
    expect([img.meta.width, img.meta.height]).toEqual([800, 480]);
    expect(fake.state.jobs.get(jobId)!.inputs[0]!.preserve_layout).toBe(false);
  });

  it('batch-redesign: one output per image, positional, a failed image leaves null', async () => {
    const jobId = await create('/v1/batch-redesign', {
      images: [
        { image_url: photos.signed('living.jpg'), prompt: 'modern minimalist living room' },
        { image_url: photos.raw('/missing.jpg'), prompt: 'cozy scandinavian bedroom' },
        { image_url: photos.signed('bedroom.jpg'), prompt: 'industrial', preserve_layout: false },
      ],
      preserve_layout: true,
      output_format: 'png',
    });
    expect(jobId).toMatch(/^batch-/);
    const { body } = await poll(jobId);
    expect(body.status).toBe('succeeded');
    expect(body.output).toHaveLength(3);
    expect(body.output![1]).toBeNull();
    const [a, c] = await Promise.all([download(body.output![0]!), download(body.output![2]!)]);
    expect([a.meta.format, a.meta.width]).toEqual(['png', 320]);
    expect([c.meta.format, c.meta.width]).toEqual(['png', 300]);
    expect(fake.state.fetches.filter((f) => f.jobId === jobId).map((f) => f.status).sort()).toEqual([200, 200, 404]);
    expect(fake.state.jobs.get(jobId)!.inputs.map((i) => i.preserve_layout)).toEqual([true, true, false]);
  });

  it('upscale x2 doubles both sides; batch-upscale x3 triples every image', async () => {
    const single = await create('/v1/upscale', { image_url: photos.signed('living.jpg'), scale: 2 });
    const batch = await create('/v1/batch-upscale', { image_urls: [photos.signed('living.jpg'), photos.signed('bedroom.jpg')], scale: 3, face_enhance: true });
    const [s, b] = await Promise.all([poll(single), poll(batch)]);
    expect(s.body.output).toHaveLength(1);
    const up = await download(s.body.output![0]!);
    expect([up.meta.width, up.meta.height]).toEqual([640, 384]);
    expect(b.body.output).toHaveLength(2);
    const [b1, b2] = await Promise.all(b.body.output!.map((u) => download(u!)));
    expect(b1!.meta.width).toBe(960);
    expect(b2!.meta.width).toBe(900);
    expect(fake.state.jobs.get(batch)!.options).toMatchObject({ scale: 3, face_enhance: true });
  });

  it('upscale defaults to scale 4', async () => {
    const jobId = await create('/v1/upscale', { image_url: photos.signed('bedroom.jpg') });
    const { body } = await poll(jobId);
    expect((await download(body.output![0]!)).meta.width).toBe(1200);
  });

  it('wait_seconds holds the create response until the job is terminal', async () => {
    const res = await post('/v1/redesign', { image_url: photos.signed('living.jpg'), prompt: 'p', wait_seconds: 10 });
    const body = (await res.json()) as JobStatusBody;
    expect(body.status).toBe('succeeded');
    expect(body.output).toHaveLength(1);
  });

  it('an unreachable or non-image URL fails the job with the documented error', async () => {
    const unsigned = await create('/v1/redesign', { image_url: photos.raw('/living.jpg'), prompt: 'p' });
    const text = await create('/v1/upscale', { image_url: photos.raw('/text') });
    for (const id of [unsigned, text]) {
      const { body } = await poll(id);
      expect(body).toEqual({ job_id: id, status: 'failed', output: null, error: INTERIOR_REDESIGN_FETCH_ERROR });
      const result = await api(`/v1/jobs/${id}/result`);
      expect(result.status).toBe(409);
    }
  });
});

describe('interior-redesign fake: explicit controls and cancel', () => {
  it('with autoAdvance:false, jobs move only on advance(); cancel and result follow the doc', async () => {
    const manual = await startFakeInteriorRedesign({ autoAdvance: false });
    try {
      const req = (path: string, init: RequestInit = {}) => fetch(manual.url + path, { ...init, headers: { Authorization: `Bearer ${manual.apiKey}`, 'Content-Type': 'application/json' } });
      const make = async () => ((await (await req('/v1/redesign', { method: 'POST', body: JSON.stringify({ image_url: photos.signed('living.jpg'), prompt: 'p' }) })).json()) as { job_id: string }).job_id;

      const a = await make();
      await new Promise((r) => setTimeout(r, 100));
      expect(manual.state.jobs.get(a)!.status).toBe('starting');
      expect(manual.state.fetches).toHaveLength(0);
      expect(await manual.controls.advance(a)).toBe('processing');
      const notYet = await req(`/v1/jobs/${a}/result`);
      expect(notYet.status).toBe(409);
      expect(await notYet.json()).toEqual({ detail: 'Job not completed successfully', error_code: 'job_not_completed' });
      expect(await manual.controls.advance(a)).toBe('succeeded');
      expect(manual.state.fetches).toHaveLength(1);
      expect((await req(`/v1/jobs/${a}/result`)).status).toBe(200);

      const b = await make();
      const cancel = await req(`/v1/jobs/${b}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(200);
      expect(await cancel.json()).toEqual({ message: 'Job cancelled successfully' });
      expect(((await (await req(`/v1/jobs/${b}`)).json()) as JobStatusBody).status).toBe('canceled');
      expect((await req(`/v1/jobs/${b}/cancel`, { method: 'POST' })).status).toBe(409);
      expect(await manual.controls.finish(b)).toBe('canceled');

      const list = (await (await req('/v1/jobs?limit=10&offset=0')).json()) as { results: Array<{ job_id: string }> };
      expect(list.results.map((r) => r.job_id)).toEqual([b, a]);
      const paged = (await (await req('/v1/jobs?limit=10&offset=1')).json()) as { results: Array<{ job_id: string }> };
      expect(paged.results.map((r) => r.job_id)).toEqual([a]);
    } finally {
      await manual.close();
    }
  });

  it('setConfigured(false) gives the documented 503', async () => {
    fake.controls.setConfigured(false);
    try {
      expect((await fetch(`${fake.url}/health`)).status).toBe(503);
      const res = await api('/v1/jobs');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ detail: 'Service not configured properly', error_code: 'service_not_configured' });
    } finally {
      fake.controls.setConfigured(true);
    }
  });
});

describe('interior-redesign fake: failure injection', () => {
  const body = () => ({ image_url: photos.signed('living.jpg'), prompt: 'p' });

  it("'500' answers once, then the service recovers", async () => {
    fake.controls.failNext('500');
    const res = await post('/v1/redesign', body());
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: 'Internal Server Error', error_code: 'internal_error' });
    expect(fake.state.requests.at(-1)!.injected).toBe('500');
    expect((await post('/v1/redesign', body())).status).toBe(200);
  });

  it("'429' sends Retry-After and the documented error shape", async () => {
    fake.controls.failNext('429');
    const res = await api('/v1/jobs');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ detail: 'Rate limit exceeded', error_code: 'rate_limited' });
  });

  it("'401' refuses even a valid key", async () => {
    fake.controls.failNext('401');
    const res = await api('/v1/jobs');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Invalid API key', error_code: 'invalid_api_key' });
  });

  it("'insufficient-credit' answers the documented 502 with Replicate's credit message and creates no job", async () => {
    fake.controls.failNext('insufficient-credit');
    const before = fake.state.jobs.size;
    const res = await post('/v1/redesign', body());
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ detail: INTERIOR_REDESIGN_CREDIT_ERROR, error_code: 'replicate_error' });
    expect(fake.state.jobs.size).toBe(before);
  });

  it("'timeout' never answers", async () => {
    fake.controls.failNext('timeout');
    const err = await post('/v1/redesign', body(), { signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
    const rec = fake.state.requests.at(-1)!;
    expect(rec.injected).toBe('timeout');
    expect(rec.status).toBeUndefined();
  });

  it("'drop' destroys the socket", async () => {
    fake.controls.failNext('drop');
    const err = await api('/v1/jobs').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((await api('/v1/jobs')).status).toBe(200);
  });

  it("'malformed-json' sends a 200 whose JSON does not parse", async () => {
    fake.controls.failNext('malformed-json');
    const res = await post('/v1/redesign', body());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("'fetch-fails' fails the next job with the documented error and records the failed fetch", async () => {
    fake.controls.failNext('fetch-fails');
    const id = await create('/v1/redesign', body());
    const { body: status } = await poll(id);
    expect(status).toEqual({ job_id: id, status: 'failed', output: null, error: INTERIOR_REDESIGN_FETCH_ERROR });
    expect(fake.state.fetches.filter((f) => f.jobId === id)).toEqual([expect.objectContaining({ ok: false, injected: true })]);
  });

  it("'job-fails' fails the next job after processing", async () => {
    fake.controls.failNext('job-fails');
    const id = await create('/v1/upscale', { image_url: photos.signed('living.jpg'), scale: 2 });
    const { body: status, seen } = await poll(id);
    expect(lifecycle(id, seen)).toEqual(['starting', 'processing', 'failed']);
    expect(status).toEqual({ job_id: id, status: 'failed', output: null, error: INTERIOR_REDESIGN_JOB_ERROR });
  });

  it('failNext can target a route and repeat', async () => {
    fake.controls.failNext('502', { times: 2, match: (r) => r.path === '/health' });
    expect((await api('/v1/jobs')).status).toBe(200);
    expect((await fetch(`${fake.url}/health`)).status).toBe(502);
    expect((await fetch(`${fake.url}/health`)).status).toBe(502);
    expect((await fetch(`${fake.url}/health`)).status).toBe(200);
  });
});
