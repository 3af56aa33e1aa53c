import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import { ApiError } from '../../../src/server/errors.js';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { isLumelyStorageHost } from '../../../src/server/providers/lumely/outputs.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { ProviderJobError, StopReason, type ExecutionContext, type ProviderImage, type ProviderTask } from '../../../src/server/providers/types.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { signLumelyWebhook, startFakeLumely, type FakeLumely, type LumelyOptions } from '../../fakes/lumely.js';
import { readJobEvents } from '../sse.js';
import { afterThisTest, fixture } from '../temp-dir.js';
import { providerFlowSuite } from './provider-flow-suite.js';
import { rejectionOf } from '../support/rejections.js';
import { socketBff } from '../support/socket-bff.js';
import { providerTask } from '../support/provider-task.js';

const KEY = 'lum_live_adapter_test_0123456789abcdef';
const SECRET = 'whsec_lumely_adapter_test_secret';
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 3000 };

type Fake = FakeLumely & { baseUrl: string; apiKey: string; webhookSecret: string | null };

async function fake(opts: Partial<LumelyOptions> = {}): Promise<Fake> {
  const f = await startFakeLumely({ apiKeys: [KEY], stepMs: 20, ...opts });
  afterThisTest(() => f.close());
  return Object.assign(f, { baseUrl: f.url, apiKey: KEY, webhookSecret: SECRET });
}

const controlsOf = (f: Record<string, unknown>) => f.controls as FakeLumely['controls'];

describe('Lumely adapter', () =>
  providerFlowSuite({
    name: 'lumely',
    startFake: async () => {
      const f = await startFakeLumely({ apiKeys: [KEY], stepMs: 20 });
      return { baseUrl: f.url, apiKey: KEY, webhookSecret: SECRET, close: () => f.close(), controls: f.controls };
    },
    createProvider: createLumelyProvider,
    job: { service: 'render-enhancement', config: 'interior-modern', resolution: '2K' },
    failWithInsufficientCredits: (f) => controlsOf(f).failNext('insufficient-credits'),
    // Aimed at the upload, the first call of a job: a GET /services refused here would fail job creation itself.
    failWithUnauthorized: (f) => controlsOf(f).failNext('401', { method: 'POST', path: '/upload' }),
    failWithServerErrors: (f, n) => controlsOf(f).failNext('500', { times: n }),
    failTheJob: (f) => controlsOf(f).failNext('job-fails'),
  }));

// ---------------------------------------------------------------------------------------------
// Adapter-level helpers: execute() driven directly, the way the job runner drives it.

function image(bytes: Uint8Array, contentType: string, id: string): ProviderImage {
  return {
    uploadId: id,
    contentType,
    width: 0,
    height: 0,
    read: async () => Buffer.from(bytes),
    publicUrl: () => `http://127.0.0.1:1/v1/uploads/${id}/content?sig=x`,
  };
}

function task(over: Partial<ProviderTask> = {}): ProviderTask {
  return providerTask(image(fixture('living-room-render.jpg'), 'image/jpeg', 'upl_photo'), { jobId: 'job_test1', ...over });
}

