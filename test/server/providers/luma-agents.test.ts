import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Job, Service } from '../../../src/contract/index.js';
import { createLumaAgentsProvider, LUMA_AGENTS_BASE_URL } from '../../../src/server/providers/luma-agents/index.js';
import { mapLumaError } from '../../../src/server/providers/luma-agents/errors.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { type ExecutionContext, type ProviderImage, type ProviderTask } from '../../../src/server/providers/types.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { startFakeLumaAgents, type FakeLumaAgents, type LumaAgentsOptions } from '../../fakes/luma-agents.js';
import { readJobEvents } from '../sse.js';
import { afterThisTest, fixture } from '../temp-dir.js';
import { providerFlowSuite } from './provider-flow-suite.js';
import { jobErrorOf } from '../support/rejections.js';
import { socketBff } from '../support/socket-bff.js';
import { providerTask } from '../support/provider-task.js';

const KEY = 'luma-api-test-7f3c2a10b4d9e8f1';
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 3000 };

type Fake = FakeLumaAgents & { baseUrl: string; apiKey: string; webhookSecret: null };
const asFake = (f: Record<string, unknown>) => f as unknown as FakeLumaAgents;

async function startFake(opts: Partial<LumaAgentsOptions> = {}): Promise<Fake> {
  const f = await startFakeLumaAgents({ apiKeys: [KEY], stepMs: 20, ...opts });
  return Object.assign(f, { baseUrl: f.url, apiKey: KEY, webhookSecret: null });
}

