/**
 * Self-tests for the fake Luma Agents API, driven with plain fetch the way an adapter would.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startFakeLumaAgents, type FakeLumaAgents, type LumaAgentsOptions, type LumaGeneration } from '../../fakes/luma-agents.js';
import { afterThisTest } from '../temp-dir.js';

const KEY = 'luma-api-test-0123456789abcdef';
const photo = readFileSync(new URL('../../fixtures/living-room-render.jpg', import.meta.url)); // 1600×960

async function fake(opts: Partial<LumaAgentsOptions> = {}): Promise<FakeLumaAgents> {
  const f = await startFakeLumaAgents({ apiKeys: [KEY], stepMs: 10, ...opts });
  afterThisTest(() => f.close());
  return f;
}

function api(f: FakeLumaAgents, path: string, init: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.Authorization = `Bearer ${init.key ?? KEY}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(f.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

async function create(f: FakeLumaAgents, body: Record<string, unknown>) {
  const res = await api(f, '/generations', { body });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function pollUntilTerminal(f: FakeLumaAgents, id: string): Promise<LumaGeneration> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const g = (await (await api(f, `/generations/${id}`)).json()) as LumaGeneration;
    if (g.state === 'completed' || g.state === 'failed') return g;
    if (Date.now() > deadline) throw new Error(`generation ${id} stuck in ${g.state}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A stand-in for our BFF's signed image URLs: serves the fixture only with the right signature. */
async function signedImageHost() {
  const secret = 'bff-url-signing-secret';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ok = url.searchParams.get('sig') === createHmac('sha256', secret).update(url.pathname).digest('hex');
    if (url.pathname === '/v1/files/missing.jpg') return void res.writeHead(404).end('no');
    if (!ok) return void res.writeHead(403).end('bad signature');
    res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(url.pathname.endsWith('.txt') ? Buffer.from('not an image') : photo);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return (path: string) => `${origin}${path}?sig=${createHmac('sha256', secret).update(path).digest('hex')}`;
}

describe('fake Luma Agents: auth and headers', () => {
  it('serves under /v1 and refuses missing or wrong keys with 401 { detail }, with X-Request-Id and X-API-Version on every response', async () => {
    const f = await fake();
    expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    for (const key of [null, 'luma-api-wrong']) {
      const res = await api(f, '/generations', { key, body: { prompt: 'x' } });
      expect(res.status).toBe(401);
      expect(typeof ((await res.json()) as { detail: unknown }).detail).toBe('string');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-api-version')).toBe('2026-04-01');
    }
    expect(f.state.generations.size).toBe(0);
    const echoed = await api(f, '/generations/nope', { headers: { 'X-Request-Id': 'bff-req-42' } });
    expect(echoed.status).toBe(404);
    expect(echoed.headers.get('x-request-id')).toBe('bff-req-42');
    expect((await api(f, '/generations/nope', { method: 'DELETE' })).status).toBe(405);
    expect(f.state.requests.at(-1)!.headers.authorization).toMatch(/^Bearer luma-api-…\[redacted\]$/);
  });
});

