import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLamina, type FakeLaminaOptions, LAMINA_APP_IDS, type LaminaExecutionStatus, startFakeLamina } from '../../fakes/lamina.js';
import { listenLocal } from '../../fakes/support/fake-http.js';
import { startWebhookReceiver } from '../../fakes/support/webhook-receiver.js';

const ROOM = new Uint8Array(readFileSync(new URL('../../fixtures/bedroom-furnished.jpg', import.meta.url))); // 1600×1067
const STAGING = LAMINA_APP_IDS.virtualStaging;
const ENHANCE = LAMINA_APP_IDS.photoEnhance;

/** The Node example from Lamina's "Get Webhook Signing Key" reference, typed. */
function verifyLaminaWebhook(rawBody: string, signatureHex: string, timestamp: string, jwk: crypto.JsonWebKey) {
  const publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const message = Buffer.from(timestamp + '.' + rawBody);
  const signature = Buffer.from(signatureHex, 'hex');
  return crypto.verify(null, message, publicKey, signature);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Stands in for our BFF's signed input URLs: valid signature serves the photo, anything else is 403. */
async function startInputHost() {
  const host = await listenLocal((req, res) => {
    if (req.url === '/signed/room.jpg?sig=ok') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(ROOM);
    else res.writeHead(403, { 'content-type': 'text/plain' }).end('expired');
  });
  cleanups.push(host.close);
  return { good: `${host.url}/signed/room.jpg?sig=ok`, expired: `${host.url}/signed/room.jpg?sig=old` };
}

async function setup(opts: FakeLaminaOptions = {}) {
  const hooks = await startWebhookReceiver();
  cleanups.push(hooks.close);
  const lamina = await startFakeLamina({ stepMs: 20, ...opts });
  cleanups.push(lamina.close);
  return { lamina, hooks, inputs: await startInputHost() };
}

const call = (l: FakeLamina, path: string, init: RequestInit = {}) =>
  fetch(l.url + path, { ...init, headers: { 'x-api-key': l.apiKey, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

async function startRun(l: FakeLamina, appId: string, inputs: Record<string, unknown>, webhook?: string) {
  const qs = webhook ? `?webhook=${encodeURIComponent(webhook)}` : '';
  const res = await call(l, `/v1/apps/${appId}/runs${qs}`, { method: 'POST', body: JSON.stringify({ inputs }) });
  return { res, body: (await res.json()) as { data: LaminaExecutionStatus & { webhookUrl: string | null; workflowName: string } } & Record<string, unknown> };
}

async function readSse(res: Response): Promise<{ event: string; data: string }[]> {
  const events: { event: string; data: string }[] = [];
  const text = await res.text();
  for (const frame of text.split('\n\n')) {
    if (!frame.trim()) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    events.push({ event, data: data.join('\n') });
  }
  return events;
}

describe('fake Lamina', () => {
  it('takes the lma_ key as x-api-key or Bearer and answers the documented error envelope', async () => {
    const { lamina } = await setup();
    const missing = await fetch(`${lamina.url}/v1/apps`);
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: 'Missing API key', code: 'AUTH_MISSING_KEY', retryable: false, requestId: missing.headers.get('x-request-id') });
    const wrong = await fetch(`${lamina.url}/v1/apps`, { headers: { authorization: 'Bearer lma_nope' } });
    expect(((await wrong.json()) as { code: string }).code).toBe('AUTH_INVALID_KEY');
    const bearer = await fetch(`${lamina.url}/v1/apps`, { headers: { authorization: `Bearer ${lamina.apiKey}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('ratelimit-limit')).toBe('100');
    expect(Number(bearer.headers.get('ratelimit-remaining'))).toBeLessThan(100);
    expect((await call(lamina, '/v1/apps', { headers: { 'x-workspace-id': 'ws_other' } })).status).toBe(403);
    expect(lamina.state.requests.at(-1)!.headers['x-api-key']).toBe('[redacted]');
  });

  it('lists and searches apps and returns their parameter schemas', async () => {
    const { lamina } = await setup();
    const all = (await (await call(lamina, '/v1/apps')).json()) as { data: { appId: string; name: string; isPublic: boolean }[] };
    expect(all.data.map((a) => a.appId)).toEqual(Object.values(LAMINA_APP_IDS));
    const found = (await (await call(lamina, '/v1/apps?search=staging')).json()) as { data: { appId: string }[] };
    expect(found.data.map((a) => a.appId)).toEqual([STAGING]);
    const app = (await (await call(lamina, `/v1/apps/${STAGING}`)).json()) as { data: { appId: string; parameters: { name: string; type: string; required: boolean; options?: string[]; default?: string }[] } };
    expect(app.data.parameters.map((p) => [p.name, p.type, p.required])).toEqual([
      ['Room Photo', 'url', true],
      ['Room Type', 'options', true],
      ['Style', 'options', true],
      ['Creative Brief', 'text', true],
    ]);
    expect(app.data.parameters[2]).toMatchObject({ default: 'Modern', options: expect.arrayContaining(['Scandinavian']) });
    const missing = await call(lamina, '/v1/apps/00000000-0000-0000-0000-000000000000');
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
  });

  it('runs the staging app: fetches the signed input, streams progress over SSE, signs the webhook, serves real images', async () => {
    const { lamina, hooks, inputs } = await setup();
    const { res, body } = await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Bedroom' }, hooks.url);
    expect(res.status).toBe(202);
    expect(body.data).toMatchObject({ status: 'queued', webhookUrl: hooks.url, workflowName: 'Virtual Staging Studio' });
    expect(body.data.outputs.map((o) => [o.type, o.value, o.status])).toEqual([
      ['pending', null, 'pending'],
      ['pending', null, 'pending'],
    ]);

    const stream = await call(lamina, `/v1/runs/${body.data.runId}/stream`);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(stream);
    const names = events.map((e) => e.event);
    expect(names.at(-1)).toBe('complete');
    expect(names.slice(0, -1).every((n) => n === 'progress')).toBe(true);
    const statuses = events.map((e) => (JSON.parse(e.data) as LaminaExecutionStatus).status);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'completed']));
    const final = JSON.parse(events.at(-1)!.data) as LaminaExecutionStatus;
    expect(final.outputs.every((o) => o.type === 'image' && o.status === 'completed')).toBe(true);
    expect(final.startedAt && final.completedAt).toBeTruthy();

    // Outputs are plain storage URLs in the docs, readable without the key.
    const png = Buffer.from(await (await fetch(final.outputs[1]!.value!)).arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1600, 1067]);
    expect(lamina.state.inputFetches).toEqual([expect.objectContaining({ parameter: 'Room Photo', url: inputs.good, status: 200, bytes: ROOM.length })]);
    const usage = (await (await call(lamina, '/v1/account/usage')).json()) as { data: { credits: { balance: number; totalSpent: number } } };
    expect(usage.data.credits).toMatchObject({ balance: 996, totalSpent: 4 });

    await lamina.controls.waitForWebhooks(1);
    const hook = hooks.received[0]!;
    const { keys } = (await (await call(lamina, '/v1/webhooks/signing-key')).json()) as { keys: crypto.JsonWebKey[] };
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    const sig = String(hook.headers['x-lamina-webhook-signature']);
    const ts = String(hook.headers['x-lamina-webhook-timestamp']);
    expect(verifyLaminaWebhook(hook.rawBody, sig, ts, keys[0]!)).toBe(true);
    expect(hook.headers['x-lamina-webhook-request-id']).toBe(body.data.runId);
    expect(JSON.parse(hook.rawBody)).toEqual({ data: final });
  });

  it('polls GET /v1/runs/{runId} through queued → running → completed; the enhance app upscales and adds a text output', async () => {
    const { lamina, inputs } = await setup({ autoAdvance: false });
    const { body } = await startRun(lamina, ENHANCE, { Image: inputs.good, Upscale: '2x' });
    const poll = async () => ((await (await call(lamina, `/v1/runs/${body.data.runId}`)).json()) as { data: LaminaExecutionStatus }).data;
    expect((await poll()).status).toBe('queued');
    lamina.controls.advance();
    await lamina.controls.waitForRun(body.data.runId, 'running');
    expect((await poll()).status).toBe('running');
    lamina.controls.setAutoAdvance(true);
    const waited = (await (await call(lamina, `/v1/runs/${body.data.runId}/wait`)).json()) as { data: LaminaExecutionStatus };
    expect(waited.data.status).toBe('completed');
    const [image, notes] = (await poll()).outputs;
    expect(notes).toMatchObject({ type: 'text', status: 'completed', value: expect.stringContaining('2x') });
    const meta = await sharp(Buffer.from(await (await fetch(image!.value!)).arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([3200, 2134]);
    const list = (await (await call(lamina, `/v1/runs?appId=${ENHANCE}`)).json()) as { data: { runId: string }[]; pagination: { total: number } };
    expect([list.data[0]!.runId, list.pagination.total]).toEqual([body.data.runId, 1]);
    expect((await call(lamina, '/v1/runs/11111111-1111-1111-1111-111111111111')).status).toBe(404);
  });

  it('validates inputs against the schema with VALIDATION_ERROR details', async () => {
    const { lamina, inputs } = await setup();
    const { res, body } = await startRun(lamina, STAGING, { 'Room Photo': 'not a url', Style: 'Baroque', room_type: 'Bedroom' });
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
    expect((body.details as { field: string; code: string }[]).map((d) => [d.field, d.code])).toEqual([
      ['room_type', 'unknown_parameter'],
      ['Room Photo', 'invalid_url'],
      ['Room Type', 'missing_no_default'],
      ['Style', 'invalid_option'],
    ]);
    const badHook = await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Bedroom' }, 'ftp://example.com/x');
    expect([badHook.res.status, badHook.body.code]).toEqual([400, 'WEBHOOK_INVALID_URL']);
    expect(lamina.state.runs).toHaveLength(0);
  });

  it('fails a run whose input URL cannot be fetched, and a run told to fail, with documented error fields', async () => {
    const { lamina, hooks, inputs } = await setup();
    const expired = await startRun(lamina, STAGING, { 'Room Photo': inputs.expired, 'Room Type': 'Kitchen' });
    const run = await lamina.controls.waitForRun(expired.body.data.runId);
    expect(run).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('HTTP 403') });
    expect(lamina.state.inputFetches[0]).toMatchObject({ status: 403 });

    lamina.controls.failNext('job-fails');
    const doomed = await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Kitchen' }, hooks.url);
    const events = await readSse(await call(lamina, `/v1/runs/${doomed.body.data.runId}/stream`));
    expect(events.at(-1)!.event).toBe('error');
    const failed = JSON.parse(events.at(-1)!.data) as LaminaExecutionStatus;
    expect(failed).toMatchObject({ status: 'failed', errorMessage: expect.any(String) });
    // Docs: failed outputs keep type "pending"; only status flips to "error".
    expect(failed.outputs.map((o) => [o.type, o.status, typeof o.error])).toEqual([
      ['pending', 'error', 'string'],
      ['pending', 'error', 'string'],
    ]);
    expect(lamina.state.credits.balance).toBe(1000);
    await lamina.controls.waitForWebhooks(1);
    expect(JSON.parse(hooks.received[0]!.rawBody)).toMatchObject({ data: { status: 'failed' } });
  });

  it('injects HTTP and transport failures, including a stream that ends mid-run', async () => {
    const { lamina, inputs } = await setup();
    const code = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    lamina.controls.failNext('500');
    expect(await code(await call(lamina, '/v1/apps'))).toEqual([500, 'INTERNAL_ERROR']);
    lamina.controls.failNext('401');
    expect(await code(await call(lamina, '/v1/apps'))).toEqual([401, 'AUTH_INVALID_KEY']);
    lamina.controls.failNext('403');
    expect(await code(await call(lamina, '/v1/apps'))).toEqual([403, 'FORBIDDEN']);
    lamina.controls.failNext('429', { retryAfterSec: 9 });
    const limited = await call(lamina, '/v1/apps');
    expect([limited.status, limited.headers.get('retry-after'), limited.headers.get('ratelimit-remaining'), limited.headers.get('ratelimit-reset')]).toEqual([429, '9', '0', '9']);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfter: 9 });
    lamina.controls.failNext('malformed-json');
    await expect((await call(lamina, '/v1/apps')).json()).rejects.toThrow();
    lamina.controls.failNext('drop');
    await expect(call(lamina, '/v1/apps')).rejects.toThrow();
    lamina.controls.failNext('timeout');
    await expect(call(lamina, '/v1/apps', { signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted|timeout/i);

    lamina.controls.failNext('stream-drop');
    const { body } = await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Bedroom' });
    const dropped = await readSse(await call(lamina, `/v1/runs/${body.data.runId}/stream`));
    expect(dropped.map((e) => e.event)).toEqual(['progress']);
    expect((await lamina.controls.waitForRun(body.data.runId)).status).toBe('completed');
    const again = await readSse(await call(lamina, `/v1/runs/${body.data.runId}/stream`));
    expect(again.map((e) => e.event)).toEqual(['complete']);

    // Output files are storage URLs, not API routes: only a failure aimed at their path reaches them.
    const file = lamina.controls.getRun(body.data.runId)!.outputs[0]!.value!;
    lamina.controls.failNext('500');
    expect((await fetch(file)).status).toBe(200);
    expect((await call(lamina, '/v1/apps')).status).toBe(500);
    lamina.controls.failNext('drop', { path: /^\/files\// });
    await expect(fetch(file)).rejects.toThrow();
  });

  it('enforces the per-IP rate limit with RateLimit-* and Retry-After headers', async () => {
    const { lamina } = await setup({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(lamina, '/v1/apps')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await call(lamina, '/v1/apps');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    lamina.controls.resetRateLimit();
    expect((await call(lamina, '/v1/apps')).status).toBe(200);
  });

  it('sends keepalive pings and a timeout event on long streams', async () => {
    const { lamina, inputs } = await setup({ autoAdvance: false, pingMs: 20, streamTimeoutMs: 150 });
    const { body } = await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Bedroom' });
    const events = await readSse(await call(lamina, `/v1/runs/${body.data.runId}/stream`));
    expect(events[0]!.event).toBe('progress');
    expect(events.filter((e) => e.event === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toEqual({ event: 'timeout', data: JSON.stringify({ message: 'Stream timeout after 10 minutes' }) });
    expect(lamina.state.openStreams).toBe(0);
  });

  it('retries failed webhook deliveries and sends replayed, stale, forged and tampered ones for attack tests', async () => {
    const { lamina, hooks, inputs } = await setup({ webhookRetryDelaysMs: [20, 20, 20] });
    hooks.setStatus(500);
    await startRun(lamina, STAGING, { 'Room Photo': inputs.good, 'Room Type': 'Bedroom' }, hooks.url);
    const attempts = await lamina.controls.waitForWebhooks(4);
    expect(attempts.map((d) => [d.attempt, d.responseStatus])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
    ]);
    hooks.setStatus(200);
    await lamina.controls.replayLastWebhook();
    await lamina.controls.sendStaleWebhook(900);
    await lamina.controls.sendForgedWebhook();
    await lamina.controls.sendTamperedWebhook();
    const got = await hooks.waitFor(8);
    const parts = got.map((d) => ({ rawBody: d.rawBody, sig: String(d.headers['x-lamina-webhook-signature']), ts: String(d.headers['x-lamina-webhook-timestamp']) }));
    const valid = (p: (typeof parts)[number]) => verifyLaminaWebhook(p.rawBody, p.sig, p.ts, lamina.signingJwk);
    const [last, replay, stale, forged, tampered] = parts.slice(3);
    expect(parts.slice(0, 4).every(valid)).toBe(true);
    expect(replay).toEqual(last);
    expect(valid(stale!)).toBe(true);
    expect(Number(last!.ts) - Number(stale!.ts)).toBeGreaterThanOrEqual(900);
    expect(valid(forged!)).toBe(false);
    expect(valid(tampered!)).toBe(false);
  });
});
