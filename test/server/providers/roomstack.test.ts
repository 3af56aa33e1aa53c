import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Job, SessionResponse, Upload } from '../../../src/contract/index.js';
import { ApiError } from '../../../src/server/errors.js';
import { WebhookHub } from '../../../src/server/events/webhook-hub.js';
import { createStagingBff, listen } from '../../../src/server/index.js';
import { createRoomStackProvider } from '../../../src/server/providers/roomstack/index.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { ProviderJobError, type ExecutionContext, type ProviderImage, type ProviderTask } from '../../../src/server/providers/types.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { type FakeRoomStack, type FakeRoomStackOptions, startFakeRoomStack } from '../../fakes/roomstack.js';
import { readJobEvents } from '../sse.js';
import { afterThisTest, fixture, tempDir } from '../temp-dir.js';
import { providerFlowSuite } from './provider-flow-suite.js';
import { providerTask } from '../support/provider-task.js';

const fakeOf = (f: Record<string, unknown>) => f.rs as FakeRoomStack;

describe('RoomStack adapter', () =>
  providerFlowSuite({
    name: 'roomstack',
    async startFake() {
      const rs = await startFakeRoomStack({ stepMs: 30 });
      // No webhook endpoint: the BFF's port is chosen after the fake starts, so the suite runs on polling.
      return { baseUrl: `${rs.url}/api/v1`, apiKey: rs.apiKey, webhookSecret: null, close: () => rs.close(), rs };
    },
    createProvider: createRoomStackProvider,
    job: { service: 'generate', config: 'living_room', resolution: '2K' },
    failWithInsufficientCredits: (f) => fakeOf(f).controls.failNext('insufficient-credits'),
    failWithUnauthorized: (f) => fakeOf(f).controls.failNext('401'),
    // The submit is not retried (no idempotency key is documented, a resent generate may be charged twice),
    // so the burst lands on the requests that are safe to repeat: status polls and image downloads.
    failWithServerErrors: (f, n) => fakeOf(f).controls.failNext('500', { times: n, path: /^\/api\/(generations|v1\/images\/)/ }),
    failTheJob: (f) => fakeOf(f).controls.failNext('job-fails'),
  }));

// ---- adapter-specific ----

const ROOM = fixture('living-room-render.jpg'); // 1600×960
const SOFA_PNG = fixture('sofa-clipart-transparent.png');
const SECRET = 'whsec_roomstack_adapter_test';

function image(bytes: Uint8Array, contentType: string, width: number, height: number): ProviderImage {
  return {
    uploadId: `up_${contentType}`,
    contentType,
    width,
    height,
    read: async () => Buffer.from(bytes),
    publicUrl: () => {
      throw new Error('RoomStack takes multipart bytes; no signed URL should be asked for');
    },
  };
}

function task(over: Partial<ProviderTask> = {}): ProviderTask {
  return providerTask(image(ROOM, 'image/jpeg', 1600, 960), { jobId: 'job_1', service: 'generate', config: 'living_room', options: { style: 'modern', budget: 'mid' }, ...over });
}

function context(over: Partial<ExecutionContext> & { hub?: WebhookHub } = {}) {
  const hub = over.hub ?? new WebhookHub();
  const controller = new AbortController();
  const saved: unknown[] = [];
  const progress: Array<[string, number]> = [];
  const ctx: ExecutionContext = {
    signal: controller.signal,
    progress: (s, p) => progress.push([s, p]),
    savedState: undefined,
    saveState: async (s) => {
      saved.push(s);
    },
    webhook: (key, ms) => hub.wait(key, ms, controller.signal),
    ...over,
  };
  return { ctx, controller, saved, progress, hub };
}

async function stack(opts: FakeRoomStackOptions = {}, settings: Partial<RemoteProviderSettings> = {}) {
  const rs = await startFakeRoomStack({ stepMs: 20, ...opts });
  afterThisTest(() => rs.close());
  const provider = createRoomStackProvider({
    baseUrl: `${rs.url}/api/v1`,
    apiKey: rs.apiKey,
    webhookSecret: null,
    publicUrl: 'http://127.0.0.1:9',
    pollIntervalMs: 30,
    retry: { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 3000 },
    ...settings,
  });
  afterThisTest(() => provider.close?.());
  return { rs, provider };
}

const generates = (rs: FakeRoomStack) => rs.state.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/generate');

async function failureOf(p: Promise<unknown>): Promise<ProviderJobError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderJobError);
  return err as ProviderJobError;
}

