import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Service } from '../../../src/contract/index.js';
import { createInteriorRedesignProvider } from '../../../src/server/providers/interior-redesign/index.js';
import { upscaleFactor } from '../../../src/server/providers/interior-redesign/catalog.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { ProviderJobError, type ExecutionContext, type ProviderTask } from '../../../src/server/providers/types.js';
import { startFakeInteriorRedesign, type FakeInteriorRedesign, type FakeInteriorRedesignOptions } from '../../fakes/interior-redesign.js';
import { afterThisTest } from '../temp-dir.js';
import { providerFlowSuite } from './provider-flow-suite.js';
import { providerTask } from '../support/provider-task.js';

type FakeHandle = FakeInteriorRedesign & { baseUrl: string; webhookSecret: null };
const asFake = (f: Record<string, unknown>) => f as unknown as FakeHandle;

describe('Interior Redesign adapter', () =>
  providerFlowSuite({
    name: 'interior-redesign',
    async startFake() {
      const fake = await startFakeInteriorRedesign({ stepMs: 30 });
      return { ...fake, baseUrl: fake.url, webhookSecret: null };
    },
    createProvider: createInteriorRedesignProvider,
    job: { service: 'redesign', config: 'scandinavian' },
    failWithInsufficientCredits: (f) => asFake(f).controls.failNext('insufficient-credit', { match: (r) => r.method === 'POST' }),
    failWithUnauthorized: (f) => asFake(f).controls.failNext('401'),
    // Only the status polls: the job-creating POST has no documented idempotency key, so the
    // adapter rightly never resends it after a 5xx (see "does not resend a failed submission").
    failWithServerErrors: (f, n) => asFake(f).controls.failNext('500', { times: n, match: (r) => r.method === 'GET' && r.path.startsWith('/v1/jobs/') }),
    failTheJob: (f) => asFake(f).controls.failNext('job-fails'),
  }));

// ---- adapter-specific ------------------------------------------------------------------

const KEY = 'ir_test_key_9f8e7d6c5b4a3210';