function context(savedState: unknown = null) {
  const controller = new AbortController();
  const saved: unknown[] = [];
  const progress: Array<[string, number]> = [];
  const ctx: ExecutionContext = {
    signal: controller.signal,
    savedState,
    progress: (s, p) => progress.push([s, p]),
    saveState: async (s) => void saved.push(s),
    webhook: (key, ms) =>
      new Promise<boolean>((resolve) => {
        const t = setTimeout(() => done(false), ms);
        const onAbort = () => done(false);
        const done = (v: boolean) => {
          clearTimeout(t);
          controller.signal.removeEventListener('abort', onAbort);
          resolve(v);
        };
        controller.signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
  return { ctx, controller, saved, progress };
}

function provider(f: Fake, over: Partial<RemoteProviderSettings> = {}) {
  return createLumelyProvider({ baseUrl: f.url, apiKey: KEY, webhookSecret: SECRET, publicUrl: 'http://127.0.0.1:9', pollIntervalMs: 20, retry: fastRetry, ...over });
}

const apiCalls = (f: FakeLumely, method: string, path: string) => f.state.requests.filter((r) => r.method === method && r.path === `/api/v1${path}`);

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}


describe('Lumely adapter: requests', () => {
  it('uploads base64 with the Bearer key, creates one job with every documented field, and downloads the public output without the key', async () => {
    const f = await fake();
    const p = provider(f);
    const mask = await sharp({ create: { width: 1600, height: 960, channels: 3, background: '#fff' } }).png().toBuffer();
    const { ctx, saved, progress } = context();
    const location = { description: 'Grafton Street, Dublin', city: 'Dublin', country: 'Ireland', latitude: 53.34, longitude: -6.26 };
    const outs = await p.execute(
      task({
        service: 'virtual-staging',
        config: 'living-room',
        prompt: 'Scandinavian, warm',
        options: { style: 'scandinavian', lighting: 'warm' },
        location,
        referenceId: 'project-42',
        idempotencyKey: 'job_abc:1',
        mask: image(mask, 'image/png', 'upl_mask'),
        reference: image(fixture('bedroom-furnished.jpg'), 'image/jpeg', 'upl_ref'),
      }),
      ctx,
    );

    const uploads = apiCalls(f, 'POST', '/upload');
    expect(uploads).toHaveLength(2); // the photo and the reference
    for (const u of uploads) {
      expect(u.headers.authorization).toMatch(/^Bearer lum_live_…\[redacted\]$/);
      expect((u.body as { image: string }).image).toMatch(/^\[\d+ chars: data:image\/jpeg;base64,/);
    }
    const [jobCall] = apiCalls(f, 'POST', '/jobs');
    const job = [...f.state.jobs.values()][0]!;
    expect(f.state.jobs.size).toBe(1);
    expect(jobCall!.headers.authorization).toMatch(/^Bearer lum_live_/);
    expect(jobCall!.body).toMatchObject({
      service_type: 'virtual-staging',
      config_id: 'living-room',
      storage_path: job.job.storage_path,
      resolution: '2K',
      prompt: 'Scandinavian, warm',
      idempotency_key: 'job_abc:1',
      reference_id: 'project-42',
      options: { style: 'scandinavian', lighting: 'warm' },
      location,
      reference_image_storage_path: expect.any(String),
    });
    expect(jobCall!.body).not.toHaveProperty('reference_image_base64');
    // mask_base64 is plain base64, not a data: URI.
    expect((jobCall!.body as { mask_base64: string }).mask_base64).toMatch(/^\[\d+ chars: iVBORw0KGgo/);
    expect(job.mask).not.toBeNull();
    expect(job.referenceImageStoragePath).toBe((jobCall!.body as { reference_image_storage_path: string }).reference_image_storage_path);
    expect(job.idempotencyKey).toBe('job_abc:1');
    expect(saved).toEqual([{ lumelyJobId: job.job.id }]);

    const download = f.state.requests.find((r) => r.path.startsWith('/storage/'))!;
    expect(download.headers.authorization).toBeUndefined();
    expect(outs).toHaveLength(1);
    const meta = await sharp(outs[0]!.data).metadata();
    expect([outs[0]!.width, outs[0]!.height]).toEqual([meta.width, meta.height]);
    expect(Math.max(outs[0]!.width, outs[0]!.height)).toBe(2048);
    expect(outs[0]).toMatchObject({ contentType: 'image/jpeg', localPreview: false });
    // Forward-moving progress through our two running statuses.
    expect(progress.map(([s]) => s)).toContain('processing');
    expect(progress.map(([, v]) => v)).toEqual([...progress.map(([, v]) => v)].sort((a, b) => a - b));
  });

  it('sends only the options the user chose and our job id as reference_id when the host gave none', async () => {
    const f = await fake();
    await provider(f).execute(task(), context().ctx);
    const body = apiCalls(f, 'POST', '/jobs')[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('options');
    expect(body).not.toHaveProperty('prompt');
    expect(body).not.toHaveProperty('mask_base64');
    expect(body.reference_id).toBe('job_test1');
  });

  it('submits twice with the same idempotency key (a crash before saveState) and Lumely keeps one job', async () => {
    const f = await fake();
    const p = provider(f);
    await p.execute(task(), context().ctx);
    await p.execute(task(), context().ctx);
    expect(apiCalls(f, 'POST', '/jobs')).toHaveLength(2);
    expect(f.state.jobs.size).toBe(1);
    expect(f.state.credits.remaining).toBe(58); // charged once
  });

  it('resumes a job from savedState after a restart without uploading or submitting again', async () => {
    const f = await fake({ autoAdvance: false });
    // The job the process submitted before it restarted.
    const first = context();
    const p1 = provider(f);
    const running = p1.execute(task(), first.ctx);
    await until(() => first.saved.length === 1);
    first.controller.abort(new StopReason('shutdown'));
    await expect(running).rejects.toThrow('shutdown');
    const { lumelyJobId } = first.saved[0] as { lumelyJobId: string };
    // A shutdown is not a cancel: the Lumely job must survive for the resumed run.
    expect(apiCalls(f, 'PATCH', `/jobs/${lumelyJobId}`)).toHaveLength(0);
    expect(f.controls.job(lumelyJobId)!.status).toBe('pending');

    const before = f.state.requests.length;
    f.controls.setAutoAdvance(true);
    const outs = await provider(f).execute(task(), context({ lumelyJobId }).ctx);
    expect(outs).toHaveLength(1);
    const after = f.state.requests.slice(before);
    expect(after.some((r) => r.method === 'POST')).toBe(false);
    expect(after.some((r) => r.method === 'GET' && r.path === `/api/v1/jobs/${lumelyJobId}`)).toBe(true);
    expect(f.state.jobs.size).toBe(1);
  });

  it('passes a cancel on to Lumely with PATCH { action: "cancel" } and rethrows the abort reason', async () => {
    const f = await fake({ autoAdvance: false });
    const { ctx, controller, saved } = context();
    const running = provider(f).execute(task(), ctx);
    await until(() => saved.length === 1);
    const reason = new StopReason('cancelled');
    controller.abort(reason);
    expect(await rejectionOf(running)).toBe(reason);
    const { lumelyJobId } = saved[0] as { lumelyJobId: string };
    const [call] = apiCalls(f, 'PATCH', `/jobs/${lumelyJobId}`);
    expect(call!.body).toEqual({ action: 'cancel' });
    expect(f.controls.job(lumelyJobId)!.status).toBe('cancelled');
  });

  it('still rethrows the abort when the cancel call itself fails', async () => {
    const f = await fake({ autoAdvance: false });
    const { ctx, controller, saved } = context();
    const running = provider(f).execute(task(), ctx);
    await until(() => saved.length === 1);
    f.controls.failNext('500', { method: 'PATCH' });
    const reason = new StopReason('cancelled');
    controller.abort(reason);
    expect(await rejectionOf(running)).toBe(reason);
  });

  it('honours Retry-After on a 429', async () => {
    const f = await fake({ retryAfterSeconds: 1 });
    f.controls.failNext('429', { method: 'POST', path: '/upload' });
    await provider(f, { retry: { ...fastRetry, maxDelayMs: 5000 } }).execute(task(), context().ctx);
    const uploads = apiCalls(f, 'POST', '/upload');
    expect(uploads.map((u) => u.outcome)).toEqual([429, 201]);
    expect(uploads[1]!.at - uploads[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the deadline with a retryable job_stalled and cancels the Lumely job', async () => {
    const f = await fake({ autoAdvance: false });
    const { ctx, saved } = context();
    const err = await rejectionOf(provider(f, { deadlineMs: 150 }).execute(task(), ctx));
    expect(err).toBeInstanceOf(ProviderJobError);
    expect(err).toMatchObject({ code: 'job_stalled', retryable: true });
    expect(f.controls.job((saved[0] as { lumelyJobId: string }).lumelyJobId)!.status).toBe('cancelled');
  });
});

describe('Lumely adapter: errors', () => {
  it('maps the documented 403s: credits → insufficient_credits, 4K without a paid plan → scope_denied', async () => {
    const f = await fake({ paidPlan: false, credits: 1 });
    const credits = await rejectionOf(provider(f).execute(task(), context().ctx));
    expect(credits).toMatchObject({ code: 'insufficient_credits', retryable: false });
    f.controls.setCredits(50);
    const fourK = await rejectionOf(provider(f).execute(task({ resolution: '4K' }), context().ctx));
    expect(fourK).toMatchObject({ code: 'scope_denied', retryable: false });
    expect((fourK as Error).message).toMatch(/4K/);
  });

  it("reports Lumely's failure reason as a retryable processing_failed, without the key", async () => {
    const f = await fake();
    f.controls.failNext('job-fails', { errorMessage: `Model error while using Bearer ${KEY} for the render` });
    const err = await rejectionOf(provider(f).execute(task(), context().ctx));
    expect(err).toMatchObject({ code: 'processing_failed', retryable: true });
    expect((err as Error).message).toContain('Model error');
    expect((err as Error).message).not.toContain(KEY);
  });

  it('never puts the API key in an error message (401, 400, 5xx exhaustion)', async () => {
    const f = await fake();
    const p = provider(f);
    f.controls.failNext('401');
    const e401 = await rejectionOf(p.execute(task(), context().ctx));
    expect(e401).toMatchObject({ code: 'server_misconfigured', retryable: false });
    const e400 = await rejectionOf(p.execute(task({ config: 'no-such-config' }), context().ctx));
    expect(e400).toMatchObject({ code: 'provider_error' });
    f.controls.failNext('500', { times: 10 });
    const e500 = await rejectionOf(p.execute(task(), context().ctx));
    expect(e500).toMatchObject({ code: 'provider_unavailable', retryable: true });
    for (const e of [e401, e400, e500]) expect(JSON.stringify({ m: (e as Error).message })).not.toContain(KEY);
  });

  it('only downloads outputs from the API host or an https Supabase storage host', () => {
    expect(isLumelyStorageHost(new URL('https://abcd1234.supabase.co/storage/v1/object/public/x.jpg'))).toBe(true);
    expect(isLumelyStorageHost(new URL('http://abcd1234.supabase.co/x.jpg'))).toBe(false);
    expect(isLumelyStorageHost(new URL('https://evil.example/x.jpg'))).toBe(false);
    expect(isLumelyStorageHost(new URL('https://supabase.co.evil.example/x.jpg'))).toBe(false);
    expect(isLumelyStorageHost(new URL('https://a.supabase.co:8443/x.jpg'))).toBe(false);
  });
});

describe('Lumely adapter: catalog and account', () => {
  it('builds the catalog from GET /services and caches it', async () => {
    const f = await fake();
    const p = provider(f);
    const services = await p.services();
    await p.services();
    expect(apiCalls(f, 'GET', '/services')).toHaveLength(1);
    expect(services.map((s) => s.id)).toEqual(['render-enhancement', 'virtual-staging', 'design-options', '3d-plans']);
    const staging = services.find((s) => s.id === 'virtual-staging')!;
    expect(staging).toMatchObject({ credits: { '2K': 2, '4K': 3 }, resolutions: ['2K', '4K'], preview_only: false });
    expect(staging.inputs).toEqual({ mask: true, reference_image: true, prompt: true, variants: { min: 1, max: 1 }, location: true });
    expect(staging.configs.map((c) => c.id)).toEqual(['living-room', 'bedroom', 'kitchen', 'dining-room', 'office', 'bathroom']);
    expect(services.find((s) => s.id === '3d-plans')!.inputs).toMatchObject({ mask: false, reference_image: false, prompt: true });
    expect(staging.options.map((o) => o.key)).toEqual(['lighting', 'weather', 'season', 'crowd', 'camera', 'style', 'flooring', 'landscaping']);
    expect(staging.options.every((o) => o.type === 'enum' && o.default === undefined)).toBe(true);
  });

  it('reports the account from GET /credits, enterprise block included, without the key', async () => {
    const f = await fake({ credits: 58, creditsTotal: 60, enterprise: { company_name: 'Acme', credits_used_this_month: 142, allowed_services: ['render-enhancement'] } });
    const account = await provider(f).account!();
    expect(account).toEqual({
      credits_remaining: 58,
      credits_total: 60,
      plan_id: 'basic',
      subscription_status: 'active',
      enterprise: { company_name: 'Acme', credits_used_this_month: 142, allowed_services: ['render-enhancement'] },
    });
    expect(JSON.stringify(account)).not.toContain(KEY);
  });
});

// ---------------------------------------------------------------------------------------------
// Webhooks

/** Records what the fake delivers, byte for byte, so the adapter can be handed real deliveries. */
async function receiver() {
  const received: Array<{ body: Buffer; headers: Headers }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      received.push({ body: Buffer.concat(chunks), headers });
      res.writeHead(200).end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/lumely`, received };
}

const rejected = async (p: Promise<unknown>) => {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(ApiError);
  expect(e).toMatchObject({ code: 'webhook_rejected' });
};

describe('Lumely adapter: webhooks', () => {
  it('accepts a genuine delivery and refuses forged, unsigned, wrongly keyed or unconfigured ones', async () => {
    const f = await fake();
    const hook = await receiver();
    f.controls.setWebhook(hook.url, SECRET, ['job.completed', 'job.failed', 'job.cancelled']);
    const p = provider(f);
    await p.execute(task(), context().ctx);
    await f.controls.settled();
    const jobId = [...f.state.jobs.keys()][0]!;
    const genuine = hook.received[0]!;
    expect(await p.verifyWebhook!(genuine)).toMatchObject({ key: jobId });

    await f.controls.sendWebhook({ payload: { event: 'job.completed', data: { id: jobId, output_image_url: 'https://evil.example/x.jpg' } }, secret: 'whsec_attacker' });
    await rejected(p.verifyWebhook!(hook.received.at(-1)!));
    await f.controls.sendWebhook({ signature: null });
    await rejected(p.verifyWebhook!(hook.received.at(-1)!));
    // The genuine body with one byte changed.
    await rejected(p.verifyWebhook!({ headers: genuine.headers, body: Buffer.from(genuine.body.toString().replace(jobId, jobId.replace(/.$/, 'x'))) }));
    await rejected(provider(f, { webhookSecret: 'whsec_some_other_secret' }).verifyWebhook!(genuine));
    await rejected(provider(f, { webhookSecret: null }).verifyWebhook!(genuine));
  });

  it('accepts a body re-formatted on the way when JSON.stringify(JSON.parse(body)) matches what Lumely signed', async () => {
    const f = await fake();
    const p = provider(f);
    const payload = { event: 'job.completed', data: { id: 'job-123', status: 'completed' } };
    const signature = signLumelyWebhook(JSON.stringify(payload), SECRET);
    const pretty = Buffer.from(JSON.stringify(payload, null, 2));
    expect(await p.verifyWebhook!({ headers: new Headers({ 'X-Lumely-Signature': signature }), body: pretty })).toMatchObject({ key: 'job-123' });
    // Lumely's bytes that JSON.stringify would write differently (an escaped é) verify on the raw body.
    const escaped = '{"event":"job.completed","data":{"id":"job-456","error_message":"caf\\u00e9"}}';
    expect(await p.verifyWebhook!({ headers: new Headers({ 'X-Lumely-Signature': signLumelyWebhook(escaped, SECRET) }), body: Buffer.from(escaped) })).toMatchObject({ key: 'job-456' });
  });

  it('through the BFF: a signed delivery wakes a slow poll early; a replay is refused; a stale event is only a hint', async () => {
    const f = await fake();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    f.controls.setWebhook(`${publicUrl}/v1/webhooks/lumely`, SECRET, ['job.completed', 'job.failed', 'job.cancelled']);
    // A 60 s poll: only the webhook can finish this job within the test.
    const p = createLumelyProvider({ baseUrl: f.url, apiKey: KEY, webhookSecret: SECRET, publicUrl, pollIntervalMs: 60_000, retry: fastRetry });
    const { server, auth, upload } = await socketBff(p, port);
    const up = await upload();
    const t0 = Date.now();
    const created = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'aerial', upload_id: up.id }) });
    const job = Job.parse(await created.json());
    let last: Job | null = null;
    for await (const fr of readJobEvents(await fetch(`${server.url}/v1/jobs/${job.id}/events`, { headers: auth }))) if (fr.event === 'job') last = Job.parse(JSON.parse(fr.data));
    expect(last!.status).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(15_000);
    await f.controls.settled();
    expect(f.state.webhookDeliveries[0]).toMatchObject({ event: 'job.completed', status: 200 });

    expect((await f.controls.replayLastWebhook()).status).toBe(409);
    expect((await f.controls.sendWebhook({ secret: 'whsec_attacker', payload: { event: 'job.failed', data: { id: 'x' } } })).status).toBe(401);
    // Validly signed but stale (a job.failed for the job that completed): accepted as a wake-up
    // hint only; the adapter reads the job from Lumely, so nothing about our job changes.
    const completed = f.state.webhookDeliveries[0]!.payload as { data: Record<string, unknown> };
    expect((await f.controls.sendWebhook({ payload: { event: 'job.failed', data: { ...completed.data, status: 'failed', error_message: 'stale' } } })).status).toBe(200);
    const again = Job.parse(await (await fetch(`${server.url}/v1/jobs/${job.id}`, { headers: auth })).json());
    expect(again.status).toBe('completed');
  });
});
