import sharp, { type Sharp, type SharpenOptions } from 'sharp';
import { isNeutral, type Grade } from './grades.js';
import { balancedGrey, gradeTables, greyLightness, levelsCurve, pointPass, sharpenTable, softLight } from './tone-tables.js';
import type { StraightenStrength } from './straighten.js';
import type { Vision } from '../../vision/vision.js';
import { clamp, decode, finish, encode, fitLongSide, metadataOf, rawOf, toSharp, UnreadableImageError, type EncodedImage, type PipelineHooks, type Raw } from './raw-images.js';

export { fitLongSide, UnreadableImageError, type EncodedImage, type PipelineHooks } from './raw-images.js';

/**
 * The local engine's pixel work: pure functions from image bytes to encoded output, built on
 * sharp. They know nothing of jobs; the provider adds progress, delays and cancellation
 * through `PipelineHooks.step`, which runs between sharp stages (a running sharp stage cannot
 * be interrupted, so stages are kept short and cancellation is checked between them).
 *
 * Intermediate results stay raw 8-bit sRGB at the output size, because sharp applies the
 * operations of one pipeline in a fixed order (recomb → modulate → sharpen → composite →
 * linear → normalise → clahe) whatever order they are called in; separate stages make the
 * order ours.
 */

/** Long side of the proxy on which white balance and local contrast are measured. */
const PROXY_LONG_SIDE = 512;

// ---------------------------------------------------------------------------------------------
// Public pipelines

export interface EnhanceOptions {
  longSide: number;
  grade: Grade;
  /** Black/white image, white = change. Any format and size; it is fitted to the photo. */
  mask?: Buffer | null;
  /**
   * Stretch levels to the 0.5 and 99.5 percentiles (default). Off for an exposure-fused photo,
   * whose range the fusion already balanced: the stretch would clip its recovered highlights.
   */
  levels?: boolean;
  /** Straighten the photo first (see straighten.ts), on the vision thread; the mask is moved with it. */
  straighten?: { strength: StraightenStrength; vision: Vision } | null;
  /**
   * What the mask means. Absent, it confines the change; given, it marks windows: the whole
   * photo is enhanced and this (window-pull.ts) recovers the windows under the fitted, feathered
   * mask, from the decoded photo or a source of its own.
   */
  windows?: ((original: Raw, enhanced: Raw, mask: Raw) => Promise<Raw>) | null;
  /**
   * The listing's look (see `listingTarget`): this photo's white balance and exposure are moved
   * towards it, so that the rooms of one listing match instead of each being balanced on its own.
   */
  match?: ListingTarget | null;
}

/** Mean red, green and blue (0–255) that a listing's photos are brought towards. */
export type ListingTarget = readonly [number, number, number];

/** A photo after the engine's own white balance and levels, measured on its proxy: per channel, its histogram and mean. */
export interface BalancedLook {
  histograms: readonly [Uint32Array, Uint32Array, Uint32Array];
  means: ListingTarget;
}

/** How far towards the listing's target a photo moves: most of the way, so a room keeps a little of its own character. */
const MATCH_STRENGTH = 0.7;

/** What the listing match compares across photos (see `BalancedLook`). */
export async function balancedLook(input: Buffer): Promise<BalancedLook> {
  const { rgb } = await decode(input, PROXY_LONG_SIDE, 'image');
  const [gains, lightness] = await Promise.all([greyWorldGains(rgb), greyLightness()]);
  const curve = levelsCurve(lightness, (await balancedGrey(rgb, gains)).histogram);
  const histograms = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  const d = rgb.data;
  const [hr, hg, hb] = histograms;
  for (let i = 0; i < d.length; i += 3) {
    hr[d[i]!]!++;
    hg[d[i + 1]!]!++;
    hb[d[i + 2]!]!++;
  }
  // The same histograms after white balance and levels (each level's count moves to where it lands).
  const balanced = histograms.map((h, c) => {
    const out = new Uint32Array(256);
    for (let v = 0; v < 256; v++) out[levelled(curve, clamp(Math.round(gains[c]! * v), 0, 255))]! += h[v]!;
    return out;
  }) as unknown as BalancedLook['histograms'];
  return { histograms: balanced, means: [meanOf(balanced[0], 1), meanOf(balanced[1], 1), meanOf(balanced[2], 1)] };
}

