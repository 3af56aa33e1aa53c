import { ConfigError } from '../../config-error.js';
import { ProviderJobError } from '../types.js';

export interface ProviderResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  json: unknown;
  bytes: Buffer;
}

export interface ProviderRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path under the base URL, or an absolute URL on an allowed host (e.g. a presigned output). */
  path: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Safe to send again after a network error, a timeout or a 5xx (GETs, or POSTs with an idempotency key). */
  idempotent?: boolean;
  /** Skip authentication (e.g. presigned download URLs that must not receive the key). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** Statuses the caller handles itself (no retry, no mapping). */
  accept?: number[];
}

export interface ProviderHttpOptions {
  /** The provider's name, for messages ("Lumely"). */
  label: string;
  baseUrl: string;
  /**
   * The documented API root's path (e.g. `/api/v1`): request paths are relative to it. A
   * configured base URL with or without it (or with part of it) is accepted alike: the missing
   * part is appended, never doubled (`https://app.uselamina.ai` and `…/v1` both work).
   */
  apiRoot?: string;
  /** Adds the provider's documented credentials to a request. */
  authenticate(headers: Headers): void;
  /** Secrets that must never appear in an error message or a log line. */
  secrets: string[];
  /**
   * Further hosts the provider serves downloads from (presigned storage): exact `host[:port]`,
   * or `*.example.com` for any subdomain of example.com (not example.com itself).
   */
  extraHosts?: string[];
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The provider's own error bodies → a specific job error (e.g. credits), or null for the
   * default mapping. `redact` strips the secrets from any of the provider's words it quotes.
   */
  mapError?(res: ProviderResponse, redact: (text: string) => string): ProviderJobError | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Seconds or an HTTP date (`Retry-After`), or an ISO / epoch reset time (`X-RateLimit-Reset`, `RateLimit-Reset`). */
export function retryDelayMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (reset) {
    const n = Number(reset);
    if (Number.isFinite(n)) {
      // Epoch seconds are large; a small number is a delta in seconds (RateLimit-Reset).
      return n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000;
    }
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return null;
}

/**
 * The one way adapters talk to a provider: the documented credentials, a timeout per attempt,
 * retries with backoff that honour `Retry-After` and the rate-limit headers, only the
 * configured provider's hosts (redirects are followed by hand and checked, never into another
 * host), and errors mapped to job errors whose messages never carry a secret.
 */
export class ProviderHttp {
  private readonly base: URL;
  private readonly hosts: Set<string>;
  private readonly hostSuffixes: string[];
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly o: ProviderHttpOptions) {
    this.base = withApiRoot(new URL(o.baseUrl), o.apiRoot);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new ConfigError(`${o.label}: the provider URL must be http(s).`);
    const extra = o.extraHosts ?? [];
    this.hosts = new Set([this.base.host, ...extra.filter((h) => !h.startsWith('*.'))]);
    this.hostSuffixes = extra.filter((h) => h.startsWith('*.')).map((h) => h.slice(1).toLowerCase());
    this.fetchImpl = o.fetch ?? fetch;
  }

