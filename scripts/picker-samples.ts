/**
 * `node --import tsx scripts/picker-samples.ts`: makes the picker's sample pictures, the small
 * before/after on each service card and the style swatches, into
 * src/elements/staging-picker/samples/ (committed; the picker loads them lazily). Sources are the
 * test fixtures (test/fixtures/SOURCES.md; their licences are in samples/LICENSE.md); the "after"
 * halves come from the local engine's own pipelines, so they show what the demo really does.
 *
 * Each card sample is one 240×120 WebP: the left half before, the right half after, of one crop.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { gradeFor } from '../src/server/providers/local/grades.js';
import { enhance, gradedPreviews, upscale } from '../src/server/providers/local/pipelines.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');
const OUT = join(ROOT, 'src/elements/staging-picker/samples');
const W = 240;
const H = 120;
const WEBP = { quality: 62, effort: 6 } as const;

const photo = (name: string) => readFileSync(join(FIXTURES, name));

/** A region of a photo (fractions of its size), at `width`×`height`. */
async function crop(name: string, region: { left: number; top: number; width: number; height: number }, width: number, height: number): Promise<Buffer> {
  const input = photo(name);
  const meta = await sharp(input).metadata();
  const area = {
    left: Math.round(region.left * meta.width),
    top: Math.round(region.top * meta.height),
    width: Math.round(region.width * meta.width),
    height: Math.round(region.height * meta.height),
  };
  return sharp(input).extract(area).resize(width, height, { fit: 'cover' }).png().toBuffer();
}

/** Left half of `before`, right half of `after` (both W×H), a thin light line between. */
async function split(before: Buffer, after: Buffer): Promise<Buffer> {
  const half = W / 2;
  const right = await sharp(after).resize(W, H, { fit: 'cover' }).extract({ left: half, top: 0, width: half, height: H }).png().toBuffer();
  const line = await sharp({ create: { width: 2, height: H, channels: 3, background: '#ffffff' } }).png().toBuffer();
  return sharp(before)
    .resize(W, H, { fit: 'cover' })
    .composite([
      { input: right, left: half, top: 0 },
      { input: line, left: half - 1, top: 0 },
    ])
    .webp(WEBP)
    .toBuffer();
}

async function enhancement(): Promise<Buffer> {
  // A dim, flat shot (the fixture darkened and dulled, as a phone in a dark room gives), and what
  // the engine's enhancement makes of it.
  const framed = await crop('living-room-fireplace-1600.jpg', { left: 0.05, top: 0.2, width: 0.9, height: 0.45 }, W * 2, H * 2);
  const before = await sharp(framed).modulate({ brightness: 0.62, saturation: 0.75 }).linear(0.8, 18).png().toBuffer();
  const after = await enhance(before, { longSide: W * 2, grade: gradeFor('render-enhancement', 'interior-traditional', {}) });
  return split(before, after.data);
}

async function enlargement(): Promise<Buffer> {
  // A close-up: the same detail from a photo a third the size, stretched (before) and upscaled by the engine (after).
  const detail = await crop('living-room-staged-bright.jpg', { left: 0.22, top: 0.52, width: 0.36, height: 0.24 }, W * 2, H * 2);
  const small = await sharp(detail).resize(W / 3, H / 3).png().toBuffer();
  const before = await sharp(small).resize(W, H, { kernel: 'nearest' }).png().toBuffer();
  const after = await upscale(small, { longSide: W, detail: true });
  return split(before, after.data);
}

