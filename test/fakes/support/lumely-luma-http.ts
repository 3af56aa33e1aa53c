/**
 * Plumbing shared by the Lumely and Luma Agents fakes only (test/fakes/lumely.ts,
 * test/fakes/luma-agents.ts). Other fakes keep their own helpers so that a change
 * here cannot silently alter a provider contract someone else is testing against.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp, { type Sharp } from 'sharp';

/** What a route handler answers; the dispatcher may still swap it for an injected failure. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify unless `raw` is given. */
  json?: unknown;
  raw?: Buffer | string;
  contentType?: string;
}

export const jsonReply = (status: number, json: unknown, headers?: Record<string, string>): Reply => ({ status, json, headers });

export interface RecordedRequest {
  method: string;
  /** Path relative to the origin, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names; credentials are masked down to their prefix. */
  headers: Record<string, string>;
  /** Parsed JSON body (long strings such as base64 images abbreviated), raw text if not JSON, null if empty. */
  body: unknown;
  bodyBytes: number;
  at: number;
  /** Status written back, or the injected transport failure ('timeout' / 'drop'). */
  outcome?: number | 'timeout' | 'drop';
}

/** One outbound HTTP request the fake made (image ingestion or webhook delivery). */
export interface OutboundFetch {
  purpose: string;
  method: string;
  url: string;
  at: number;
  status?: number;
  bytes?: number;
  contentType?: string | null;
  error?: string;
}

export interface LocalServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/** Binds 127.0.0.1 on an ephemeral port: the fakes must never be reachable from outside the machine. */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const server = createServer(handler);
  // Adapters under test may hold keep-alive sockets; never let a hung request keep the process alive.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // 'timeout' failures deliberately leave requests open; close() must still finish.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReadBody {
  bytes: Buffer;
  size: number;
  tooLarge: boolean;
}

/**
 * Reads the whole body but stops buffering past `limit`, so an oversized upload gets a
 * proper error response instead of a reset connection (which the adapter could not tell
 * apart from a network fault).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) return;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, tooLarge }));
    req.on('error', reject);
  });
}

export function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keeps recorded bodies small: a 10 MB base64 image in every record would dominate test memory. */
export function abbreviate(value: unknown, max = 256): unknown {
  if (typeof value === 'string') return value.length > max ? `[${value.length} chars: ${value.slice(0, 32)}…]` : value;
  if (Array.isArray(value)) return value.map((v) => abbreviate(v, max));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v, max)]));
  return value;
}

/**
 * Records headers for assertions without storing usable secrets: tests can still check
 * the scheme and key prefix an adapter sent (e.g. "Bearer lum_live_…").
 */
export function redactHeaders(headers: IncomingMessage['headers'], secretHeaders: string[] = ['authorization', 'cookie']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(', ') : value;
    out[name] = secretHeaders.includes(name) ? maskCredential(v) : v;
  }
  return out;
}

export function maskCredential(value: string): string {
  const m = /^(\S+\s+)?(.*)$/.exec(value);
  const scheme = m?.[1] ?? '';
  const token = m?.[2] ?? '';
  const keep = Math.min(9, Math.floor(token.length / 2));
  return `${scheme}${token.slice(0, keep)}…[redacted]`;
}

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? null;
}