/** Stands in for the BFF's signed upload URLs: served only with the right signature, every hit recorded. */
async function startPhotoServer(width = 240, height = 144) {
  const photo = await sharp({ create: { width, height, channels: 3, background: { r: 180, g: 150, b: 120 } } }).jpeg().toBuffer();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/v1/uploads/upl_test/file' || u.searchParams.get('sig') !== 'good') return void res.writeHead(403).end();
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/uploads/upl_test/file?sig=good&exp=9999999999`;
  return { url, hits, width, height };
}

async function setup(opts: { fake?: FakeInteriorRedesignOptions; settings?: Partial<RemoteProviderSettings>; photo?: { width: number; height: number } } = {}) {
  const fake = await startFakeInteriorRedesign({ apiKeys: [KEY], stepMs: 30, ...opts.fake });
  afterThisTest(() => fake.close());
  const photo = await startPhotoServer(opts.photo?.width, opts.photo?.height);
  const provider = createInteriorRedesignProvider({
    baseUrl: fake.url,
    apiKey: KEY,
    webhookSecret: null,
    publicUrl: 'http://127.0.0.1:1',
    pollIntervalMs: 25,
    retry: { baseDelayMs: 20, maxDelayMs: 2000, retries: 3, timeoutMs: 3000 },
    ...opts.settings,
  });
  const task = (over: Partial<ProviderTask> = {}): ProviderTask =>
    providerTask({ uploadId: 'upl_test', read: async () => Buffer.alloc(0), contentType: 'image/jpeg', width: photo.width, height: photo.height, publicUrl: () => photo.url }, { service: 'redesign', config: 'modern', ...over });
  const ctx = (savedState: unknown = null) => {
    const controller = new AbortController();
    const saved: unknown[] = [];
    const progress: Array<[string, number]> = [];
    const c: ExecutionContext = {
      signal: controller.signal,
      savedState,
      progress: (s, p) => progress.push([s, p]),
      saveState: async (s) => void saved.push(s),
      webhook: (_key, ms) =>
        new Promise<boolean>((resolve, reject) => {
          const t = setTimeout(() => resolve(false), ms);
          controller.signal.addEventListener('abort', () => { clearTimeout(t); reject(controller.signal.reason); }, { once: true });
        }),
    };
    return { c, controller, saved, progress };
  };
  const posts = () => fake.state.requests.filter((r) => r.method === 'POST');
  return { fake, photo, provider, task, ctx, posts };
}

async function jobError(p: Promise<unknown>): Promise<ProviderJobError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (err instanceof ProviderJobError) return err;
  throw new Error(`expected a ProviderJobError, got ${String(err)}`);
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Interior Redesign adapter: requests', () => {
  it('submits the documented redesign body with Bearer auth and our signed URL, which the service fetched', async () => {
    const s = await setup();
    const { c, saved, progress } = s.ctx();
    const out = await s.provider.execute(s.task({ prompt: 'warm japandi living room', variants: 3, options: { preserve_layout: false, output_format: 'webp' } }), c);

    const submits = s.posts();
    expect(submits).toHaveLength(1);
    expect(submits[0]).toMatchObject({ path: '/v1/redesign', auth: 'valid', status: 200 });
    expect(submits[0]!.headers['content-type']).toBe('application/json');
    expect(submits[0]!.body).toEqual({ image_url: s.photo.url, prompt: 'warm japandi living room', preserve_layout: false, num_outputs: 3, output_format: 'webp' });
    // The service fetched exactly our signed URL, verbatim.
    const jobId = (saved[0] as { providerJobId: string }).providerJobId;
    expect(s.fake.state.fetches).toEqual([expect.objectContaining({ jobId, url: s.photo.url, ok: true, status: 200 })]);
    expect(s.photo.hits).toEqual(['/v1/uploads/upl_test/file?sig=good&exp=9999999999']);

    expect(out).toHaveLength(3);
    for (const o of out) {
      const meta = await sharp(o.data).metadata();
      expect(meta.format).toBe('webp');
      expect(o).toMatchObject({ contentType: 'image/webp', width: meta.width, height: meta.height, localPreview: false });
    }
    // Output downloads went out without the key.
    const downloads = s.fake.state.requests.filter((r) => r.path.startsWith('/files/'));
    expect(downloads).toHaveLength(3);
    expect(downloads.every((r) => r.auth === 'missing' && r.headers.authorization === undefined)).toBe(true);
    expect(progress.at(0)).toEqual(['compressing', 0.05]);
    expect(progress.some(([st]) => st === 'processing')).toBe(true);
  });

  it('builds the required prompt from the config when the job has none, with the documented defaults', async () => {
    const s = await setup();
    await s.provider.execute(s.task({ config: 'industrial', prompt: '  ' }), s.ctx().c);
    expect(s.posts()[0]!.body).toEqual({
      image_url: s.photo.url,
      prompt: 'industrial style interior, exposed brick, metal and dark wood',
      preserve_layout: true,
      num_outputs: 1,
      output_format: 'png',
    });
  });

  it('upscales with the factor that reaches the requested resolution, passing face_enhance', async () => {
    expect(upscaleFactor(1600, 960, '2K')).toBe(2);
    expect(upscaleFactor(800, 600, '2K')).toBe(3);
    expect(upscaleFactor(1600, 960, '4K')).toBe(3);
    expect(upscaleFactor(300, 200, '4K')).toBe(4);
    const s = await setup({ photo: { width: 180, height: 120 } });
    const out = await s.provider.execute(s.task({ service: 'upscale', config: 'real-esrgan', resolution: '2K', options: { face_enhance: true } }), s.ctx().c);
    expect(s.posts()[0]).toMatchObject({ path: '/v1/upscale', body: { image_url: s.photo.url, scale: 4, face_enhance: true } });
    expect(out).toHaveLength(1);
    expect([out[0]!.width, out[0]!.height]).toEqual([720, 480]);
  });

  it('keeps polling through "starting" and only stops on a terminal status', async () => {
    const s = await setup({ fake: { autoAdvance: false } });
    const { c, saved } = s.ctx();
    const running = s.provider.execute(s.task(), c);
    await until(() => saved.length === 1);
    const id = (saved[0] as { providerJobId: string }).providerJobId;
    const statusPolls = () => s.fake.state.requests.filter((r) => r.path === `/v1/jobs/${id}`).length;
    await until(() => statusPolls() >= 3);
    expect(s.fake.state.jobs.get(id)!.status).toBe('starting');
    expect(await s.fake.controls.advance(id)).toBe('processing');
    const before = statusPolls();
    await until(() => statusPolls() >= before + 2);
    expect(await s.fake.controls.advance(id)).toBe('succeeded');
    expect(await running).toHaveLength(1);
  });

  it('serves a catalog that parses with the contract and declares no webhook receiver or account', async () => {
    const s = await setup();
    const services = await s.provider.services();
    for (const svc of services) Service.parse(svc);
    expect(services.map((x) => x.id)).toEqual(['redesign', 'upscale']);
    expect(services[0]!.inputs.variants).toEqual({ min: 1, max: 4 });
    expect(s.provider.verifyWebhook).toBeUndefined();
    expect(s.provider.account).toBeUndefined();
  });

  it('requires STAGING_PROVIDER_URL: there is no default address', () => {
    expect(() => createInteriorRedesignProvider({ apiKey: KEY, webhookSecret: null, publicUrl: 'http://x' })).toThrow(/STAGING_PROVIDER_URL/);
  });

  it('checks the configuration with GET /health, without the key', async () => {
    const s = await setup();
    expect(await s.provider.health()).toEqual({ ok: true, authRequired: true });
    expect(s.fake.state.requests.at(-1)).toMatchObject({ path: '/health', auth: 'missing' });
    s.fake.controls.setConfigured(false);
    expect(await s.provider.health()).toEqual({ ok: false, authRequired: true });
  });
});

describe('Interior Redesign adapter: restarts, cancel and deadline', () => {
  it('resumes tracking a saved job after a restart without submitting again', async () => {
    const s = await setup();
    const created = await fetch(`${s.fake.url}/v1/redesign`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ image_url: s.photo.url, prompt: 'p', num_outputs: 2 }),
    });
    const { job_id } = (await created.json()) as { job_id: string };
    const postsBefore = s.posts().length;
    const { c, saved } = s.ctx({ providerJobId: job_id });
    const out = await s.provider.execute(s.task({ variants: 2 }), c);
    expect(out).toHaveLength(2);
    expect(s.posts()).toHaveLength(postsBefore);
    expect(saved).toEqual([]);
    expect(s.fake.state.requests.some((r) => r.path === `/v1/jobs/${job_id}`)).toBe(true);
  });

  it('saves the provider job id right after submitting', async () => {
    const s = await setup();
    const { c, saved } = s.ctx();
    await s.provider.execute(s.task(), c);
    expect(saved).toEqual([{ providerJobId: [...s.fake.state.jobs.keys()][0] }]);
  });

  it('passes a cancellation on to the service and rethrows our abort reason', async () => {
    const s = await setup({ fake: { autoAdvance: false } });
    const { c, controller, saved } = s.ctx();
    const running = s.provider.execute(s.task(), c).then(() => 'finished', (e: unknown) => e);
    await until(() => saved.length === 1);
    const id = (saved[0] as { providerJobId: string }).providerJobId;
    const reason = new Error('cancelled by the user');
    controller.abort(reason);
    expect(await running).toBe(reason);
    expect(s.posts().map((r) => r.path)).toEqual(['/v1/redesign', `/v1/jobs/${id}/cancel`]);
    expect(s.fake.state.jobs.get(id)!.status).toBe('canceled');
  });

  it('leaves the job running on a shutdown, so the restarted BFF can resume it', async () => {
    const s = await setup({ fake: { autoAdvance: false } });
    const { c, controller, saved } = s.ctx();
    const running = s.provider.execute(s.task(), c).then(() => 'finished', (e: unknown) => e);
    await until(() => saved.length === 1);
    const id = (saved[0] as { providerJobId: string }).providerJobId;
    // The job runner's StopReason for a shutdown carries kind: 'shutdown'.
    const reason = Object.assign(new Error('shutdown'), { kind: 'shutdown' });
    controller.abort(reason);
    expect(await running).toBe(reason);
    expect(s.posts().map((r) => r.path)).toEqual(['/v1/redesign']);
    expect(s.fake.state.jobs.get(id)!.status).toBe('starting');
  });

  it('still rethrows the abort reason when the cancel call fails', async () => {
    const s = await setup({ fake: { autoAdvance: false } });
    const { c, controller, saved } = s.ctx();
    const running = s.provider.execute(s.task(), c).then(() => 'finished', (e: unknown) => e);
    await until(() => saved.length === 1);
    s.fake.controls.failNext('500', { match: (r) => r.path.endsWith('/cancel') });
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await running).toBe(reason);
    expect(s.fake.state.requests.filter((r) => r.path.endsWith('/cancel')).map((r) => r.status)).toEqual([500]);
  });

  it('reports a job cancelled on the service side as failed, retryable', async () => {
    const s = await setup({ fake: { autoAdvance: false } });
    const { c, saved } = s.ctx();
    const running = s.provider.execute(s.task(), c);
    await until(() => saved.length === 1);
    const id = (saved[0] as { providerJobId: string }).providerJobId;
    await fetch(`${s.fake.url}/v1/jobs/${id}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
    expect(await jobError(running)).toMatchObject({ code: 'processing_failed', retryable: true });
  });

  it('gives up after the deadline with job_stalled and cancels the abandoned job', async () => {
    const s = await setup({ fake: { autoAdvance: false }, settings: { deadlineMs: 200 } });
    const err = await jobError(s.provider.execute(s.task(), s.ctx().c));
    expect(err).toMatchObject({ code: 'job_stalled', retryable: true });
    const id = [...s.fake.state.jobs.keys()][0]!;
    expect(s.fake.state.jobs.get(id)!.status).toBe('canceled');
  });
});

