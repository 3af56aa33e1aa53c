/**
 * A fake Lamina (https://docs.uselamina.ai, recipe page copied to /work/shared/seeds/lamina-api.txt) for adapter tests.
 *
 * The seed page lists the routes, both auth headers, the status codes and the RateLimit-* / Retry-After headers.
 * It links to "the full API Reference" for the rest, and the fake follows that reference's public pages where the
 * seed stops: the `{ data: … }` wrappers, `runId`/`outputs[]` fields (api-reference/run-app, get-execution), the SSE
 * event names (api-reference/stream-execution), the error envelope (errors), GET /v1/account/usage
 * (api-reference/get-usage) and the Ed25519 webhook signature over `<timestamp>.<raw_body>` with the public key as a
 * JWK from GET /v1/webhooks/signing-key (api-reference/get-webhook-signing-key). Anything neither source states
 * is marked "Docs are silent".
 */
import { generateKeyPairSync, type KeyObject, randomUUID, sign as edSign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answer, FailureQueue, header, hide, jsonOrText, keepScheme, listenLocal, outboundFetch, postWebhook, readBody, requestLine, sendJson, StepClock, truncatedJson, waitFor, waitForDeliveries,
  type FailWithRetryAfter as FailNextOptions, type LoggedRequest as RecordedRequest, type SignedDelivery, type SignedWebhookControls,
} from './support/fake-http.js';
import { renderVariant } from './support/fake-images.js';

export type LaminaFailureKind = '500' | '429' | 'timeout' | 'drop' | 'malformed-json' | '401' | '403' | 'job-fails' | 'stream-drop';

export type { FailNextOptions, RecordedRequest };
export type LaminaRunStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface LaminaParameter {
  id: string;
  name: string;
  type: 'text' | 'options' | 'url';
  /** Docs: "Every parameter is returned with required: true. If it has a default, omitting it is safe." */
  required: true;
  options?: string[];
  accept?: string[];
  default?: string;
  description?: string;
}

export interface LaminaApp {
  appId: string;
  name: string;
  description: string;
  isPublic: boolean;
  parameters: LaminaParameter[];
  /** Output nodes a run of this app produces, in order. */
  outputs: { id: string; label: string; type: 'image' | 'text' }[];
  /** Credits one run costs (docs are silent on per-app pricing; these numbers are the fake's). */
  creditCost: number;
}

/** Pinned app ids, as the docs recommend ("pin the appId values you support"). */
export const LAMINA_APP_IDS = {
  virtualStaging: '5f0c2a61-8d4e-4b1a-9c3f-2e7d81a4b6c0',
  photoEnhance: '9a3e7b12-4c6d-4f80-b2a5-71d0c9e8f341',
  declutter: 'c47d9e05-2b18-4a6f-8e3c-0f5a6b7d8e92',
} as const;

