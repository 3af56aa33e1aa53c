/**
 * The HTTP plumbing every provider fake is built on: a loopback server, bounded body reading,
 * header redaction for the fake's request log, JSON answers, a queue of injected failures, and
 * outbound fetches (input images, webhook deliveries) that never throw. Nothing here knows a
 * provider's contract: routes, bodies, error shapes and failure kinds stay in each fake, which
 * follows its provider's documentation (/work/shared/seeds/).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Serving

export interface LocalServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Also ends hung ('timeout'), keep-alive and streaming connections. */
  close(): Promise<void>;
}

/** Binds 127.0.0.1 on an ephemeral port: a fake must never be reachable from outside the machine. */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  // Adapters under test may hold keep-alive sockets; never let a hung request keep the process alive.
  server.keepAliveTimeout = 1000;
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

// ---------------------------------------------------------------------------------------------
// Reading requests

export interface ReadBody {
  bytes: Buffer;
  size: number;
  tooLarge: boolean;
}

/**
 * Reads the whole body but stops buffering past `limit`, so an oversized upload gets the
 * provider's own error answer instead of a reset connection (which an adapter could not tell
 * from a network fault).
 */
export async function readBody(req: IncomingMessage, limit = Infinity): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  const tooLarge = size > limit;
  return { bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, tooLarge };
}

export function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The whole body parsed as JSON, or its text (cut to 2,000 characters) when it is not JSON. */
export function jsonOrText(bytes: Buffer): unknown {
  const parsed = parseJson(bytes);
  return parsed.ok ? parsed.value : bytes.toString('utf8').slice(0, 2000);
}

/** Parses multipart/form-data with the platform's own parser (undici). */
export function parseMultipart(req: IncomingMessage, body: Buffer): Promise<FormData> {
  return new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': header(req, 'content-type') ?? '' }, body: new Uint8Array(body) }).formData();
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keeps recorded bodies small: a 10 MB base64 image in every record would dominate test memory. */
function abbreviate(value: unknown, max = 256): unknown {
  if (typeof value === 'string') return value.length > max ? `[${value.length} chars: ${value.slice(0, 32)}…]` : value;
  if (Array.isArray(value)) return value.map((v) => abbreviate(v, max));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v, max)]));
  return value;
}

/** The body as a fake's log keeps it: parsed JSON (long strings cut), the raw text if not JSON, null if empty. */
export function bodyForLog(bytes: Buffer, parsed = parseJson(bytes)): unknown {
  if (parsed.ok) return abbreviate(parsed.value);
  return bytes.length ? abbreviate(bytes.toString('utf8')) : null;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Recording requests without their secrets

/** Hides a secret header's value entirely. */
export const hide = (): string => '[redacted]';
/** Keeps the scheme only: `Bearer [redacted]`. */
export const keepScheme = (value: string): string => `${value.split(' ')[0] ?? ''} [redacted]`;
/** Keeps the scheme and the key's prefix, so a test can check which key was sent: `Bearer lum_live_…[redacted]`. */
export function maskCredential(value: string): string {
  const m = /^(\S+\s+)?(.*)$/.exec(value);
  const scheme = m?.[1] ?? '';
  const token = m?.[2] ?? '';
  return `${scheme}${token.slice(0, Math.min(9, Math.floor(token.length / 2)))}…[redacted]`;
}

/** What every fake logs of a request; each adds its own fields (body, answer, injected failure). */
export interface RequestLine {
  method: string;
  /** Without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased; secret ones masked as the fake chooses. */
  headers: Record<string, string>;
}

export function requestLine(req: IncomingMessage, url: URL, secret: Record<string, (value: string) => string>): RequestLine {
  return { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: redactHeaders(req.headers, secret) };
}

/** The log entry of a fake that records each request with the status it answered (or the failure it injected). */
export interface LoggedRequest extends RequestLine {
  at: number;
  /** Parsed JSON body (or its text), when the request had one. */
  body?: unknown;
  /** Status the fake answered with; undefined while pending or when it never answered. */
  status?: number;
  /** Failure injected into this request, if any. */
  injected?: string;
}

/** The log entry of a fake that records each request with its body size and what the client got back. */
export interface LoggedExchange extends RequestLine {
  /** Parsed JSON body (long strings such as base64 images abbreviated), raw text if not JSON, null if empty. */
  body: unknown;
  bodyBytes: number;
  at: number;
  /** Status written back, or the injected transport failure ('timeout' / 'drop'). */
  outcome?: number | 'timeout' | 'drop';
}

/** Lower-cased request headers for a fake's log; the secret ones (by name) masked as the fake chooses. */
export function redactHeaders(headers: IncomingMessage['headers'], secret: Record<string, (value: string) => string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = secret[name]?.(text) ?? text;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Answering

/** An answer: JSON (serialized here) or raw bytes with their type. */
export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  json?: unknown;
  raw?: Buffer | string;
  contentType?: string;
}

export const jsonReply = (status: number, json: unknown, headers?: Record<string, string | number>): Reply => ({ status, json, headers });

/** A JSON-labelled 200 cut off mid-document (`text`, in the provider's own shape), like a truncating proxy. */
export const truncatedJson = (text: string): Reply => ({ status: 200, raw: text, contentType: 'application/json' });

/** Writes a reply (unless the connection is gone); `extraHeaders` (rate limits, request ids) sit under the reply's own. */
export function send(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string | number> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const headers: Record<string, string | number> = { ...extraHeaders, ...(reply.headers ?? {}) };
  if (reply.raw === undefined && reply.json !== undefined) headers['Content-Type'] = 'application/json';
  if (reply.contentType) headers['Content-Type'] = reply.contentType;
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, headers);
  res.end(body);
}

