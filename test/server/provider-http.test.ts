import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProviderHttp, retryDelayMs } from '../../src/server/providers/remote/provider-http.js';
import { ProviderJobError } from '../../src/server/providers/types.js';
import { afterThisTest } from './temp-dir.js';
import { jobErrorOf } from './support/rejections.js';

const KEY = 'sk_live_supersecret_123456';

/** A loopback server whose answers the test scripts, one handler per request in order. */
async function scripted(handlers: Array<(req: IncomingMessage, res: ServerResponse) => void>) {
  const seen: Array<{ method: string; url: string; auth?: string }> = [];
  let i = 0;
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    const h = handlers[Math.min(i++, handlers.length - 1)]!;
    h(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_q: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const http = (baseUrl: string, extra: Partial<ConstructorParameters<typeof ProviderHttp>[0]> = {}) =>
  new ProviderHttp({ label: 'Acme', baseUrl, authenticate: (h) => h.set('Authorization', `Bearer ${KEY}`), secrets: [KEY], baseDelayMs: 5, timeoutMs: 2000, ...extra });


describe('provider HTTP client', () => {
  it('sends the documented credentials and parses JSON', async () => {
    const s = await scripted([json(200, { ok: 1 })]);
    const res = await http(`${s.url}/api/v1`).request({ path: '/credits' });
    expect(res.json).toEqual({ ok: 1 });
    expect(s.seen[0]).toEqual({ method: 'GET', url: '/api/v1/credits', auth: `Bearer ${KEY}` });
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const s = await scripted([json(429, { error: 'slow down' }, { 'Retry-After': '1' }), json(200, { ok: 1 })]);
    const t0 = Date.now();
    const res = await http(s.url).request({ method: 'POST', path: '/jobs', json: {} });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(s.seen).toHaveLength(2);
  });

  it('retries 5xx and malformed JSON only for idempotent requests, then fails retryable', async () => {
    const broken = (_q: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status": "comp');
    };
    const a = await scripted([json(500, {}), broken, json(200, { ok: 1 })]);
    expect((await http(a.url).request({ path: '/x', idempotent: true })).json).toEqual({ ok: 1 });
    expect(a.seen).toHaveLength(3);

    const b = await scripted([json(500, {})]);
    const err = await jobErrorOf(http(b.url).request({ method: 'POST', path: '/x' }));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(b.seen).toHaveLength(1);

    const c = await scripted([json(502, {})]);
    expect(await jobErrorOf(http(c.url, { retries: 2 }).request({ path: '/x', idempotent: true }))).toMatchObject({ code: 'provider_unavailable' });
    expect(c.seen).toHaveLength(3);
  });

  it('turns a 401 into a configuration error that never echoes the key', async () => {
    const s = await scripted([json(401, { error: `Invalid API key ${KEY}` })]);
    const err = await jobErrorOf(http(s.url).request({ path: '/x' }));
    expect(err.code).toBe('server_misconfigured');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('STAGING_PROVIDER_KEY');
    expect(err.message).not.toContain(KEY);
  });

  it('redacts secrets from a provider message it repeats', async () => {
    const s = await scripted([json(400, { message: `bad field; key was ${KEY}; auth Bearer abc.def.ghi` })]);
    const err = await jobErrorOf(http(s.url).request({ path: '/x' }));
    expect(err.code).toBe('provider_error');
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain('abc.def.ghi');
    expect(err.message).toContain('bad field');
  });

  it('lets the adapter map its own error bodies first', async () => {
    const s = await scripted([json(402, { error: 'Insufficient credits' })]);
    const err = await jobErrorOf(
      http(s.url, { mapError: (r) => (r.status === 402 ? new ProviderJobError('insufficient_credits', 'The provider account is out of credits.', false) : null) }).request({ path: '/x' }),
    );
    expect(err.code).toBe('insufficient_credits');
  });

  it('never leaves the provider host: no redirect elsewhere, no file: or foreign URLs', async () => {
    const elsewhere = await scripted([json(200, { secret: 'internal' })]);
    const s = await scripted([(_q, res) => { res.writeHead(302, { Location: `${elsewhere.url}/admin` }); res.end(); }]);
    expect((await jobErrorOf(http(s.url).request({ path: '/x', idempotent: true }))).code).toBe('provider_error');
    expect(elsewhere.seen).toHaveLength(0);
    expect(() => http(s.url).resolve('file:///etc/passwd')).toThrow(ProviderJobError);
    expect(() => http(s.url).resolve('http://169.254.169.254/latest/meta-data')).toThrow(ProviderJobError);
    // A documented storage host may be used, and never receives the key.
    const storage = await scripted([(_q, res) => { res.writeHead(200, { 'Content-Type': 'image/png' }); res.end(Buffer.from([1, 2, 3])); }]);
    const dl = await http(s.url, { extraHosts: [new URL(storage.url).host] }).download(`${storage.url}/out.png`);
    expect([...dl.bytes]).toEqual([1, 2, 3]);
    expect(storage.seen[0]!.auth).toBeUndefined();
  });

  it('accepts *.domain storage patterns for subdomains only', () => {
    const h = http('https://api.acme.test', { extraHosts: ['*.storage.acme.test', 'cdn.acme.test'] });
    expect(h.resolve('https://eu1.storage.acme.test/o.png').host).toBe('eu1.storage.acme.test');
    expect(h.resolve('https://cdn.acme.test/o.png').host).toBe('cdn.acme.test');
    for (const bad of ['https://storage.acme.test/o.png', 'https://eu1.storage.acme.test.evil.example/o.png', 'https://evilstorage.acme.test/o.png', 'https://eu1.storage.acme.test:8443/o.png']) {
      expect(() => h.resolve(bad), bad).toThrow(ProviderJobError);
    }
  });

  it('follows a redirect within the provider host', async () => {
    const s = await scripted([(_q, res) => { res.writeHead(307, { Location: '/moved' }); res.end(); }, json(200, { ok: 2 })]);
    expect((await http(s.url).request({ path: '/x' })).json).toEqual({ ok: 2 });
    expect(s.seen.map((r) => r.url)).toEqual(['/x', '/moved']);
  });

  it('times out a silent provider and stops waiting when the job is cancelled', async () => {
    const s = await scripted([() => {}]);
    const t0 = Date.now();
    expect(await jobErrorOf(http(s.url, { timeoutMs: 200, retries: 1 }).request({ path: '/x', idempotent: true }))).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(Date.now() - t0).toBeLessThan(2000);
    const slow = await scripted([json(429, {}, { 'Retry-After': '30' })]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('cancelled')), 100);
    const t1 = Date.now();
    await expect(http(slow.url).request({ path: '/x', signal: ac.signal })).rejects.toThrow('cancelled');
    expect(Date.now() - t1).toBeLessThan(1000);
  });

  it('reads Retry-After and rate-limit reset headers in their documented forms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(new Headers({ 'Retry-After': '3' }), now)).toBe(3000);
    expect(retryDelayMs(new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryDelayMs(new Headers({ 'X-RateLimit-Reset': '2026-01-01T00:00:07Z' }), now)).toBe(7000);
    expect(retryDelayMs(new Headers({ 'X-RateLimit-Reset': String(now / 1000 + 9) }), now)).toBe(9000);
    expect(retryDelayMs(new Headers({ 'RateLimit-Reset': '4' }), now)).toBe(4000);
    expect(retryDelayMs(new Headers({}), now)).toBeNull();
  });
});
