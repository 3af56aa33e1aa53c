import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import { ConfigError, loadConfig, type Provider } from '../../../src/server/index.js';
import { createInteriorRedesignProvider } from '../../../src/server/providers/interior-redesign/index.js';
import { createLaminaProvider } from '../../../src/server/providers/lamina/index.js';
import { createLumaAgentsProvider } from '../../../src/server/providers/luma-agents/index.js';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { ProviderHttp } from '../../../src/server/providers/remote/provider-http.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { startFakeInteriorRedesign } from '../../fakes/interior-redesign.js';
import { LAMINA_APP_IDS, startFakeLamina } from '../../fakes/lamina.js';
import { startFakeLumaAgents } from '../../fakes/luma-agents.js';
import { startFakeLumely } from '../../fakes/lumely.js';
import { afterThisTest, waitForStatus } from '../helpers.js';
import { socketBff } from '../support/socket-bff.js';
import { attack } from './ledger.js';

const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, retries: 1, timeoutMs: 3000 };

/** An internal service the BFF must never reach: records every hit. */
async function internalService() {
  const hits: Array<{ url: string; headers: Record<string, unknown> }> = [];
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#f00' } }).png().toBuffer();
  const server = createServer((req, res) => {
    hits.push({ url: req.url!, headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { port: (server.address() as AddressInfo).port, hits };
}

/**
 * A man in the middle on this process's fetch: the provider's answers have their output links
 * rewritten to `target` (what a compromised or malicious provider would send), and every request
 * to a host other than the provider's and the BFF's own is recorded (and only passed on to the
 * loopback "internal" service, which records it too).
 */
function mitm(providerOrigin: string, ownOrigins: string[], internalPort: number) {
  const real = globalThis.fetch;
  const state = { target: '', redirectTo: '', foreign: [] as Array<{ url: string; headers: Headers }> };
  const outputLink = new RegExp(`${providerOrigin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/api/v1)?/(?:storage|files|images)/[^"\\s\\\\]*`, 'g');
  const rewrite = (s: string) => (state.target ? s.replace(outputLink, state.target) : s);
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === providerOrigin && url.pathname === '/__redirect') {
      return new Response(null, { status: 302, headers: { Location: `${providerOrigin}/__redirect2` } });
    }
    if (url.origin === providerOrigin && url.pathname === '/__redirect2') {
      return new Response(null, { status: 307, headers: { Location: state.redirectTo } });
    }
    if (url.origin === providerOrigin || ownOrigins.includes(url.origin)) {
      const res = await real(input, init);
      const type = res.headers.get('content-type') ?? '';
      if (url.origin !== providerOrigin || !state.target || !/json|event-stream|text/.test(type) || !res.body) return res;
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      const decoder = new TextDecoder();
      const encoder = new TextEncoder();
      const body = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, c) => c.enqueue(encoder.encode(rewrite(decoder.decode(chunk, { stream: true })))) }),
      );
      return new Response(body, { status: res.status, statusText: res.statusText, headers });
    }
    state.foreign.push({ url: url.href, headers: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)) });
    if (url.hostname === '127.0.0.1' && url.port === String(internalPort)) return real(input, init);
    throw new TypeError(`blocked by the test: ${url.href}`);
  };
  globalThis.fetch = wrapped;
  afterThisTest(() => {
    globalThis.fetch = real;
  });
  return state;
}

interface Adapter {
  name: string;
  start(): Promise<{ baseUrl: string; apiKey: string; webhookSecret: string | null; close(): Promise<void> }>;
  create(s: RemoteProviderSettings): Provider;
  job: Record<string, unknown>;
}

const LUMELY_KEY = 'lum_live_ssrf_test_0123456789abcdef';
const LUMA_KEY = 'luma-api-ssrf-7f3c2a10b4d9e8f1';
const ADAPTERS: Adapter[] = [
  {
    name: 'lumely',
    start: async () => {
      const f = await startFakeLumely({ apiKeys: [LUMELY_KEY], stepMs: 10 });
      return { baseUrl: f.url, apiKey: LUMELY_KEY, webhookSecret: null, close: () => f.close() };
    },
    create: createLumelyProvider,
    job: { service: 'render-enhancement', config: 'interior-modern', resolution: '2K' },
  },
  {
    name: 'luma-agents',
    start: async () => {
      const f = await startFakeLumaAgents({ apiKeys: [LUMA_KEY], stepMs: 10 });
      return { baseUrl: f.url, apiKey: LUMA_KEY, webhookSecret: null, close: () => f.close() };
    },
    create: createLumaAgentsProvider,
    job: { service: 'image-edit', config: 'modern-living-room' },
  },
  {
    name: 'interior-redesign',
    start: async () => {
      const f = await startFakeInteriorRedesign({ stepMs: 10 });
      return { baseUrl: f.url, apiKey: f.apiKey, webhookSecret: null, close: () => f.close() };
    },
    create: createInteriorRedesignProvider,
    job: { service: 'redesign', config: 'scandinavian' },
  },
  {
    name: 'lamina',
    start: async () => {
      const f = await startFakeLamina({ stepMs: 10 });
      return { baseUrl: f.url, apiKey: f.apiKey, webhookSecret: null, close: () => f.close() };
    },
    create: (s) => createLaminaProvider(s),
    job: { service: LAMINA_APP_IDS.virtualStaging, config: 'default', options: { room_type: 'Living Room' } },
  },
];