describe('fake Luma Agents: generation flow', () => {
  it('generates from text: 201 queued with rate-limit headers → processing → completed with a presigned image of the requested aspect ratio', async () => {
    const f = await fake();
    const { res, body } = await create(f, { prompt: 'A bright living room', aspect_ratio: '16:9', output_format: 'png' });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ id: expect.any(String), state: 'queued', type: 'image', model: 'uni-1', output: null });
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const done = await pollUntilTerminal(f, body.id as string);
    expect(done.state).toBe('completed');
    expect(f.state.generations.get(done.id)!.history).toEqual(['queued', 'processing', 'completed']);
    expect(done.output).toHaveLength(1);
    expect(done.output![0]!.type).toBe('image');
    const img = await fetch(done.output![0]!.url); // presigned: no Authorization
    expect(img.status).toBe(200);
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 2048, 1152]);
  });

  it('edits an image by fetching the signed source.url at submission and records the fetch', async () => {
    const f = await fake({ autoAdvance: false });
    const signed = await signedImageHost();
    const sourceUrl = signed('/v1/files/abc.jpg');
    const { res, body } = await create(f, { type: 'image_edit', prompt: 'Stage with Scandinavian furniture', source: { url: sourceUrl } });
    expect(res.status).toBe(201);
    expect(f.state.fetches).toEqual([expect.objectContaining({ url: sourceUrl, method: 'GET', status: 200, bytes: photo.length, purpose: 'source' })]);
    const done = await f.controls.finish(body.id as string);
    expect(done).toMatchObject({ state: 'completed', type: 'image_edit', failure_code: null });
    const bytes = Buffer.from(await (await fetch(done.output![0]!.url)).arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2048, 1229]);
    const [a, b] = await Promise.all([sharp(bytes).resize(8, 8).raw().toBuffer(), sharp(photo).resize(8, 8).raw().toBuffer()]);
    expect(a.equals(b)).toBe(false);
  });

  it('accepts base64 source and image_ref data with media_type, and uni-1-max', async () => {
    const f = await fake({ autoAdvance: false });
    const data = photo.toString('base64');
    const { res, body } = await create(f, {
      type: 'image_edit',
      model: 'uni-1-max',
      prompt: 'Add a rug',
      source: { data, media_type: 'image/jpeg' },
      image_ref: [{ data, media_type: 'image/jpeg' }],
      style: 'auto',
      web_search: false,
      aspect_ratio: '1:1',
    });
    expect(res.status).toBe(201);
    expect(body.model).toBe('uni-1-max');
    const rec = f.state.generations.get(body.id as string)!;
    expect(rec.sourceImage!.equals(photo)).toBe(true);
    expect(rec.referenceImages).toHaveLength(1);
    expect(f.state.fetches).toHaveLength(0);
    const done = await f.controls.finish(rec.id);
    const meta = await sharp(Buffer.from(await (await fetch(done.output![0]!.url)).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 2048]);
    expect(f.state.balanceCents).toBe(10_000 - 10);
  });

  it('validates parameters: 400 for invalid values, 422 for rejected combinations or bad media', async () => {
    const f = await fake({ autoAdvance: false });
    const signed = await signedImageHost();
    const data = photo.toString('base64');
    const cases: Array<[Record<string, unknown>, number]> = [
      [{}, 400],
      [{ prompt: '' }, 400],
      [{ prompt: 'x'.repeat(6001) }, 400],
      [{ prompt: 'x', type: 'video' }, 400],
      [{ prompt: 'x', model: 'photon-1' }, 400],
      [{ prompt: 'x', aspect_ratio: '4:3' }, 400],
      [{ prompt: 'x', style: 'noir' }, 400],
      [{ prompt: 'x', output_format: 'webp' }, 400],
      [{ prompt: 'x', web_search: 'yes' }, 400],
      [{ prompt: 'x', image_ref: Array.from({ length: 10 }, () => ({ data, media_type: 'image/jpeg' })) }, 400],
      [{ prompt: 'x', type: 'image_edit' }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { data } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { url: signed('/a.jpg'), data, media_type: 'image/jpeg' } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { data: 'bm90IGFuIGltYWdl', media_type: 'image/jpeg' } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { url: 'ftp://example.com/a.jpg' } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { url: signed('/v1/files/missing.jpg') } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { url: signed('/v1/files/readme.txt') } }, 422],
      [{ prompt: 'x', type: 'image_edit', source: { url: signed('/v1/files/a.jpg').replace('sig=', 'sig=0') } }, 422],
    ];
    for (const [body, status] of cases) {
      const res = await api(f, '/generations', { body });
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(status);
      expect(typeof ((await res.json()) as { detail: unknown }).detail).toBe('string');
    }
    expect(f.state.generations.size).toBe(0);
    // Each URL the fake tried is recorded with what it got back.
    expect(f.state.fetches.map((x) => x.status)).toEqual([404, 200, 403]);
  });

  it('expires presigned output URLs, rejects tampered ones, and presigns afresh on every GET', async () => {
    const f = await fake({ autoAdvance: false, outputUrlTtlMs: 150 });
    const { body } = await create(f, { prompt: 'x' });
    const done = await f.controls.finish(body.id as string);
    const url = done.output![0]!.url;
    expect(url).toMatch(/\?expires=\d+&signature=[0-9a-f]{64}$/);
    expect((await fetch(url)).status).toBe(200);
    // Flip the signature's first digit (replacing it with a fixed one is a no-op one time in 16).
    const tampered = url.replace(/signature=(.)/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`);
    expect(tampered).not.toBe(url);
    expect((await fetch(tampered)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    const fresh = (await (await api(f, `/generations/${done.id}`)).json()) as LumaGeneration;
    expect(fresh.output![0]!.url).not.toBe(url);
    expect((await fetch(fresh.output![0]!.url)).status).toBe(200);
    expect(f.state.downloads.map((d) => d.reason ?? d.status)).toEqual([200, 'bad-signature', 'expired', 200]);
  });
});

describe('fake Luma Agents: limits and failures', () => {
  it('enforces the RPM sliding window and the concurrent-job limit with 429 + Retry-After', async () => {
    const f = await fake({ rpm: 2, autoAdvance: false });
    expect((await create(f, { prompt: 'a' })).res.status).toBe(201);
    const second = await create(f, { prompt: 'b' });
    expect(second.res.headers.get('x-ratelimit-remaining')).toBe('0');
    const third = await create(f, { prompt: 'c' });
    expect(third.res.status).toBe(429);
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);

    const g = await fake({ maxConcurrent: 1, autoAdvance: false });
    const first = await create(g, { prompt: 'a' });
    const blocked = await create(g, { prompt: 'b' });
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.headers.get('retry-after')).not.toBeNull();
    await g.controls.finish(first.body.id as string);
    expect((await create(g, { prompt: 'b' })).res.status).toBe(201);
  });

  it('answers 402 when the balance cannot pay for the image', async () => {
    const f = await fake({ balanceCents: 5 });
    expect((await create(f, { prompt: 'a' })).res.status).toBe(201);
    const poor = await create(f, { prompt: 'b' });
    expect(poor.res.status).toBe(402);
    expect(poor.body.detail).toMatch(/insufficient/i);
  });

  it('injects 500, 502, 503, 429, 401, 403 and insufficient-credits once each', async () => {
    const f = await fake({ retryAfterSeconds: 3 });
    const expected: Array<[Parameters<FakeLumaAgents['controls']['failNext']>[0], number]> = [
      ['500', 500], ['502', 502], ['503', 503], ['429', 429], ['401', 401], ['403', 403], ['insufficient-credits', 402],
    ];
    for (const [kind, status] of expected) {
      f.controls.failNext(kind);
      const { res, body } = await create(f, { prompt: 'x' });
      expect(res.status, kind).toBe(status);
      expect(typeof body.detail, kind).toBe('string');
      expect(res.headers.get('x-request-id'), kind).not.toBeNull();
      if (kind === '429') expect(res.headers.get('retry-after')).toBe('3');
    }
    expect(f.state.generations.size).toBe(0);
    expect((await create(f, { prompt: 'x' })).res.status).toBe(201);
  });

  it('never answers on "timeout", destroys the socket on "drop", truncates JSON on "malformed-json", and can fail downloads', async () => {
    const f = await fake({ autoAdvance: false });
    f.controls.failNext('timeout');
    await expect(api(f, '/generations/x', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    f.controls.failNext('drop');
    await expect(api(f, '/generations/x')).rejects.toThrow();
    f.controls.failNext('malformed-json');
    await expect((await api(f, '/generations/x')).json()).rejects.toThrow();
    expect(f.state.requests.slice(-3).map((r) => r.outcome)).toEqual(['timeout', 'drop', 200]);

    // Lost response after the generation was created: the job exists although the client saw an error.
    f.controls.failNext('drop', { method: 'POST', path: '/generations', afterHandler: true });
    await expect(api(f, '/generations', { body: { prompt: 'x' } })).rejects.toThrow();
    expect(f.state.generations.size).toBe(1);

    const done = await f.controls.finish([...f.state.generations.keys()][0]!);
    f.controls.failNext('500', { path: /^\/storage\// });
    expect((await fetch(done.output![0]!.url)).status).toBe(500);
    expect((await fetch(done.output![0]!.url)).status).toBe(200);
  });

  it('"job-fails" ends the next generation failed with failure_code and failure_reason', async () => {
    const f = await fake();
    f.controls.failNext('job-fails', { failureCode: 'content_moderated' });
    const { body } = await create(f, { prompt: 'x' });
    const failed = await pollUntilTerminal(f, body.id as string);
    expect(failed).toMatchObject({ state: 'failed', failure_code: 'content_moderated', failure_reason: expect.any(String), output: null });
    const next = await create(f, { prompt: 'y' });
    expect((await pollUntilTerminal(f, next.body.id as string)).state).toBe('completed');

    const g = await fake({ autoAdvance: false });
    const pendingGen = await create(g, { prompt: 'z' });
    const killed = g.controls.failGeneration(pendingGen.body.id as string, 'generation_failed', 'GPU fell over');
    expect(killed).toMatchObject({ state: 'failed', failure_code: 'generation_failed', failure_reason: 'GPU fell over' });
  });
});
