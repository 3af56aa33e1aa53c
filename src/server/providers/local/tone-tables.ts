import sharp from 'sharp';
import type { Grade } from './grades.js';

/**
 * Tables that let the render enhancement's point operations run as one pass over 8-bit pixels
 * (see `pipelines.ts#enhance`) instead of a libvips stage each. The stages they replace each
 * converted the whole image to CIE Lab or LCh in float and back (normalise, sharpen,
 * modulate), which was most of the engine's time.
 *
 * Where a table can come from libvips itself it does (the lightness of each grey level, the
 * soft-light blend), so the fused pass reproduces libvips' arithmetic; the rest follow
 * libvips' definitions (the sharpen curve of `vips_sharpen`, the L* stretch of sharp's
 * `normalise`, `modulate` as a scaling of lightness and chroma), applied through the grey axis.
 */

/** CIE L* (0–100) of each 8-bit sRGB grey level, as libvips converts it. */
let lightnessTable: Promise<Float64Array> | null = null;
/** The soft-light blend of libvips' `composite`, `[map << 8 | value]` → result. */
let softLightTable: Promise<Uint8Array> | null = null;

export function greyLightness(): Promise<Float64Array> {
  return (lightnessTable ??= (async () => {
    const greys = Buffer.alloc(256 * 3);
    for (let v = 0; v < 256; v++) greys.fill(v, v * 3, v * 3 + 3);
    const lab = await sharp(greys, { raw: { width: 256, height: 1, channels: 3 } }).toColourspace('lab').raw({ depth: 'float' }).toBuffer();
    const floats = new Float32Array(lab.buffer, lab.byteOffset, 256 * 3);
    return Float64Array.from({ length: 256 }, (_, v) => floats[v * 3]!);
  })());
}

export function softLight(): Promise<Uint8Array> {
  return (softLightTable ??= (async () => {
    // Row = the map's value, column = the photo's: every pair once, blended by libvips.
    const values = Buffer.alloc(256 * 256 * 3);
    const map = Buffer.alloc(256 * 256);
    for (let m = 0; m < 256; m++) {
      for (let v = 0; v < 256; v++) values.fill(v, (m * 256 + v) * 3, (m * 256 + v) * 3 + 3);
      map.fill(m, m * 256, m * 256 + 256);
    }
    const out = await sharp(values, { raw: { width: 256, height: 256, channels: 3 } })
      .composite([{ input: map, raw: { width: 256, height: 256, channels: 1 }, blend: 'soft-light' }])
      .removeAlpha()
      .raw()
      .toBuffer();
    return Uint8Array.from({ length: 256 * 256 }, (_, i) => out[i * 3]!);
  })());
}

/** Grey level (fractional, 0–255) of a lightness, the inverse of `greyLightness` (clamped). */
export function greyOf(lightness: Float64Array, l: number): number {
  if (l <= lightness[0]!) return 0;
  if (l >= lightness[255]!) return 255;
  let lo = 0;
  let hi = 255;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (lightness[mid]! <= l) lo = mid;
    else hi = mid;
  }
  return lo + (l - lightness[lo]!) / (lightness[hi]! - lightness[lo]!);
}

/** Lightness of a fractional grey level (linear between the table's entries). */
export function lightnessOf(lightness: Float64Array, v: number): number {
  if (v <= 0) return lightness[0]!;
  if (v >= 255) return lightness[255]!;
  const i = Math.floor(v);
  return lightness[i]! + (v - i) * (lightness[i + 1]! - lightness[i]!);
}

/**
 * The levels stretch of sharp's `normalise({ lower: 0.5, upper: 99.5 })`, the stage this
 * replaces: sharp passes the percentiles to libvips as whole numbers (0 and 99), so the darkest
 * pixel's L* (truncated) becomes 0, and libvips' 99th percentile of L* comes out just above the
 * lightest pixel's (the next whole L*, at most 100), which becomes 100: measured against sharp
 * on low-contrast photos. Returns the grey-axis curve, or null when it changes nothing (a photo
 * with a black and a white pixel) or the range is too narrow to stretch (as sharp leaves it).
 */
export function levelsCurve(lightness: Float64Array, greyHistogram: Uint32Array): Float64Array | null {
  let darkest = 0;
  while (darkest < 255 && greyHistogram[darkest] === 0) darkest++;
  let lightest = 255;
  while (lightest > 0 && greyHistogram[lightest] === 0) lightest--;
  const min = Math.floor(lightness[darkest]!);
  const max = Math.min(100, Math.floor(lightness[lightest]!) + 1);
  if (Math.abs(max - min) <= 1 || (min === 0 && max === 100)) return null;
  const f = 100 / (max - min);
  return Float64Array.from({ length: 256 }, (_, v) => greyOf(lightness, f * (lightness[v]! - min)));
}

