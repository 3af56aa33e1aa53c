import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRoomStack, type FakeRoomStackOptions, startFakeRoomStack } from '../../fakes/roomstack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/support/webhook-receiver.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const ROOM = fixture('living-room-render.jpg'); // 1600×960
const SOFA = fixture('sofa-clipart-transparent.png');
const SECRET = 'whsec_roomstack_test';

/** Verbatim from the RoomStack docs ("Webhook signatures"), typed. */
function verifyRoomStackWebhook({ rawBody, timestamp, signature, secret }: { rawBody: string; timestamp: string; signature: string; secret: string }) {
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(signature.replace('v1=', ''), 'hex'), Buffer.from(expected, 'hex'));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(opts: FakeRoomStackOptions = {}): Promise<{ rs: FakeRoomStack; hooks: WebhookReceiver }> {
  const hooks = await startWebhookReceiver();
  cleanups.push(hooks.close);
  const rs = await startFakeRoomStack({ stepMs: 20, webhook: { url: hooks.url, secret: SECRET }, ...opts });
  cleanups.push(rs.close);
  return { rs, hooks };
}

function roomForm(fields: Record<string, string> = {}, furniture = 0): FormData {
  const form = new FormData();
  form.append('image', new Blob([ROOM], { type: 'image/jpeg' }), 'empty-room.jpg');
  for (const [k, v] of Object.entries({ style: 'modern', roomType: 'living_room', budget: 'mid', ...fields })) form.append(k, v);
  for (let i = 0; i < furniture; i++) form.append('furnitureImages', new Blob([SOFA], { type: 'image/png' }), `sofa-${i}.png`);
  return form;
}

const call = (rs: FakeRoomStack, path: string, init: RequestInit = {}, key: string | null = rs.apiKey) => {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('x-api-key', key);
  return fetch(rs.url + path, { ...init, headers });
};

function webhookParts(h: WebhookReceiver, index: number) {
  const d = h.received[index]!;
  return { rawBody: d.rawBody, timestamp: String(d.headers['roomstack-timestamp']), signature: String(d.headers['roomstack-signature']), headers: d.headers };
}

