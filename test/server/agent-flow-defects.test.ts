import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Upload } from '../../src/contract/index.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { combineGrades } from '../../src/server/providers/local/grades.js';
import { enhance, maskFeather, upscale } from '../../src/server/providers/local/pipelines.js';
import { measureSeams } from './support/seams.js';
import { expectError, json, makeBff, mintSession, req, waitForStatus } from './helpers.js';

const KITCHEN = readFileSync(fileURLToPath(new URL('../fixtures/kitchen-render.jpg', import.meta.url))); // 1600×900, warm

/** Outputs that were visibly wrong in the agent's flow (issue 9), each fixed at the BFF. */
describe('the agent flow, server side', () => {
  it('a masked enhancement blends in: untouched beyond its feather, and no seam steeper than the photo itself', async () => {
    // The report: three brush strokes over the kitchen's cabinets and blinds, and the cool
    // exterior preset that was the default, gave bluish-white bands with hard edges.
    const strokes = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="1600" height="900" fill="black"/>
      <g stroke="white" stroke-width="70" stroke-linecap="round" fill="none">
      <path d="M150 520 L700 480"/><path d="M250 620 L900 600"/><path d="M1000 300 L1400 360"/></g></svg>`;
    const mask = await sharp(Buffer.from(strokes)).png().toBuffer();
    const { reach } = maskFeather(2048, 1152);
    expect(reach).toBeGreaterThan(20); // a soft fall-off scaled to the image, not a pixel or two
    for (const grade of [{ warmth: -0.15, saturation: 1.06, contrast: 1.08, brightness: 1.02 }, { warmth: 0.05, brightness: 1.04, contrast: 1.05 }]) {
      const out = await enhance(KITCHEN, { longSide: 2048, grade: combineGrades(grade), mask });
      const seams = await measureSeams(KITCHEN, out.data, mask, reach);
      // Beyond the painted strokes dilated by the feather, the photo is as it was (JPEG only).
      expect(seams.outsideRmse).toBeLessThanOrEqual(0.01);
      // Across the edge, the change's profile is no steeper than the photo's own, up to a
      // level per pixel along 99 % of the edge (the old hard edge: 1.8–2.4 levels/px), and
      // nowhere more than 1.6 (a darkened drawer line, i.e. detail work, not a seam).
      expect(seams.p99ExcessStep).toBeLessThanOrEqual(0.75);
      expect(seams.worstExcessStep).toBeLessThanOrEqual(1.6);
      // And the strokes carry lightness, not a colour cast: the stroke's mean chroma shift is small.
      const [inside, before] = await Promise.all([strokeColour(out.data, mask), strokeColour(await sharp(KITCHEN).resize(2048, 1152, { fit: 'fill' }).toBuffer(), mask)]);
      expect(Math.abs(inside.rb - before.rb)).toBeLessThan(3);
      expect(Math.abs(inside.luma - before.luma)).toBeGreaterThan(1); // the edit did something
    }
  }, 60_000);

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

  it('fills and accepts only the options of the preset\'s scene: no weather, season or landscaping for a room (defect 4)', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const catalog = (await (await req(bff, '/v1/services', { token })).json()) as { services: Array<{ id: string; configs: Array<{ id: string; scene?: string }>; options: Array<{ key: string; scene?: string }> }> };
    const re = catalog.services.find((s) => s.id === 'render-enhancement')!;
    expect(re.configs.find((c) => c.id === 'interior-modern')!.scene).toBe('interior');
    expect(re.configs.find((c) => c.id === 'exterior-modern')!.scene).toBe('exterior');
    expect(Object.fromEntries(re.options.map((o) => [o.key, o.scene]))).toMatchObject({ weather: 'exterior', season: 'exterior', landscaping: 'exterior', lighting: undefined });
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a98' } }).jpeg().toBuffer();
    const up = Upload.parse(await (await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(photo) })).json());
    // A room's job goes out without the exterior options' defaults…
    const room = await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }), token });
    expect(room.status).toBe(201);
    const roomJob = (await room.json()) as { id: string; options: Record<string, unknown> };
    expect(Object.keys(roomJob.options)).not.toContain('weather');
    expect(Object.keys(roomJob.options)).not.toContain('season');
    expect(Object.keys(roomJob.options)).not.toContain('landscaping');
    expect(roomJob.options).toMatchObject({ lighting: 'natural' });
    // …and refuses them when sent, saying why.
    const err = await expectError(await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id, options: { weather: 'sunny' } }), token }), 400, 'invalid_request');
    expect(err.issues).toEqual([expect.objectContaining({ path: 'options.weather', message: expect.stringMatching(/exterior/) })]);
    // A facade keeps them.
    const facade = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'exterior-modern', upload_id: up.id }), token })).json()) as { options: Record<string, unknown> };
    expect(facade.options).toMatchObject({ weather: 'sunny', season: 'summer', landscaping: 'keep' });
  });

  it('the engine itself never returns fewer pixels from an upscale, whatever it is asked', async () => {
    const photo = await sharp({ create: { width: 3000, height: 2003, channels: 3, background: '#8a7' } }).jpeg().toBuffer();
    const out = await upscale(photo, { longSide: 2048, detail: false });
    expect([out.width, out.height]).toEqual([3000, 2003]);
  });
});

/** Mean (R − B) and luma inside a mask, at the image's size. */
async function strokeColour(image: Buffer, mask: Buffer): Promise<{ rb: number; luma: number }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const m = await sharp(mask).resize(info.width, info.height, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
  let n = 0;
  let rb = 0;
  let luma = 0;
  for (let p = 0; p < m.length; p++) {
    if (m[p]! < 250) continue;
    const r = data[p * 3]!;
    const g = data[p * 3 + 1]!;
    const b = data[p * 3 + 2]!;
    rb += r - b;
    luma += 0.299 * r + 0.587 * g + 0.114 * b;
    n++;
  }
  return { rb: rb / n, luma: luma / n };
}