export interface SharpenCurve {
  sigma: number;
  m1: number;
  m2: number;
  x1: number;
  y2: number;
  y3: number;
}

/**
 * `vips_sharpen` on L*, through the grey axis: `[grey << 8 | blurredGrey]` → the change of grey
 * level. libvips compares a pixel's L* with its Gaussian-blurred neighbourhood, bends the
 * difference (slope m1 within ±x1, m2 beyond, at most +y2 / −y3) and adds it to L*.
 */
export function sharpenTable(lightness: Float64Array, c: SharpenCurve): Float32Array {
  const table = new Float32Array(256 * 256);
  for (let v = 0; v < 256; v++) {
    for (let b = 0; b < 256; b++) {
      const diff = lightness[v]! - lightness[b]!;
      let y = diff < -c.x1 ? (diff + c.x1) * c.m2 - c.x1 * c.m1 : diff < c.x1 ? diff * c.m1 : (diff - c.x1) * c.m2 + c.x1 * c.m1;
      y = Math.min(c.y2, Math.max(-c.y3, y));
      table[(v << 8) | b] = greyOf(lightness, lightness[v]! + y) - v;
    }
  }
  return table;
}

/**
 * A grade (`pipelines.ts#applyGrade`: recomb → modulate → linear) as per-channel tables and a
 * 3×3 matrix. The recomb gains and modulate's brightness (a scaling of L*) act per channel
 * through the grey axis; saturation and hue turn around the grey axis (the chroma scaling and
 * hue rotation of LCh, as CSS's `saturate()` and `hue-rotate()` matrices); contrast and lift
 * are linear.
 */
export interface GradeTables {
  /** `[channel * 256 + value]` → value after recomb and brightness (fractional). */
  perChannel: Float32Array;
  /** Row-major 3×3 saturation/hue matrix, or null when both are neutral. */
  matrix: Float64Array | null;
  /** The final linear map, `a · x + b`. */
  a: number;
  b: number;
  /**
   * Added before truncating to 8 bits: libvips truncates float results cast to 8-bit (recomb,
   * linear) but rounds what comes back from LCh (modulate without a linear after it).
   */
  rounding: 0 | 0.5;
}

export function gradeTables(lightness: Float64Array, g: Grade): GradeTables {
  const gains = [1 + 0.07 * g.warmth - 0.02 * g.tint, 1 + 0.04 * g.tint, 1 - 0.07 * g.warmth - 0.02 * g.tint];
  const perChannel = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      const x = gains[c]! * v;
      // Beyond white the grey axis has no lightness to scale: keep recomb's linear overshoot.
      perChannel[c * 256 + v] = g.brightness === 1 ? x : x >= 255 ? x * g.brightness : greyOf(lightness, g.brightness * lightnessOf(lightness, x));
    }
  }
  const hue = Math.round(g.hue);
  let matrix: Float64Array | null = null;
  if (g.saturation !== 1 || hue !== 0) {
    const s = g.saturation;
    const saturate = [0.213 + 0.787 * s, 0.715 - 0.715 * s, 0.072 - 0.072 * s, 0.213 - 0.213 * s, 0.715 + 0.285 * s, 0.072 - 0.072 * s, 0.213 - 0.213 * s, 0.715 - 0.715 * s, 0.072 + 0.928 * s];
    const cos = Math.cos((hue * Math.PI) / 180);
    const sin = Math.sin((hue * Math.PI) / 180);
    const rotate = [
      0.213 + cos * 0.787 - sin * 0.213, 0.715 - cos * 0.715 - sin * 0.715, 0.072 - cos * 0.072 + sin * 0.928,
      0.213 - cos * 0.213 + sin * 0.143, 0.715 + cos * 0.285 + sin * 0.14, 0.072 - cos * 0.072 - sin * 0.283,
      0.213 - cos * 0.213 - sin * 0.787, 0.715 - cos * 0.715 + sin * 0.715, 0.072 + cos * 0.928 + sin * 0.072,
    ];
    matrix = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) matrix[r * 3 + c]! += rotate[r * 3 + k]! * saturate[k * 3 + c]!;
  }
  const a = (1 - g.lift) * g.contrast;
  const b = g.lift * 255 + (1 - g.lift) * 128 * (1 - g.contrast);
  const modulated = g.brightness !== 1 || matrix !== null;
  return { perChannel, matrix, a, b, rounding: modulated && a === 1 && b === 0 ? 0.5 : 0 };
}

/**
 * The white-balanced photo's grey level, one byte a pixel, with its histogram, in one pass (the
 * libvips stages it replaces, `linear(gains)` then `toColourspace('b-w')`, convert to float
 * linear light and back). Rec. 709 weights on the 8-bit values: within a quarter of a level of
 * libvips' luminance on average, on photos.
 */