export const LAMINA_APPS: readonly LaminaApp[] = [
  {
    appId: LAMINA_APP_IDS.virtualStaging,
    name: 'Virtual Staging Studio',
    description: 'Furnish an empty room photo in a chosen interior style. Returns two staged variants.',
    isPublic: true,
    creditCost: 4,
    parameters: [
      { id: 'b1d3c0f2-1111-4a5b-8c9d-0e1f2a3b4c01', name: 'Room Photo', type: 'url', required: true, accept: ['image'], description: 'Photo of the empty room.' },
      { id: 'b1d3c0f2-2222-4a5b-8c9d-0e1f2a3b4c02', name: 'Room Type', type: 'options', required: true, options: ['Living Room', 'Bedroom', 'Kitchen', 'Dining Room', 'Home Office', 'Bathroom'] },
      { id: 'b1d3c0f2-3333-4a5b-8c9d-0e1f2a3b4c03', name: 'Style', type: 'options', required: true, options: ['Modern', 'Scandinavian', 'Industrial', 'Coastal', 'Farmhouse', 'Mid-Century Modern'], default: 'Modern' },
      { id: 'b1d3c0f2-4444-4a5b-8c9d-0e1f2a3b4c04', name: 'Creative Brief', type: 'text', required: true, default: '', description: 'Optional extra instructions.' },
    ],
    outputs: [
      { id: 'aiDesignerNode-1773051929782-stagea01', label: 'Staged Room A', type: 'image' },
      { id: 'aiDesignerNode-1773051929790-stageb02', label: 'Staged Room B', type: 'image' },
    ],
  },
  {
    appId: LAMINA_APP_IDS.photoEnhance,
    name: 'Listing Photo Enhance',
    description: 'Upscale and relight a real-estate photo.',
    isPublic: true,
    creditCost: 2,
    parameters: [
      { id: 'e2f4a6b8-1111-4c3d-9e8f-102030405061', name: 'Image', type: 'url', required: true, accept: ['image'] },
      { id: 'e2f4a6b8-2222-4c3d-9e8f-102030405062', name: 'Upscale', type: 'options', required: true, options: ['1x', '2x', '4x'], default: '2x' },
      { id: 'e2f4a6b8-3333-4c3d-9e8f-102030405063', name: 'Lighting', type: 'options', required: true, options: ['Natural', 'Bright', 'Warm'], default: 'Natural' },
    ],
    outputs: [
      { id: 'upscaleNode-1773132653203-enh00001', label: 'Enhanced Image', type: 'image' },
      { id: 'textNode-1773132653210-notes0001', label: 'Enhancement Notes', type: 'text' },
    ],
  },
  {
    appId: LAMINA_APP_IDS.declutter,
    name: 'Declutter Room',
    description: 'Remove clutter or all furniture from a room photo.',
    isPublic: false,
    creditCost: 2,
    parameters: [
      { id: 'f0e1d2c3-1111-4b5a-8a7b-6c5d4e3f2a11', name: 'Room Photo', type: 'url', required: true, accept: ['image'] },
      { id: 'f0e1d2c3-2222-4b5a-8a7b-6c5d4e3f2a12', name: 'Mode', type: 'options', required: true, options: ['Declutter', 'Empty Room'], default: 'Declutter' },
    ],
    outputs: [{ id: 'aiEditNode-1773200000000-decl0001', label: 'Decluttered Room', type: 'image' }],
  },
];

export interface LaminaOutput {
  id: string;
  label: string;
  /** Docs: "type stays "pending" on failed outputs — only status flips to "error"". */
  type: 'pending' | 'image' | 'video' | 'text';
  value: string | null;
  status: 'pending' | 'completed' | 'error';
  error: string | null;
}