async function straightening(): Promise<Buffer> {
  // A tilted shot (the fixture turned 6°, as a camera held askew) and the level one it comes from.
  const level = await crop('living-room-fireplace-1600.jpg', { left: 0.1, top: 0.05, width: 0.8, height: 0.45 }, W * 2, H * 2);
  const turned = await sharp(level).rotate(6, { background: '#000' }).png().toBuffer();
  const m = await sharp(turned).metadata();
  const inset = { left: Math.round((m.width - W * 1.6) / 2), top: Math.round((m.height - H * 1.6) / 2), width: Math.round(W * 1.6), height: Math.round(H * 1.6) };
  const before = await sharp(turned).extract(inset).resize(W, H).png().toBuffer();
  const after = await sharp(level).extract({ left: Math.round((W * 2 - W * 1.6) / 2), top: Math.round((H * 2 - H * 1.6) / 2), width: inset.width, height: inset.height }).resize(W, H).png().toBuffer();
  return split(before, after);
}

async function designIdeas(): Promise<Buffer> {
  // Three looks of one room from the engine's design options, side by side.
  const room = await crop('living-room-render.jpg', { left: 0.1, top: 0.2, width: 0.8, height: 0.6 }, W, H);
  const looks = await gradedPreviews(room, { longSide: W, grades: [0, 1, 2].map((i) => gradeFor('design-options', 'interior-modern', {}, i)) });
  const third = W / 3;
  const strips = await Promise.all(looks.map((l, i) => sharp(l.data).extract({ left: i * third, top: 0, width: third, height: H }).png().toBuffer()));
  const line = await sharp({ create: { width: 2, height: H, channels: 3, background: '#ffffff' } }).png().toBuffer();
  return sharp(room)
    .composite([...strips.map((input, i) => ({ input, left: i * third, top: 0 })), { input: line, left: third - 1, top: 0 }, { input: line, left: 2 * third - 1, top: 0 }])
    .webp(WEBP)
    .toBuffer();
}

async function staged(): Promise<Buffer> {
  // No empty-room photo with a licence was found (test/fixtures/SOURCES.md): one staged room, not a pair.
  const room = await crop('living-room-staged-bright.jpg', { left: 0.05, top: 0.3, width: 0.9, height: 0.5 }, W, H);
  return sharp(room).webp(WEBP).toBuffer();
}

/** Style swatches, 120×90: a room that has the style, with the engine's grade for it. */
const SWATCHES: Record<string, [file: string, region: { left: number; top: number; width: number; height: number }]> = {
  modern: ['dining-open-plan-furnished.jpg', { left: 0.15, top: 0.35, width: 0.45, height: 0.5 }],
  scandinavian: ['living-room-staged-bright.jpg', { left: 0.1, top: 0.35, width: 0.45, height: 0.5 }],
  minimalist: ['living-room-render.jpg', { left: 0.25, top: 0.3, width: 0.5, height: 0.55 }],
  traditional: ['living-room-fireplace-1600.jpg', { left: 0.35, top: 0.35, width: 0.4, height: 0.45 }],
  industrial: ['dining-open-plan-furnished.jpg', { left: 0.55, top: 0.1, width: 0.4, height: 0.5 }],
  luxury: ['bedroom-furnished.jpg', { left: 0.2, top: 0.35, width: 0.5, height: 0.5 }],
};

async function swatch(style: string): Promise<Buffer> {
  const [file, region] = SWATCHES[style]!;
  const room = await crop(file, region, 240, 180);
  const [graded] = await gradedPreviews(room, { longSide: 240, grades: [gradeFor('virtual-staging', 'living-room', { style })] });
  return sharp(graded!.data).resize(120, 90).webp(WEBP).toBuffer();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const files: Array<[string, Promise<Buffer>]> = [
    ['render-enhancement.webp', enhancement()],
    ['upscale.webp', enlargement()],
    ['straighten.webp', straightening()],
    ['design-options.webp', designIdeas()],
    ['virtual-staging.webp', staged()],
    ...Object.keys(SWATCHES).map((s): [string, Promise<Buffer>] => [`style-${s}.webp`, swatch(s)]),
  ];
  for (const [name, data] of files) {
    const bytes = await data;
    writeFileSync(join(OUT, name), bytes);
    process.stderr.write(`${name}: ${bytes.length} bytes\n`);
  }
}

await main();