/** The mean level (0–255) of a histogram's pixels after a gamma (1 = as they are). */
function meanOf(h: Uint32Array, gamma: number): number {
  let sum = 0;
  let n = 0;
  for (let v = 0; v < 256; v++) {
    sum += h[v]! * 255 * Math.pow(v / 255, gamma);
    n += h[v]!;
  }
  return sum / Math.max(1, n);
}

/** One look for a whole listing: the mean of its photos' balanced means. */
export function listingTarget(looks: ReadonlyArray<BalancedLook>): ListingTarget {
  const avg = (c: number) => looks.reduce((n, l) => n + l.means[c]!, 0) / Math.max(1, looks.length);
  return [avg(0), avg(1), avg(2)];
}

/**
 * Per-channel tone tables (3 × 256) that move a photo towards the listing's target: per channel
 * the gamma that brings its balanced mean most of the way to the target's (found on its
 * histogram). A gamma keeps black and white where they are (nothing clips) and moves the
 * mid-tones, so one change covers exposure and white balance. Bounded, so a legitimately dark or
 * colourful room is nudged, never flattened.
 */
export function matchTables(look: BalancedLook, target: ListingTarget, strength = MATCH_STRENGTH): Uint8Array {
  const out = new Uint8Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const h = look.histograms[c]!;
    const from = look.means[c]!;
    const to = from + strength * (target[c]! - from);
    // The mean falls as the gamma rises: bisect within the bounds.
    let lo = 0.6;
    let hi = 1.6;
    for (let i = 0; i < 24; i++) {
      const mid = (lo + hi) / 2;
      if (meanOf(h, mid) > to) lo = mid;
      else hi = mid;
    }
    const gamma = (lo + hi) / 2;
    for (let v = 0; v < 256; v++) out[c * 256 + v] = Math.round(255 * Math.pow(v / 255, gamma));
  }
  return out;
}

/**
 * Render enhancement: optionally straightening first, then grey-world white balance, levels
 * (percentile normalise), with a listing's match to its one target folded in, sharpening, local contrast (CLAHE), then the config's grade; only
 * through the mask when there is one, or everywhere with the windows under it pulled.
 */
export async function enhance(input: Buffer, o: EnhanceOptions, hooks: PipelineHooks = {}): Promise<EncodedImage> {
  // Straightening counts as two stages (measuring, warping).
  const stages = (o.mask ? 7 : 6) + (o.straighten ? 1 : 0);
  let done = 0;
  const step = () => hooks.step?.(++done / stages);

  // Loaded on first use: straightening brings OpenCV's thread, which a BFF that never
  // straightens should not pay for.
  const straightened = o.straighten
    ? await (await import('./straighten.js')).straightenDecoded(input, { longSide: o.longSide, ...o.straighten }, { step: (f) => hooks.step?.((2 * f) / stages) })
    : null;
  const { rgb: base, alpha } = straightened ? straightened.image : await decode(input, o.longSide, 'image');
  done = straightened ? 2 : 1;
  hooks.step?.(done / stages);
  const note = straightened?.note;
  const [gains, lightness, softLightBlend, match] = await Promise.all([
    greyWorldGains(base),
    greyLightness(),
    softLight(),
    o.match ? balancedLook(input).then((look) => matchTables(look, o.match!)) : null,
  ]);
  step();
  // White balance first so that the levels stretch sees neutral channels. The stretch (see
  // levelsCurve) is measured on the balanced photo's luminance and applied through the grey axis.
  const balanced = await balancedGrey(base, gains);
  const curve = o.levels === false ? null : levelsCurve(lightness, balanced.histogram);
  const levels = new Uint8Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      const own = levelled(curve, clamp(Math.round(gains[c]! * v), 0, 255));
      levels[c * 256 + v] = match ? match[c * 256 + own]! : own;
    }
  }
  const grey: Raw = { data: curve ? mapBytes(balanced.grey, Uint8Array.from({ length: 256 }, (_, v) => levelled(curve, v))) : balanced.grey, width: base.width, height: base.height, channels: 1 };
  step();
  const sigma = o.longSide >= 3000 ? 1.0 : 0.8;
  // The local-contrast map is measured on a proxy (libvips' thread) while the point pass levels
  // and sharpens (this thread): the pass waits for the map only where it applies it.
  const contrastMap = localContrastMap(grey);
  contrastMap.catch(() => undefined); // awaited by the point pass, which reports its failure
  // Sharpening compares each pixel's lightness with its neighbourhood's (libvips' sharpen kernel).
  const blurred = await rawOf(toSharp(grey).blur({ sigma, minAmplitude: 0.1, precision: 'integer' }).toColourspace('b-w'));
  step();
  const graded = await pointPass({
    rgb: base,
    levels,
    grey: grey.data,
    blurred: blurred.data,
    sharpen: sharpenTable(lightness, { sigma, m1: 0.6, m2: 2, x1: 2, y2: 10, y3: 20 }),
    map: contrastMap,
    softLight: softLightBlend,
    grade: gradeTables(lightness, o.grade),
  });
  const enhanced: Raw = { data: graded, width: base.width, height: base.height, channels: 3 };
  step();
  const noted = (out: EncodedImage): EncodedImage => (note ? { ...out, note } : out);

  if (!o.mask) {
    const out = await finish(enhanced, alpha, null);
    step();
    return noted(out);
  }
  const fitted = fitMask(o.mask, base.width, base.height);
  const mask = await (straightened ? fitted.then((m) => straightened.follow(m)) : fitted);
  step();
  const out = await finish(o.windows ? await o.windows(base, enhanced, mask) : await throughMask(base, enhanced, mask), alpha, null);
  step();
  return noted(out);
}