export async function balancedGrey(rgb: { data: Buffer; width: number; height: number }, gains: number[]): Promise<{ grey: Buffer; histogram: Uint32Array }> {
  // Fixed point, 16 bits: each channel's weighted value after its gain (rounded and clipped as 8-bit).
  const weighted = [13933, 46871, 4732].map((w, c) => Uint32Array.from({ length: 256 }, (_, v) => w * Math.min(255, Math.max(0, Math.round(gains[c]! * v)))));
  const [r, g, b] = weighted as [Uint32Array, Uint32Array, Uint32Array];
  const n = rgb.width * rgb.height;
  const grey = Buffer.allocUnsafe(n);
  const histogram = new Uint32Array(256);
  const src = rgb.data;
  for (let start = 0; start < n; start += SLICE_PIXELS) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(n, start + SLICE_PIXELS);
    for (let p = start, i = start * 3; p < end; p++, i += 3) {
      const v = (r[src[i]!]! + g[src[i + 1]!]! + b[src[i + 2]!]! + 32768) >>> 16;
      grey[p] = v;
      histogram[v]!++;
    }
  }
  return { grey, histogram };
}

export interface PointPassInput {
  /** The decoded photo, 8-bit RGB. */
  rgb: { data: Buffer; width: number; height: number };
  /** `[channel * 256 + value]` → white-balanced and levelled value. */
  levels: Uint8Array;
  /** Grey level of the levelled photo and its Gaussian blur (one byte a pixel), for sharpening. */
  grey: Uint8Array;
  blurred: Uint8Array;
  sharpen: Float32Array;
  /**
   * The local-contrast soft-light map, smaller than the photo: stretched over it (bilinear). It
   * may still be on its way: the levels and sharpening are applied meanwhile.
   */
  map: PointPassMap | Promise<PointPassMap>;
  softLight: Uint8Array;
  grade: GradeTables;
}

interface PointPassMap {
  data: Buffer;
  width: number;
  height: number;
}

/** Pixels per slice of the pass; the event loop runs between slices (a 4K photo is ~40 slices). */
const SLICE_PIXELS = 1 << 18;

/**
 * Levels, sharpening, local contrast and grade of every pixel, in slices of rows with the event
 * loop free between them. Each row is levelled and sharpened first, then blended with the
 * local-contrast map and graded in place. The map may still be on its way (measured on libvips'
 * thread meanwhile): the rows before it arrives are only levelled and sharpened, and blended
 * once it is there. Returns the graded 8-bit RGB.
 */
export async function pointPass(p: PointPassInput): Promise<Buffer> {
  const { width: W, height: H } = p.rgb;
  const out = Buffer.allocUnsafe(W * H * 3);
  let arrived: PointPassMap | null = null;
  const map = Promise.resolve(p.map);
  map.then(
    (m) => (arrived = m),
    () => undefined, // awaited below
  );
  // The levelled value gets CLAMP_OFFSET added, so that adding the sharpening delta and clamping
  // is one more lookup.
  const levelled = new Int16Array(3 * 256);
  for (let i = 0; i < levelled.length; i++) levelled[i] = p.levels[i]! + CLAMP_OFFSET;
  const level: LevelTables = {
    src: p.rgb.data,
    grey: p.grey,
    blurred: p.blurred,
    sharpenDelta: Int16Array.from(p.sharpen, (d) => Math.round(d)),
    levelled,
    clamped: Uint8Array.from({ length: 2 * CLAMP_OFFSET }, (_, i) => Math.min(255, Math.max(0, i - CLAMP_OFFSET))),
  };

  const rowsPerSlice = Math.max(1, Math.floor(SLICE_PIXELS / W));
  let blend: BlendTables | null = null;
  /** Rows levelled before the map arrived, still to be blended. */
  let waiting = 0;
  for (let top = 0; top < H; top += rowsPerSlice) {
    if (top > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!blend && arrived) blend = blendTables(p, W, H, arrived);
    const bottom = Math.min(H, top + rowsPerSlice);
    for (let y = top; y < bottom; y++) {
      levelRow(level, out, W, y);
      if (blend) blendRow(blend, out, W, y);
    }
    if (!blend) waiting = bottom;
  }
  blend ??= blendTables(p, W, H, await map);
  for (let top = 0; top < waiting; top += rowsPerSlice) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let y = top, bottom = Math.min(waiting, top + rowsPerSlice); y < bottom; y++) blendRow(blend, out, W, y);
  }
  return out;
}

interface LevelTables {
  src: Buffer;
  grey: Uint8Array;
  blurred: Uint8Array;
  sharpenDelta: Int16Array;
  levelled: Int16Array;
  clamped: Uint8Array;
}