describe('fake RoomStack', () => {
  it('accepts only the documented x-api-key header', async () => {
    const { rs } = await setup();
    const missing = await call(rs, '/api/v1/credits', {}, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: expect.any(String) });
    expect((await call(rs, '/api/v1/credits', {}, 'aptd_wrong')).status).toBe(401);
    const bearer = await fetch(`${rs.url}/api/v1/credits`, { headers: { authorization: `Bearer ${rs.apiKey}` } });
    expect(bearer.status).toBe(401);
    const ok = await call(rs, '/api/v1/credits');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ credits: 100, subscription: { status: 'active', plan: 'api' } });
    expect(rs.state.requests.at(-1)!.headers['x-api-key']).toBe('[redacted]');
  });

  it('generates synchronously: base64 PNGs at the requested size, credits charged per variant', async () => {
    const { rs, hooks } = await setup();
    const res = await call(rs, '/api/v1/generate', {
      method: 'POST',
      body: roomForm({ variants: '2', scale: 'wide', imageSize: '1K', roomFidelity: 'strict', roomSize: 'small', promptOverride: 'warm oak' }, 2),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { requestId: string; generationId: string; images: { base64: string }[]; meta: { status: string; durationMs: number } };
    expect(body).toMatchObject({ requestId: expect.any(String), generationId: expect.any(String), meta: { status: 'COMPLETED', durationMs: expect.any(Number) } });
    expect(body.images).toHaveLength(2);
    const decoded = body.images.map((i) => Buffer.from(i.base64.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const metas = await Promise.all(decoded.map((b) => sharp(b).metadata()));
    for (const m of metas) expect([m.format, Math.max(m.width, m.height)]).toEqual(['png', 1024]);
    const [a, b] = await Promise.all(decoded.map((d) => sharp(d).stats()));
    expect(a!.channels.map((c) => Math.round(c.mean))).not.toEqual(b!.channels.map((c) => Math.round(c.mean)));

    // 2 variants × (1 + 1 for scale=wide) with the fake's default pricing.
    expect(rs.state.credits).toBe(96);
    expect((await (await call(rs, '/api/v1/usage')).json()) as object).toMatchObject({ generations: 1, imagesGenerated: 2, creditsUsed: 4 });
    const rec = rs.state.requests.find((r) => r.path === '/api/v1/generate')!;
    expect(rec.form!.fields).toMatchObject({ variants: ['2'], roomFidelity: ['strict'], promptOverride: ['warm oak'] });
    expect(rec.form!.files.map((f) => f.field)).toEqual(['image', 'furnitureImages', 'furnitureImages']);

    // The docs fire webhooks for completed generations whichever mode was used.
    await rs.controls.waitForWebhooks(1);
    const hook = JSON.parse(hooks.received[0]!.rawBody) as { event: string; data: { generationId: string; images: unknown[] } };
    expect(hook).toMatchObject({ event: 'generation.completed', data: { generationId: body.generationId } });
    expect(hook.data.images).toHaveLength(2);
  });

  it('queues with ?async=true, reports progress on the app polling route, then delivers a signed webhook with key-protected downloads', async () => {
    const { rs, hooks } = await setup({ autoAdvance: false });
    const res = await call(rs, '/api/v1/generate?async=true', { method: 'POST', body: roomForm({ variants: '2', imageSize: '2K' }) });
    expect(res.status).toBe(202);
    const { generationId, status } = (await res.json()) as { generationId: string; status: string };
    expect(status).toBe('queued');
    const poll = async () => ((await (await call(rs, `/api/generations?id=${generationId}`)).json()) as { generation: { status: string } }).generation.status;
    expect(await poll()).toBe('queued');
    rs.controls.advance(generationId);
    await rs.controls.waitForGeneration(generationId, 'processing');
    expect(await poll()).toBe('processing');
    expect(hooks.received).toHaveLength(0);
    rs.controls.setAutoAdvance(true);
    await rs.controls.waitForGeneration(generationId);
    expect(await poll()).toBe('completed');

    await rs.controls.waitForWebhooks(1);
    const { rawBody, timestamp, signature, headers } = webhookParts(hooks, 0);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyRoomStackWebhook({ rawBody, timestamp, signature, secret: SECRET })).toBe(true);
    expect(verifyRoomStackWebhook({ rawBody, timestamp, signature, secret: 'other' })).toBe(false);
    const payload = JSON.parse(rawBody) as { id: string; event: string; createdAt: string; data: { status: string; creditsCharged: number; settings: object; images: { id: string; index: number; mimeType: string; sizeBytes: number; downloadUrl: string }[] } };
    expect(headers['roomstack-event']).toBe('generation.completed');
    expect(headers['roomstack-delivery']).toBe(payload.id);
    expect(payload.data).toMatchObject({ status: 'completed', creditsCharged: 4, settings: { style: 'modern', roomType: 'living_room', variants: 2 } });

    const img = payload.data.images[1]!;
    expect(img).toMatchObject({ index: 1, mimeType: 'image/png', downloadUrl: `${rs.url}/api/v1/images/${img.id}` });
    expect((await fetch(img.downloadUrl)).status).toBe(401);
    const download = await fetch(img.downloadUrl, { headers: { 'x-api-key': rs.apiKey } });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(img.sizeBytes);
    const meta = await sharp(bytes).metadata();
    expect(Math.max(meta.width, meta.height)).toBe(2048);
    expect((await call(rs, '/api/v1/images/img_nope')).status).toBe(404);
  });

  it('also queues when async=true is sent as a form field', async () => {
    const { rs } = await setup();
    const res = await call(rs, '/api/v1/generate', { method: 'POST', body: roomForm({ async: 'true' }) });
    expect(res.status).toBe(202);
    const { generationId } = (await res.json()) as { generationId: string };
    expect((await rs.controls.waitForGeneration(generationId)).status).toBe('completed');
  });

  it('answers 402 with the documented body and leaves credits untouched', async () => {
    const { rs } = await setup({ credits: 3 });
    const res = await call(rs, '/api/v1/generate', { method: 'POST', body: roomForm({ variants: '4' }) });
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({ error: 'Not enough credits.', creditsRequired: 4, availableCredits: 3 });
    expect(rs.state.credits).toBe(3);
    rs.controls.failNext('insufficient-credits');
    const injected = await call(rs, '/api/v1/edit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ originalImage: `data:image/jpeg;base64,${Buffer.from(ROOM).toString('base64')}`, editPrompt: 'x' }) });
    expect(injected.status).toBe(402);
    expect(await injected.json()).toEqual({ error: 'Not enough credits.', creditsRequired: 1, availableCredits: 0 });
  });

  it('rejects invalid documented fields and unsupported files with 400', async () => {
    const { rs } = await setup();
    const bad = async (form: FormData) => {
      const res = await call(rs, '/api/v1/generate', { method: 'POST', body: form });
      return [res.status, ((await res.json()) as { error: string }).error];
    };
    expect(await bad(roomForm({ variants: '5' }))).toEqual([400, expect.stringMatching(/variants/)]);
    expect(await bad(roomForm({ roomFidelity: 'loose' }))).toEqual([400, expect.stringMatching(/roomFidelity/)]);
    expect(await bad(roomForm({ roomSize: 'huge' }))).toEqual([400, expect.stringMatching(/roomSize/)]);
    expect(await bad(roomForm({ imageSize: '8K' }))).toEqual([400, expect.stringMatching(/imageSize/)]);
    const noImage = new FormData();
    noImage.append('style', 'modern');
    expect(await bad(noImage)).toEqual([400, expect.stringMatching(/image/)]);
    const notAnImage = new FormData();
    notAnImage.append('image', new Blob(['hello'], { type: 'image/jpeg' }), 'fake.jpg');
    expect(await bad(notAnImage)).toEqual([400, expect.stringMatching(/Unsupported/)]);
    expect(rs.state.credits).toBe(100);
  });

  it('edits a data-URL image for 1 credit and fires edit.completed', async () => {
    const { rs, hooks } = await setup();
    const originalImage = `data:image/jpeg;base64,${Buffer.from(ROOM).toString('base64')}`;
    const json = (b: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect((await call(rs, '/api/v1/edit', json({ originalImage }))).status).toBe(400);
    expect((await call(rs, '/api/v1/edit', json({ originalImage: 'https://example.com/a.jpg', editPrompt: 'x' }))).status).toBe(400);
    const res = await call(rs, '/api/v1/edit', json({ originalImage, editPrompt: 'Make the room warmer', selectedFurniture: ['oak dining table', 'linen sofa'] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { generationId: string; images: { base64: string }[]; meta: { status: string } };
    expect(body.meta.status).toBe('COMPLETED');
    const meta = await sharp(Buffer.from(body.images[0]!.base64.split(',')[1]!, 'base64')).metadata();
    const original = await sharp(ROOM).metadata();
    expect([meta.width, meta.height]).toEqual([original.width, original.height]);
    expect(rs.state.credits).toBe(99);
    await rs.controls.waitForWebhooks(1);
    expect(JSON.parse(hooks.received[0]!.rawBody)).toMatchObject({ event: 'edit.completed', data: { kind: 'edit', creditsCharged: 1, generationId: body.generationId } });
  });

  it('injects transport and HTTP failures on the next request only', async () => {
    const { rs } = await setup();
    rs.controls.failNext('500');
    expect((await call(rs, '/api/v1/credits')).status).toBe(500);
    expect((await call(rs, '/api/v1/credits')).status).toBe(200);

    rs.controls.failNext('429', { retryAfterSec: 7 });
    const limited = await call(rs, '/api/v1/credits');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await limited.json()).toEqual({ error: expect.any(String) });

    rs.controls.failNext('401');
    expect((await call(rs, '/api/v1/credits')).status).toBe(401);
    rs.controls.failNext('403');
    expect((await call(rs, '/api/v1/credits')).status).toBe(403);

    rs.controls.failNext('malformed-json');
    const malformed = await call(rs, '/api/v1/credits');
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    rs.controls.failNext('drop');
    await expect(call(rs, '/api/v1/credits')).rejects.toThrow();

    rs.controls.failNext('timeout', { path: '/api/v1/usage' });
    expect((await call(rs, '/api/v1/credits')).status).toBe(200);
    await expect(call(rs, '/api/v1/usage', { signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted|timeout/i);
    expect(rs.state.requests.filter((r) => r.injected).map((r) => r.injected)).toEqual(['500', '429', '401', '403', 'malformed-json', 'drop', 'timeout']);
  });

  it("'job-fails' fails the next generation, refunds it and reports the failure", async () => {
    const { rs, hooks } = await setup();
    rs.controls.failNext('job-fails');
    const queued = await call(rs, '/api/v1/generate?async=true', { method: 'POST', body: roomForm({ variants: '3' }) });
    const { generationId } = (await queued.json()) as { generationId: string };
    const gen = await rs.controls.waitForGeneration(generationId);
    expect(gen).toMatchObject({ status: 'failed', error: expect.any(String), creditsCharged: 0 });
    expect(rs.state.credits).toBe(100);
    await rs.controls.waitForWebhooks(1);
    const { rawBody, timestamp, signature } = webhookParts(hooks, 0);
    expect(verifyRoomStackWebhook({ rawBody, timestamp, signature, secret: SECRET })).toBe(true);
    expect(JSON.parse(rawBody)).toMatchObject({ event: 'generation.completed', data: { status: 'failed', images: [] } });

    rs.controls.failNext('job-fails');
    const sync = await call(rs, '/api/v1/generate', { method: 'POST', body: roomForm() });
    expect(sync.status).toBe(500);
    expect(await sync.json()).toMatchObject({ error: expect.any(String), generationId: expect.any(String), meta: { status: 'FAILED' } });
  });

  it('sends replayed, stale, forged and tampered deliveries that the documented check tells apart', async () => {
    const { rs, hooks } = await setup();
    await call(rs, '/api/v1/generate', { method: 'POST', body: roomForm() });
    await rs.controls.waitForWebhooks(1);
    await rs.controls.replayLastWebhook();
    await rs.controls.sendStaleWebhook(3600);
    await rs.controls.sendForgedWebhook();
    await rs.controls.sendTamperedWebhook();
    await hooks.waitFor(5);
    const [original, replay, stale, forged, tampered] = [0, 1, 2, 3, 4].map((i) => webhookParts(hooks, i));
    const valid = (p: typeof original) => verifyRoomStackWebhook({ ...p!, secret: SECRET });

    expect(valid(original)).toBe(true);
    // A replay is byte-identical, so only delivery-id de-duplication or a timestamp window can catch it.
    expect(replay).toEqual(original);
    expect(valid(stale)).toBe(true);
    // An hour older than when it was sent, which may be a second after the original on a busy machine.
    expect(Number(original!.timestamp) - Number(stale!.timestamp)).toBeGreaterThanOrEqual(3599);
    expect(stale!.headers['roomstack-delivery']).not.toBe(original!.headers['roomstack-delivery']);
    expect(valid(forged)).toBe(false);
    expect(tampered!.signature).toBe(original!.signature);
    expect(valid(tampered)).toBe(false);
    expect(rs.state.webhookDeliveries.map((d) => [d.kind, d.responseStatus])).toEqual([
      ['normal', 200],
      ['replay', 200],
      ['stale', 200],
      ['forged', 200],
      ['tampered', 200],
    ]);
  });
});