export interface UpscaleOptions {
  longSide: number;
  /** Stronger sharpening for fine textures. */
  detail: boolean;
}

/** Upscale: lanczos3 to the target long side, sharpening scaled to the enlargement. */
export async function upscale(input: Buffer, o: UpscaleOptions, hooks: PipelineHooks = {}): Promise<EncodedImage> {
  const meta = await metadataOf(input, 'image');
  // Never fewer pixels than given (the BFF refuses such a job; this holds for any caller).
  const longSide = Math.max(o.longSide, meta.width, meta.height);
  const { width, height } = fitLongSide(meta.width, meta.height, longSide);
  hooks.step?.(0.2);
  const scale = longSide / Math.max(meta.width, meta.height);
  const s = sharp(input, { autoOrient: true })
    .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
    .sharpen(upscaleSharpen(scale, o.detail))
    .toColourspace('srgb');
  const out = await encode(s, meta.hasAlpha).catch((err: unknown) => {
    throw new UnreadableImageError('image', err);
  });
  hooks.step?.(1);
  return out;
}

/**
 * Sharpening for a resize by `scale`. Enlarging spreads edges over more pixels, so the radius
 * grows with the factor; flat areas get little (`m1`) so that upscaled noise is not amplified.
 */
export function upscaleSharpen(scale: number, detail: boolean): SharpenOptions {
  const enlarge = Math.max(1, scale);
  const sigma = Math.min(2, 0.5 + 0.4 * Math.log2(enlarge));
  const m2 = (scale > 1 ? 2 : 1.5) * (detail ? 1.6 : 1);
  return { sigma, m1: detail ? 0.8 : 0.4, m2, x1: 2, y2: detail ? 14 : 10, y3: 20 };
}

export interface PreviewOptions {
  longSide: number;
  /** One output per grade. */
  grades: Grade[];
  mask?: Buffer | null;
  /** A style reference: the photo's colour statistics are moved part of the way towards it. */
  reference?: Buffer | null;
}

/**
 * What the generative services return on the local engine: the photo, graded for the config
 * (and per variant), honestly unchanged in content.
 */
export async function gradedPreviews(input: Buffer, o: PreviewOptions, hooks: PipelineHooks = {}): Promise<EncodedImage[]> {
  const stages = 2 + (o.reference ? 1 : 0) + (o.mask ? 1 : 0) + o.grades.length;
  let done = 0;
  const step = () => hooks.step?.(++done / stages);

  const { rgb: base, alpha } = await decode(input, o.longSide, 'image');
  step();
  let source = base;
  if (o.reference) {
    const [a, b] = await referenceTransfer(base, o.reference);
    source = await rawOf(toSharp(base).linear(a, b));
    step();
  }
  const mask = o.mask ? await fitMask(o.mask, base.width, base.height) : null;
  if (mask) step();

  const outputs: EncodedImage[] = [];
  for (const grade of o.grades) {
    if (mask) {
      const graded = await rawOf(applyGrade(toSharp(source), grade));
      outputs.push(await finish(await throughMask(base, graded, mask), alpha, null));
    } else {
      outputs.push(await finish(source, alpha, (s) => applyGrade(s, grade)));
    }
    step();
  }
  step();
  return outputs;
}

