import { Deadline, raceAbort } from './deadline.js';
import { errorFromResponse, StagingAuthError, StagingError, StagingHttpError, StagingNetworkError, StagingResponseError } from './errors.js';

/** What a `fetchToken` callback may return: a bare JWT, or the token with its expiry. */
export type TokenResult = string | { token: string; expires_at?: string | number | null | undefined };

export interface TokenManagerOptions {
  /** The host backend's URL that answers `POST` with `{token, expires_at}` for the logged-in user. */
  tokenUrl?: string;
  /** Overrides `tokenUrl`: any code that produces a widget token. */
  fetchToken?: () => Promise<TokenResult>;
  fetch?: typeof fetch;
  /** Per request to `tokenUrl`. Default 30 s. */
  timeoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Reads a host backend's token answer: a string, or an object with `token` and an optional
 * `expires_at` (ISO string or epoch). Lenient on purpose: hosts answer with their own JSON, the
 * contract's SessionResponse being just one of them. Checked by hand, not with zod, because
 * this runs before the first screen's first request and zod loads with that request's answer.
 */
function readTokenAnswer(answer: unknown): { token: string; expires_at: string | number | null | undefined } | null {
  const o = typeof answer === 'string' ? { token: answer } : answer;
  if (typeof o !== 'object' || o === null) return null;
  const { token, expires_at } = o as Record<string, unknown>;
  if (typeof token !== 'string' || token.length === 0) return null;
  if (expires_at !== undefined && expires_at !== null && typeof expires_at !== 'string' && typeof expires_at !== 'number') return null;
  return { token, expires_at };
}

/** Renew when less than this much, or 10 % of the lifetime, remains. */
const RENEW_MARGIN_MS = 60_000;
/** How long to trust a token whose expiry cannot be read or already looks past (clock skew). */
const FALLBACK_LIFETIME_MS = 60_000;

interface Held {
  token: string;
  renewAt: number;
}

/**
 * Holds the widget token in memory only (never in an attribute, URL, storage or event, where
 * the host page or an extension could read it), fetches at most one at a time, and renews
 * it before it expires.
 */
export class TokenManager {
  readonly #opts: TokenManagerOptions;
  readonly #now: () => number;
  #held: Held | undefined;
  #pending: Promise<string> | undefined;

  constructor(opts: TokenManagerOptions) {
    if (!opts.tokenUrl && !opts.fetchToken) throw new TypeError('TokenManager needs a tokenUrl or a fetchToken callback.');
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * A token valid for a while yet. Concurrent callers share one fetch; aborting `signal`
   * stops this caller's wait, not the fetch the others wait on.
   */
  getToken(signal?: AbortSignal): Promise<string> {
    const held = this.#held;
    if (held && this.#now() < held.renewAt) return raceAbort(Promise.resolve(held.token), signal);
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return raceAbort(this.#pending, signal);
  }

  /**
   * Forgets the token, so the next getToken() fetches a new one (after a 401). Pass the token
   * that was refused: when several requests fail with the same token, only the first one
   * drops it, and a newer token is kept.
   */
  invalidate(token?: string): void {
    if (token === undefined || this.#held?.token === token) this.#held = undefined;
  }

  async #fetch(): Promise<string> {
    let answer: unknown;
    try {
      answer = this.#opts.fetchToken ? await this.#opts.fetchToken() : await this.#fromUrl(this.#opts.tokenUrl!);
    } catch (e) {
      if (e instanceof StagingError) throw e;
      // The host's own callback failed: keep its error as the cause, give callers one type to catch.
      throw new StagingError({ code: 'token_unavailable', message: 'The widget token could not be obtained.', cause: e });
    }
    const parsed = readTokenAnswer(answer);
    if (!parsed) {
      throw new StagingResponseError('The widget token answer has no token.', 0, undefined, [{ path: 'token', message: 'expected a non-empty string' }]);
    }
    const { token, expires_at } = parsed;
    this.#held = { token, renewAt: this.#renewAt(token, expires_at) };
    return token;
  }

  async #fromUrl(url: string): Promise<unknown> {
    const deadline = new Deadline(undefined, this.#opts.timeoutMs ?? 30_000);
    try {
      const res = await (this.#opts.fetch ?? fetch)(url, {
        method: 'POST',
        credentials: 'include',
        headers: { Accept: 'application/json' },
        signal: deadline.signal,
      });
      if (!res.ok) {
        // The host's backend refused or failed, not the staging service: say so, with its answer.
        const e = await errorFromResponse(res);
        const signedOut = res.status === 401 || res.status === 403;
        const init = {
          status: res.status,
          code: signedOut ? 'token_refused' : 'token_unavailable',
          message: `The token URL answered ${res.status}${signedOut ? ': the visitor is probably signed out' : ''}.`,
          details: { token_url_status: res.status, ...e.details },
          requestId: e.requestId,
          retryable: e.retryable,
          retryAfterMs: e.retryAfterMs,
        };
        throw signedOut ? new StagingAuthError(init) : new StagingHttpError(init);
      }
      const text = await res.text();
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new StagingResponseError('The token URL did not answer JSON.', res.status, res.headers.get('X-Request-Id') ?? undefined, [], e);
      }
    } catch (e) {
      if (e instanceof StagingError) throw e;
      throw deadline.abortReason() ?? new StagingNetworkError('The token URL could not be reached.', e);
    } finally {
      deadline.clear();
    }
  }

  #renewAt(token: string, expiresAt: string | number | null | undefined): number {
    const now = this.#now();
    let expiry = toMs(expiresAt) ?? jwtExp(token);
    // An expiry already past on our clock means the client's clock runs ahead of the server's:
    // use the token for a short while rather than fetch a new one for every request.
    if (expiry === undefined || expiry <= now) expiry = now + FALLBACK_LIFETIME_MS;
    const lifetime = expiry - now;
    // Capped at half the lifetime so a short-lived token (30 s is allowed) is still reused.
    const margin = Math.min(Math.max(RENEW_MARGIN_MS, lifetime * 0.1), lifetime / 2);
    return expiry - margin;
  }
}

/** ISO string, epoch seconds or epoch milliseconds. */
function toMs(v: string | number | null | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? (v < 1e12 ? v * 1000 : v) : undefined;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** `exp` of a JWT, read without verifying: only the BFF can verify, and only timing depends on it. */
export function jwtExp(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')));
    const exp = (json as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
