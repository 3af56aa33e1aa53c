import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, expectError, json, makeBff, mintSession, ORIGIN, req } from './helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('POST /v1/sessions (token exchange)', () => {
  it('mints a token with the default 15-minute lifetime', async () => {
    const bff = makeBff();
    const before = Date.now();
    const res = await req(bff, '/v1/sessions', { ...json({ subject: 'agent-7', origins: [ORIGIN], services: ['upscale'], max_credits: 4, max_resolution: '2K' }, admin), origin: null });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { token: string; session_id: string; expires_at: string };
    expect(body.session_id).toMatch(/^ses_/);
    const lifetime = Date.parse(body.expires_at) - before;
    expect(lifetime).toBeGreaterThan(899_000);
    expect(lifetime).toBeLessThan(901_000);
    const claims = await bff.deps.tokens.verify(body.token);
    expect(claims).toMatchObject({ sub: 'agent-7', sid: body.session_id, origins: [ORIGIN], services: ['upscale'], max_credits: 4, max_resolution: '2K' });
  });

  it('refuses a missing or wrong admin key, and a BFF without one', async () => {
    const bff = makeBff();
    await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'a' }), origin: null }), 401, 'unauthorized');
    await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'a' }, { Authorization: `Bearer ${ADMIN_KEY}x` }), origin: null }), 401, 'unauthorized');
    const keyless = makeBff({ adminKey: null });
    const err = await expectError(await req(keyless, '/v1/sessions', { ...json({ subject: 'a' }, admin), origin: null }), 401, 'unauthorized');
    expect(err.message).toContain('STAGING_ADMIN_KEY');
  });

  it('validates the body in the documented error shape, naming the fields', async () => {
    const bff = makeBff();
    const err = await expectError(
      await req(bff, '/v1/sessions', { ...json({ subject: '', ttl_seconds: 7200, max_resolution: '8K', origins: ['not an origin'], extra: 1 }, admin), origin: null }),
      400,
      'invalid_request',
    );
    const paths = (err.issues as Array<{ path: string; message: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['', 'max_resolution', 'origins.0', 'subject', 'ttl_seconds']);
    expect((err.issues as Array<{ path: string; message: string }>).find((i) => i.path === 'ttl_seconds')!.message).toBe('must be at most 3600');
  });

  it('refuses unknown services and origins outside STAGING_ALLOWED_ORIGINS', async () => {
    const bff = makeBff();
    const e1 = await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'a', services: ['teleport'] }, admin), origin: null }), 400, 'invalid_request');
    expect(JSON.stringify(e1.issues)).toContain('teleport');
    const e2 = await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'a', origins: ['https://evil.example'] }, admin), origin: null }), 400, 'invalid_request');
    expect(JSON.stringify(e2.issues)).toContain('evil.example');
  });

  it('refuses malformed JSON and a non-JSON content type', async () => {
    const bff = makeBff();
    await expectError(await req(bff, '/v1/sessions', { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: '{"subject":', origin: null }), 400, 'invalid_json');
    await expectError(await req(bff, '/v1/sessions', { method: 'POST', headers: { ...admin, 'Content-Type': 'text/plain' }, body: '{}', origin: null }), 400, 'invalid_request');
  });

  it('revokes a session at once', async () => {
    const bff = makeBff();
    const s = await mintSession(bff);
    expect((await req(bff, '/v1/services', { token: s.token })).status).toBe(200);
    const del = await req(bff, `/v1/sessions/${s.session_id}`, { method: 'DELETE', headers: admin, origin: null });
    expect(del.status).toBe(204);
    await expectError(await req(bff, '/v1/services', { token: s.token }), 401, 'session_revoked');
    await expectError(await req(bff, '/v1/sessions/ses_doesnotexist1234567', { method: 'DELETE', headers: admin, origin: null }), 404, 'not_found');
    await expectError(await req(bff, `/v1/sessions/${s.session_id}`, { method: 'DELETE', origin: null }), 401, 'unauthorized');
  });
});

describe('POST /v1/dev/sessions', () => {
  it('is refused unless dev mode is on', async () => {
    const bff = makeBff();
    const err = await expectError(await req(bff, '/v1/dev/sessions', { method: 'POST' }), 403, 'dev_sessions_disabled');
    expect(err.message).toContain('STAGING_DEV=1');
  });

  it('mints a demo session without an admin key in dev mode, from a localhost page', async () => {
    const bff = makeBff({ dev: true, allowedOrigins: null });
    const res = await req(bff, '/v1/dev/sessions', { method: 'POST', origin: 'http://localhost:5173' });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const { token } = (await res.json()) as { token: string };
    expect((await bff.deps.tokens.verify(token)).sub).toBe('dev-user');
    await expectError(await req(bff, '/v1/dev/sessions', { method: 'POST', origin: 'https://evil.example' }), 403, 'origin_not_allowed');
  });
});