// ---------------------------------------------------------------------------------------------
// Stages

/**
 * Grey-world white balance: the scene's average should be neutral. Applied at 60 % and
 * clamped, because a room with a warm wooden floor is legitimately warm on average. The means
 * are those of a proxy, summed here (a `stats()` pipeline of its own cost more than the sums).
 */
async function greyWorldGains(rgb: Raw): Promise<number[]> {
  const proxy = await rawOf(toSharp(rgb).resize({ ...fitLongSide(rgb.width, rgb.height, PROXY_LONG_SIDE), fit: 'fill' }));
  const sums = [0, 0, 0];
  const { data, channels } = proxy;
  for (let i = 0; i < data.length; i += channels) {
    sums[0]! += data[i]!;
    sums[1]! += data[i + 1]!;
    sums[2]! += data[i + 2]!;
  }
  const means = sums.map((sum) => Math.max(1, sum / (proxy.width * proxy.height)));
  const grey = (means[0]! + means[1]! + means[2]!) / 3;
  return means.map((m) => clamp(1 + 0.6 * (grey / m - 1), 0.85, 1.18));
}

/**
 * A soft-light map that carries CLAHE's local contrast. sharp's CLAHE costs seconds per
 * image at 2K on two cores (its window slides over every pixel), so it runs on a luminance
 * proxy and the difference it makes is applied at full size as a smooth soft-light layer:
 * 128 = unchanged, lighter brightens, darker darkens. Returned at the proxy's size; the point
 * pass stretches it over the photo.
 */
async function localContrastMap(grey: Raw): Promise<Raw> {
  const size = fitLongSide(grey.width, grey.height, Math.min(PROXY_LONG_SIDE, Math.max(grey.width, grey.height)));
  const luma = await rawOf(toSharp(grey).resize({ ...size, fit: 'fill' }).toColourspace('b-w'));
  const window = Math.max(8, Math.round(Math.max(size.width, size.height) / 8));
  // libvips refuses a window larger than the image (a panorama strip can be a few pixels tall).
  const clahe = { width: Math.min(window, size.width), height: Math.min(window, size.height), maxSlope: 3 };
  const equalised = await rawOf(toSharp(luma).clahe(clahe).toColourspace('b-w'));
  const map = Buffer.alloc(luma.data.length);
  // soft-light moves a pixel by roughly a third of the map's offset from 128; 1.8× the CLAHE
  // delta gives about 60 % of CLAHE's effect, enough to open shadows without a HDR look.
  for (let i = 0; i < map.length; i++) map[i] = clamp(Math.round(128 + 1.8 * (equalised.data[i]! - luma.data[i]!)), 48, 208);
  const smooth = await rawOf(toSharp({ data: map, ...size, channels: 1 }).blur(1.2).toColourspace('b-w'));
  // Too thin to interpolate between rows or columns: stretched by libvips instead.
  if (size.width < 2 || size.height < 2) return rawOf(toSharp(smooth).resize({ width: grey.width, height: grey.height, fit: 'fill', kernel: 'cubic' }).toColourspace('b-w'));
  return smooth;
}

/** Each byte through a 256-entry table. */
function mapBytes(data: Buffer, table: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]!]!;
  return out;
}

/** A grey level through the levels curve (none = unchanged). */
function levelled(curve: Float64Array | null, v: number): number {
  return curve ? clamp(Math.round(curve[v]!), 0, 255) : v;
}

/** The grade as sharp operations (which sharp runs as recomb → modulate → linear). */
export function applyGrade(s: Sharp, g: Grade): Sharp {
  if (isNeutral(g)) return s;
  const r = 1 + 0.07 * g.warmth - 0.02 * g.tint;
  const gr = 1 + 0.04 * g.tint;
  const b = 1 - 0.07 * g.warmth - 0.02 * g.tint;
  let out = s.recomb([
    [r, 0, 0],
    [0, gr, 0],
    [0, 0, b],
  ]);
  const hue = Math.round(g.hue);
  if (g.brightness !== 1 || g.saturation !== 1 || hue !== 0) out = out.modulate({ brightness: g.brightness, saturation: g.saturation, hue });
  // Contrast pivots on mid-grey, then the lift raises blacks: y = lift·255 + (1 − lift)·(c·(x − 128) + 128).
  const a = (1 - g.lift) * g.contrast;
  const offset = g.lift * 255 + (1 - g.lift) * 128 * (1 - g.contrast);
  if (a !== 1 || offset !== 0) out = out.linear([a, a, a], [offset, offset, offset]);
  return out;
}