describe('Luma Agents adapter', () =>
  providerFlowSuite({
    name: 'luma-agents',
    startFake: async () => ({ ...(await startFake()) }),
    createProvider: createLumaAgentsProvider,
    job: { service: 'image-edit', config: 'modern-living-room' },
    failWithInsufficientCredits: (f) => asFake(f).controls.failNext('insufficient-credits', { method: 'POST', path: '/generations' }),
    failWithUnauthorized: (f) => asFake(f).controls.failNext('401'),
    // Luma documents no idempotency key, so a 5xx on the submission is (rightly) not resent:
    // the burst is aimed at the polls, which are safe to repeat.
    failWithServerErrors: (f, n) => asFake(f).controls.failNext('500', { method: 'GET', path: /^\/generations\//, times: n }),
    failTheJob: (f) => asFake(f).controls.failNext('job-fails', { failureCode: 'generation_failed' }),
  }));

// ---------------------------------------------------------------------------------------------
// Direct drive: the adapter with a hand-made task and context.

/** Serves the fixture at signed-looking URLs, like our BFF's /v1/uploads/…/content. */
async function imageHost() {
  const photo = Buffer.from(fixture('living-room-render.jpg'));
  const server = createServer((req, res) => {
    if (!req.url?.includes('sig=ok')) return void res.writeHead(403).end('bad signature');
    res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(photo);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterThisTest(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const image = (name: string, sig = 'ok'): ProviderImage => ({
    uploadId: name,
    contentType: 'image/jpeg',
    width: 1600,
    height: 960,
    read: async () => photo,
    publicUrl: () => `${origin}/v1/uploads/${name}/content?exp=9999999999&sig=${sig}`,
  });
  return { origin, image, photo };
}

function task(image: ProviderImage, over: Partial<ProviderTask> = {}): ProviderTask {
  return providerTask(image, { service: 'image-edit', config: 'declutter', options: { aspect_ratio: 'source', style: 'auto', output_format: 'jpeg', model: 'uni-1' }, ...over });
}

function context(over: { savedState?: unknown; signal?: AbortSignal } = {}) {
  const saved: unknown[] = [];
  const progress: Array<[string, number]> = [];
  const signal = over.signal ?? new AbortController().signal;
  const ctx: ExecutionContext = {
    signal,
    progress: (s, p) => void progress.push([s, p]),
    savedState: over.savedState ?? null,
    saveState: async (s) => void saved.push(s),
    webhook: (_key, ms) =>
      new Promise((resolve) => {
        const onAbort = () => (clearTimeout(t), resolve(false));
        const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve(false)), ms);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
  return { ctx, saved, progress };
}

async function adapter(opts: Partial<LumaAgentsOptions> = {}, settings: Partial<RemoteProviderSettings> = {}) {
  const fake = await startFake(opts);
  afterThisTest(() => fake.close());
  const provider = createLumaAgentsProvider({ baseUrl: fake.url, apiKey: KEY, webhookSecret: null, publicUrl: 'http://127.0.0.1:1', pollIntervalMs: 20, retry: fastRetry, ...settings });
  const host = await imageHost();
  return { fake, provider, host };
}


const posts = (f: FakeLumaAgents) => f.state.requests.filter((r) => r.method === 'POST');

describe('Luma Agents adapter: requests as documented', () => {
  it('sends the photo as our signed URL (which the fake fetched) through a real BFF, with Bearer auth, and downloads the presigned output without the key', async () => {
    const fake = await startFake();
    afterThisTest(() => fake.close());
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const provider = createLumaAgentsProvider({ baseUrl: fake.url, apiKey: KEY, webhookSecret: null, publicUrl, pollIntervalMs: 20, retry: fastRetry });
    const { server, auth, upload } = await socketBff(provider, port);
    const [photo, ref] = [await upload('living-room-render.jpg'), await upload('bedroom-furnished.jpg')];
    const body = { service: 'image-edit', config: 'twilight-exterior', upload_id: photo.id, reference_upload_id: ref.id, prompt: 'Add warm garden lights', options: { aspect_ratio: '16:9', model: 'uni-1-max', output_format: 'png' } };
    const created = Job.parse(await (await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json());
    let last: Job | undefined;
    for await (const f of readJobEvents(await fetch(`${server.url}/v1/jobs/${created.id}/events`, { headers: auth }))) if (f.event === 'job') last = Job.parse(JSON.parse(f.data));
    expect(last?.status, JSON.stringify(last?.error)).toBe('completed');
    expect(last!.outputs[0]).toMatchObject({ width: 2048, height: 1152 }); // 16:9 as asked

    const [post] = posts(fake);
    expect(post!.path).toBe('/v1/generations');
    expect(post!.headers.authorization).toMatch(/^Bearer luma-api-…\[redacted\]$/);
    const sent = post!.body as Record<string, unknown> & { source: { url: string }; image_ref: Array<{ url: string }> };
    expect(sent).toMatchObject({ type: 'image_edit', model: 'uni-1-max', output_format: 'png', aspect_ratio: '16:9', style: 'auto' });
    const generation = [...fake.state.generations.values()][0]!;
    expect(generation.request.prompt).toMatch(/^Turn this daytime exterior photo into a twilight shot.*\nAdditional instructions: Add warm garden lights$/s);
    // Our own signed upload URLs, fetched by the fake at submission: no bytes went inline.
    expect(sent.source.url.startsWith(`${publicUrl}/v1/uploads/${photo.id}/content`)).toBe(true);
    expect(sent.image_ref).toEqual([{ url: expect.stringContaining(`/v1/uploads/${ref.id}/content`) }]);
    expect(fake.state.fetches.map((x) => [x.purpose, x.url, x.status])).toEqual([
      ['source', sent.source.url, 200],
      ['image_ref[0]', sent.image_ref[0]!.url, 200],
    ]);
    expect(generation.request.image_ref).toHaveLength(1);
    // Polls carry the key; the presigned download does not.
    const gets = fake.state.requests.filter((r) => r.method === 'GET');
    expect(gets.filter((r) => r.path.startsWith('/v1/generations/')).every((r) => r.headers.authorization?.startsWith('Bearer luma-api-'))).toBe(true);
    const download = gets.find((r) => r.path.startsWith('/storage/'))!;
    expect(download.headers.authorization).toBeUndefined();
    expect(fake.state.downloads).toEqual([expect.objectContaining({ status: 200 })]);
  });

  it('builds the prompt from the chosen config when the job has none, sends only set options, and returns real output sizes', async () => {
    const { fake, provider, host } = await adapter();
    const { ctx, saved, progress } = context();
    const out = await provider.execute(task(host.image('up_1'), { options: { style: 'auto' } }), ctx);
    expect(out).toEqual([{ data: expect.any(Buffer), contentType: 'image/jpeg', width: 2048, height: 1229, localPreview: false }]);
    const sent = posts(fake)[0]!.body as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['prompt', 'source', 'style', 'type']);
    expect([...fake.state.generations.values()][0]!.request.prompt).toMatch(/^Declutter this room: .*Photorealistic real-estate photograph\.$/);
    expect(saved).toEqual([{ generationId: [...fake.state.generations.keys()][0], submittedAt: expect.any(Number) }]);
    expect(progress[0]).toEqual(['compressing', 0.05]);
    expect(progress.at(-1)).toEqual(['processing', 0.95]);
  });

  it('refuses a custom edit without a prompt before calling Luma', async () => {
    const { fake, provider, host } = await adapter();
    const err = await jobErrorOf(provider.execute(task(host.image('up_1'), { config: 'custom', prompt: '  ' }), context().ctx));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(fake.state.requests).toHaveLength(0);
  });

  it('falls back to inline base64 when Luma cannot fetch our URL (422), without a second generation', async () => {
    const { fake, provider, host } = await adapter();
    const out = await provider.execute(task(host.image('up_1', 'expired'), { reference: host.image('up_2', 'expired') }), context().ctx);
    expect(out).toHaveLength(1);
    const [first, second] = posts(fake);
    expect(first!.outcome).toBe(422);
    expect(second!.outcome).toBe(201);
    expect(second!.body).toMatchObject({ source: { data: expect.stringMatching(/^\[\d+ chars: /), media_type: 'image/jpeg' }, image_ref: [{ media_type: 'image/jpeg' }] });
    expect(fake.state.generations.size).toBe(1);
    expect([...fake.state.generations.values()][0]!.request.source).toEqual({ data_bytes: host.photo.length, media_type: 'image/jpeg' });
  });

  it('has a static catalog that parses with the contract and documents the Luma enums; no webhooks or account are offered', async () => {
    const provider = createLumaAgentsProvider({ apiKey: KEY, webhookSecret: null, publicUrl: 'http://127.0.0.1:1' });
    const [svc] = await provider.services();
    expect(Service.parse(svc)).toBeTruthy();
    const values = (key: string) => (svc!.options.find((o) => o.key === key) as { values: Array<{ value: string }> }).values.map((v) => v.value);
    expect(values('aspect_ratio')).toEqual(['source', '3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3']);
    expect(values('model')).toEqual(['uni-1', 'uni-1-max']);
    expect(values('output_format')).toEqual(['jpeg', 'png']);
    expect(values('style')).toEqual(['auto', 'manga']);
    expect(svc!.configs.map((c) => c.id)).toEqual(expect.arrayContaining(['modern-living-room', 'declutter', 'twilight-exterior', 'custom']));
    expect(LUMA_AGENTS_BASE_URL).toBe('https://agents.lumalabs.ai/v1');
    // Luma Agents documents neither webhooks nor an account endpoint in our docs.
    expect(provider.verifyWebhook).toBeUndefined();
    expect(provider.account).toBeUndefined();
  });
});

describe('Luma Agents adapter: resume, cancel, limits', () => {
  it('resumes a saved generation after a restart without submitting again', async () => {
    const { fake, provider, host } = await adapter({ autoAdvance: false });
    const first = context();
    const abort = new AbortController();
    const running = provider.execute(task(host.image('up_1')), { ...first.ctx, signal: abort.signal });
    while (first.saved.length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort(new Error('shutdown'));
    await expect(running).rejects.toThrow('shutdown');
    const id = (first.saved[0] as { generationId: string }).generationId;
    await fake.controls.finish(id);

    const before = posts(fake).length;
    const { ctx } = context({ savedState: first.saved[0] });
    const out = await provider.execute(task(host.image('up_1')), ctx);
    expect(out).toHaveLength(1);
    expect(posts(fake).length).toBe(before);
    expect(fake.state.generations.size).toBe(1);
  });

  it('stops tracking on cancel with the signal reason (no cancel endpoint is documented)', async () => {
    const { fake, provider, host } = await adapter({ autoAdvance: false });
    const abort = new AbortController();
    const { ctx, saved } = context({ signal: abort.signal });
    const running = provider.execute(task(host.image('up_1')), ctx);
    while (saved.length === 0) await new Promise((r) => setTimeout(r, 10));
    const reason = new Error('cancelled by user');
    abort.abort(reason);
    await expect(running).rejects.toBe(reason);
    // A poll already on the wire when the abort came may still be logged by the fake: settle first.
    await new Promise((r) => setTimeout(r, 50));
    const count = fake.state.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.state.requests.length).toBe(count);
    expect(fake.state.requests.every((r) => r.method === 'POST' || r.method === 'GET')).toBe(true);
  });

  it('waits as long as Retry-After says on a 429, then submits once', async () => {
    const { fake, provider, host } = await adapter({ retryAfterSeconds: 1 }, { retry: { ...fastRetry, maxDelayMs: 5000 } });
    fake.controls.failNext('429', { method: 'POST', path: '/generations' });
    await provider.execute(task(host.image('up_1')), context().ctx);
    const [limited, ok] = posts(fake);
    expect([limited!.outcome, ok!.outcome]).toEqual([429, 201]);
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(fake.state.generations.size).toBe(1);
  });

  it('never resends a submission after a 5xx (no idempotency key is documented): fails retryable instead', async () => {
    const { fake, provider, host } = await adapter();
    fake.controls.failNext('502', { method: 'POST', path: '/generations' });
    const err = await jobErrorOf(provider.execute(task(host.image('up_1')), context().ctx));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(posts(fake)).toHaveLength(1);
  });

  it('gives up with job_stalled after the deadline', async () => {
    const { provider, host } = await adapter({ autoAdvance: false }, { deadlineMs: 200 });
    const err = await jobErrorOf(provider.execute(task(host.image('up_1')), context().ctx));
    expect(err).toMatchObject({ code: 'job_stalled', retryable: true });
  });

  it('still collects a generation that finished while the BFF was down past the deadline', async () => {
    const { fake, provider, host } = await adapter({ autoAdvance: false }, { deadlineMs: 200 });
    const created = await fetch(`${fake.url}/generations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'image_edit', prompt: 'Declutter', source: { url: host.image('up_1').publicUrl() } }),
    });
    const { id } = (await created.json()) as { id: string };
    await fake.controls.finish(id);
    const { ctx } = context({ savedState: { generationId: id, submittedAt: Date.now() - 60_000 } });
    expect(await provider.execute(task(host.image('up_1')), ctx)).toHaveLength(1);
    expect(posts(fake)).toHaveLength(1);
  });

  it('re-polls for fresh presigned URLs when a download link has expired', async () => {
    const { fake, provider, host } = await adapter();
    fake.controls.failNext('403', { path: /^\/storage\// });
    const out = await provider.execute(task(host.image('up_1')), context().ctx);
    expect(out).toHaveLength(1);
    expect(fake.state.downloads.map((d) => d.status)).toEqual([200]); // the injected 403 precedes the download record
    const storage = fake.state.requests.filter((r) => r.path.startsWith('/storage/'));
    expect(storage.map((r) => r.outcome)).toEqual([403, 200]);
    expect(storage[0]!.query.signature).not.toBe(storage[1]!.query.signature);
  });
});

describe('Luma Agents adapter: errors', () => {
  it('maps 402 to insufficient_credits, 401 and 403 to configuration errors, and never echoes the key', async () => {
    const { fake, provider, host } = await adapter();
    const cases: Array<[Parameters<FakeLumaAgents['controls']['failNext']>[0], string]> = [
      ['insufficient-credits', 'insufficient_credits'],
      ['403', 'server_misconfigured'],
      ['401', 'server_misconfigured'],
    ];
    for (const [kind, code] of cases) {
      fake.controls.failNext(kind, { method: 'POST' });
      const err = await jobErrorOf(provider.execute(task(host.image('up_1')), context().ctx));
      expect(err).toMatchObject({ code, retryable: false });
      expect(err.message).not.toContain(KEY);
    }
    fake.controls.setBalanceCents(0);
    expect(await jobErrorOf(provider.execute(task(host.image('up_1')), context().ctx))).toMatchObject({ code: 'insufficient_credits' });
  });

  it('maps 413 (over 50 MB, which the fake only answers for real 50 MB uploads) to image_too_large', () => {
    const res = { status: 413, headers: new Headers(), json: { detail: 'source exceeds the 50 MB size limit.' }, bytes: Buffer.alloc(0) };
    expect(mapLumaError(res)).toMatchObject({ code: 'image_too_large', retryable: false });
    expect(mapLumaError({ ...res, status: 422 })).toBeNull();
  });

  it('maps failure_code per the documented retryability and redacts the reason', async () => {
    const { fake, provider, host } = await adapter();
    const cases: Array<[Parameters<FakeLumaAgents['controls']['failNext']>[1] & object, string, boolean]> = [
      [{ failureCode: 'content_moderated' }, 'processing_failed', false],
      [{ failureCode: 'generation_failed', failureReason: `upstream said Bearer ${KEY} was odd; key ${KEY}` }, 'processing_failed', true],
      [{ failureCode: 'budget_exhausted' }, 'insufficient_credits', false],
      [{ failureCode: 'corrupt_input' }, 'image_unreadable', false],
      [{ failureCode: 'rate_limited', failureReason: 'Too many concurrent generations.' }, 'provider_unavailable', true],
    ];
    for (const [opts, code, retryable] of cases) {
      fake.controls.failNext('job-fails', opts);
      const err = await jobErrorOf(provider.execute(task(host.image('up_1')), context().ctx));
      expect(err).toMatchObject({ code, retryable });
      expect(err.message.length).toBeGreaterThan(10);
      expect(err.message).not.toContain(KEY);
    }
  });

  it('quotes a 400 detail as provider_error, and cuts prompts to the documented 6,000 characters', async () => {
    const { fake, provider, host } = await adapter();
    const err = await jobErrorOf(provider.execute(task(host.image('up_1'), { options: { model: 'uni-2' } }), context().ctx));
    expect(err).toMatchObject({ code: 'provider_error', retryable: false });
    expect(err.message).toContain('model must be one of: uni-1, uni-1-max');
    await provider.execute(task(host.image('up_1'), { config: 'custom', prompt: 'y'.repeat(7000) }), context().ctx);
    expect([...fake.state.generations.values()][0]!.request.prompt).toHaveLength(6000);
  });
});