describe('Interior Redesign adapter: errors', () => {
  it('waits as long as Retry-After says on a 429, then carries on', async () => {
    const s = await setup();
    s.fake.controls.failNext('429', { match: (r) => r.method === 'GET' && r.path.startsWith('/v1/jobs/') });
    const t0 = Date.now();
    const out = await s.provider.execute(s.task(), s.ctx().c);
    expect(out).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(s.fake.state.requests.filter((r) => r.injected === '429')).toHaveLength(1);
  });

  it('does not resend a failed submission (no idempotency key is documented)', async () => {
    const s = await setup();
    s.fake.controls.failNext('500', { match: (r) => r.method === 'POST' });
    const err = await jobError(s.provider.execute(s.task(), s.ctx().c));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(s.posts()).toHaveLength(1);
    expect(s.fake.state.jobs.size).toBe(0);
  });

  it("maps Replicate's credit error to insufficient_credits", async () => {
    const s = await setup();
    s.fake.controls.failNext('insufficient-credit');
    const err = await jobError(s.provider.execute(s.task(), s.ctx().c));
    expect(err).toMatchObject({ code: 'insufficient_credits', retryable: false });
    expect(err.message).not.toMatch(/replicate\.com/);
  });

  it('reports a failed job with the provider reason, retryable', async () => {
    const s = await setup();
    s.fake.controls.failNext('fetch-fails');
    const err = await jobError(s.provider.execute(s.task(), s.ctx().c));
    expect(err).toMatchObject({ code: 'processing_failed', retryable: true });
    expect(err.message).toContain('Invalid image format or URL not accessible');
  });

  it('never puts the API key in an error message', async () => {
    const s = await setup();
    const errors: ProviderJobError[] = [];
    s.fake.controls.failNext('401');
    errors.push(await jobError(s.provider.execute(s.task(), s.ctx().c)));
    expect(errors[0]).toMatchObject({ code: 'server_misconfigured', retryable: false });
    s.fake.controls.failNext('job-fails');
    errors.push(await jobError(s.provider.execute(s.task(), s.ctx().c)));
    s.fake.controls.failNext('503', { times: 4 });
    errors.push(await jobError(s.provider.execute(s.task(), s.ctx().c)));
    expect(errors[2]).toMatchObject({ code: 'provider_unavailable', retryable: true });
    for (const e of errors) expect(e.message).not.toContain(KEY);
  });
});
