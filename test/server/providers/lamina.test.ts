import { generateKeyPairSync } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Service } from '../../../src/contract/index.js';
import { ApiError } from '../../../src/server/errors.js';
import { convertApp, createLaminaProvider, type LaminaInternals } from '../../../src/server/providers/lamina/index.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { ProviderJobError, type ExecutionContext, type Provider, type ProviderTask } from '../../../src/server/providers/types.js';
import { type FakeLamina, LAMINA_APP_IDS, startFakeLamina, type FakeLaminaOptions } from '../../fakes/lamina.js';
import { listenLocal } from '../../fakes/support/fake-http.js';
import { startWebhookReceiver } from '../../fakes/support/webhook-receiver.js';
import { afterThisTest, fixture } from '../temp-dir.js';
import { providerFlowSuite } from './provider-flow-suite.js';
import { providerTask } from '../support/provider-task.js';

const STAGING = LAMINA_APP_IDS.virtualStaging;
const ENHANCE = LAMINA_APP_IDS.photoEnhance;
const RUNS_PATH = /^\/v1\/apps\/[^/]+\/runs$/;
const ROOM = fixture('bedroom-furnished.jpg'); // 1600×1067

describe('Lamina adapter', () =>
  providerFlowSuite({
    name: 'lamina',
    async startFake() {
      const lamina = await startFakeLamina({ stepMs: 30 });
      // Any value switches Lamina webhooks on; the key is then fetched from GET /v1/webhooks/signing-key.
      return { baseUrl: lamina.url, apiKey: lamina.apiKey, webhookSecret: 'fetch-signing-key', close: lamina.close, lamina };
    },
    createProvider: (settings) => createLaminaProvider(settings),
    job: { service: STAGING, config: 'default', options: { room_type: 'Living Room' } },
    failWithInsufficientCredits: (f) => (f.lamina as FakeLamina).controls.setCredits(0),
    // Aimed at the run submission: the catalog is read before the job is accepted.
    failWithUnauthorized: (f) => (f.lamina as FakeLamina).controls.failNext('401', { path: RUNS_PATH }),
    failWithServerErrors: (f, n) => (f.lamina as FakeLamina).controls.failNext('500', { path: RUNS_PATH, times: n }),
    failTheJob: (f) => (f.lamina as FakeLamina).controls.failNext('job-fails'),
  }));

/** Stands in for the BFF's signed upload URLs; records every fetch. */
async function startImageHost() {
  const hits: string[] = [];
  const host = await listenLocal((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/v1/uploads/up_1/file?sig=')) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(ROOM);
    else res.writeHead(403).end('bad signature');
  });
  afterThisTest(host.close);
  return { hits, url: `${host.url}/v1/uploads/up_1/file?sig=s1gned&exp=9999999999` };
}

async function setup(o: { fake?: FakeLaminaOptions; settings?: Partial<RemoteProviderSettings>; internals?: LaminaInternals } = {}) {
  const lamina = await startFakeLamina({ stepMs: 20, ...o.fake });
  afterThisTest(lamina.close);
  const image = await startImageHost();
  const warnings: string[] = [];
  const provider = createLaminaProvider(
    { baseUrl: lamina.url, apiKey: lamina.apiKey, webhookSecret: null, publicUrl: 'http://127.0.0.1:9', pollIntervalMs: 30, retry: { baseDelayMs: 10, maxDelayMs: 2000, retries: 3, timeoutMs: 3000 }, ...o.settings },
    { warn: (m) => warnings.push(m), ...o.internals },
  );
  return { lamina, image, provider, warnings };
}

function task(imageUrl: string, over: Partial<ProviderTask> = {}): ProviderTask {
  const image = { uploadId: 'up_1', read: async () => Buffer.from(ROOM), contentType: 'image/jpeg', width: 1600, height: 1067, publicUrl: () => imageUrl };
  return providerTask(image, { jobId: 'job_1', service: STAGING, config: 'default', options: { room_type: 'Bedroom' }, ...over });
}

function context(savedState: unknown = null, signal = new AbortController().signal) {
  const saved: unknown[] = [];
  const progress: number[] = [];
  const ctx: ExecutionContext = {
    signal,
    savedState,
    progress: (_s, p) => progress.push(p),
    saveState: async (s) => void saved.push(s),
    webhook: (_key, ms) => new Promise((r) => setTimeout(() => r(false), ms)),
  };
  return { ctx, saved, progress };
}

const runsPosted = (l: FakeLamina) => l.state.requests.filter((r) => r.method === 'POST' && RUNS_PATH.test(r.path));

async function jobError(p: Promise<unknown>): Promise<ProviderJobError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof ProviderJobError)) throw new Error(`expected a ProviderJobError, got ${String(err)}`);
  return err;
}

