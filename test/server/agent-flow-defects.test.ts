import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Upload } from '../../src/contract/index.js';
import { upscale } from '../../src/server/providers/local/pipelines.js';
import { expectError, json, makeBff, mintSession, req, waitForStatus } from './helpers.js';

/** Outputs that were visibly wrong in the agent's flow (issue 9), each fixed at the BFF. */
describe('the agent flow, server side', () => {
  it('keeps a painted mask lossless: stored as greyscale PNG with its edge exactly as painted', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    // An opaque black/white RGBA PNG, as a canvas exports it: a hard-edged bar.
    const w = 300;
    const h = 200;
    const rgba = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const on = x >= 100 && x < 200 ? 255 : 0;
      rgba.set([on, on, on, 255], (y * w + x) * 4);
    }
    const png = await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer();
    const res = await req(bff, '/v1/uploads?purpose=mask', { method: 'POST', token, headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(png) });
    expect(res.status).toBe(201);
    const up = Upload.parse(await res.json());
    expect(up.content_type).toBe('image/png');
    const stored = Buffer.from(await (await req(bff, up.url, { origin: null })).arrayBuffer());
    expect((await sharp(stored).metadata()).channels).toBe(1);
    const { data } = await sharp(stored).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const values = new Set(data);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
    expect(data[50 * w + 99]).toBe(0);
    expect(data[50 * w + 100]).toBe(255);
    // An unknown purpose is a clear 400; a photo PNG without transparency still becomes JPEG.
    await expectError(await req(bff, '/v1/uploads?purpose=banner', { method: 'POST', token, headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(png) }), 400, 'invalid_request');
    const photo = Upload.parse(await (await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(png) })).json());
    expect(photo.content_type).toBe('image/jpeg');
  });

  it('refuses an upscale that would shrink the photo, before charging, saying why; a larger target runs and never returns fewer pixels', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'agent-1', max_credits: 10 });
    const photo3000 = await sharp({ create: { width: 3000, height: 2003, channels: 3, background: '#8a7' } }).jpeg().toBuffer();
    const up = Upload.parse(await (await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(photo3000) })).json());
    const err = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id, resolution: '2K' }), token }), 400, 'invalid_request');
    expect(err.message).toMatch(/3000×2003/);
    expect(err.issues).toEqual([expect.objectContaining({ path: 'resolution' })]);
    expect(await (await req(bff, '/v1/credits', { token })).json()).toMatchObject({ used: 0 });
    const ok = await req(bff, '/v1/jobs', { ...json({ service: 'upscale', config: 'standard', upload_id: up.id, resolution: '4K' }), token });
    expect(ok.status).toBe(201);
    const done = await waitForStatus(bff, ((await ok.json()) as { id: string }).id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const [output] = await bff.deps.store.listOutputs(done.id);
    expect([output!.width, output!.height]).toEqual([3840, 2564]);
    // The catalog says which services only enlarge, so a picker can offer only larger targets.
    const catalog = (await (await req(bff, '/v1/services', { token })).json()) as { services: Array<{ id: string; upscales_to_resolution?: boolean }> };
    expect(catalog.services.find((s) => s.id === 'upscale')!.upscales_to_resolution).toBe(true);
    expect(catalog.services.find((s) => s.id === 'render-enhancement')!.upscales_to_resolution).toBeFalsy();
  });

  it('the engine itself never returns fewer pixels from an upscale, whatever it is asked', async () => {
    const photo = await sharp({ create: { width: 3000, height: 2003, channels: 3, background: '#8a7' } }).jpeg().toBuffer();
    const out = await upscale(photo, { longSide: 2048, detail: false });
    expect([out.width, out.height]).toEqual([3000, 2003]);
  });
});
