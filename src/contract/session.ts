import * as z from 'zod/mini';
import { pure, Resolution, Timestamp } from './common.js';

export const MAX_TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_TOKEN_TTL_SECONDS = 900;

/** An exact web origin: scheme, host and optional port, no path. */
export const Origin = pure(() =>
  z.string().check(
    z.regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/, 'expected an origin such as https://example.com'),
  ),
);

/** `POST /v1/sessions` (admin key) and `POST /v1/dev/sessions` (dev mode only). */
export const CreateSessionRequest = pure(() =>
  z.strictObject({
    subject: z.string().check(z.minLength(1), z.maxLength(200)),
    origins: z.optional(z.array(Origin).check(z.maxLength(20))),
    services: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(50))),
    max_credits: z.optional(z.nullable(z.int().check(z.minimum(0), z.maximum(1_000_000)))),
    max_resolution: z.optional(Resolution),
    ttl_seconds: z.optional(z.int().check(z.minimum(30), z.maximum(MAX_TOKEN_TTL_SECONDS))),
    /** How outputs of this session are disclosed when published (`ca-ab723`, `stellar`, …); default STAGING_DISCLOSURE_PROFILE. */
    disclosure_profile: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/))),
    metadata: z.optional(z.record(z.string().check(z.maxLength(64)), z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean(), z.null()]))),
  }),
);
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const SessionResponse = z.object({
  token: z.string(),
  session_id: z.string(),
  expires_at: Timestamp,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** Claims of a widget token (a JWT signed by the BFF). */
export const TokenClaims = z.object({
  sub: z.string(),
  sid: z.string(),
  exp: z.number(),
  iat: z.number(),
  origins: z.array(z.string()),
  services: z.nullable(z.array(z.string())),
  max_credits: z.nullable(z.number()),
  max_resolution: Resolution,
});
export type TokenClaims = z.infer<typeof TokenClaims>;

/** `GET /v1/credits`: the session's allowance and use. `null` allowance means unlimited. */
export const Credits = z.object({
  max_credits: z.nullable(z.number()),
  used: z.number(),
  remaining: z.nullable(z.number()),
});
export type Credits = z.infer<typeof Credits>;
