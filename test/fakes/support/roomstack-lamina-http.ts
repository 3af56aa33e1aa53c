/**
 * Plumbing shared by the RoomStack and Lamina fakes (test/fakes/roomstack.ts, test/fakes/lamina.ts).
 * Nothing here knows either provider's contract; that lives in the fakes themselves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';

/** Failure modes every fake understands; each fake adds its own provider-specific kinds. */
export type CommonFailureKind = '500' | '429' | 'timeout' | 'drop' | 'malformed-json' | '401' | '403' | 'job-fails';

export interface FailNextOptions {
  /** Only requests whose path (without query) matches are affected; default: the next request of any path. */
  path?: string | RegExp;
  /** How many consecutive matching requests fail (default 1). */
  times?: number;
  /** Seconds announced in Retry-After for '429' (default 1). */
  retryAfterSec?: number;
}

interface QueuedFailure<K extends string> {
  kind: K;
  path: string | RegExp | undefined;
  remaining: number;
  retryAfterSec: number;
}

/** FIFO of injected failures; a failure is consumed by the first request (or job, or stream) it applies to. */
export class FailureQueue<K extends string> {
  private readonly queue: QueuedFailure<K>[] = [];

  push(kind: K, opts: FailNextOptions = {}): void {
    this.queue.push({ kind, path: opts.path, remaining: Math.max(1, opts.times ?? 1), retryAfterSec: opts.retryAfterSec ?? 1 });
  }

  /**
   * Takes the first queued failure whose kind is in `kinds` and whose path filter accepts `path`. With
   * `explicitOnly`, failures without a path filter are skipped (used for routes a test rarely means by "next").
   */
  take(kinds: readonly K[], path: string, explicitOnly = false): { kind: K; retryAfterSec: number } | undefined {
    const index = this.queue.findIndex((f) => kinds.includes(f.kind) && (!explicitOnly || f.path !== undefined) && pathMatches(f.path, path));
    if (index < 0) return undefined;
    const found = this.queue[index]!;
    found.remaining -= 1;
    if (found.remaining <= 0) this.queue.splice(index, 1);
    return { kind: found.kind, retryAfterSec: found.retryAfterSec };
  }

  get pending(): readonly { kind: K; remaining: number }[] {
    return this.queue.map((f) => ({ kind: f.kind, remaining: f.remaining }));
  }

  clear(): void {
    this.queue.length = 0;
  }
}

function pathMatches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'string' ? filter === path : filter.test(path);
}

/** A request as the fake saw it; secrets are replaced so state can be logged or snapshotted safely. */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, when the request had one. */
  body?: unknown;
  /** Multipart fields (text values) and file parts (metadata only), when the request was multipart. */
  form?: { fields: Record<string, string[]>; files: RecordedFile[] };
  /** Status the fake answered with; undefined while pending or when it never answered. */
  status?: number;
  /** Failure injected into this request, if any. */
  injected?: string;
}

export interface RecordedFile {
  field: string;
  filename: string;
  type: string;
  size: number;
}

const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'cookie', 'proxy-authorization']);

/** Secret headers keep their presence (so tests can assert auth was sent) but not their value. */
export function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (!SECRET_HEADERS.has(name)) out[name] = text;
    else if (name === 'authorization') out[name] = `${text.split(' ')[0] ?? ''} [redacted]`;
    else out[name] = '[redacted]';
  }
  return out;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses multipart/form-data with the platform's own parser (undici), so no extra dependency is needed. */
export async function parseMultipart(req: IncomingMessage, body: Buffer): Promise<FormData> {
  const contentType = header(req, 'content-type') ?? '';
  return new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A 200 whose JSON is cut off mid-object: what a truncating proxy or a crashing upstream produces. */
export function sendMalformedJson(res: ServerResponse): void {
  const text = '{"requestId":"req_trunc","images":[{"base64":"data:image/png;base64,iVBORw0KGgo';
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface StartedServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Binds 127.0.0.1 on an ephemeral port; close() also kills hung ('timeout') and streaming connections. */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<StartedServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Moves jobs forward either on a timer (stepMs) or only when a test calls advance(), so a test can hold a
 * job in a given status as long as it needs to.
 */
export class StepClock {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    public stepMs: number,
    public auto: boolean,
  ) {}

  /** Resolves after one step for `jobId`. */
  step(jobId: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return;
      const done = () => {
        this.waiting.get(jobId)?.delete(done);
        resolve();
      };
      let set = this.waiting.get(jobId);
      if (!set) this.waiting.set(jobId, (set = new Set()));
      set.add(done);
      if (this.auto) this.later(this.stepMs, done);
    });
  }

  /** Completes the pending step of one job (or of every job); returns how many were waiting. */
  advance(jobId?: string): number {
    let count = 0;
    for (const [id, set] of this.waiting) {
      if (jobId !== undefined && id !== jobId) continue;
      for (const done of [...set]) {
        done();
        count += 1;
      }
    }
    return count;
  }

  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
  }
}

/** Distinct tints so a test (or a human looking at a dump) can tell variants and providers apart. */
export const TINTS: readonly { r: number; g: number; b: number }[] = [
  { r: 255, g: 214, b: 170 },
  { r: 170, g: 210, b: 255 },
  { r: 190, g: 255, b: 190 },
  { r: 255, g: 180, b: 230 },
];

export interface RenderOptions {
  /** Longest edge of the output in pixels; the input is scaled up or down to it. */
  longEdge?: number;
  /** Multiplies the (orientation-corrected) input size; ignored when longEdge is set. */
  factor?: number;
  /** Upper bound for the longest edge when using factor. */
  maxLongEdge?: number;
  tintIndex?: number;
  brighten?: boolean;
}

/** A real PNG derived from the input: EXIF-rotated, resized, tinted. Throws if sharp cannot decode the input. */
export async function renderVariant(input: Uint8Array, opts: RenderOptions): Promise<{ data: Buffer; width: number; height: number }> {
  const meta = await sharp(input).metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const srcW = (swap ? meta.height : meta.width) ?? 0;
  const srcH = (swap ? meta.width : meta.height) ?? 0;
  if (!srcW || !srcH) throw new Error('image has no dimensions');
  let scale: number;
  if (opts.longEdge) scale = opts.longEdge / Math.max(srcW, srcH);
  else {
    scale = opts.factor ?? 1;
    if (opts.maxLongEdge) scale = Math.min(scale, opts.maxLongEdge / Math.max(srcW, srcH));
  }
  const width = Math.max(1, Math.round(srcW * scale));
  const height = Math.max(1, Math.round(srcH * scale));
  let pipeline = sharp(input).rotate().resize(width, height, { fit: 'fill' }).removeAlpha();
  if (opts.brighten) pipeline = pipeline.modulate({ brightness: 1.15 }).sharpen();
  pipeline = pipeline.tint(TINTS[(opts.tintIndex ?? 0) % TINTS.length]!);
  // Low compression: these images are read by tests, not shipped, and 4K encodes are slow on shared CI cores.
  const data = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { data, width, height };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One outgoing POST to a webhook receiver; never throws, the outcome is returned for the delivery log. */
export async function postWebhook(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ responseStatus?: number; error?: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return { responseStatus: res.status };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
