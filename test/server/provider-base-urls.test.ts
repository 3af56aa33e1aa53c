/**
 * The seeds' systems as configured by a person reading their docs (issue 13, item 10): each
 * adapter accepts its provider's documented base URL with or without the version segment; a
 * provider failure outside a job is a 502/503 naming the provider, never a 500; and /readyz
 * says whether this instance can serve.
 */
import { describe, expect, it } from 'vitest';
import { createLaminaProvider } from '../../src/server/providers/lamina/index.js';
import { withApiRoot } from '../../src/server/providers/remote/provider-http.js';
import { startFakeLamina } from '../fakes/lamina.js';
import { startFakeLumely } from '../fakes/lumely.js';
import { expectError, makeBff, mintSession, req } from './helpers.js';
import { afterThisTest } from './temp-dir.js';

describe('provider base URLs, failures and readiness', () => {
  it('completes a base URL to the documented API root, never doubling it', () => {
    const cases: Array<[string, string, string]> = [
      ['https://app.uselamina.ai', '/v1', 'https://app.uselamina.ai/v1/'],
      ['https://app.uselamina.ai/v1', '/v1', 'https://app.uselamina.ai/v1/'],
      ['https://app.uselamina.ai/v1/', '/v1', 'https://app.uselamina.ai/v1/'],
      ['https://lumely.ai', '/api/v1', 'https://lumely.ai/api/v1/'],
      ['https://lumely.ai/api', '/api/v1', 'https://lumely.ai/api/v1/'],
      ['https://lumely.ai/api/v1', '/api/v1', 'https://lumely.ai/api/v1/'],
      ['https://proxy.example.com/lumely', '/api/v1', 'https://proxy.example.com/lumely/api/v1/'],
      ['http://127.0.0.1:9000', '', 'http://127.0.0.1:9000/'],
    ];
    for (const [base, root, want] of cases) expect(withApiRoot(new URL(base), root).href, `${base} + ${root}`).toBe(want);
  });

  it("serves Lamina's catalog with STAGING_PROVIDER_URL set to its documented base, with /v1 or without", async () => {
    const lamina = await startFakeLamina({ stepMs: 30 });
    afterThisTest(() => lamina.close());
    for (const providerUrl of [`${lamina.url}/v1`, lamina.url, `${lamina.url}/v1/`]) {
      const bff = makeBff({ provider: 'lamina', providerUrl, providerKey: lamina.apiKey });
      const { token } = await mintSession(bff);
      const res = await req(bff, '/v1/services', { token });
      expect(res.status, providerUrl).toBe(200);
      expect(((await res.json()) as { services: unknown[] }).services.length).toBeGreaterThan(0);
      expect((await req(bff, '/readyz', { origin: null })).status).toBe(200);
    }
  });

  it("serves Lumely's catalog with its base given without /api/v1", async () => {
    const lumely = await startFakeLumely({ apiKeys: ['lum_live_test'] });
    afterThisTest(() => lumely.close());
    const origin = new URL(lumely.url).origin;
    const bff = makeBff({ provider: 'lumely', providerUrl: origin, providerKey: 'lum_live_test' });
    const { token } = await mintSession(bff);
    expect((await req(bff, '/v1/services', { token })).status).toBe(200);
  });

  it('answers a provider that is down with 503 naming it, on the catalog and on /readyz, not 500', async () => {
    const lamina = await startFakeLamina({ stepMs: 30 });
    const url = lamina.url;
    await lamina.close();
    const provider = createLaminaProvider({ baseUrl: url, apiKey: 'lma_test_key', webhookSecret: null, publicUrl: 'http://bff.test', retry: { retries: 0, timeoutMs: 2000, baseDelayMs: 10, maxDelayMs: 10 } });
    const bff = makeBff({ providerInstance: provider });
    const { token } = await mintSession(bff);
    const err = await expectError(await req(bff, '/v1/services', { token }), 503, 'provider_unavailable');
    expect(err.message).toMatch(/Lamina/);
    const ready = await expectError(await req(bff, '/readyz', { origin: null }), 503, 'provider_unavailable');
    expect(ready.message).toMatch(/Lamina/);
  });

  it('says on /readyz when the provider refuses our key, without echoing it', async () => {
    const lamina = await startFakeLamina({ stepMs: 30 });
    afterThisTest(() => lamina.close());
    const bff = makeBff({ provider: 'lamina', providerUrl: lamina.url, providerKey: 'lma_wrong_secret_key' });
    const res = await req(bff, '/readyz', { origin: null });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('server_misconfigured');
    expect(JSON.stringify(body)).not.toContain('lma_wrong_secret_key');
  });

  it('is ready on the local engine', async () => {
    const bff = makeBff();
    expect(await (await req(bff, '/readyz', { origin: null })).json()).toEqual({ ok: true, provider: 'local', checks: { store: 'ok', provider: 'ok' } });
  });
});