export const isReply = (v: unknown): v is Reply => isPlainObject(v) && typeof v.status === 'number';

export const sendJson = (res: ServerResponse, status: number, json: unknown, headers?: Record<string, string | number>): void => send(res, { status, json, headers });

/**
 * Answers with `reply`, or fails the connection as injected: 'timeout' never answers (close()
 * ends the socket), 'drop' cuts it. Returns what the client got, for the fake's log.
 */
export function answer(req: IncomingMessage, res: ServerResponse, reply: Reply | 'timeout' | 'drop', extraHeaders: Record<string, string | number> = {}): number | 'timeout' | 'drop' {
  if (reply === 'timeout') return 'timeout';
  if (reply === 'drop') {
    req.socket.destroy();
    return 'drop';
  }
  send(res, reply, extraHeaders);
  return reply.status;
}

// ---------------------------------------------------------------------------------------------
// JSON APIs with a route table

/** A request to a JSON API route, as its handler sees it. */
export interface ApiRequest {
  method: string;
  /** The path under the API's base path. */
  apiPath: string;
  /** The route pattern's groups, URI-decoded. */
  params: string[];
  query: URLSearchParams;
  body: ReadBody;
  json: unknown;
  jsonOk: boolean;
}

export type Handler = (ctx: ApiRequest) => Reply | Promise<Reply>;
export type Routes = Array<{ pattern: RegExp; methods: Record<string, Handler> }>;

/** Reads an API request: the entry for the fake's log (with `secret` headers masked) and what its handler gets. */
export async function readApiRequest(
  req: IncomingMessage,
  url: URL,
  o: { apiPath: string; maxBytes: number; secret: Record<string, (value: string) => string> },
): Promise<{ record: LoggedExchange; ctx: ApiRequest }> {
  const body = await readBody(req, o.maxBytes);
  const parsed = parseJson(body.bytes);
  const line = requestLine(req, url, o.secret);
  return {
    record: { ...line, body: bodyForLog(body.bytes, parsed), bodyBytes: body.size, at: Date.now() },
    ctx: { method: line.method, apiPath: o.apiPath, params: [], query: url.searchParams, body, json: parsed.ok ? parsed.value : undefined, jsonOk: parsed.ok },
  };
}