  /** Resolves a path or absolute URL and refuses anything outside the provider's hosts. */
  resolve(pathOrUrl: string): URL {
    const url = /^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\//, ''), this.base);
    const allowed = this.hosts.has(url.host) || (url.port === '' && this.hostSuffixes.some((suffix) => url.hostname.toLowerCase().endsWith(suffix)));
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !allowed) {
      throw new ProviderJobError('provider_error', `${this.o.label} answered with a link outside its own service; it was not followed.`, false);
    }
    return url;
  }

  async request(req: ProviderRequest): Promise<ProviderResponse> {
    const retries = this.o.retries ?? 3;
    let lastProblem: string;
    for (let attempt = 0; ; attempt++) {
      req.signal?.throwIfAborted();
      let res: ProviderResponse;
      try {
        res = await this.once(req);
      } catch (err) {
        if (err instanceof ProviderJobError) throw err;
        if (req.signal?.aborted) throw req.signal.reason;
        lastProblem = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
        if (!req.idempotent || attempt >= retries) break;
        await sleep(this.backoff(attempt), req.signal);
        continue;
      }
      if (req.accept?.includes(res.status)) return res;
      if (res.status >= 200 && res.status < 300) {
        if (res.bytes.length > 0 && res.json === null && (res.headers.get('content-type') ?? '').includes('json')) {
          // Malformed JSON from a success answer: the provider is broken right now, not our request.
          lastProblem = 'sent an unreadable answer';
          if (!req.idempotent || attempt >= retries) break;
          await sleep(this.backoff(attempt), req.signal);
          continue;
        }
        return res;
      }
      const mapped = this.o.mapError?.(res, (text) => this.redact(text));
      if (mapped) throw mapped;
      if (res.status === 401) {
        throw new ProviderJobError(
          'server_misconfigured',
          `${this.o.label} refused the site's API key. The site owner must check STAGING_PROVIDER_KEY.`,
          false,
        );
      }
      if (res.status === 429 || res.status === 503) {
        lastProblem = res.status === 429 ? 'is rate limiting requests' : 'is unavailable';
        // A 429 means nothing was done, so it is always safe to send again.
        if (attempt >= retries) break;
        const wait = retryDelayMs(res.headers) ?? this.backoff(attempt);
        await sleep(Math.min(wait, this.o.maxDelayMs ?? 30_000), req.signal);
        continue;
      }
      if (res.status >= 500) {
        lastProblem = `failed (${res.status})`;
        if (!req.idempotent || attempt >= retries) break;
        await sleep(this.backoff(attempt), req.signal);
        continue;
      }
      throw new ProviderJobError('provider_error', `${this.o.label} refused the request: ${this.describe(res)}`, false);
    }
    throw new ProviderJobError('provider_unavailable', `${this.o.label} ${lastProblem}. Retry the job in a few minutes.`, true);
  }

  /** Downloads bytes (an output image), checked against the provider's hosts like any request. */
  async download(url: string, opts: { signal?: AbortSignal; anonymous?: boolean } = {}): Promise<{ bytes: Buffer; contentType: string }> {
    const res = await this.request({ path: url, idempotent: true, signal: opts.signal, anonymous: opts.anonymous });
    return { bytes: res.bytes, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }

  private async once(req: ProviderRequest): Promise<ProviderResponse> {
    let url = this.resolve(req.path);
    const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 30_000);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    for (let hop = 0; hop < 4; hop++) {
      const headers = new Headers(req.headers);
      // The key goes only to the configured base host, never to a storage host it links to.
      if (!req.anonymous && url.host === this.base.host) this.o.authenticate(headers);
      let body: BodyInit | undefined;
      if (req.json !== undefined) {
        headers.set('Content-Type', 'application/json');
        body = JSON.stringify(req.json);
      } else if (req.form) {
        body = req.form;
      }
      const res = await this.fetchImpl(url, { method: hop === 0 ? (req.method ?? 'GET') : 'GET', headers, body: hop === 0 ? body : undefined, redirect: 'manual', signal });
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        url = this.resolve(new URL(res.headers.get('location')!, url).toString());
        continue;
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      let json: unknown = null;
      if (bytes.length > 0 && !(res.headers.get('content-type') ?? '').startsWith('image/')) {
        try {
          json = JSON.parse(bytes.toString('utf8'));
        } catch {
          json = null;
        }
      }
      return { status: res.status, headers: res.headers, json, bytes };
    }
    throw new ProviderJobError('provider_error', `${this.o.label} redirected too many times.`, false);
  }

  private backoff(attempt: number): number {
    const base = this.o.baseDelayMs ?? 500;
    const exp = Math.min(this.o.maxDelayMs ?? 30_000, base * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
  }

  /** The provider's own words, short and with every secret removed. */
  private describe(res: ProviderResponse): string {
    const body = res.json as { message?: unknown; error?: unknown; detail?: unknown } | null;
    const raw = [body?.message, typeof body?.error === 'string' ? body.error : (body?.error as { message?: unknown })?.message, body?.detail]
      .find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
    return this.redact(raw ?? `HTTP ${res.status}`).slice(0, 300);
  }

  redact(text: string): string {
    let s = text;
    for (const secret of this.o.secrets) if (secret.length >= 6) s = s.split(secret).join('[redacted]');
    return s.replace(/\b(Bearer\s+)\S+/gi, '$1[redacted]');
  }
}

export { sleep };

/**
 * `base` with `root` completed: the longest tail of the base's path that is a head of `root`
 * is kept, the rest of `root` appended. Always ends with `/`, so relative paths resolve under it.
 */
export function withApiRoot(base: URL, root?: string): URL {
  const baseSegs = base.pathname.split('/').filter(Boolean);
  const rootSegs = (root ?? '').split('/').filter(Boolean);
  let k = Math.min(baseSegs.length, rootSegs.length);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
  // A base that already ends with the whole root, or with its first k segments.
  if (!same(baseSegs.slice(baseSegs.length - rootSegs.length), rootSegs)) {
    while (k > 0 && !same(baseSegs.slice(baseSegs.length - k), rootSegs.slice(0, k))) k--;
  } else k = rootSegs.length;
  const path = [...baseSegs, ...rootSegs.slice(k)].join('/');
  const out = new URL(base.origin);
  out.pathname = path ? `/${path}/` : '/';
  return out;
}
