import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import { ConfigError, createStagingBff, jsonLogger, loadConfig, type StagingBff } from '../../../src/server/index.js';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { startFakeLumely } from '../../fakes/lumely.js';
import { afterThisTest, fixture, tempDir, waitForStatus } from '../helpers.js';
import { attack } from './ledger.js';

const TOKEN_SECRET = 'tok_secret_attack_0123456789_abcdefghijklmnop';
const ADMIN_KEY = 'adm_key_attack_0123456789abcdef';
const PROVIDER_KEY = 'lum_live_secret_attack_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_attack_secret_0123456789';
const SECRETS = [TOKEN_SECRET, ADMIN_KEY, PROVIDER_KEY, WEBHOOK_SECRET];
const ORIGIN = 'https://listings.example.com';

/** Every line the BFF writes to stderr while the test runs (the real jsonLogger, with its redaction). */
function captureStderr(): string[] {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  // Kept from the console: the test reads the lines, the run's output does not need them.
  process.stderr.write = (chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  afterThisTest(() => {
    process.stderr.write = original;
  });
  return lines;
}

/** Records every response's status line, headers and body. */
function recorder(bff: StagingBff) {
  const seen: string[] = [];
  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
    if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
    const res = await bff.app.request(`http://bff.test${path}`, { ...init, headers });
    const body = await res.text();
    seen.push(`${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${body}`);
    return { status: res.status, body, json: () => JSON.parse(body) as Record<string, unknown> };
  };
  return { seen, call };
}

function expectNoSecret(texts: string[], extra: string[] = []) {
  for (const text of texts) {
    for (const s of [...SECRETS, ...extra]) expect(text.includes(s), `a secret (${s.slice(0, 6)}…) leaked in: ${text.slice(0, 300)}`).toBe(false);
  }
}

describe('secrets in responses, logs and error messages', () => {
  attack('secrets', 'provider failures that echo the key (401, a failure reason quoting it, a thrown error) leak nothing', async () => {
    const logs = captureStderr();
    const f = await startFakeLumely({ apiKeys: [PROVIDER_KEY], stepMs: 10 });
    afterThisTest(() => f.close());
    const bff = createStagingBff({
      tokenSecret: TOKEN_SECRET,
      adminKey: ADMIN_KEY,
      allowedOrigins: [ORIGIN],
      publicUrl: 'http://bff.test',
      store: 'memory',
      dataDir: join(tempDir(), 'blobs'),
      logger: jsonLogger(SECRETS),
      providerInstance: createLumelyProvider({ baseUrl: f.url, apiKey: PROVIDER_KEY, webhookSecret: WEBHOOK_SECRET, publicUrl: 'http://bff.test', pollIntervalMs: 20, retry: { baseDelayMs: 10, maxDelayMs: 50, retries: 1, timeoutMs: 3000 } }),
    });
    afterThisTest(() => bff.close());
    const { seen, call } = recorder(bff);
    const minted = await bff.app.request('http://bff.test/v1/sessions', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'agent', origins: [ORIGIN] }) });
    const { token } = (await minted.json()) as { token: string };
    const up = (await call('/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') })).json() as { id: string };
    const job = async () => {
      const r = await call('/v1/jobs', { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }) });
      expect(r.status).toBe(201);
      const id = Job.parse(r.json()).id;
      await waitForStatus(bff, id, ['completed', 'failed'], 15_000);
      return Job.parse((await call(`/v1/jobs/${id}`, { token })).json());
    };
    f.controls.failNext('401', { method: 'POST', path: '/upload' });
    const refused = await job();
    expect(refused.error).toMatchObject({ code: 'server_misconfigured' });
    f.controls.failNext('job-fails', { errorMessage: `upstream said: invalid key ${PROVIDER_KEY} (Bearer ${PROVIDER_KEY}); webhook ${WEBHOOK_SECRET}` });
    const failed = await job();
    expect(failed.status).toBe('failed');
    f.controls.failNext('500', { times: 10 });
    await job();
    // The admin-only account route through a refused key.
    f.controls.clearFailures();
    f.controls.failNext('401');
    const acct = await call('/v1/provider/account', { headers: { Authorization: `Bearer ${ADMIN_KEY}`, Origin: '' } });
    expect(acct.json(), acct.body).toMatchObject({ error: { code: 'server_misconfigured' } });
    // Job list and events with all those errors in them.
    await call('/v1/jobs', { token });
    expectNoSecret(seen, [token]);
    expectNoSecret(logs, [token]);
  });

  attack('secrets', 'invalid, expired and misused tokens and keys are never echoed back or logged', async () => {
    const logs = captureStderr();
    const bff = createStagingBff({ tokenSecret: TOKEN_SECRET, adminKey: ADMIN_KEY, allowedOrigins: [ORIGIN, 'https://other.example.com'], publicUrl: 'http://bff.test', store: 'memory', dataDir: join(tempDir(), 'blobs'), logger: jsonLogger(SECRETS) });
    afterThisTest(() => bff.close());
    const { seen, call } = recorder(bff);
    const minted = await bff.app.request('http://bff.test/v1/sessions', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'agent', origins: [ORIGIN] }) });
    const { token, session_id } = (await minted.json()) as { token: string; session_id: string };
    const tampered = token.slice(0, -3) + 'AAA';
    await call('/v1/services', { token: tampered });
    await call('/v1/services', { token, headers: { Origin: 'https://other.example.com' } });
    await call('/v1/services', { token: ADMIN_KEY });
    await call('/v1/sessions', { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await call('/v1/sessions', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}x`, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: TOKEN_SECRET }) });
    await call('/v1/sessions', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: `{"subject": "${ADMIN_KEY}", "bogus": 1` });
    await call(`/v1/jobs?cursor=${encodeURIComponent(token)}`, { token });
    await call(`/v1/jobs?token=${token}`);
    await call(`/v1/outputs/out_x?expires=1&sig=${token}`);
    await call(`/v1/sessions/${session_id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    await call('/v1/credits', { token });
    await call('/v1/webhooks/local', { method: 'POST', body: JSON.stringify({ secret: WEBHOOK_SECRET }) });
    // Error bodies may quote the caller's own input back only where it is not a credential.
    expectNoSecret(seen.filter((s) => !s.includes('"subject"')), [token, tampered]);
    expectNoSecret(logs, [token, tampered]);
  });

  attack('secrets', 'configuration errors name the variable, never its value', async () => {
    const weak = { STAGING_TOKEN_SECRET: 'short-token-secret', STAGING_ADMIN_KEY: 'short-admin', STAGING_PUBLIC_URL: 'https://bff.example.com', STAGING_ALLOWED_ORIGINS: ORIGIN, STAGING_PROVIDER: 'lumely', STAGING_PROVIDER_URL: `ftp://${PROVIDER_KEY}@x` };
    let err: unknown = null;
    try {
      loadConfig(weak);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('STAGING_TOKEN_SECRET');
    for (const v of Object.values(weak).filter((v) => v !== ORIGIN && !v.startsWith('https://') && v !== 'lumely')) expect(msg.includes(v), v).toBe(false);
    expect(msg).not.toContain(PROVIDER_KEY);
    expect(() => createStagingBff({ tokenSecret: 'too-short' })).toThrow();
    try {
      createStagingBff({ tokenSecret: 'too-short-secret-value', store: 'memory' });
    } catch (e) {
      expect(String(e)).not.toContain('too-short-secret-value');
    }
  });
});