/** Runs the handler of the first route matching `ctx.apiPath`, or answers with the provider's own 405 or 404. */
export async function route(routes: Routes, ctx: ApiRequest, answers: { notAllowed(allowed: string[]): Reply; notFound(): Reply }): Promise<Reply> {
  for (const r of routes) {
    const m = r.pattern.exec(ctx.apiPath);
    if (!m) continue;
    const handler = r.methods[ctx.method];
    if (!handler) return answers.notAllowed(Object.keys(r.methods));
    ctx.params = m.slice(1).map((p) => decodeURIComponent(p));
    return handler(ctx);
  }
  return answers.notFound();
}

// ---------------------------------------------------------------------------------------------
// Injected failures

/** Which requests an injected failure applies to, and how many. */
export interface FailureFilter {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose path matches: a string exactly, a RegExp by test. */
  path?: string | RegExp;
  /** How many matching requests (or jobs) fail (default 1). */
  times?: number;
}

/** For fakes that can also lose an answer after the real handler ran. */
export interface FailAfterHandler extends FailureFilter {
  /**
   * Run the real handler first (the job IS created, credits ARE spent) and only then lose the
   * response: the case idempotency keys exist for. Only for 'timeout', 'drop', 'malformed-json' and '500'.
   */
  afterHandler?: boolean;
}

/** For fakes that match failures by path only and announce a wait with an injected 429. */
export interface FailWithRetryAfter extends Omit<FailureFilter, 'method'> {
  /** Seconds announced in Retry-After for '429' (default 1). */
  retryAfterSec?: number;
}

export type FailureRule<K extends string, X extends object = object> = X & { kind: K; method?: string; path?: string | RegExp; remaining: number };

const pathMatches = (filter: string | RegExp, path: string) => (typeof filter === 'string' ? filter === path : filter.test(path));

/** FIFO of injected failures; each is consumed by the requests (or jobs, or streams) it applies to. */
export class FailureQueue<K extends string, X extends object = object> {
  private readonly rules: FailureRule<K, X>[] = [];

  add(kind: K, filter: FailureFilter & Partial<X> = {}): void {
    const { times, ...rest } = filter;
    this.rules.push({ ...rest, kind, remaining: Math.max(1, times ?? 1) } as FailureRule<K, X>);
  }

