import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Job } from '../../src/contract/index.js';
import { createLocalProvider } from '../../src/server/providers/local/index.js';
import { rawOf } from '../../src/server/providers/local/raw-images.js';
import { findVerticals, grayProxy, straighten, type StraightenStrength } from '../../src/server/providers/local/straighten.js';
import { angleFromVertical, largestRectangle, lengthOf } from '../../src/server/providers/local/straighten-geometry.js';
import type { ExecutionContext } from '../../src/server/providers/types.js';
import { taskOf } from './support/local-task.js';
import { warpPerspective } from '../../src/server/vision/perspective.js';
import { Vision } from '../../src/server/vision/vision.js';
import { fixture, json, makeBff, mintSession, req, upload, waitForStatus } from './helpers.js';

// Real photos (test/fixtures/SOURCES.md): two professionally shot interiors whose verticals are
// straight, a slightly tilted hotel bedroom, a CG kitchen and a suburban house.
const STRAIGHT = ['dining-open-plan-furnished.jpg', 'living-room-staged-bright.jpg'];
const TILTABLE = ['dining-open-plan-furnished.jpg', 'living-room-staged-bright.jpg', 'bedroom-furnished.jpg', 'kitchen-render.jpg'];

// One vision thread for the file, as a BFF has one.
const vision = new Vision();
afterAll(() => vision.close());

type M3 = [number, number, number, number, number, number, number, number, number];
const mul = (a: M3, b: M3): M3 => {
  const o = [] as unknown as M3;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) o[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  return o;
};
const project = (h: M3, x: number, y: number): [number, number] => {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
};

/**
 * What a camera turned by `pitch` (up, degrees) and `roll` sees of the scene a level camera
 * photographed: H = K·Qᵀ·K⁻¹ with Q = Rx(pitch)·Rz(roll), written out here rather than taken
 * from the engine, for a focal length of `focal` × the long side (the engine assumes its own).
 * The result is cropped to a box inside the turned frame, as a camera has no empty corners.
 */