/** Writes a Reply; extra headers (rate limits, request ids) are merged under the reply's own. */
export function writeReply(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void {
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const headers: Record<string, string | number> = { ...extraHeaders, ...(reply.headers ?? {}) };
  if (reply.raw === undefined && reply.json !== undefined) headers['Content-Type'] = 'application/json';
  if (reply.contentType) headers['Content-Type'] = reply.contentType;
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** A JSON-labelled 200 whose body is cut mid-document, like a proxy truncating a response. */
export function writeMalformedJson(res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
  const body = '{"id": "7f3c2a10-truncated", "status": "pend';
  res.writeHead(200, { ...extraHeaders, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------
// Failure injection

export interface FailNextOptions {
  /** Only requests with this method (default: any). */
  method?: string;
  /**
   * Only requests whose path matches: a string must match exactly, a RegExp is tested.
   * API routes are matched by their path relative to the documented base ("/jobs",
   * "/generations/<id>"); anything else (output downloads) by its full origin path.
   * Default: any API route; output downloads only fail when a path targets them.
   */
  path?: string | RegExp;
  /** How many matching requests fail (default 1). */
  times?: number;
  /**
   * Run the real handler first (the job IS created, credits ARE spent) and only then
   * lose the response. This is the case idempotency keys exist for. Only meaningful
   * for 'timeout', 'drop', 'malformed-json' and '500'.
   */
  afterHandler?: boolean;
}

export interface FailureRule<K extends string> extends FailNextOptions {
  kind: K;
  remaining: number;
  /** Extra kind-specific data, e.g. a failure message for 'job-fails'. */
  detail?: Record<string, unknown>;
}

export class FailureQueue<K extends string> {
  readonly rules: FailureRule<K>[] = [];

  add(kind: K, opts: FailNextOptions = {}, detail?: Record<string, unknown>): void {
    this.rules.push({ ...opts, kind, remaining: opts.times ?? 1, detail });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Consumes one use of the first rule accepted by `accept` and matching method/path. */
  take(method: string, path: string, isApi: boolean, accept: (rule: FailureRule<K>) => boolean): FailureRule<K> | undefined {
    const idx = this.rules.findIndex((r) => {
      if (!accept(r)) return false;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) return false;
      if (r.path === undefined) return isApi;
      return typeof r.path === 'string' ? r.path === path : r.path.test(path);
    });
    if (idx < 0) return undefined;
    const rule = this.rules[idx]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(idx, 1);
    return rule;
  }

  /** Consumes one use of the first rule of `kind`, ignoring method/path (job-level failures). */
  takeKind(kind: K): FailureRule<K> | undefined {
    const idx = this.rules.findIndex((r) => r.kind === kind);
    if (idx < 0) return undefined;
    const rule = this.rules[idx]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(idx, 1);
    return rule;
  }
}

// ---------------------------------------------------------------------------------------------
// Images

export type OutputFormat = 'jpeg' | 'png';

export interface RenderedImage {
  bytes: Buffer;
  width: number;
  height: number;
  contentType: string;
}

/** Pixel size with the given long side, preserving `ratio` (width / height). */
export function sizeForLongSide(longSide: number, ratio: number): { width: number; height: number } {
  return ratio >= 1
    ? { width: longSide, height: Math.max(1, Math.round(longSide / ratio)) }
    : { width: Math.max(1, Math.round(longSide * ratio)), height: longSide };
}

/**
 * Produces a real, decodable "AI result": the input photo (EXIF-rotated), resized to the
 * requested long side and visibly tinted so tests can tell output from input. Without an
 * input (text-to-image) it paints a flat tinted canvas.
 */
export async function renderOutputImage(
  input: Buffer | null,
  o: { longSide: number; ratio?: number; format: OutputFormat; tint: { r: number; g: number; b: number } },
): Promise<RenderedImage> {
  let pipeline: Sharp;
  let size: { width: number; height: number };
  if (input) {
    const meta = await sharp(input).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const w = (rotated ? meta.height : meta.width) ?? 1;
    const h = (rotated ? meta.width : meta.height) ?? 1;
    size = sizeForLongSide(o.longSide, o.ratio ?? w / h);
    pipeline = sharp(input).rotate().resize({ width: size.width, height: size.height, fit: 'cover' }).tint(o.tint);
  } else {
    size = sizeForLongSide(o.longSide, o.ratio ?? 1);
    pipeline = sharp({ create: { width: size.width, height: size.height, channels: 3, background: o.tint } });
  }
  const bytes = o.format === 'png' ? await pipeline.png({ compressionLevel: 1 }).toBuffer() : await pipeline.jpeg({ quality: 80 }).toBuffer();
  return { bytes, width: size.width, height: size.height, contentType: o.format === 'png' ? 'image/png' : 'image/jpeg' };
}

/** Recognises the image formats the providers accept, from the bytes rather than any declared type. */
export async function sniffImage(bytes: Buffer): Promise<{ format: string; width: number; height: number } | null> {
  if (bytes.length === 0) return null;
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.format || !meta.width || !meta.height) return null;
    return { format: meta.format, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

/** fetch() that appends a record to `log` whatever happens, so tests can assert what the fake fetched. */
export async function recordedFetch(
  log: OutboundFetch[],
  purpose: string,
  url: string,
  init: RequestInit & { timeoutMs?: number; maxBytes?: number } = {},
): Promise<{ ok: true; status: number; bytes: Buffer; contentType: string | null; tooLarge: boolean } | { ok: false; error: string }> {
  const entry: OutboundFetch = { purpose, method: (init.method ?? 'GET').toUpperCase(), url, at: Date.now() };
  log.push(entry);
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 10_000) });
    entry.status = res.status;
    entry.contentType = res.headers.get('content-type');
    const buf = Buffer.from(await res.arrayBuffer());
    entry.bytes = buf.length;
    const tooLarge = init.maxBytes !== undefined && buf.length > init.maxBytes;
    return { ok: true, status: res.status, bytes: buf, contentType: entry.contentType, tooLarge };
  } catch (e) {
    entry.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { ok: false, error: entry.error };
  }
}

/** Tracks in-flight async work (renders, webhook deliveries) so tests can await quiescence. */
export class Pending {
  private readonly set = new Set<Promise<unknown>>();
  track<T>(p: Promise<T>): Promise<T> {
    const wrapped = p.finally(() => this.set.delete(wrapped));
    this.set.add(wrapped);
    // Rejections are surfaced through state, not as unhandled rejections that would fail unrelated tests.
    wrapped.catch(() => undefined);
    return p;
  }
  async settled(): Promise<void> {
    while (this.set.size) await Promise.allSettled([...this.set]);
  }
}
