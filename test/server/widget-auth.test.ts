import { describe, expect, it } from 'vitest';
import { expectError, json, makeBff, mintSession, ORIGIN, req, upload } from './helpers.js';

describe('widget requests: token, origin, CORS, rate limit, request ids', () => {
  it('refuses a missing, malformed or forged token', async () => {
    const bff = makeBff();
    await expectError(await req(bff, '/v1/services'), 401, 'unauthorized');
    await expectError(await req(bff, '/v1/services', { headers: { Authorization: 'Basic abc' } }), 401, 'unauthorized');
    const { token } = await mintSession(bff);
    await expectError(await req(bff, '/v1/services', { token: token.slice(0, -2) + 'xx' }), 401, 'unauthorized');
  });

  it('refuses an expired token with token_expired', async () => {
    const bff = makeBff();
    const session = await mintSession(bff);
    const expired = await bff.deps.tokens.mint({
      subject: 'agent-1', sessionId: session.session_id, origins: [], services: null, maxCredits: null, maxResolution: '4K',
      expiresAt: new Date(Date.now() - 10_000),
    });
    await expectError(await req(bff, '/v1/services', { token: expired }), 401, 'token_expired');
  });

  it('checks Origin against the BFF allow-list and the token', async () => {
    const bff = makeBff();
    const open = await mintSession(bff, { subject: 'a' });
    const narrow = await mintSession(bff, { subject: 'a', origins: [ORIGIN] });
    expect((await req(bff, '/v1/services', { token: open.token, origin: 'https://other.example.com' })).status).toBe(200);
    await expectError(await req(bff, '/v1/services', { token: narrow.token, origin: 'https://other.example.com' }), 403, 'origin_not_allowed');
    await expectError(await req(bff, '/v1/services', { token: open.token, origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    // No Origin (server to server, same-origin GET): the token decides.
    expect((await req(bff, '/v1/services', { token: narrow.token, origin: null })).status).toBe(200);
  });

  it('answers preflights with exact-origin CORS and exposes the headers the client reads', async () => {
    const bff = makeBff();
    const pre = await req(bff, '/v1/jobs', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,idempotency-key,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const bad = await req(bff, '/v1/jobs', { method: 'OPTIONS', origin: 'https://evil.example' });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const { token } = await mintSession(bff);
    const res = await req(bff, '/v1/jobs/job_doesnotexist123456789', { token });
    expect(res.status).toBe(404);
    // Errors must stay readable cross-origin, or the widget could not show them.
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
  });

  it('rate limits per session with RateLimit headers and Retry-After', async () => {
    const bff = makeBff({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const a = await mintSession(bff);
    const b = await mintSession(bff);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await req(bff, '/v1/credits', { token: a.token });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining')!);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await req(bff, '/v1/credits', { token: a.token });
    await expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect((await req(bff, '/v1/credits', { token: b.token })).status).toBe(200);
  });

  it('puts X-Request-Id on every response, keeps a safe incoming one, replaces an unsafe one', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    for (const res of [await req(bff, '/healthz'), await req(bff, '/v1/nope'), await req(bff, '/v1/services', { token }), await req(bff, '/v1/services')]) {
      expect(res.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9_-]{16}$/);
    }
    expect((await req(bff, '/healthz', { headers: { 'X-Request-Id': 'proxy-abc-12345' } })).headers.get('x-request-id')).toBe('proxy-abc-12345');
    expect((await req(bff, '/healthz', { headers: { 'X-Request-Id': '<script>alert(1)</script>' } })).headers.get('x-request-id')).toMatch(/^req_/);
    await expectError(await req(bff, '/v1/nope'), 404, 'not_found');
  });

  it('sends nosniff, the request id and no-store on JSON, errors, preflights and event streams; signed images say their own caching', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const photo = await upload(bff, token);
    const job = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }), token })).json()) as { id: string };
    const events = await req(bff, `/v1/jobs/${job.id}/events`, { token });
    const responses = {
      json: await req(bff, '/v1/credits', { token }),
      error: await req(bff, '/v1/credits'),
      notFound: await req(bff, '/v1/nope'),
      preflight: await req(bff, '/v1/jobs', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST' } }),
      events,
    };
    for (const [kind, res] of Object.entries(responses)) {
      expect(res.headers.get('x-content-type-options'), kind).toBe('nosniff');
      expect(res.headers.get('x-request-id'), kind).toMatch(/^req_/);
      // Hono's streamSSE writes its own `no-cache`, which also keeps proxies from storing events.
      expect(res.headers.get('cache-control'), kind).toBe(kind === 'events' ? 'no-cache' : 'no-store');
    }
    await events.body?.cancel();
    const image = await req(bff, photo.url, { origin: null });
    expect(image.status).toBe(200);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
  });
});