describe('RoomStack adapter: requests', () => {
  it('submits multipart form-data with x-api-key, async=true, documented field names and the furniture reference', async () => {
    const { rs, provider } = await stack();
    const { ctx, saved } = context();
    const outputs = await provider.execute(
      task({
        resolution: '4K',
        variants: 2,
        prompt: 'warm oak and linen',
        options: { style: 'scandinavian', budget: 'high', scale: 'wide', room_fidelity: 'strict', room_size: 'small' },
        reference: image(SOFA_PNG, 'image/png', 10, 10),
      }),
      ctx,
    );

    const [submit, ...rest] = generates(rs);
    expect(rest).toHaveLength(0);
    expect(submit!.query).toEqual({ async: 'true' });
    expect(submit!.headers['x-api-key']).toBe('[redacted]'); // present (the fake hides its value)
    expect(submit!.headers.authorization).toBeUndefined();
    expect(submit!.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(submit!.form!.fields).toEqual({
      roomType: ['living_room'],
      variants: ['2'],
      imageSize: ['4K'],
      style: ['scandinavian'],
      budget: ['high'],
      scale: ['wide'],
      roomFidelity: ['strict'],
      roomSize: ['small'],
      promptOverride: ['warm oak and linen'],
    });
    expect(submit!.form!.files).toEqual([
      { field: 'image', filename: 'room.jpg', type: 'image/jpeg', size: ROOM.length },
      { field: 'furnitureImages', filename: 'furniture.png', type: 'image/png', size: SOFA_PNG.length },
    ]);
    const generationId = rs.state.generations[0]!.generationId;
    expect(saved).toEqual([{ generationId }]);

    // Tracked on the app's polling route, downloaded from the key-protected image route.
    expect(rs.state.requests.some((r) => r.path === '/api/generations' && r.query.id === generationId && r.headers['x-api-key'] === '[redacted]')).toBe(true);
    const downloads = rs.state.requests.filter((r) => r.path.startsWith('/api/v1/images/'));
    expect(downloads).toHaveLength(2);
    for (const d of downloads) expect(d.headers['x-api-key']).toBe('[redacted]');

    expect(outputs).toHaveLength(2);
    for (const o of outputs) {
      const meta = await sharp(o.data).metadata();
      expect([o.width, o.height, o.contentType, o.localPreview]).toEqual([meta.width, meta.height, 'image/png', false]);
      expect(Math.max(o.width, o.height)).toBe(4096);
    }
    // No idempotency key exists in RoomStack's docs, so none is invented.
    expect(Object.keys(submit!.headers).some((h) => /idempotency/i.test(h))).toBe(false);
  });

  it('edits with the documented JSON body (data URLs, editPrompt, selectedFurniture, mask) for 1 credit', async () => {
    const { rs, provider } = await stack();
    const before = rs.state.credits;
    const { ctx } = context();
    const [out, ...more] = await provider.execute(
      task({
        service: 'edit',
        config: 'standard',
        prompt: 'Make the room warmer',
        options: { selected_furniture: 'oak dining table, linen sofa' },
        mask: image(SOFA_PNG, 'image/png', 10, 10),
      }),
      ctx,
    );
    expect(more).toHaveLength(0);
    const req = rs.state.requests.find((r) => r.path === '/api/v1/edit')!;
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    const body = req.body as Record<string, unknown>;
    expect(body.editPrompt).toBe('Make the room warmer');
    expect(body.selectedFurniture).toEqual(['oak dining table', 'linen sofa']);
    expect(String(body.originalImage)).toBe(`data:image/jpeg;base64,${Buffer.from(ROOM).toString('base64')}`);
    expect(String(body.mask)).toMatch(/^data:image\/png;base64,/);
    expect(rs.state.credits).toBe(before - 1);
    const meta = await sharp(out!.data).metadata();
    expect([out!.width, out!.height]).toEqual([meta.width, meta.height]);
    expect([out!.width, out!.height]).toEqual([1600, 960]);
  });

  it('resumes a job after a restart from the saved generation id without submitting again', async () => {
    const { rs, provider } = await stack({ autoAdvance: false });
    const first = context();
    const running = provider.execute(task(), first.ctx);
    while (first.saved.length === 0) await new Promise((r) => setTimeout(r, 5));
    // The "restart": the first run is stopped, a second execute starts from the persisted state.
    first.controller.abort(new Error('shutdown'));
    await expect(running).rejects.toThrow('shutdown');
    const { generationId } = first.saved[0] as { generationId: string };

    const second = context({ savedState: { generationId } });
    const resumed = provider.execute(task(), second.ctx);
    rs.controls.setAutoAdvance(true);
    const outputs = await resumed;
    expect(outputs).toHaveLength(1);
    expect(generates(rs)).toHaveLength(1);
    expect(second.saved).toEqual([]);
    expect(rs.state.generations).toHaveLength(1);
  });

  it('stops on cancel with the signal reason (RoomStack documents no cancel call)', async () => {
    const { rs, provider } = await stack({ autoAdvance: false });
    const { ctx, controller, saved } = context();
    const running = provider.execute(task(), ctx);
    while (saved.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error('cancelled by user');
    const t0 = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - t0).toBeLessThan(1000);
    // A poll already on the wire when the abort came may still land; after that, with polls every 30 ms, silence.
    await new Promise((r) => setTimeout(r, 50));
    const after = rs.state.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(rs.state.requests.length).toBe(after);
  });

  it('honours Retry-After on a 429 and submits once more (a 429 did nothing)', async () => {
    const { rs, provider } = await stack({}, { retry: { baseDelayMs: 20, maxDelayMs: 5000, retries: 3, timeoutMs: 3000 } });
    rs.controls.failNext('429', { path: '/api/v1/generate', retryAfterSec: 1 });
    await provider.execute(task(), context().ctx);
    const [a, b] = generates(rs);
    expect(generates(rs)).toHaveLength(2);
    expect(a!.injected).toBe('429');
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    expect(rs.state.generations).toHaveLength(1);
  });

  it('does not resend a generate that failed with a 500 (no idempotency key: it could be charged twice)', async () => {
    const { rs, provider } = await stack();
    rs.controls.failNext('500', { path: '/api/v1/generate' });
    const err = await failureOf(provider.execute(task(), context().ctx));
    expect([err.code, err.retryable]).toEqual(['provider_unavailable', true]);
    expect(generates(rs)).toHaveLength(1);
  });

  it('maps 402 to insufficient_credits, 403 to a provider error, a failed job to processing_failed — none echoing the key', async () => {
    const { rs, provider } = await stack({ apiKey: 'aptd_secret_key_0123456789' });
    rs.controls.setCredits(1);
    const credits = await failureOf(provider.execute(task({ variants: 2 }), context().ctx));
    expect([credits.code, credits.retryable]).toEqual(['insufficient_credits', false]);
    expect(credits.message).toContain('needs 4, 1 left');
    rs.controls.setCredits(100);

    rs.controls.setSubscription('inactive');
    const forbidden = await failureOf(provider.execute(task(), context().ctx));
    expect([forbidden.code, forbidden.retryable]).toEqual(['provider_error', false]);
    rs.controls.setSubscription('active');

    rs.controls.failNext('job-fails');
    const failed = await failureOf(provider.execute(task(), context().ctx));
    expect([failed.code, failed.retryable]).toEqual(['processing_failed', true]);
    expect(failed.message).toContain('could not stage this room');

    rs.controls.failNext('401');
    const refused = await failureOf(provider.execute(task(), context().ctx));
    expect(refused.code).toBe('server_misconfigured');

    rs.controls.failNext('job-fails', { path: '/api/v1/edit' });
    const editFailed = await failureOf(provider.execute(task({ service: 'edit', config: 'standard', prompt: 'warmer' }), context().ctx));
    expect(editFailed.code).toBe('processing_failed');

    for (const e of [credits, forbidden, failed, refused, editFailed]) expect(e.message).not.toContain(rs.apiKey);
  });

  it('gives up with job_stalled after the deadline', async () => {
    const { provider } = await stack({ autoAdvance: false }, { deadlineMs: 200 });
    const err = await failureOf(provider.execute(task(), context().ctx));
    expect([err.code, err.retryable]).toEqual(['job_stalled', true]);
  });

  it('fails clearly when the polling route is closed to API keys and no webhook is configured', async () => {
    const { rs, provider } = await stack();
    rs.controls.failNext('403', { path: '/api/generations', times: 50 });
    const err = await failureOf(provider.execute(task(), context().ctx));
    expect([err.code, err.retryable]).toEqual(['server_misconfigured', false]);
  });

  it('reports credits and usage from /credits and /usage, without the (masked) key', async () => {
    const { rs, provider } = await stack();
    await provider.execute(task(), context().ctx);
    const account = await provider.account!();
    expect(account).toEqual({
      credits_remaining: rs.state.credits,
      subscription: { status: 'active', plan: 'api' },
      usage: expect.objectContaining({ generations: 1, imagesGenerated: 1, creditsUsed: 2, downloads: 1 }),
    });
    expect(JSON.stringify(account)).not.toContain(rs.apiKey.slice(-4));
    expect(rs.state.requests.filter((r) => r.path === '/api/v1/credits' || r.path === '/api/v1/usage').every((r) => r.headers['x-api-key'] === '[redacted]')).toBe(true);
  });
});

describe('RoomStack adapter: webhooks', () => {
  /** The real BFF with the adapter, and the fake's webhook endpoint pointed at /v1/webhooks/roomstack. */
  async function bffStack(secret: string) {
    const rs = await startFakeRoomStack({ stepMs: 20 });
    afterThisTest(() => rs.close());
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    // A long poll interval: the job can only finish this fast if the webhook wakes it.
    const provider = createRoomStackProvider({ baseUrl: `${rs.url}/api/v1`, apiKey: rs.apiKey, webhookSecret: secret, publicUrl, pollIntervalMs: 60_000 });
    const bff = createStagingBff({ tokenSecret: 'x'.repeat(40), dev: true, store: 'memory', dataDir: tempDir(), publicUrl, providerInstance: provider });
    afterThisTest(() => bff.close());
    const server = await listen(bff, port);
    afterThisTest(() => server.close());
    rs.controls.setWebhook(`${publicUrl}/v1/webhooks/roomstack`, SECRET);
    return { rs, provider, server };
  }

  it('finishes on a verified webhook, and refuses replayed, stale, forged and tampered deliveries', async () => {
    const { rs, server } = await bffStack(SECRET);
    // The app polling route is closed: completion must come from the webhook.
    rs.controls.failNext('403', { path: '/api/generations', times: 1000 });
    const session = SessionResponse.parse(await (await fetch(`${server.url}/v1/dev/sessions`, { method: 'POST' })).json());
    const auth = { Authorization: `Bearer ${session.token}` };
    const up = Upload.parse(await (await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: ROOM })).json());
    const t0 = Date.now();
    const job = Job.parse(
      await (
        await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'generate', config: 'living_room', upload_id: up.id }) })
      ).json(),
    );
    let last: Job | undefined;
    for await (const f of readJobEvents(await fetch(`${server.url}/v1/jobs/${job.id}/events`, { headers: auth }))) if (f.event === 'job') last = Job.parse(JSON.parse(f.data));
    expect(last!.status, JSON.stringify(last!.error)).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(10_000); // long before the 60 s poll
    const [delivery] = await rs.controls.waitForWebhooks(1);
    expect(delivery!.responseStatus).toBe(200);

    expect((await rs.controls.replayLastWebhook()).responseStatus).toBe(409);
    expect((await rs.controls.sendStaleWebhook(600)).responseStatus).toBe(401);
    expect((await rs.controls.sendForgedWebhook()).responseStatus).toBe(401);
    expect((await rs.controls.sendTamperedWebhook()).responseStatus).toBe(401);
  });

  it('verifyWebhook: a valid delivery gives its generation id; wrong secret, no secret, bad or missing headers are rejected', async () => {
    const { rs, provider } = await bffStack(SECRET);
    // Deliver to a generation that exists, then check the recorded delivery against adapters with other secrets.
    const form = new FormData();
    form.append('image', new Blob([ROOM], { type: 'image/jpeg' }), 'room.jpg');
    const res = await fetch(`${rs.url}/api/v1/generate?async=true`, { method: 'POST', headers: { 'x-api-key': rs.apiKey }, body: form });
    const { generationId } = (await res.json()) as { generationId: string };
    const [d] = await rs.controls.waitForWebhooks(1);
    const delivery = { headers: new Headers(d!.headers), body: Buffer.from(d!.rawBody) };

    expect(await provider.verifyWebhook!(delivery)).toMatchObject({ key: generationId });
    // The verified payload carries the download links: a job resuming on this generation needs no poll
    // (the polling route is closed here and the poll interval is 60 s) and no second submission.
    rs.controls.failNext('403', { path: '/api/generations', times: 1000 });
    const t0 = Date.now();
    const outputs = await provider.execute(task(), context({ savedState: { generationId } }).ctx);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(outputs).toHaveLength(1);
    expect(generates(rs)).toHaveLength(1);

    const settings = { baseUrl: `${rs.url}/api/v1`, apiKey: rs.apiKey, publicUrl: 'http://127.0.0.1:9' };
    const reject = async (p: Promise<unknown>) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('webhook_rejected');
    };
    await reject(createRoomStackProvider({ ...settings, webhookSecret: 'whsec_other' }).verifyWebhook!(delivery));
    await reject(createRoomStackProvider({ ...settings, webhookSecret: null }).verifyWebhook!(delivery));
    const without = (name: string) => {
      const h = new Headers(d!.headers);
      h.delete(name);
      return { headers: h, body: delivery.body };
    };
    await reject(provider.verifyWebhook!(without('roomstack-signature')));
    await reject(provider.verifyWebhook!(without('roomstack-timestamp')));
    const shortSig = new Headers(d!.headers);
    shortSig.set('roomstack-signature', 'v1=abcd');
    await reject(provider.verifyWebhook!({ headers: shortSig, body: delivery.body }));
    await reject(provider.verifyWebhook!({ headers: delivery.headers, body: Buffer.concat([delivery.body, Buffer.from(' ')]) }));
  });
});
