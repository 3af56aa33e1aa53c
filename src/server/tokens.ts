import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { TokenClaims, type Resolution } from '../contract/index.js';
import { ApiError } from './errors.js';
import { ConfigError } from './config-error.js';

export const TOKEN_ISSUER = 'staging-bff';
export const TOKEN_AUDIENCE = 'staging-widget';

export interface MintInput {
  subject: string;
  sessionId: string;
  origins: string[];
  services: string[] | null;
  maxCredits: number | null;
  maxResolution: Resolution;
  expiresAt: Date;
}

/**
 * Widget tokens (HS256 JWTs) and signed URLs. The key is derived per purpose from
 * STAGING_TOKEN_SECRET, so a URL signature can never be replayed as a token or vice versa.
 */
export class TokenService {
  private readonly jwtKey: Uint8Array;
  private readonly urlKey: Buffer;
  /**
   * Claims of tokens already verified, by the exact token string: a widget sends the same token
   * on every request for minutes, and verifying its signature is most of a request's cost. A
   * different string (any edited byte) misses the cache and is verified in full; expiry is
   * checked on every hit, and revocation is not cached at all (the session is read per request).
   */
  private readonly verified = new Map<string, TokenClaims>();
  private static readonly CACHE_SIZE = 10_000;

  constructor(secret: string) {
    if (secret.length < 32) throw new ConfigError('STAGING_TOKEN_SECRET must be at least 32 characters.');
    this.jwtKey = createHmac('sha256', secret).update('staging-widget-token-v1').digest();
    this.urlKey = createHmac('sha256', secret).update('staging-signed-url-v1').digest();
  }

  async mint(input: MintInput): Promise<string> {
    return new SignJWT({
      sid: input.sessionId,
      origins: input.origins,
      services: input.services,
      max_credits: input.maxCredits,
      max_resolution: input.maxResolution,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(input.subject)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(input.expiresAt.getTime() / 1000))
      .sign(this.jwtKey);
  }

  /** Verifies signature, algorithm (HS256 only: no `none`, no RS/HS confusion), issuer, audience and expiry. */
  async verify(token: string): Promise<TokenClaims> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp * 1000 + 5000 <= Date.now()) {
        this.verified.delete(token);
        throw new ApiError('token_expired', 'The widget token has expired. Fetch a new one from the token URL.');
      }
      return cached;
    }
    const claims = await this.verifyFully(token);
    if (this.verified.size >= TokenService.CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  private async verifyFully(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.jwtKey, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 5,
      });
      const claims = TokenClaims.safeParse(payload);
      if (!claims.success) throw new ApiError('unauthorized', 'The widget token is malformed. Ask the host for a new one.');
      return claims.data;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new ApiError('token_expired', 'The widget token has expired. Fetch a new one from the token URL.');
      }
      throw new ApiError('unauthorized', 'The widget token is invalid. Fetch a new one from the token URL.');
    }
  }

  /**
   * `?expires=<unix>[&sid=<session>]&sig=<hmac>` for a resource path, so `<img src>` works without
   * headers. With `sessionId`, the link is bound to that session (signed with it): revoking the
   * session ends the link (the route checks), whatever its expiry.
   */
  signPath(path: string, ttlSeconds: number, now = Date.now(), sessionId?: string): string {
    const expires = Math.floor(now / 1000) + ttlSeconds;
    const sid = sessionId ? `&sid=${encodeURIComponent(sessionId)}` : '';
    return `${path}?expires=${expires}${sid}&sig=${this.signature(path, expires, sessionId)}`;
  }

  /** Returns the remaining lifetime in seconds, or throws `not_found` (a bad signature reveals nothing). */
  verifyPath(path: string, expires: string | undefined, sig: string | undefined, now = Date.now(), sessionId?: string): number {
    // Only the canonical form the BFF writes: `1.7e9`, `0x…` or `123.0` would be new URLs under the same signature.
    if (!expires || !sig || !/^[1-9]\d{0,11}$/.test(expires)) throw ApiError.notFound('file');
    const exp = Number(expires);
    const expected = Buffer.from(this.signature(path, exp, sessionId));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw ApiError.notFound('file');
    const remaining = exp - Math.floor(now / 1000);
    if (remaining <= 0) {
      throw new ApiError('not_found', 'This link has expired. Reload the job to get a fresh one.', { reason: 'expired' });
    }
    return remaining;
  }

  private signature(path: string, expires: number, sessionId?: string): string {
    return createHmac('sha256', this.urlKey).update(sessionId ? `${path}\n${expires}\n${sessionId}` : `${path}\n${expires}`).digest('base64url');
  }
}
