import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect } from 'vitest';
import { TokenService } from '../../../src/server/tokens.js';
import { ADMIN_KEY, ORIGIN, TOKEN_SECRET, expectError, json, makeBff, mintSession, req } from '../helpers.js';
import { attack, nothingStored } from './ledger.js';
import { adminHeaders, b64url, claimsFor, decodeToken, signHs256, twoSubjects } from './support.js';

/** Every forged token is tried on a read route and on a route that would store something. */
async function refusedEverywhere(bff: Awaited<ReturnType<typeof twoSubjects>>['bff'], token: string, code = 'unauthorized', status = 401) {
  await expectError(await req(bff, '/v1/services', { token }), status, code);
  await expectError(await req(bff, '/v1/credits', { token }), status, code);
  await nothingStored(bff, ['alice', 'mallory'], async () => {
    await expectError(await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/png' }, body: new Uint8Array([0x89, 0x50]) }), status, code);
    await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'x', upload_id: 'upl_AAAAAAAAAAAAAAAAAAAAAAAA' }), token }), status, code);
  });
}

describe('tokens', () => {
  attack('tokens', 'signed with another secret', async () => {
    const { bff, alice } = await twoSubjects();
    const other = new TokenService('another-secret-entirely-0123456789-abcdefgh');
    const c = claimsFor(alice.token);
    const forged = await other.mint({ subject: 'alice', sessionId: String(c.sid), origins: [], services: null, maxCredits: null, maxResolution: '4K', expiresAt: new Date(Date.now() + 600_000) });
    await refusedEverywhere(bff, forged);
  });

  attack('tokens', 'alg: none (unsigned), with and without a trailing dot', async () => {
    const { bff, alice } = await twoSubjects();
    const { payload } = decodeToken(alice.token);
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'None' }, { alg: 'NONE' }]) {
      await refusedEverywhere(bff, `${b64url(header)}.${b64url(payload)}.`);
      await expectError(await req(bff, '/v1/services', { token: `${b64url(header)}.${b64url(payload)}` }), 401, 'unauthorized');
    }
  });

  attack('tokens', 'HS256 signed with the raw STAGING_TOKEN_SECRET instead of the derived key', async () => {
    const { bff, alice } = await twoSubjects();
    await refusedEverywhere(bff, await signHs256(claimsFor(alice.token), new TextEncoder().encode(TOKEN_SECRET)));
    // ...and with the signed-URL key (the other derived purpose).
    const urlKey = createHmac('sha256', TOKEN_SECRET).update('staging-signed-url-v1').digest();
    await refusedEverywhere(bff, await signHs256(claimsFor(alice.token), urlKey));
  });

  attack('tokens', 'algorithm confusion: RS256 and ES256 tokens from a generated key pair, and HS256 keyed with the public key', async () => {
    const { bff, alice } = await twoSubjects();
    const { sub, iss: _i, aud: _a, exp: _e, iat: _t, ...rest } = claimsFor(alice.token);
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const token = await new SignJWT(rest).setProtectedHeader({ alg, typ: 'JWT' }).setSubject(String(sub)).setIssuer('staging-bff').setAudience('staging-widget').setIssuedAt().setExpirationTime('10m').sign(privateKey);
      await refusedEverywhere(bff, token);
      // The classic confusion: header says RS256/ES256, body HMAC-signed with the public key's PEM.
      const pem = await exportSPKI(publicKey);
      const signingInput = `${b64url({ alg, typ: 'JWT' })}.${token.split('.')[1]}`;
      const hmac = createHmac('sha256', pem).update(signingInput).digest('base64url');
      await refusedEverywhere(bff, `${signingInput}.${hmac}`);
    }
    // An embedded JWK in the header (self-signed "trust me" key).
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const { d: _d, ...pub } = jwk;
    const token = await new SignJWT(rest).setProtectedHeader({ alg: 'ES256', jwk: pub }).setSubject(String(sub)).setIssuer('staging-bff').setAudience('staging-widget').setIssuedAt().setExpirationTime('10m').sign(privateKey);
    await refusedEverywhere(bff, token);
  });

  attack('tokens', 'wrong audience and wrong issuer (signed with the real key)', async () => {
    const { bff, alice } = await twoSubjects();
    const c = claimsFor(alice.token);
    await refusedEverywhere(bff, await signHs256(c, undefined, { aud: 'some-other-app' }));
    await refusedEverywhere(bff, await signHs256(c, undefined, { iss: 'evil-issuer' }));
  });

  attack('tokens', 'expired token (signed with the real key) → token_expired', async () => {
    const { bff, alice } = await twoSubjects();
    const expired = await signHs256(claimsFor(alice.token), undefined, { exp: Math.floor(Date.now() / 1000) - 60 });
    await refusedEverywhere(bff, expired, 'token_expired');
  });

  attack('tokens', 'revoked session whose token expires far in the future → session_revoked', async () => {
    const { bff, alice } = await twoSubjects();
    const farFuture = await signHs256(claimsFor(alice.token), undefined, { exp: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 });
    expect((await req(bff, '/v1/credits', { token: farFuture })).status).toBe(200);
    expect((await req(bff, `/v1/sessions/${alice.session_id}`, { method: 'DELETE', origin: null, headers: adminHeaders })).status).toBe(204);
    for (const t of [alice.token, farFuture]) await refusedEverywhere(bff, t, 'session_revoked');
  });

  attack('tokens', 'payload edited to raise max_credits, services and max_resolution (signature kept) → unauthorized', async () => {
    const { bff } = await twoSubjects();
    const limited = await mintSession(bff, { subject: 'cheap', services: ['upscale'], max_credits: 1, max_resolution: '2K' });
    const [h, , s] = limited.token.split('.');
    const p = claimsFor(limited.token);
    for (const edit of [{ max_credits: 1_000_000 }, { services: null }, { services: ['virtual-staging', 'upscale'] }, { max_resolution: '4K' }, { sub: 'alice' }, { exp: Number(p.exp) + 86400 }]) {
      await refusedEverywhere(bff, `${h}.${b64url({ ...p, ...edit })}.${s}`);
    }
  });

  attack('tokens', "a validly signed token naming another subject's session (sid of alice, sub mallory) → unauthorized", async () => {
    const { bff, alice, mallory } = await twoSubjects();
    await refusedEverywhere(bff, await signHs256({ ...claimsFor(mallory.token), sid: claimsFor(alice.token).sid }));
    await refusedEverywhere(bff, await signHs256({ ...claimsFor(alice.token), sid: 'ses_doesnotexist0000000000' }));
  });

  attack('tokens', 'scope escalation with a genuine token: a service, resolution and credits the session does not have', async () => {
    const { bff } = await twoSubjects();
    const limited = await mintSession(bff, { subject: 'cheap', services: ['render-enhancement'], max_credits: 1, max_resolution: '2K' });
    const up = await (await import('../helpers.js')).upload(bff, limited.token);
    await nothingStored(bff, ['cheap'], async () => {
      await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'virtual-staging', config: 'living-room', upload_id: up.id }), token: limited.token }), 403, 'scope_denied');
      await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id, resolution: '4K' }), token: limited.token }), 403, 'scope_denied');
      await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }), token: limited.token }), 402, 'insufficient_credits');
    });
    const catalog = (await (await req(bff, '/v1/services', { token: limited.token })).json()) as { services: Array<{ id: string }> };
    expect(catalog.services.map((s) => s.id)).toEqual(['render-enhancement']);
  });

  attack('tokens', 'token in the query string, a cookie or another header instead of Authorization: Bearer', async () => {
    const { bff, alice } = await twoSubjects();
    for (const q of ['token', 'access_token', 'authorization', 'jwt']) {
      await expectError(await req(bff, `/v1/services?${q}=${alice.token}`), 401, 'unauthorized');
      await expectError(await req(bff, `/v1/jobs/job_AAAAAAAAAAAAAAAAAAAAAAAA/events?${q}=${alice.token}`), 401, 'unauthorized');
    }
    await expectError(await req(bff, '/v1/services', { headers: { Cookie: `token=${alice.token}` } }), 401, 'unauthorized');
    await expectError(await req(bff, '/v1/services', { headers: { 'X-Access-Token': alice.token } }), 401, 'unauthorized');
    await expectError(await req(bff, '/v1/services', { headers: { Authorization: alice.token } }), 401, 'unauthorized');
  });

  attack('tokens', 'empty, garbage, Basic and doubled bearers', async () => {
    const { bff, alice } = await twoSubjects();
    for (const auth of ['', 'Bearer', 'Bearer ', 'Bearer null', 'Bearer undefined', 'Bearer a.b.c', 'Bearer ....', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${alice.token} ${alice.token}`, `Bearer ${alice.token}x`, `Bearer ${'A'.repeat(20_000)}`, 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.']) {
      await expectError(await req(bff, '/v1/services', { headers: { Authorization: auth } }), 401, 'unauthorized');
    }
  });

  attack('tokens', 'admin routes with a widget token or a wrong admin key; widget routes with the admin key', async () => {
    const { bff, alice } = await twoSubjects();
    await nothingStored(bff, ['alice', 'mallory', 'x'], async () => {
      for (const key of [alice.token, `${ADMIN_KEY}x`, ADMIN_KEY.slice(0, -1), ADMIN_KEY.toUpperCase(), '']) {
        await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'x' }), origin: null, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } }), 401, 'unauthorized');
        await expectError(await req(bff, `/v1/sessions/${alice.session_id}`, { method: 'DELETE', origin: null, headers: { Authorization: `Bearer ${key}` } }), 401, 'unauthorized');
        await expectError(await req(bff, '/v1/provider/account', { origin: null, headers: { Authorization: `Bearer ${key}` } }), 401, 'unauthorized');
      }
      await expectError(await req(bff, '/v1/services', { token: ADMIN_KEY }), 401, 'unauthorized');
    });
    expect((await req(bff, '/v1/credits', { token: alice.token })).status).toBe(200); // not revoked by any of that
  });

  attack('tokens', 'dev sessions minted without STAGING_DEV', async () => {
    const bff = makeBff();
    await expectError(await req(bff, '/v1/dev/sessions', { method: 'POST', origin: null }), 403, 'dev_sessions_disabled');
    await expectError(await req(bff, '/v1/dev/sessions', { ...json({ subject: 'admin', max_credits: null }) }), 403, 'dev_sessions_disabled');
  });
});

describe('origins', () => {
  attack('origins', "an Origin the BFF allows but the token's origins do not", async () => {
    const { bff, alice } = await twoSubjects();
    await expectError(await req(bff, '/v1/services', { token: alice.token, origin: 'https://other.example.com' }), 403, 'origin_not_allowed');
    await nothingStored(bff, ['alice'], async () => {
      await expectError(await req(bff, '/v1/uploads', { method: 'POST', token: alice.token, origin: 'https://other.example.com', headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array([0xff, 0xd8, 0xff]) }), 403, 'origin_not_allowed');
    });
  });

  attack('origins', 'look-alike origins (suffix, case, port, path, trailing slash, userinfo)', async () => {
    const { bff, alice, mallory } = await twoSubjects();
    for (const origin of [`${ORIGIN}.evil.com`, 'https://evil.com', 'https://LISTINGS.example.com', `${ORIGIN}:443`, `${ORIGIN}/`, `${ORIGIN}/path`, 'http://listings.example.com', 'https://user@listings.example.com', 'https://xlistings.example.com', '*']) {
      for (const token of [alice.token, mallory.token]) {
        await expectError(await req(bff, '/v1/services', { token, origin }), 403, 'origin_not_allowed');
      }
    }
  });

  attack('origins', 'preflight from a foreign origin gets no CORS grant', async () => {
    const { bff } = await twoSubjects();
    for (const path of ['/v1/jobs', '/v1/uploads', '/v1/services', '/v1/dev/sessions']) {
      const res = await req(bff, path, { method: 'OPTIONS', origin: 'https://evil.example', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await expectError(res, 403, 'origin_not_allowed');
    }
  });

  attack('origins', 'the opaque `null` origin (sandboxed iframes, file: pages)', async () => {
    const { bff, alice, mallory } = await twoSubjects();
    for (const token of [alice.token, mallory.token]) {
      const res = await req(bff, '/v1/credits', { token, origin: 'null' });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await expectError(res, 403, 'origin_not_allowed');
    }
    await expectError(await req(bff, '/v1/jobs', { method: 'OPTIONS', origin: 'null' }), 403, 'origin_not_allowed');
  });

  attack('origins', 'a session asking for origins outside STAGING_ALLOWED_ORIGINS', async () => {
    const bff = makeBff();
    for (const origins of [['https://evil.example'], [ORIGIN, 'null'], ['*'], ['https://listings.example.com/']]) {
      await expectError(await req(bff, '/v1/sessions', { ...json({ subject: 'x', origins }), origin: null, headers: adminHeaders }), 400, 'invalid_request');
    }
  });
});