/**
 * How far a mask's soft edge reaches beyond what was painted, in output pixels: a Gaussian
 * feather scaled to the image (about 1/80 of the long side, so a stroke's edge fades over
 * ~75 px at 2K), reaching three of its sigmas. Outside the painted area dilated by this much,
 * a masked edit leaves the photo as it was.
 */
export function maskFeather(width: number, height: number): { sigma: number; reach: number } {
  const sigma = Math.max(2, Math.max(width, height) / 80);
  return { sigma, reach: Math.ceil(3 * sigma) };
}

/**
 * The mask at the photo's size as one 8-bit channel, transparent = keep. The edge is feathered
 * (blurred, then stretched ×2 so that the painted area keeps full strength and the fall-off
 * lies mostly outside it).
 */
async function fitMask(mask: Buffer, width: number, height: number): Promise<Raw> {
  try {
    const { sigma } = maskFeather(width, height);
    const fitted = await rawOf(
      sharp(mask, { autoOrient: true })
        // A painter may export white strokes on transparency: transparent must mean "keep".
        .flatten({ background: '#000000' })
        .resize({ width, height, fit: 'fill' })
        .toColourspace('b-w'),
    );
    return await rawOf(toSharp(fitted).blur(sigma).linear(2, 0).toColourspace('b-w'));
  } catch (err) {
    throw new UnreadableImageError('mask', err);
  }
}

/**
 * A local edit: `changed`'s lightness where the mask is white, `original` where black, blended
 * in between. Only the luminance change is carried, on top of the original's colour: white
 * balance and colour grades are properties of the whole scene's light, and applied to a few
 * strokes they paint coloured bands (a cool grade over warm cabinets read as blue stripes).
 */
async function throughMask(original: Raw, changed: Raw, mask: Raw): Promise<Raw> {
  const n = original.width * original.height;
  const out = Buffer.alloc(n * 3);
  const o = original.data;
  const c = changed.data;
  const m = mask.data;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const k = m[p]! / 255;
    if (k === 0) {
      out[i] = o[i]!;
      out[i + 1] = o[i + 1]!;
      out[i + 2] = o[i + 2]!;
      continue;
    }
    const dy = k * (0.299 * (c[i]! - o[i]!) + 0.587 * (c[i + 1]! - o[i + 1]!) + 0.114 * (c[i + 2]! - o[i + 2]!));
    out[i] = clamp(Math.round(o[i]! + dy), 0, 255);
    out[i + 1] = clamp(Math.round(o[i + 1]! + dy), 0, 255);
    out[i + 2] = clamp(Math.round(o[i + 2]! + dy), 0, 255);
  }
  return { data: out, width: original.width, height: original.height, channels: 3 };
}

/**
 * Per-channel linear map moving the photo's mean and spread 35 % of the way to the
 * reference's (a Reinhard-style colour transfer in RGB, kept partial and clamped).
 */
async function referenceTransfer(base: Raw, reference: Buffer): Promise<[number[], number[]]> {
  const ref = await decode(reference, PROXY_LONG_SIDE, 'reference');
  const proxy = await rawOf(toSharp(base).resize({ ...fitLongSide(base.width, base.height, PROXY_LONG_SIDE), fit: 'fill' }));
  const [s, r] = await Promise.all([toSharp(proxy).stats(), toSharp(ref.rgb).stats()]);
  const a: number[] = [];
  const b: number[] = [];
  for (let c = 0; c < 3; c++) {
    const src = s.channels[c]!;
    const dst = r.channels[c]!;
    const full = clamp(dst.stdev / Math.max(1, src.stdev), 0.8, 1.25);
    const gain = 1 + 0.35 * (full - 1);
    const targetMean = src.mean + 0.35 * (dst.mean - src.mean);
    a.push(gain);
    b.push(targetMean - gain * src.mean);
  }
  return [a, b];
}