/** Levels and sharpening of row `y` of the photo into `out`. */
function levelRow(t: LevelTables, out: Buffer, W: number, y: number): void {
  const { src, grey, blurred, sharpenDelta, levelled, clamped } = t;
  for (let px = y * W, i = px * 3, end = px + W; px < end; px++, i += 3) {
    const d = sharpenDelta[(grey[px]! << 8) | blurred[px]!]!;
    out[i] = clamped[levelled[src[i]!]! + d]!;
    out[i + 1] = clamped[levelled[256 + src[i + 1]!]! + d]!;
    out[i + 2] = clamped[levelled[512 + src[i + 2]!]! + d]!;
  }
}

interface BlendTables {
  H: number;
  map: Uint8Array;
  mw: number;
  mh: number;
  /** Per output column: the map column to its left and the weight of the one to its right. */
  x0: Int32Array;
  wx: Float32Array;
  mapRow: Float32Array;
  contrastRow: Int32Array;
  /** The blend and the grade composed per channel, `[channel << 16 | map << 8 | value]`: bytes without a matrix, else the value the matrix takes. */
  blendGraded: Uint8Array | null;
  blendScaled: Float32Array;
  matrix: Float64Array;
  a: number;
  b: number;
  bias: number;
}

function blendTables(p: PointPassInput, W: number, H: number, m: PointPassMap): BlendTables {
  const { grade } = p;
  const bias = grade.rounding;
  const blendGraded = grade.matrix === null ? new Uint8Array(3 << 16) : null;
  const blendScaled = new Float32Array(grade.matrix === null ? 0 : 3 << 16);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 1 << 16; i++) {
      const v = grade.perChannel[c * 256 + p.softLight[i]!]!;
      if (blendGraded) blendGraded[(c << 16) | i] = toByte(grade.a * v + grade.b, bias);
      else blendScaled[(c << 16) | i] = v;
    }
  }
  // Where each output column falls on the map (pixel centres aligned, as libvips resizes).
  const { width: mw, height: mh } = m;
  const x0 = new Int32Array(W);
  const wx = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const fx = Math.min(mw - 1, Math.max(0, ((x + 0.5) * mw) / W - 0.5));
    x0[x] = Math.min(mw - 2, Math.floor(fx));
    wx[x] = fx - x0[x]!;
  }
  return {
    H,
    map: m.data,
    mw,
    mh,
    x0,
    wx,
    mapRow: new Float32Array(mw),
    contrastRow: new Int32Array(W),
    blendGraded,
    blendScaled,
    matrix: grade.matrix ?? new Float64Array(9),
    a: grade.a,
    b: grade.b,
    bias,
  };
}

/** The soft-light blend with the map, then the grade, of row `y` of `out`, in place. */
function blendRow(t: BlendTables, out: Buffer, W: number, y: number): void {
  const { H, map, mw, mh, x0, wx, mapRow, contrastRow, blendGraded } = t;
  const fy = Math.min(mh - 1, Math.max(0, ((y + 0.5) * mh) / H - 0.5));
  const y0 = Math.min(mh - 2, Math.floor(fy));
  const wy = fy - y0;
  for (let j = 0; j < mw; j++) mapRow[j] = map[y0 * mw + j]! * (1 - wy) + map[(y0 + 1) * mw + j]! * wy;
  for (let x = 0; x < W; x++) {
    const k = x0[x]!;
    contrastRow[x] = ((mapRow[k]! + (mapRow[k + 1]! - mapRow[k]!) * wx[x]! + 0.5) | 0) << 8;
  }
  const i0 = y * W * 3;
  if (blendGraded) {
    for (let x = 0, i = i0; x < W; x++, i += 3) {
      const contrast = contrastRow[x]!;
      out[i] = blendGraded[contrast | out[i]!]!;
      out[i + 1] = blendGraded[65536 | contrast | out[i + 1]!]!;
      out[i + 2] = blendGraded[131072 | contrast | out[i + 2]!]!;
    }
    return;
  }
  const { blendScaled: scaled, a, b, bias } = t;
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = t.matrix as unknown as number[];
  for (let x = 0, i = i0; x < W; x++, i += 3) {
    const contrast = contrastRow[x]!;
    const pr = scaled[contrast | out[i]!]!;
    const pg = scaled[65536 | contrast | out[i + 1]!]!;
    const pb = scaled[131072 | contrast | out[i + 2]!]!;
    out[i] = toByte(a * (m0! * pr + m1! * pg + m2! * pb) + b, bias);
    out[i + 1] = toByte(a * (m3! * pr + m4! * pg + m5! * pb) + b, bias);
    out[i + 2] = toByte(a * (m6! * pr + m7! * pg + m8! * pb) + b, bias);
  }
}

/** Room for the sharpening delta (at most ±y2/y3 in L*, well under 256 grey levels) around 0–255. */
const CLAMP_OFFSET = 512;

function toByte(v: number, bias: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : (v + bias) | 0;
}
