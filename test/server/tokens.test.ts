import { SignJWT, UnsecuredJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/errors.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService } from '../../src/server/tokens.js';

const SECRET = 'x'.repeat(40);
const tokens = new TokenService(SECRET);
const mintInput = {
  subject: 'agent-1',
  sessionId: 'ses_abcdefghijklmnop1234',
  origins: ['https://a.example'],
  services: ['upscale'],
  maxCredits: 10,
  maxResolution: '2K' as const,
  expiresAt: new Date(Date.now() + 60_000),
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return e instanceof ApiError ? e.code : `threw ${String(e)}`;
  }
}

describe('widget tokens', () => {
  it('round-trips the claims the architecture lists', async () => {
    const claims = await tokens.verify(await tokens.mint(mintInput));
    expect(claims).toMatchObject({ sub: 'agent-1', sid: mintInput.sessionId, origins: ['https://a.example'], services: ['upscale'], max_credits: 10, max_resolution: '2K' });
    expect(claims.exp).toBe(Math.floor(mintInput.expiresAt.getTime() / 1000));
  });

  it('refuses an expired token with token_expired', async () => {
    const t = await tokens.mint({ ...mintInput, expiresAt: new Date(Date.now() - 60_000) });
    expect(await codeOf(tokens.verify(t))).toBe('token_expired');
  });

  it('refuses forged, unsigned and foreign tokens with unauthorized', async () => {
    const other = await new TokenService('y'.repeat(40)).mint(mintInput);
    const none = new UnsecuredJWT({ sid: mintInput.sessionId, origins: [], services: null, max_credits: null, max_resolution: '4K' })
      .setSubject('agent-1').setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m').encode();
    // Signed with the raw secret rather than the derived key: a token minted by anything else that knows the secret.
    const rawKey = await new SignJWT({ sid: 'ses_x', origins: [], services: null, max_credits: null, max_resolution: '4K' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const wrongAud = await new SignJWT({ sid: 'ses_x', origins: [], services: null, max_credits: null, max_resolution: '4K' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer(TOKEN_ISSUER).setAudience('someone-else').setIssuedAt().setExpirationTime('5m')
      .sign(createHmac('sha256', SECRET).update('staging-widget-token-v1').digest());
    const valid = await tokens.mint(mintInput);
    const [h, p, s] = valid.split('.');
    const escalated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), max_credits: 999999 })).toString('base64url');
    for (const t of [other, none, rawKey, wrongAud, `${h}.${escalated}.${s}`, 'not-a-jwt', '']) {
      expect(await codeOf(tokens.verify(t)), t).toBe('unauthorized');
    }
    // The derived-key token with the right audience is the control: same construction, accepted.
    const control = await new SignJWT({ sid: 'ses_x', origins: [], services: null, max_credits: null, max_resolution: '4K' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m')
      .sign(createHmac('sha256', SECRET).update('staging-widget-token-v1').digest());
    expect(await codeOf(tokens.verify(control))).toBe('accepted');
  });

  it('caches a verified token but still expires it, and never caches a failure', async () => {
    const t = await tokens.mint({ ...mintInput, expiresAt: new Date(Date.now() + 1500) });
    expect((await tokens.verify(t)).sub).toBe('agent-1');
    expect((await tokens.verify(t)).sub).toBe('agent-1');
    const forged = t.slice(0, -3) + (t.endsWith('aaa') ? 'bbb' : 'aaa');
    expect(await codeOf(tokens.verify(forged))).toBe('unauthorized');
    expect(await codeOf(tokens.verify(forged))).toBe('unauthorized');
    await new Promise((r) => setTimeout(r, 1500 + 5000 + 200));
    expect(await codeOf(tokens.verify(t))).toBe('token_expired');
  }, 15_000);

  it('refuses a short secret', () => {
    expect(() => new TokenService('short')).toThrow(/32 characters/);
  });
});

describe('signed paths', () => {
  it('accepts its own signature until expiry and refuses tampering', () => {
    const now = Date.now();
    const url = new URL('http://x' + tokens.signPath('/v1/outputs/out_abc', 60, now));
    const [exp, sig] = [url.searchParams.get('expires')!, url.searchParams.get('sig')!];
    expect(tokens.verifyPath('/v1/outputs/out_abc', exp, sig, now)).toBe(60);
    const refused = (f: () => unknown) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return (e as ApiError).code;
      }
    };
    expect(refused(() => tokens.verifyPath('/v1/outputs/out_abd', exp, sig, now))).toBe('not_found');
    expect(refused(() => tokens.verifyPath('/v1/outputs/out_abc', String(Number(exp) + 3600), sig, now))).toBe('not_found');
    expect(refused(() => tokens.verifyPath('/v1/outputs/out_abc', exp, sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A'), now))).toBe('not_found');
    expect(refused(() => tokens.verifyPath('/v1/outputs/out_abc', exp, undefined, now))).toBe('not_found');
    expect(refused(() => tokens.verifyPath('/v1/outputs/out_abc', exp, sig, now + 61_000))).toBe('not_found');
  });
});