async function keystone(photo: Buffer, pitch: number, roll: number, focal = 0.9, crop: 'centred' | 'largest' = 'centred'): Promise<Buffer> {
  const img = await rawOf(sharp(photo).removeAlpha());
  const f = focal * Math.max(img.width, img.height);
  const [cx, cy] = [img.width / 2, img.height / 2];
  const p = (-pitch * Math.PI) / 180;
  const r = (-roll * Math.PI) / 180;
  const rxT: M3 = [1, 0, 0, 0, Math.cos(p), -Math.sin(p), 0, Math.sin(p), Math.cos(p)];
  const rzT: M3 = [Math.cos(r), -Math.sin(r), 0, Math.sin(r), Math.cos(r), 0, 0, 0, 1];
  const h = mul(mul([f, 0, cx, 0, f, cy, 0, 0, 1], mul(rzT, rxT)), [1 / f, 0, -cx / f, 0, 1 / f, -cy / f, 0, 0, 1]);
  const [tl, tr, br, bl] = [project(h, 0, 0), project(h, img.width, 0), project(h, img.width, img.height), project(h, 0, img.height)];
  // The largest box centred on the principal point (a camera's optical axis meets the middle of
  // its picture) inside the turned frame; or, for a tilt so strong that this box would be a
  // thin strip, the largest box at all.
  const [inLeft, inTop, inRight, inBottom] = [Math.max(tl[0], bl[0]), Math.max(tl[1], tr[1]), Math.min(tr[0], br[0]), Math.min(bl[1], br[1])];
  const halfWidth = Math.floor(Math.min(cx - inLeft, inRight - cx)) - 1;
  const halfHeight = Math.floor(Math.min(cy - inTop, inBottom - cy)) - 1;
  const [left, top, width, height] =
    crop === 'centred'
      ? [Math.round(cx - halfWidth), Math.round(cy - halfHeight), 2 * halfWidth, 2 * halfHeight]
      : [Math.ceil(inLeft) + 1, Math.ceil(inTop) + 1, Math.floor(inRight - inLeft) - 2, Math.floor(inBottom - inTop) - 2];
  const warped = await warpPerspective(vision, img, mul([1, 0, -left, 0, 1, -top, 0, 0, 1], h), width, height);
  return sharp(Buffer.from(warped.data), { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

/**
 * The verticals detected in a photo (the segments that agree on the vertical) and how far they
 * lean from the image's vertical: the length-weighted median (`lean`) and 90th percentile
 * (`p90`) of their absolute angles. A tilted camera's verticals fan out, so some lean little
 * even in a tilted photo: the 90th percentile shows a tilt, the median what is left of it.
 */
async function verticalsOf(image: Buffer): Promise<{ lean: number; p90: number; lines: number }> {
  const found = await findVerticals(vision, await grayProxy(await rawOf(sharp(image).removeAlpha())));
  if (typeof found === 'string') throw new Error(`no verticals detected (${found})`);
  const leans = found.inliers.map((s) => ({ a: Math.abs(angleFromVertical(s)), w: lengthOf(s) })).sort((x, y) => x.a - y.a);
  const total = leans.reduce((t, l) => t + l.w, 0);
  const quantile = (q: number) => {
    let acc = 0;
    for (const l of leans) if ((acc += l.w) >= q * total) return l.a;
    return leans.at(-1)!.a;
  };
  return { lean: quantile(0.5), p90: quantile(0.9), lines: leans.length };
}

/**
 * Mean absolute difference per channel value of two images of the same size, compared at 400 px
 * wide (JPEG's noise averages out there; a turn of a fraction of a degree does not).
 */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const small = (img: Buffer) => sharp(img).removeAlpha().resize({ width: 400, height: 400, fit: 'inside' }).raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

const photoOf = (name: string) => Buffer.from(fixture(name));

const resized = (photo: Buffer, longSide: number) => sharp(photo).resize({ width: longSide, height: longSide, fit: 'inside', kernel: 'lanczos3' }).jpeg({ quality: 95 }).toBuffer();

describe('straighten: measured on real photos', () => {
  for (const name of TILTABLE) {
    for (const [pitch, roll] of [
      [4, 2],
      [-4, -2],
    ] as const) {
      it(`${name}: a synthetic ${pitch}° tilt and ${roll}° roll is corrected to ≤ 0.5° of residual lean`, async () => {
        const tilted = await keystone(photoOf(name), pitch, roll);
        const before = await verticalsOf(tilted);
        const out = await straighten(tilted, { longSide: 1600, strength: 'auto', vision });
        const after = await verticalsOf(out.data);
        console.info(
          `${name} tilt ${pitch}° roll ${roll}°: lean median ${before.lean.toFixed(2)}° p90 ${before.p90.toFixed(2)}° → median ${after.lean.toFixed(2)}° p90 ${after.p90.toFixed(2)}° ` +
            `(${after.lines} verticals; measured pitch ${out.report.measured?.pitch.toFixed(2)}°, roll ${out.report.measured?.roll.toFixed(2)}°; kept ${(out.report.kept * 100).toFixed(0)} %)`,
        );
        expect(before.p90, 'the synthetic tilt shows in the photo').toBeGreaterThan(2);
        expect(out.note, 'corrected, not left as it was').toBeUndefined();
        expect(after.lean).toBeLessThanOrEqual(0.5);
        expect(after.p90).toBeLessThanOrEqual(1);
        expect(after.lines).toBeGreaterThanOrEqual(6);
        // The photo's aspect ratio at the requested long side.
        const meta = await sharp(tilted).metadata();
        expect(Math.max(out.width, out.height)).toBe(1600);
        expect(out.width / out.height).toBeCloseTo(meta.width / meta.height, 2);
      });
    }
  }

  it('reads the camera angles themselves when the focal length is the one it assumes', async () => {
    const out = await straighten(await keystone(photoOf('dining-open-plan-furnished.jpg'), 4, 2, 28 / 36), { longSide: 1600, strength: 'auto', vision });
    expect(out.report.measured!.pitch).toBeCloseTo(4, 0);
    expect(Math.abs(out.report.measured!.roll)).toBeCloseTo(2, 0);
  });

  for (const name of STRAIGHT) {
    for (const strength of ['auto', 'full'] as StraightenStrength[]) {
      it(`${name} (${strength}): an already straight photo is changed by less than 0.3°`, async () => {
        const photo = photoOf(name);
        const before = await verticalsOf(photo);
        const out = await straighten(photo, { longSide: 1600, strength, vision });
        const after = await verticalsOf(out.data);
        console.info(`${name} ${strength}: change ${out.report.change.toFixed(3)}°, lean ${before.lean.toFixed(2)}° → ${after.lean.toFixed(2)}°`);
        expect(out.report.change).toBeLessThan(0.3);
        expect(Math.abs(after.lean - before.lean)).toBeLessThan(0.3);
        if (out.note?.code === 'already_straight') {
          // Left as it was: the photo resized, nothing else.
          expect(await difference(out.data, await resized(photo, 1600))).toBeLessThan(1.5);
        }
      });
    }
  }
});

describe('straighten: never a worse guess', () => {
  it('leaves a photo whose lines disagree as it was, and says so', async () => {
    // A CG living room whose near-vertical lines are mostly a tripod lamp's legs, a canvas
    // leaning on the wall and curtains: no reading of them is trustworthy.
    const photo = photoOf('living-room-render.jpg');
    const out = await straighten(photo, { longSide: 1600, strength: 'full', vision });
    expect(out.note).toMatchObject({ code: 'no_reliable_lines' });
    expect(out.note!.message).toMatch(/left as it was/);
    expect(out.report.change).toBe(0);
    expect([out.width, out.height]).toEqual([1600, 960]);
    expect(await difference(out.data, await resized(photo, 1600))).toBeLessThan(1.5);
  });

  it('leaves a photo without lines as it was', async () => {
    // A smooth gradient with grain: edges everywhere, straight lines nowhere.
    const w = 1200;
    const h = 800;
    const px = Buffer.alloc(w * h * 3);
    let seed = 7;
    for (let i = 0; i < w * h; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const v = 60 + Math.round((120 * (i % w)) / w + (90 * Math.floor(i / w)) / h) + (seed % 25);
      px.fill(Math.min(255, v), i * 3, i * 3 + 3);
    }
    const photo = await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
    const out = await straighten(photo, { longSide: 2048, strength: 'auto', vision });
    expect(out.note?.code).toBe('no_reliable_lines');
    expect([out.width, out.height]).toEqual([2048, 1365]);
  });

  it('keeps transparency, as PNG, when it straightens', async () => {
    const tilted = await keystone(photoOf('bedroom-furnished.jpg'), 4, 2);
    // The same photo with an alpha channel: opaque but for a transparent square in the middle.
    const { width, height } = await sharp(tilted).metadata();
    const alpha = Buffer.alloc(width * height, 255);
    for (let y = Math.round(height / 2) - 100; y < Math.round(height / 2) + 100; y++) alpha.fill(0, y * width + Math.round(width / 2) - 100, y * width + Math.round(width / 2) + 100);
    const withAlpha = await sharp(tilted).joinChannel(alpha, { raw: { width: width, height: height, channels: 1 } }).png().toBuffer();
    const out = await straighten(withAlpha, { longSide: 1600, strength: 'auto', vision });
    expect(out.note).toBeUndefined();
    expect(out.contentType).toBe('image/png');
    const { data, info } = await sharp(out.data).extractChannel(3).raw().toBuffer({ resolveWithObject: true });
    // The hole moved with the photo: transparent in the middle, opaque at the corners.
    expect(data[Math.round(info.height / 2) * info.width + Math.round(info.width / 2)]).toBe(0);
    expect(data[10 * info.width + 10]).toBe(255);
    expect((await verticalsOf(out.data)).lean).toBeLessThanOrEqual(0.5);
  });

  it('on a house with few clear verticals, either straightens within 0.5° or leaves the photo as it was', async () => {
    // Brick, trees and short garage edges: the lines are sometimes too few or too uncertain.
    const outcomes: string[] = [];
    for (const [pitch, roll] of [
      [4, 2],
      [-4, -2],
      [0, 3],
      [8, 0],
    ] as const) {
      const tilted = await keystone(photoOf('house-exterior-suburban.jpg'), pitch, roll);
      const out = await straighten(tilted, { longSide: 1600, strength: 'auto', vision });
      if (out.note) {
        expect(out.note.code).toMatch(/^(no_reliable_lines|tilt_too_large)$/);
        expect(out.report.change).toBe(0);
        expect(await difference(out.data, await resized(tilted, 1600))).toBeLessThan(1.5);
        outcomes.push(`${pitch}/${roll}: left (${out.note.code})`);
      } else {
        const after = await verticalsOf(out.data);
        expect(after.lean).toBeLessThanOrEqual(0.5);
        outcomes.push(`${pitch}/${roll}: straightened to ${after.lean.toFixed(2)}°`);
      }
    }
    console.info(`house: ${outcomes.join('; ')}`);
  });

  it('auto eases off a strong tilt and says so; full corrects all of it', async () => {
    const tilted = await keystone(photoOf('dining-open-plan-furnished.jpg'), 16, 0, 0.9, 'largest');
    const auto = await straighten(tilted, { longSide: 1600, strength: 'auto', vision });
    const full = await straighten(tilted, { longSide: 1600, strength: 'full', vision });
    expect(auto.note?.code).toBe('partly_straightened');
    expect(Math.abs(auto.report.applied.pitch)).toBeLessThan(Math.abs(auto.report.measured!.pitch) - 1);
    expect(full.note).toBeUndefined();
    expect(full.report.applied.pitch).toBeCloseTo(full.report.measured!.pitch, 6);
    expect((await verticalsOf(full.data)).lean).toBeLessThanOrEqual(0.5);
    // The partial correction keeps more of the photo.
    expect(auto.report.kept).toBeGreaterThan(full.report.kept);
  });
});

describe('straighten: geometry', () => {
  it('finds the largest rectangle of a given aspect inside a convex quadrilateral', () => {
    expect(largestRectangle([[0, 0], [1600, 0], [1600, 900], [0, 900]], 16 / 9)).toMatchObject({ x: 0, y: 0, width: 1600, height: 900 });
    // A keystone narrower at the top: the rectangle sits low and centred, and fits.
    const trapezoid: Array<[number, number]> = [[200, 0], [1400, 0], [1600, 900], [0, 900]];
    const r = largestRectangle(trapezoid, 16 / 9)!;
    expect(r.x + r.width / 2).toBeCloseTo(800, 6);
    expect(r.y + r.height).toBeCloseTo(900, 6);
    // Its top corners touch the slanted sides: x = 200·(1 − y/900) on the left.
    expect(r.x).toBeCloseTo(200 * (1 - r.y / 900), 6);
    // Either winding.
    const reversed = largestRectangle([...trapezoid].reverse(), 16 / 9)!;
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(reversed[k]).toBeCloseTo(r[k], 6);
  });
});

describe('straighten: as a job', () => {
  const context = (): ExecutionContext => ({ signal: new AbortController().signal, progress: () => undefined, savedState: null, saveState: async () => undefined, webhook: async () => false });
  // A straighten job unless `over` names another service.
  const task = (photo: Buffer, over: Parameters<typeof taskOf>[1] = {}) => taskOf(photo, { service: 'straighten', config: 'auto', ...over });
  const engine = () => createLocalProvider({ timing: { compressingMs: 0, processingMs: 0, tickMs: 10 }, vision });

  it('straighten is a real service at the requested size; its note reaches the output', async () => {
    const tilted = await keystone(photoOf('bedroom-furnished.jpg'), 4, 2);
    const [out] = await engine().execute(await task(tilted, {}), context());
    expect(out).toMatchObject({ contentType: 'image/jpeg', width: 2048, localPreview: false });
    expect(out!.note).toBeUndefined();
    expect((await verticalsOf(out!.data)).lean).toBeLessThanOrEqual(0.5);

    const [left] = await engine().execute(await task(photoOf('living-room-render.jpg'), { config: 'full' }), context());
    expect(left!.note).toMatchObject({ code: 'no_reliable_lines' });
  });

  it('render enhancement straightens first when asked, and moves the mask with the photo', async () => {
    const tilted = await keystone(photoOf('dining-open-plan-furnished.jpg'), -4, 2);
    const [enhanced] = await engine().execute(await task(tilted, { service: 'render-enhancement', config: 'interior-modern', options: { straighten: 'auto' } }), context());
    expect((await verticalsOf(enhanced!.data)).lean).toBeLessThanOrEqual(0.5);
    const [plain] = await engine().execute(await task(tilted, { service: 'render-enhancement', config: 'interior-modern', options: { straighten: 'off' } }), context());
    expect((await verticalsOf(plain!.data)).p90).toBeGreaterThan(2);

    // A mask over the left half: the right part of the output is the straightened photo untouched
    // by the enhancement, the left part is enhanced.
    const meta = await sharp(tilted).metadata();
    const mask = await sharp({ create: { width: meta.width, height: meta.height, channels: 3, background: '#000' } })
      .composite([{ input: { create: { width: Math.round(meta.width / 2), height: meta.height, channels: 3, background: '#fff' } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const [masked] = await engine().execute(await task(tilted, { service: 'render-enhancement', config: 'interior-modern', options: { straighten: 'auto' }, mask }), context());
    const [straightOnly] = await engine().execute(await task(tilted, {}), context());
    const columns = async (img: Buffer, from: number, to: number) => {
      const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, info, from: Math.round(from * info.width), to: Math.round(to * info.width) };
    };
    const diff = async (x0: number, x1: number) => {
      const a = await columns(masked!.data, x0, x1);
      const b = await columns(straightOnly!.data, x0, x1);
      let sum = 0;
      let n = 0;
      for (let y = 0; y < a.info.height; y++) for (let x = a.from; x < a.to; x++) for (let c = 0; c < 3; c++, n++) sum += Math.abs(a.data[(y * a.info.width + x) * 3 + c]! - b.data[(y * b.info.width + x) * 3 + c]!);
      return sum / n;
    };
    expect(await diff(0.8, 1)).toBeLessThan(2);
    expect(await diff(0, 0.3)).toBeGreaterThan(4);
  });

  it('through the API: the job names the service, and a photo left as it was carries the note', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const up = await upload(bff, token, 'living-room-render.jpg');
    const created = await req(bff, '/v1/jobs', { ...json({ service: 'straighten', config: 'auto', upload_id: up.id }), token });
    expect(created.status).toBe(201);
    const { id } = Job.parse(await created.json());
    await waitForStatus(bff, id, ['completed', 'failed'], 60_000);
    const done = Job.parse(await (await req(bff, `/v1/jobs/${id}`, { token })).json());
    expect(done.status).toBe('completed');
    expect(done.outputs[0]).toMatchObject({ width: 2048, height: 1229, local_preview: false, note: { code: 'no_reliable_lines' } });
  });
});