async function stack(a: Adapter, extraFor: (internalPort: number) => Partial<RemoteProviderSettings> = () => ({})) {
  const internal = await internalService();
  const extra = extraFor(internal.port);
  const fake = await a.start();
  afterThisTest(() => fake.close());
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const providerOrigin = new URL(fake.baseUrl).origin;
  const state = mitm(providerOrigin, [publicUrl], internal.port);
  const provider = a.create({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, webhookSecret: fake.webhookSecret, publicUrl, pollIntervalMs: 30, retry: fastRetry, ...extra });
  const { bff, server, auth, upload } = await socketBff(provider, port);
  const up = await upload();
  const run = async () => {
    const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...a.job, upload_id: up.id }) });
    if (res.status !== 201) throw new Error(`${a.name} job: ${res.status} ${await res.text()}`);
    const job = Job.parse(await res.json());
    await waitForStatus(bff, job.id, ['completed', 'failed', 'cancelled'], 15_000);
    return Job.parse(await (await fetch(`${server.url}/v1/jobs/${job.id}`, { headers: auth })).json());
  };
  return { state, internal, run, fake, bff, providerOrigin };
}

describe('SSRF through provider output links', () => {
  for (const a of ADAPTERS) {
    attack(
      'ssrf',
      `${a.name}: output links to loopback, link-local metadata, file:, localhost and a redirect chain into loopback`,
      async () => {
        const s = await stack(a);
        const p = s.internal.port;
        const targets: Array<[string, string]> = [
          [`http://127.0.0.1:${p}/latest/meta-data`, ''],
          ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', ''],
          ['file:///etc/passwd', ''],
          [`http://localhost:${p}/admin`, ''],
          [`${s.providerOrigin}/__redirect`, `http://127.0.0.1:${p}/internal`],
        ];
        for (const [target, redirectTo] of targets) {
          s.state.target = target;
          s.state.redirectTo = redirectTo;
          const job = await s.run();
          expect(job.status, `${a.name} → ${target}`).toBe('failed');
          // Lamina keeps only http(s) outputs, so a file: link leaves the run without an image.
          const codes = a.name === 'lamina' && target.startsWith('file:') ? ['processing_failed'] : ['provider_error'];
          expect(codes, `${a.name} → ${target}: ${JSON.stringify(job.error)}`).toContain(job.error!.code);
          expect(job.outputs).toEqual([]);
        }
        expect(s.state.foreign).toEqual([]);
        expect(s.internal.hits).toEqual([]);
      },
      60_000,
    );
  }

  attack('ssrf', 'a configured storage host (STAGING_PROVIDER_OUTPUT_HOSTS) is fetched without the provider key', async () => {
    const a = ADAPTERS[0]!;
    const s = await stack(a, (port) => ({ outputHosts: [`127.0.0.1:${port}`] }));
    const internal = s.internal;
    s.state.target = `http://127.0.0.1:${internal.port}/storage/out.png`;
    const job = await s.run();
    expect(job.status).toBe('completed');
    expect(internal.hits.length).toBeGreaterThan(0);
    for (const h of internal.hits) {
      expect(h.headers.authorization).toBeUndefined();
      expect(JSON.stringify(h.headers)).not.toContain(LUMELY_KEY);
    }
  });

  attack('ssrf', 'the provider client itself: foreign, non-http and credential-bearing URLs, and a base URL that is not http(s)', async () => {
    const http = new ProviderHttp({ label: 'Acme', baseUrl: 'https://api.acme.test/v1', authenticate: () => undefined, secrets: [] });
    for (const bad of [
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_FLUSHALL',
      'ftp://api.acme.test/x',
      'data:image/png;base64,AAAA',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://api.acme.test.evil.example/x',
      'https://api.acme.test:8443/x',
      'https://evil.example@127.0.0.1/x',
      '//127.0.0.1/x',
    ]) {
      let resolved: URL | null;
      try {
        resolved = http.resolve(bad);
      } catch {
        resolved = null;
      }
      // Anything that resolves must still be on the provider's own host.
      if (resolved) expect(resolved.host, bad).toBe('api.acme.test');
    }
    for (const base of ['file:///etc/', 'gopher://x/', 'javascript:alert(1)']) {
      expect(() => new ProviderHttp({ label: 'Acme', baseUrl: base, authenticate: () => undefined, secrets: [] }), base).toThrow();
    }
  });

  attack('ssrf', 'STAGING_PROVIDER_URL must be http(s)', async () => {
    const env = { STAGING_TOKEN_SECRET: 'x'.repeat(40), STAGING_PUBLIC_URL: 'https://bff.example.com', STAGING_ALLOWED_ORIGINS: 'https://listings.example.com', STAGING_PROVIDER: 'interior-redesign', STAGING_PROVIDER_KEY: 'ir_key_0123456789' };
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:6379/', 'ftp://example.com/', 'javascript:alert(1)', '//127.0.0.1', 'localhost:8080']) {
      let err: unknown = null;
      try {
        loadConfig({ ...env, STAGING_PROVIDER_URL: url });
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('STAGING_PROVIDER_URL');
    }
  });
});
