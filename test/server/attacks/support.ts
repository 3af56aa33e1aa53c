import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { Job } from '../../../src/contract/index.js';
import type { StagingBff, StagingBffOptions } from '../../../src/server/index.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../src/server/tokens.js';
import { ADMIN_KEY, TOKEN_SECRET, json, makeBff, mintSession, req, upload, waitForStatus } from '../helpers.js';

/** The key the BFF really signs widget tokens with (derived from STAGING_TOKEN_SECRET). */
export const JWT_KEY = createHmac('sha256', TOKEN_SECRET).update('staging-widget-token-v1').digest();

export const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export function decodeToken(token: string) {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()), sig: s! };
}

/** Claims as the BFF mints them, for a session that exists. */
export function claimsFor(token: string): Record<string, unknown> {
  return decodeToken(token).payload as Record<string, unknown>;
}

/** Signs `claims` with HS256 and `key` (default: the BFF's real derived key). */
export async function signHs256(claims: Record<string, unknown>, key: Uint8Array = JWT_KEY, opts: { iss?: string; aud?: string; exp?: number } = {}) {
  const { sub, iss: _i, aud: _a, exp: _e, iat: _t, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(sub))
    .setIssuer(opts.iss ?? TOKEN_ISSUER)
    .setAudience(opts.aud ?? TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(key);
}

/** A BFF with two subjects: alice (the victim, with an upload and a completed job) and mallory (the attacker). */
export async function twoSubjects(overrides: StagingBffOptions = {}) {
  const bff = makeBff(overrides);
  const alice = await mintSession(bff, { subject: 'alice', origins: ['https://listings.example.com'] });
  const mallory = await mintSession(bff, { subject: 'mallory' });
  return { bff, alice, mallory };
}

export async function victimJob(bff: StagingBff, token: string, extra: Record<string, unknown> = {}) {
  const up = await upload(bff, token);
  const res = await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id, ...extra }), token });
  if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`);
  const job = Job.parse(await res.json());
  await waitForStatus(bff, job.id, ['completed', 'failed']);
  const done = Job.parse(await (await req(bff, `/v1/jobs/${job.id}`, { token })).json());
  return { up, job: done };
}

export const adminHeaders = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

/** A random id of the documented shape (`job_` + 24 base62). */
export function randomId(prefix: string): string {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 24; i++) s += a[Math.floor(Math.random() * 62)];
  return `${prefix}_${s}`;
}