/** The documented ExecutionStatus object (GET /v1/runs/{runId} `data`, SSE `data`, webhook `data`). */
export interface LaminaExecutionStatus {
  runId: string;
  workflowId: string;
  status: LaminaRunStatus;
  outputs: LaminaOutput[];
  errorMessage: string | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface LaminaRun extends LaminaExecutionStatus {
  appId: string;
  workflowName: string;
  inputs: Record<string, string>;
  webhookUrl: string | null;
  creditsCharged: number;
}

export interface LaminaInputFetch {
  runId: string;
  parameter: string;
  url: string;
  at: number;
  status?: number;
  contentType?: string;
  bytes?: number;
  error?: string;
}

export interface LaminaWebhookDelivery extends SignedDelivery {
  runId: string;
  /** 1 for the first try, 2–4 for the documented retries. */
  attempt: number;
}

export interface FakeLaminaOptions {
  /** The only key the fake accepts (default 'lma_test_key'), via x-api-key or Authorization: Bearer. */
  apiKey?: string;
  /** Workspace of the key; an x-workspace-id header naming another workspace is refused with 403. */
  workspaceId?: string;
  /** Sent as X-Lamina-Webhook-User-Id. */
  userId?: string;
  /** Starting balance (default 1000). */
  credits?: number;
  /** Time per step (queued → running → each output → completed) in ms (default 50). */
  stepMs?: number;
  autoAdvance?: boolean;
  /** Docs: 100 requests per minute per IP on /v1/*. Pass false to switch the limiter off. */
  rateLimit?: { limit: number; windowMs: number } | false;
  /** SSE keepalive interval (docs: ~15 s). */
  pingMs?: number;
  /** SSE lifetime before the `timeout` event (docs: 10 minutes). */
  streamTimeoutMs?: number;
  /** Delays before webhook retries (docs: 5 s, 30 s, 2 min). */
  webhookRetryDelaysMs?: number[];
  /** Per-attempt webhook timeout (docs: 15 s). */
  webhookTimeoutMs?: number;
}

export interface FakeLaminaState {
  requests: RecordedRequest[];
  runs: LaminaRun[];
  inputFetches: LaminaInputFetch[];
  /** Generated output files, served without auth at their `value` URL. */
  files: Map<string, { data: Buffer; contentType: string; width: number; height: number }>;
  credits: { balance: number; totalEarned: number; totalSpent: number };
  webhookDeliveries: LaminaWebhookDelivery[];
  /** Open SSE connections right now. */
  openStreams: number;
}

/** sendForgedWebhook(): a fresh timestamp, signed with an Ed25519 key that is not the published one. */
export interface FakeLaminaControls extends SignedWebhookControls<LaminaWebhookDelivery> {
  failNext(kind: LaminaFailureKind, opts?: FailNextOptions): void;
  clearFailures(): void;
  setCredits(balance: number): void;
  /** Forgets the rate-limit window, e.g. between test phases. */
  resetRateLimit(): void;
  getRun(runId: string): LaminaRun | undefined;
  waitForRun(runId: string, status?: LaminaRunStatus, timeoutMs?: number): Promise<LaminaRun>;
}

export interface FakeLamina {
  /** Origin to use as STAGING_PROVIDER_URL; routes live under /v1 as in the docs. */
  url: string;
  apiKey: string;
  apps: readonly LaminaApp[];
  /** The public key also served by GET /v1/webhooks/signing-key. */
  signingJwk: Record<string, string>;
  state: FakeLaminaState;
  controls: FakeLaminaControls;
  close(): Promise<void>;
}

const REQUEST_FAILURES: readonly LaminaFailureKind[] = ['500', '429', 'timeout', 'drop', 'malformed-json', '401', '403'];
const TERMINAL: readonly LaminaRunStatus[] = ['completed', 'failed'];

type ErrorCode = 'AUTH_MISSING_KEY' | 'AUTH_INVALID_KEY' | 'FORBIDDEN' | 'NOT_FOUND' | 'VALIDATION_ERROR' | 'RATE_LIMITED' | 'WEBHOOK_INVALID_URL' | 'INTERNAL_ERROR';
const STATUS_OF: Record<ErrorCode, number> = {
  AUTH_MISSING_KEY: 401,
  AUTH_INVALID_KEY: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION_ERROR: 400,
  RATE_LIMITED: 429,
  WEBHOOK_INVALID_URL: 400,
  INTERNAL_ERROR: 500,
};

export interface LaminaValidationDetail {
  field: string;
  code: 'missing_no_default' | 'invalid_option' | 'invalid_url' | 'invalid_type' | 'unknown_parameter';
  message: string;
}

export async function startFakeLamina(opts: FakeLaminaOptions = {}): Promise<FakeLamina> {
  const apiKey = opts.apiKey ?? 'lma_test_key';
  const workspaceId = opts.workspaceId ?? 'ws_fake_workspace';
  const userId = opts.userId ?? 'user_fake_0001';
  const clock = new StepClock(opts.stepMs ?? 50, opts.autoAdvance ?? true);
  const failures = new FailureQueue<LaminaFailureKind, { retryAfterSec?: number }>();
  const rateLimit = opts.rateLimit === false ? null : (opts.rateLimit ?? { limit: 100, windowMs: 60_000 });
  const pingMs = opts.pingMs ?? 15_000;
  const streamTimeoutMs = opts.streamTimeoutMs ?? 600_000;
  const retryDelays = opts.webhookRetryDelaysMs ?? [5_000, 30_000, 120_000];
  const webhookTimeoutMs = opts.webhookTimeoutMs ?? 15_000;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const signingJwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'lamina-webhook-v1', use: 'sig', alg: 'EdDSA' };