  /**
   * Consumes one use of the first rule `accept`ed whose method and path fit the request. A rule
   * without a path applies when `anyPath` (default true); a request without a method or path
   * (a job, a stream) is not filtered on it.
   */
  take(req: { method?: string; path?: string; anyPath?: boolean }, accept: (rule: FailureRule<K, X>) => boolean = () => true): FailureRule<K, X> | undefined {
    const index = this.rules.findIndex(
      (r) =>
        accept(r) &&
        (req.method === undefined || !r.method || r.method.toUpperCase() === req.method.toUpperCase()) &&
        (req.path === undefined || (r.path === undefined ? req.anyPath !== false : pathMatches(r.path, req.path))),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }

  get pending(): readonly { kind: K; remaining: number }[] {
    return this.rules.map((r) => ({ kind: r.kind, remaining: r.remaining }));
  }

  clear(): void {
    this.rules.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Outbound requests (input images, webhook deliveries)

export interface FetchResult {
  /** Null when no answer arrived (network error, timeout). */
  status: number | null;
  contentType: string | null;
  body: Buffer;
  /** `Name: message` of the network error, or null. */
  error: string | null;
  durationMs: number;
}

/** A fetch by the fake itself that never throws: whatever happened is in the result. */
export async function outboundFetch(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<FetchResult> {
  const started = performance.now();
  const { timeoutMs = 10_000, ...rest } = init;
  const done = (r: Omit<FetchResult, 'durationMs'>): FetchResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  try {
    const res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
    return done({ status: res.status, contentType: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()), error: null });
  } catch (e) {
    return done({ status: null, contentType: null, body: Buffer.alloc(0), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

/** One outbound request a fake made, for tests to assert on. */
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

/** outboundFetch() that appends a record to `log` whatever happens. */
export async function recordedFetch(log: OutboundFetch[], purpose: string, url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<FetchResult> {
  const entry: OutboundFetch = { purpose, method: (init.method ?? 'GET').toUpperCase(), url, at: Date.now() };
  log.push(entry);
  const r = await outboundFetch(url, init);
  if (r.error !== null) entry.error = r.error;
  else Object.assign(entry, { status: r.status, contentType: r.contentType, bytes: r.body.length });
  return r;
}

/** One POST to a webhook receiver; never throws: the receiver's status or the network error. */
export async function postWebhook(url: string, rawBody: string, headers: Record<string, string>, timeoutMs: number): Promise<{ responseStatus?: number; error?: string }> {
  const r = await outboundFetch(url, { method: 'POST', headers, body: rawBody, timeoutMs });
  return r.status !== null ? { responseStatus: r.status } : { error: r.error ?? 'no answer' };
}

/** One webhook delivery a fake sent (or an attack-test control sent), as its log keeps it. */
export interface SignedDelivery {
  /** 'normal' deliveries come from finished jobs; the others were sent by attack-test controls. */
  kind: 'normal' | 'replay' | 'stale' | 'forged' | 'tampered';
  url: string;
  timestamp: string;
  headers: Record<string, string>;
  rawBody: string;
  sentAt: number;
  /** Receiver's HTTP status, or `error` when the POST failed; both undefined while in flight. */
  responseStatus?: number;
  error?: string;
  done: boolean;
}

/** The test controls of a fake whose jobs move on a StepClock and whose webhooks carry a timestamped signature. */
export interface SignedWebhookControls<D> {
  /** Finishes the current step of one job (or all); returns how many steps were released. */
  advance(jobId?: string): number;
  setAutoAdvance(auto: boolean): void;
  /** Resolves when `count` webhook deliveries have finished (answered or errored). */
  waitForWebhooks(count: number, timeoutMs?: number): Promise<D[]>;
  /** Re-sends the last delivery byte for byte, headers included (what a replaying attacker does). */
  replayLastWebhook(): Promise<D>;
  /** A correctly signed delivery whose timestamp is `ageSeconds` old (default 600). */
  sendStaleWebhook(ageSeconds?: number): Promise<D>;
  /** A fresh-timestamped delivery signed with a key other than the endpoint's. */
  sendForgedWebhook(): Promise<D>;
  /** The last delivery's headers (valid signature) with a modified body. */
  sendTamperedWebhook(): Promise<D>;
}

/** Waits until `count` of a fake's webhook deliveries have finished (answered or failed). */
export function waitForDeliveries<D extends { done: boolean }>(deliveries: D[], count: number, timeoutMs: number): Promise<D[]> {
  const done = () => deliveries.filter((d) => d.done);
  return waitFor(() => (done().length >= count ? done() : undefined), timeoutMs, () => `expected ${count} finished webhook deliveries, have ${done().length}`);
}

// ---------------------------------------------------------------------------------------------
// Time

/** Checks `found()` until it returns something, or throws `failure()` after `timeoutMs` (for a fake's `waitFor…` controls). */
export async function waitFor<T>(found: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(failure());
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** A fake job's own scheduling state: its pending timer and the chain that keeps its steps in order. */
export interface Stepped {
  timer?: NodeJS.Timeout;
  chain: Promise<void>;
}

/**
 * Moves fake jobs one step at a time, every `stepMs` while `running()` says so, or by hand
 * (`advance`): steps of one job are serialized, so a timer step and a manual one never interleave.
 */
export class Stepper<J extends Stepped> {
  constructor(private readonly o: { stepMs: number; running(): boolean; done(job: J): boolean; step(job: J): Promise<void>; pending: Pending }) {}

  schedule(job: J): void {
    if (!this.o.running() || job.timer || this.o.done(job)) return;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      void this.o.pending.track(this.advance(job).then(() => this.schedule(job)));
    }, this.o.stepMs);
    job.timer.unref();
  }

  unschedule(job: J): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
  }

  advance(job: J): Promise<void> {
    const run = job.chain.then(() => this.o.step(job));
    job.chain = run.catch(() => undefined);
    return run;
  }
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