describe('Lamina adapter specifics', () => {
  it('turns apps into services: enums, defaults, prompt and image inputs, cached between calls', async () => {
    const { lamina, provider } = await setup();
    const services = await provider.services();
    for (const s of services) Service.parse(s);
    expect(services.map((s) => s.id)).toEqual([STAGING, ENHANCE, LAMINA_APP_IDS.declutter]);
    const staging = services[0]!;
    expect(staging).toMatchObject({ name: 'Virtual Staging Studio', preview_only: false, inputs: { prompt: true, reference_image: false, mask: false } });
    expect(staging.options.map((f) => [f.key, f.type, f.required])).toEqual([
      ['room_type', 'enum', true],
      ['style', 'enum', false],
    ]);
    expect(staging.options[1]).toMatchObject({ default: 'Modern', values: expect.arrayContaining([{ value: 'Scandinavian', label: 'Scandinavian' }]) });
    const before = lamina.state.requests.length;
    await provider.services();
    expect(lamina.state.requests.length).toBe(before);
    expect(lamina.state.requests.map((r) => r.path)).toEqual(['/v1/apps', ...services.map((s) => `/v1/apps/${s.id}`)]);
  });

  it('refreshes the catalog after its lifetime and keeps the old one when a refresh fails', async () => {
    let now = 0;
    const { lamina, provider } = await setup({ internals: { catalogTtlMs: 1000, now: () => now } });
    await provider.services();
    now = 1500;
    lamina.controls.failNext('403', { path: '/v1/apps' });
    expect((await provider.services()).length).toBe(3);
    now = 3000;
    const listed = lamina.state.requests.filter((r) => r.path === '/v1/apps').length;
    await provider.services();
    expect(lamina.state.requests.filter((r) => r.path === '/v1/apps').length).toBe(listed + 1);
  });

  it('skips apps it cannot drive, and converts number, boolean and second-image inputs', () => {
    expect(convertApp({ appId: 'v', name: 'Video', parameters: [{ name: 'Clip', type: 'url', accept: ['video'] }] })).toEqual({ skipped: expect.stringContaining('video') });
    expect(convertApp({ appId: 't', name: 'Text only', parameters: [{ name: 'Prompt', type: 'text' }] })).toEqual({ skipped: 'it takes no image input' });
    expect(convertApp({ appId: 'x', name: 'Odd', parameters: [{ name: 'Photo', type: 'url' }, { name: 'Mesh', type: 'model3d' }] })).toEqual({ skipped: expect.stringContaining('Mesh') });
    const tryOn = convertApp({
      appId: 'try',
      name: 'Try on',
      parameters: [
        { name: 'Selfie', type: 'url', accept: ['image'] },
        { name: 'Garment', type: 'url', accept: ['image'] },
        { name: 'Strength', type: 'number', min: 0, max: 1, default: 0.5 },
        { name: 'Keep Pose', type: 'boolean', default: true },
      ],
    });
    if ('skipped' in tryOn) throw new Error(tryOn.skipped);
    expect(tryOn.binding).toMatchObject({ imageParam: 'Selfie', referenceParam: 'Garment', referenceRequired: true });
    expect(tryOn.service.inputs.reference_image).toBe(true);
    expect(tryOn.service.options).toEqual([
      { key: 'strength', label: 'Strength', required: false, type: 'number', min: 0, max: 1, default: 0.5 },
      { key: 'keep_pose', label: 'Keep Pose', required: false, type: 'boolean', default: true },
    ]);
    Service.parse(tryOn.service);
  });

  it('sends x-api-key, the exact input names, our signed URL (which Lamina fetched) and the webhook URL; streams; downloads every image', async () => {
    const { lamina, image, provider } = await setup({ settings: { webhookSecret: 'on', publicUrl: 'http://127.0.0.1:9/' } });
    const { ctx, saved, progress } = context();
    const out = await provider.execute(task(image.url, { prompt: 'Warm wood and linen', options: { room_type: 'Bedroom', style: 'Scandinavian' } }), ctx);

    const post = runsPosted(lamina);
    expect(post).toHaveLength(1);
    expect(post[0]!.path).toBe(`/v1/apps/${STAGING}/runs`);
    expect(post[0]!.query).toEqual({ webhook: 'http://127.0.0.1:9/v1/webhooks/lamina' });
    expect(post[0]!.body).toEqual({ inputs: { 'Room Photo': image.url, 'Room Type': 'Bedroom', Style: 'Scandinavian', 'Creative Brief': 'Warm wood and linen' } });
    expect(post[0]!.headers['x-api-key']).toBe('[redacted]');
    expect(post[0]!.headers.authorization).toBeUndefined();
    expect(lamina.state.inputFetches).toEqual([expect.objectContaining({ parameter: 'Room Photo', url: image.url, status: 200 })]);
    expect(image.hits).toHaveLength(1);

    const run = lamina.state.runs[0]!;
    expect(saved).toEqual([{ runId: run.runId, appId: STAGING }]);
    const paths = lamina.state.requests.map((r) => r.path);
    expect(paths).toContain(`/v1/runs/${run.runId}/stream`);
    expect(paths).not.toContain(`/v1/runs/${run.runId}`);
    // Output files are public storage links: fetched without the key.
    const fileGets = lamina.state.requests.filter((r) => r.path.startsWith('/files/'));
    expect(fileGets).toHaveLength(2);
    expect(fileGets.every((r) => r.headers['x-api-key'] === undefined)).toBe(true);

    expect(out).toHaveLength(2);
    for (const o of out) {
      const meta = await sharp(o.data).metadata();
      expect([meta.width, meta.height, o.width, o.height, o.contentType, o.localPreview]).toEqual([1600, 1067, 1600, 1067, 'image/png', false]);
    }
    expect(progress.some((p) => p >= 0.2 && p < 0.85)).toBe(true);
  });

  it('leaves text outputs out and sends no webhook parameter without a webhook secret', async () => {
    const { lamina, image, provider } = await setup();
    const out = await provider.execute(task(image.url, { service: ENHANCE, options: { upscale: '2x' } }), context().ctx);
    expect(out.map((o) => [o.width, o.height])).toEqual([[3200, 2134]]);
    expect(runsPosted(lamina)[0]!.query).toEqual({});
    expect(runsPosted(lamina)[0]!.body).toEqual({ inputs: { Image: image.url, Upscale: '2x' } });
  });

  it('resumes a saved run after a restart without submitting again', async () => {
    const { lamina, image, provider } = await setup();
    const first = await fetch(`${lamina.url}/v1/apps/${STAGING}/runs`, {
      method: 'POST',
      headers: { 'x-api-key': lamina.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { 'Room Photo': image.url, 'Room Type': 'Kitchen' } }),
    });
    const { data } = (await first.json()) as { data: { runId: string } };
    const { ctx, saved } = context({ runId: data.runId, appId: STAGING });
    const out = await provider.execute(task(image.url), ctx);
    expect(out).toHaveLength(2);
    expect(runsPosted(lamina)).toHaveLength(1);
    expect(lamina.state.runs).toHaveLength(1);
    expect(saved).toEqual([]);
  });

  it('reconnects a dropped stream, and falls back to polling when it keeps dropping', async () => {
    const { lamina, image, provider } = await setup({ internals: { maxStreamDrops: 2 } });
    lamina.controls.failNext('stream-drop');
    expect(await provider.execute(task(image.url), context().ctx)).toHaveLength(2);
    const runId = lamina.state.runs[0]!.runId;
    expect(lamina.state.requests.filter((r) => r.path === `/v1/runs/${runId}/stream`).length).toBe(2);

    lamina.controls.failNext('stream-drop', { times: 2 });
    expect(await provider.execute(task(image.url), context().ctx)).toHaveLength(2);
    const second = lamina.state.runs[1]!.runId;
    expect(lamina.state.requests.filter((r) => r.path === `/v1/runs/${second}/stream`).length).toBe(2);
    expect(lamina.state.requests.filter((r) => r.path === `/v1/runs/${second}`).length).toBeGreaterThan(0);
  });

  it('waits out a 429 by its Retry-After and starts exactly one run', async () => {
    const { lamina, image, provider } = await setup();
    lamina.controls.failNext('429', { path: RUNS_PATH, retryAfterSec: 1 });
    const t0 = Date.now();
    await provider.execute(task(image.url), context().ctx);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(runsPosted(lamina).map((r) => r.status)).toEqual([429, 202]);
    expect(lamina.state.runs).toHaveLength(1);
  });

  it('resends a run only when the error envelope says retryable, and maps credits, validation and failed runs', async () => {
    const { lamina, image, provider } = await setup();
    lamina.controls.failNext('500', { path: RUNS_PATH, times: 2 });
    await provider.execute(task(image.url), context().ctx);
    expect(runsPosted(lamina).map((r) => r.status)).toEqual([500, 500, 202]);
    expect(lamina.state.runs).toHaveLength(1);

    lamina.controls.setCredits(1);
    const credits = await jobError(provider.execute(task(image.url), context().ctx));
    expect([credits.code, credits.retryable]).toEqual(['insufficient_credits', false]);
    lamina.controls.setCredits(1000);

    const invalid = await jobError(provider.execute(task(image.url, { options: {} }), context().ctx));
    expect([invalid.code, invalid.retryable]).toEqual(['provider_error', false]);
    expect(invalid.message).toContain('Room Type');

    lamina.controls.failNext('job-fails');
    const failed = await jobError(provider.execute(task(image.url), context().ctx));
    expect([failed.code, failed.retryable]).toEqual(['processing_failed', true]);
    expect(failed.message).toContain('upstream model error');

    lamina.controls.failNext('401', { path: RUNS_PATH });
    const refused = await jobError(provider.execute(task(image.url), context().ctx));
    expect(refused.code).toBe('server_misconfigured');
    for (const e of [credits, invalid, failed, refused]) expect(e.message).not.toContain(lamina.apiKey);
  });

  it('stops on abort without waiting for the run (Lamina documents no cancel), and gives up at the deadline', async () => {
    const { lamina, image, provider } = await setup({ fake: { autoAdvance: false }, settings: { deadlineMs: 400 } });
    const ac = new AbortController();
    const running = provider.execute(task(image.url), context(null, ac.signal).ctx);
    while (lamina.state.openStreams === 0) await new Promise((r) => setTimeout(r, 10));
    const reason = new Error('cancelled by user');
    ac.abort(reason);
    await expect(running).rejects.toBe(reason);

    const stalled = await jobError(provider.execute(task(image.url), context().ctx));
    expect([stalled.code, stalled.retryable]).toEqual(['job_stalled', true]);
  });

  it('verifies webhooks with the published Ed25519 key: valid → run id; forged, tampered, stale, unsigned, wrong key or disabled → rejected', async () => {
    const hooks = await startWebhookReceiver('/v1/webhooks/lamina');
    afterThisTest(hooks.close);
    const publicUrl = hooks.url.replace('/v1/webhooks/lamina', '');
    const { lamina, image, provider } = await setup({ settings: { webhookSecret: 'on', publicUrl } });
    await provider.execute(task(image.url), context().ctx);
    const runId = lamina.state.runs[0]!.runId;
    await lamina.controls.waitForWebhooks(1);
    await lamina.controls.sendForgedWebhook();
    await lamina.controls.sendTamperedWebhook();
    await lamina.controls.sendStaleWebhook(400);
    const got = await hooks.waitFor(4);
    expect(got[0]!.path).toBe('/v1/webhooks/lamina');
    const delivery = (i: number, drop?: string) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(got[i]!.headers)) if (typeof v === 'string' && k !== drop) headers.set(k, v);
      return { headers, body: Buffer.from(got[i]!.rawBody) };
    };
    const rejected = async (p: Promise<unknown>) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('webhook_rejected');
    };

    expect(await provider.verifyWebhook!(delivery(0))).toMatchObject({ key: runId });
    await rejected(provider.verifyWebhook!(delivery(1)));
    await rejected(provider.verifyWebhook!(delivery(2)));
    await rejected(provider.verifyWebhook!(delivery(3)));
    await rejected(provider.verifyWebhook!(delivery(0, 'x-lamina-webhook-signature')));
    await rejected(provider.verifyWebhook!(delivery(0, 'x-lamina-webhook-timestamp')));
    expect(lamina.state.requests.filter((r) => r.path === '/v1/webhooks/signing-key')).toHaveLength(1);

    const settings = { baseUrl: lamina.url, apiKey: lamina.apiKey, publicUrl };
    const otherKey = JSON.stringify(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }));
    await rejected(createLaminaProvider({ ...settings, webhookSecret: otherKey }).verifyWebhook!(delivery(0)));
    await rejected(createLaminaProvider({ ...settings, webhookSecret: null }).verifyWebhook!(delivery(0)));
    const keyFetches = lamina.state.requests.filter((r) => r.path === '/v1/webhooks/signing-key').length;
    const pinned = createLaminaProvider({ ...settings, webhookSecret: JSON.stringify({ keys: [lamina.signingJwk] }) });
    expect(await pinned.verifyWebhook!(delivery(0))).toMatchObject({ key: runId });
    expect(lamina.state.requests.filter((r) => r.path === '/v1/webhooks/signing-key')).toHaveLength(keyFetches);
  });

  it('reports the account usage as plain numbers, without the key', async () => {
    const { lamina, image, provider } = await setup();
    await provider.execute(task(image.url), context().ctx);
    const account = await (provider as Required<Provider>).account();
    expect(account).toMatchObject({ credits_balance: 996, credits_total_earned: 1000, credits_total_spent: 4, rate_limit: 100, skipped_apps: [] });
    expect(JSON.stringify(account)).not.toContain(lamina.apiKey);
    expect(lamina.state.requests.at(-1)).toMatchObject({ path: '/v1/account/usage', status: 200 });
  });
});