  const initialCredits = opts.credits ?? 1000;
  const state: FakeLaminaState = {
    requests: [],
    runs: [],
    inputFetches: [],
    files: new Map(),
    credits: { balance: initialCredits, totalEarned: initialCredits, totalSpent: 0 },
    webhookDeliveries: [],
    openStreams: 0,
  };
  const listeners = new Map<string, Set<(run: LaminaRun) => void>>();
  const windows = new Map<string, { count: number; resetAt: number }>();
  const streamCleanups = new Set<() => void>();

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `Fake Lamina crashed: ${err instanceof Error ? err.message : String(err)}`, code: 'INTERNAL_ERROR', retryable: true, requestId: randomUUID() });
      else res.destroy();
    });
  });
  const base = server.url;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const requestId = randomUUID();
    const rec: RecordedRequest = { at: Date.now(), ...requestLine(req, url, { authorization: keepScheme, 'x-api-key': hide, cookie: hide, 'proxy-authorization': hide }) };
    if (body.bytes.length) rec.body = jsonOrText(body.bytes);
    state.requests.push(rec);
    const extraHeaders: Record<string, string | number> = { 'x-request-id': requestId };
    const reply = (status: number, payload: unknown) => {
      rec.status = status;
      sendJson(res, status, payload, extraHeaders);
    };
    const fail = (code: ErrorCode, message: string, more: Record<string, unknown> = {}) =>
      reply(STATUS_OF[code], { error: message, code, retryable: code === 'RATE_LIMITED' || code === 'INTERNAL_ERROR', ...more, requestId });

    // Output files stand in for Lamina's storage/CDN URLs, which the docs show as plain public URLs. A CDN is
    // not the API, so only failures aimed at this path explicitly (failNext(kind, { path })) reach it.
    const fileMatch = /^\/files\/([^/]+)$/.exec(url.pathname);
    const injected = failures.take({ path: url.pathname, anyPath: !fileMatch }, (r) => REQUEST_FAILURES.includes(r.kind));
    if (req.method === 'GET' && fileMatch && !injected) {
      const file = state.files.get(decodeURIComponent(fileMatch[1]!));
      if (!file) {
        rec.status = 404;
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      rec.status = 200;
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length });
      res.end(file.data);
      return;
    }

    if (injected) {
      rec.injected = injected.kind;
      switch (injected.kind) {
        case '500':
          return fail('INTERNAL_ERROR', 'Internal server error');
        case '429': {
          const retryAfter = injected.retryAfterSec ?? 1;
          Object.assign(extraHeaders, rateHeaders(rateLimit?.limit ?? 100, 0, retryAfter), { 'retry-after': retryAfter });
          return fail('RATE_LIMITED', 'Too many requests from this IP, please try again in a minute', { retryAfter });
        }
        case 'timeout':
        case 'drop':
          return void answer(req, res, injected.kind); // 'timeout' is never answered; close() destroys the socket
        case 'malformed-json':
          rec.status = answer(req, res, truncatedJson('{"requestId":"req_trunc","images":[{"base64":"data:image/png;base64,iVBORw0KGgo')) as number;
          return;
        case '401':
          return fail('AUTH_INVALID_KEY', 'Invalid API key');
        case '403':
          return fail('FORBIDDEN', 'Workspace or app access denied');
      }
    }

    if (!url.pathname.startsWith('/v1/')) return fail('NOT_FOUND', 'Not found');

    if (rateLimit) {
      // Docs give the limit and the header names; a fixed window per client IP is the fake's choice of algorithm.
      const ip = req.socket.remoteAddress ?? 'unknown';
      const now = Date.now();
      let w = windows.get(ip);
      if (!w || w.resetAt <= now) windows.set(ip, (w = { count: 0, resetAt: now + rateLimit.windowMs }));
      w.count += 1;
      const resetSec = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
      Object.assign(extraHeaders, rateHeaders(rateLimit.limit, Math.max(0, rateLimit.limit - w.count), resetSec));
      if (w.count > rateLimit.limit) {
        extraHeaders['retry-after'] = resetSec;
        return fail('RATE_LIMITED', 'Too many requests from this IP, please try again in a minute', { retryAfter: resetSec });
      }
    }

    // Docs: either x-api-key or Authorization: Bearer carries the same lma_ key.
    const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
    const key = header(req, 'x-api-key') ?? bearer;
    if (!key) return fail('AUTH_MISSING_KEY', 'Missing API key');
    if (key !== apiKey) return fail('AUTH_INVALID_KEY', 'Invalid API key');
    const ws = header(req, 'x-workspace-id');
    if (ws !== undefined && ws !== workspaceId) return fail('FORBIDDEN', 'Workspace header does not match API key workspace scope');

    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/v1/apps') {
      const search = (url.searchParams.get('search') ?? '').trim().toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? '') || LAMINA_APPS.length;
      // Docs are silent on how `search` matches; the fake wants every word in the app's name or description.
      const words = search.split(/\s+/).filter(Boolean);
      const found = LAMINA_APPS.filter((a) => words.every((w) => `${a.name} ${a.description}`.toLowerCase().includes(w)));
      return reply(200, { data: found.slice(0, limit).map(({ appId, name, description, isPublic }) => ({ appId, name, description, isPublic })) });
    }
    const appMatch = /^\/v1\/apps\/([^/]+)(\/runs)?$/.exec(path);
    if (appMatch) {
      const app = LAMINA_APPS.find((a) => a.appId === decodeURIComponent(appMatch[1]!));
      if (method === 'GET' && !appMatch[2]) {
        if (!app) return fail('NOT_FOUND', 'App not found');
        const { appId, name, description, parameters } = app;
        return reply(200, { data: { appId, name, description, parameters } });
      }
      if (method === 'POST' && appMatch[2]) {
        if (!app) return fail('NOT_FOUND', 'App not found');
        return startRun(app, url, body.bytes, reply, fail);
      }
    }
    if (method === 'GET' && path === '/v1/runs') {
      const status = url.searchParams.get('status');
      const appId = url.searchParams.get('appId');
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? '') || 25);
      const offset = Number(url.searchParams.get('offset') ?? '') || 0;
      const all = [...state.runs].reverse().filter((r) => (!status || r.status === status) && (!appId || r.appId === appId));
      const data = all.slice(offset, offset + limit).map((r) => ({ runId: r.runId, workflowId: r.workflowId, status: r.status, source: 'api_app', errorMessage: r.errorMessage, startedAt: r.startedAt, completedAt: r.completedAt, createdAt: r.createdAt }));
      return reply(200, { data, pagination: { total: all.length, limit, offset } });
    }
    const runMatch = /^\/v1\/runs\/([^/]+)(\/stream|\/wait)?$/.exec(path);
    if (method === 'GET' && runMatch) {
      const run = state.runs.find((r) => r.runId === decodeURIComponent(runMatch[1]!));
      if (!run) return fail('NOT_FOUND', 'Run not found');
      if (runMatch[2] === '/stream') return stream(run, url.pathname, req, res, rec, extraHeaders);
      if (runMatch[2] === '/wait') {
        await untilTerminal(run);
        if (res.destroyed) return;
      }
      return reply(200, { data: executionStatus(run) });
    }
    if (method === 'GET' && path === '/v1/webhooks/signing-key') return reply(200, { keys: [signingJwk] });
    if (method === 'GET' && path === '/v1/account/usage') {
      return reply(200, { data: { credits: { ...state.credits }, rateLimit: { limit: rateLimit?.limit ?? 100, windowMs: rateLimit?.windowMs ?? 60_000 } } });
    }
    // Content, Intelligence, Publishing, Templates and Assets groups exist upstream but are not needed by a staging adapter.
    return fail('NOT_FOUND', 'Not found');
  }

  type Fail = (code: ErrorCode, message: string, more?: Record<string, unknown>) => void;

  function startRun(app: LaminaApp, url: URL, body: Buffer, reply: (s: number, p: unknown) => void, fail: Fail): void {
    const webhook = url.searchParams.get('webhook');
    if (webhook !== null && !isHttpUrl(webhook)) return fail('WEBHOOK_INVALID_URL', 'Webhook URL must be an absolute http or https URL');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return fail('VALIDATION_ERROR', 'Invalid request body', { details: [{ field: 'body', code: 'invalid_type', message: 'Body must be JSON' }] });
    }
    const inputs = (parsed as { inputs?: unknown } | null)?.inputs;
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
      return fail('VALIDATION_ERROR', 'Invalid request body', { details: [{ field: 'inputs', code: 'invalid_type', message: '"inputs" must be an object keyed by parameter name' }] });
    }
    const { values, details } = validateInputs(app, inputs as Record<string, unknown>);
    // Docs: "details: Per-field validation errors". Docs are silent on the entries' shape; the fake sends
    // { field, code, message } with code missing_no_default as the docs name it, the other codes its own.
    if (details.length) return fail('VALIDATION_ERROR', 'Invalid inputs', { details });
    // Docs are silent on running out of credits; the fake refuses with 403 FORBIDDEN, the closest documented code.
    if (state.credits.balance < app.creditCost) return fail('FORBIDDEN', `Insufficient credits: this app needs ${app.creditCost}, balance is ${state.credits.balance}`);
    state.credits.balance -= app.creditCost;
    state.credits.totalSpent += app.creditCost;

    const run: LaminaRun = {
      runId: randomUUID(),
      appId: app.appId,
      workflowId: app.appId,
      workflowName: app.name,
      status: 'queued',
      inputs: values,
      webhookUrl: webhook,
      creditsCharged: app.creditCost,
      outputs: app.outputs.map((o) => ({ id: o.id, label: o.label, type: 'pending', value: null, status: 'pending', error: null })),
      errorMessage: null,
      startedAt: null,
      completedAt: null,
      createdAt: new Date().toISOString(),
    };
    state.runs.push(run);
    void execute(run, app, failures.take({ path: url.pathname }, (r) => r.kind === 'job-fails') !== undefined);
    // Docs: "202 Execution accepted and queued".
    reply(202, { data: { runId: run.runId, workflowId: run.workflowId, workflowName: run.workflowName, status: run.status, webhookUrl: run.webhookUrl, outputs: clone(run.outputs) } });
  }

  async function execute(run: LaminaRun, app: LaminaApp, mustFail: boolean): Promise<void> {
    await clock.step(run.runId);
    run.status = 'running';
    run.startedAt = new Date().toISOString();
    changed(run);

    // Docs: url inputs must be reachable by Lamina "at execution time" (signed URLs must stay valid), so the
    // fake fetches them when the run starts, without our credentials, and fails the run if that fails.
    const sources = new Map<string, Uint8Array>();
    for (const p of app.parameters.filter((p) => p.type === 'url')) {
      const target = run.inputs[p.name];
      if (!target) continue;
      const fetchRec: LaminaInputFetch = { runId: run.runId, parameter: p.name, url: target, at: Date.now() };
      state.inputFetches.push(fetchRec);
      const got = await outboundFetch(target);
      if (got.status !== null) Object.assign(fetchRec, { status: got.status, contentType: got.contentType ?? '', bytes: got.body.length });
      const error = got.error ?? (got.status! >= 200 && got.status! < 300 ? null : `HTTP ${got.status}`);
      if (error !== null) {
        fetchRec.error = error;
        return finishFailed(run, `Could not fetch input "${p.name}": ${error}`);
      }
      sources.set(p.name, new Uint8Array(got.body));
    }

    if (mustFail) {
      await clock.step(run.runId);
      return finishFailed(run, 'Image generation failed: upstream model error');
    }
    for (const [i, out] of run.outputs.entries()) {
      await clock.step(run.runId);
      try {
        Object.assign(out, await produce(app, run, i, sources), { status: 'completed', error: null });
      } catch (err) {
        return finishFailed(run, `Image generation failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      changed(run);
    }
    await clock.step(run.runId);
    run.status = 'completed';
    run.completedAt = new Date().toISOString();
    changed(run);
    deliver(run);
  }

  async function produce(app: LaminaApp, run: LaminaRun, index: number, sources: Map<string, Uint8Array>): Promise<Pick<LaminaOutput, 'type' | 'value'>> {
    const spec = app.outputs[index]!;
    if (spec.type === 'text') {
      return { type: 'text', value: `Upscaled ${run.inputs.Upscale} with ${run.inputs.Lighting?.toLowerCase()} lighting; exposure and white balance corrected.` };
    }
    const source = sources.get(app.parameters.find((p) => p.type === 'url')!.name)!;
    // Docs are silent on output sizes; the fake keeps the input's size (long edge capped at 2048) except for the
    // enhance app, which multiplies it by "Upscale" (capped at 4096).
    const factor = app.appId === LAMINA_APP_IDS.photoEnhance ? Number.parseInt(run.inputs.Upscale ?? '1', 10) : 1;
    const r = await renderVariant(source, { factor, maxLongEdge: factor > 1 ? 4096 : 2048, tintIndex: index + 1, brighten: app.appId === LAMINA_APP_IDS.photoEnhance });
    const fileId = `${randomUUID()}.png`;
    state.files.set(fileId, { data: r.data, contentType: 'image/png', width: r.width, height: r.height });
    return { type: 'image', value: `${base}/files/${fileId}` };
  }

  function finishFailed(run: LaminaRun, message: string): void {
    run.status = 'failed';
    run.errorMessage = message;
    run.completedAt = new Date().toISOString();
    for (const out of run.outputs) {
      if (out.status === 'pending') Object.assign(out, { status: 'error', error: message });
    }
    // Docs are silent on refunds; the fake returns the credits of a failed run.
    state.credits.balance += run.creditsCharged;
    state.credits.totalSpent -= run.creditsCharged;
    run.creditsCharged = 0;
    changed(run);
    deliver(run);
  }

  function changed(run: LaminaRun): void {
    for (const fn of listeners.get(run.runId) ?? []) fn(run);
  }

  function subscribe(runId: string, fn: (run: LaminaRun) => void): () => void {
    let set = listeners.get(runId);
    if (!set) listeners.set(runId, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  function untilTerminal(run: LaminaRun): Promise<void> {
    if (TERMINAL.includes(run.status)) return Promise.resolve();
    return new Promise((resolve) => {
      const off = subscribe(run.runId, (r) => {
        if (TERMINAL.includes(r.status)) {
          off();
          resolve();
        }
      });
    });
  }

  function stream(run: LaminaRun, path: string, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, headers: Record<string, string | number>): void {
    const drop = failures.take({ path }, (r) => r.kind === 'stream-drop') !== undefined;
    if (drop) rec.injected = 'stream-drop';
    rec.status = 200;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Docs: "Each event is a data: line followed by two newlines", with the event name on an `event:` line.
    const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const terminalEvent = (r: LaminaRun) => (r.status === 'completed' ? 'complete' : 'error');

    if (TERMINAL.includes(run.status)) {
      write(terminalEvent(run), executionStatus(run));
      res.end();
      return;
    }
    state.openStreams += 1;
    // Docs: progress on "status changes"; the fake also sends the current state on connect so a client that
    // attaches mid-run can render something, and pushes changes at once instead of polling every 2 s.
    write('progress', executionStatus(run));
    let off = () => {};
    let ping: NodeJS.Timeout | undefined;
    let lifetime: NodeJS.Timeout | undefined;
    const cleanup = () => {
      off();
      if (ping) clearInterval(ping);
      if (lifetime) clock.cancel(lifetime);
      if (streamCleanups.delete(cleanup)) state.openStreams -= 1;
    };
    streamCleanups.add(cleanup);
    if (drop) {
      // The connection ends cleanly with no terminal event while the run continues, like a proxy idle cut.
      cleanup();
      res.end();
      return;
    }
    off = subscribe(run.runId, (r) => {
      if (TERMINAL.includes(r.status)) {
        write(terminalEvent(r), executionStatus(r));
        cleanup();
        res.end();
      } else write('progress', executionStatus(r));
    });
    ping = setInterval(() => write('ping', String(Date.now())), pingMs);
    lifetime = clock.later(streamTimeoutMs, () => {
      write('timeout', { message: 'Stream timeout after 10 minutes' });
      cleanup();
      res.end();
    });
    req.on('close', cleanup);
  }

  function sign(timestamp: string, rawBody: string, key: KeyObject = privateKey): string {
    return edSign(null, Buffer.from(`${timestamp}.${rawBody}`), key).toString('hex');
  }

  function webhookHeaders(run: { runId: string }, timestamp: string, rawBody: string, key?: KeyObject): Record<string, string> {
    return {
      'content-type': 'application/json',
      'X-Lamina-Webhook-Signature': sign(timestamp, rawBody, key),
      'X-Lamina-Webhook-Timestamp': timestamp,
      'X-Lamina-Webhook-Request-Id': run.runId,
      'X-Lamina-Webhook-User-Id': userId,
    };
  }

  async function attempt(kind: LaminaWebhookDelivery['kind'], runId: string, target: string, n: number, timestamp: string, rawBody: string, headers: Record<string, string>) {
    const d: LaminaWebhookDelivery = { kind, runId, url: target, attempt: n, timestamp, headers, rawBody, sentAt: Date.now(), done: false };
    state.webhookDeliveries.push(d);
    Object.assign(d, await postWebhook(target, rawBody, headers, webhookTimeoutMs), { done: true });
    return d;
  }

  // Docs: the webhook body is the polling response ({ data: ExecutionStatus }); non-2xx or a 15 s timeout is
  // retried after 5 s, 30 s and 2 min, "each retry has a fresh signature".
  // Docs are silent on any account-level webhook registration; the only documented one is ?webhook= per run.
  function deliver(run: LaminaRun): void {
    if (!run.webhookUrl) return;
    const target = run.webhookUrl;
    const rawBody = JSON.stringify({ data: executionStatus(run) });
    const tryOnce = async (n: number): Promise<void> => {
      const ts = unixNow();
      const d = await attempt('normal', run.runId, target, n, ts, rawBody, webhookHeaders(run, ts, rawBody));
      const ok = d.responseStatus !== undefined && d.responseStatus >= 200 && d.responseStatus < 300;
      const delay = retryDelays[n - 1];
      if (!ok && delay !== undefined) clock.later(delay, () => void tryOnce(n + 1));
    };
    void tryOnce(1);
  }

  function lastNormal(): LaminaWebhookDelivery {
    const last = [...state.webhookDeliveries].reverse().find((d) => d.kind === 'normal');
    if (!last) throw new Error('No webhook has been delivered yet; finish a run started with ?webhook= first.');
    return last;
  }

  const controls: FakeLaminaControls = {
    failNext: (kind, o) => failures.add(kind, o),
    clearFailures: () => failures.clear(),
    setCredits: (balance) => {
      state.credits.balance = balance;
    },
    advance: (runId) => clock.advance(runId),
    setAutoAdvance: (auto) => {
      clock.auto = auto;
      if (auto) clock.advance();
    },
    resetRateLimit: () => windows.clear(),
    getRun: (runId) => state.runs.find((r) => r.runId === runId),
    waitForRun(runId, status, timeoutMs = 10_000) {
      const find = () => state.runs.find((r) => r.runId === runId);
      return waitFor(
        () => {
          const run = find();
          return run && (status ? run.status === status : TERMINAL.includes(run.status)) ? run : undefined;
        },
        timeoutMs,
        () => `run ${runId} did not reach ${status ?? 'a terminal status'} (is ${find()?.status})`,
      );
    },
    waitForWebhooks: (count, timeoutMs = 10_000) => waitForDeliveries(state.webhookDeliveries, count, timeoutMs),
    async replayLastWebhook() {
      const last = lastNormal();
      return attempt('replay', last.runId, last.url, last.attempt, last.timestamp, last.rawBody, { ...last.headers });
    },
    async sendStaleWebhook(ageSeconds = 600) {
      const last = lastNormal();
      const ts = String(Math.floor(Date.now() / 1000) - ageSeconds);
      return attempt('stale', last.runId, last.url, 1, ts, last.rawBody, webhookHeaders(last, ts, last.rawBody));
    },
    async sendForgedWebhook() {
      const last = lastNormal();
      const ts = unixNow();
      const attacker = generateKeyPairSync('ed25519').privateKey;
      return attempt('forged', last.runId, last.url, 1, ts, last.rawBody, webhookHeaders(last, ts, last.rawBody, attacker));
    },
    async sendTamperedWebhook() {
      const last = lastNormal();
      const parsed = JSON.parse(last.rawBody) as { data: LaminaExecutionStatus };
      const outputs = parsed.data.outputs.map((o) => (o.type === 'image' ? { ...o, value: 'https://attacker.example/evil.png' } : o));
      const tampered = JSON.stringify({ data: { ...parsed.data, outputs } });
      return attempt('tampered', last.runId, last.url, 1, last.timestamp, tampered, { ...last.headers });
    },
  };

  return {
    url: base,
    apiKey,
    apps: LAMINA_APPS,
    signingJwk,
    state,
    controls,
    async close() {
      for (const cleanup of [...streamCleanups]) cleanup();
      clock.close();
      await server.close();
    },
  };
}

function validateInputs(app: LaminaApp, inputs: Record<string, unknown>): { values: Record<string, string>; details: LaminaValidationDetail[] } {
  const values: Record<string, string> = {};
  const details: LaminaValidationDetail[] = [];
  // Docs: "Keys are case-sensitive and must match exactly", so unknown keys are rejected rather than ignored.
  for (const key of Object.keys(inputs)) {
    if (!app.parameters.some((p) => p.name === key)) details.push({ field: key, code: 'unknown_parameter', message: `"${key}": not a parameter of this app` });
  }
  for (const p of app.parameters) {
    const raw = inputs[p.name];
    if (raw === undefined || raw === null) {
      if (p.default === undefined) details.push({ field: p.name, code: 'missing_no_default', message: `"${p.name}": required and has no default` });
      else values[p.name] = p.default;
      continue;
    }
    if (typeof raw !== 'string') {
      details.push({ field: p.name, code: 'invalid_type', message: `"${p.name}": must be a string` });
      continue;
    }
    if (p.type === 'options' && !p.options!.includes(raw)) {
      details.push({ field: p.name, code: 'invalid_option', message: `"${p.name}": invalid option "${raw}". Must be one of: ${p.options!.join(', ')}` });
      continue;
    }
    if (p.type === 'url' && !isHttpUrl(raw)) {
      details.push({ field: p.name, code: 'invalid_url', message: `"${p.name}": must be a publicly accessible http(s) URL` });
      continue;
    }
    values[p.name] = raw;
  }
  return { values, details };
}

function executionStatus(run: LaminaRun): LaminaExecutionStatus {
  const { runId, workflowId, status, outputs, errorMessage, startedAt, completedAt, createdAt } = run;
  return { runId, workflowId, status, outputs: clone(outputs), errorMessage, startedAt, completedAt, createdAt };
}

function rateHeaders(limit: number, remaining: number, resetSec: number): Record<string, number> {
  return { 'ratelimit-limit': limit, 'ratelimit-remaining': remaining, 'ratelimit-reset': resetSec };
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const clone = <T>(v: T): T => structuredClone(v);
const unixNow = () => String(Math.floor(Date.now() / 1000));
