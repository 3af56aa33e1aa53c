import sharp from 'sharp';
import { clamp, type Raw } from './raw-images.js';

/**
 * Window pull, the real-estate photographer's edit for blown-out windows: with a mask painted
 * over the windows, the bright parts under it are taken from a source that still holds their
 * detail and tone-compressed into the top of the range, so that the view outside and the
 * window frames show instead of flat white.
 *
 * The source is the photo itself before enhancement (render enhancement: levels, sharpening and
 * local contrast push a window's 230–250 into 255) or the darkest usable bracket of an HDR
 * merge, aligned and exposure-matched to the fused photo (its window pixels then run above 255:
 * real highlight detail the fusion had to squeeze).
 *
 * The change is weighted twice: by the feathered mask, and by the source's own brightness
 * (a smooth step from {@link BRIGHT_FROM} to {@link BRIGHT_TO}, on lightly blurred luminance).
 * Window frames, walls and sills under the mask or its feather are darker than the step and
 * stay exactly as enhanced, so the edit's boundary lies on the glass's own edge and no halo
 * (a darkened band on the wall round the window) can form.
 */

/** Below this luminance (8-bit sRGB units) the tone curve is the identity. */
export const KNEE = 200;
/** What the brightest window pixel becomes: white enough to read as daylight, not clipped. */
export const WINDOW_WHITE = 236;
/** The brightness weight rises from 0 here… */
const BRIGHT_FROM = 196;
/** …to 1 here. */
const BRIGHT_TO = 232;
/** Fine detail (siding, leaves, glazing bars) keeps at least this share of its contrast however hard the base is compressed. */
const DETAIL_FLOOR = 1.3;

/** A source for the windows: RGB at the output size, in 8-bit sRGB units that may exceed 255 (an exposure-matched bracket). */
export interface WindowSource {
  width: number;
  height: number;
  /** 3 values a pixel. */
  rgb: Float32Array;
}

export function sourceOf(raw: Raw): WindowSource {
  return { width: raw.width, height: raw.height, rgb: Float32Array.from(raw.data) };
}

const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * The highlight shoulder: identity up to {@link KNEE}, then `[KNEE, top]` onto
 * `[KNEE, WINDOW_WHITE]` along `1 − e^(−a·t)`, with `a` chosen so the slope is 1 at the knee
 * (no kink) and the curve rises to the end (monotone, never a reversal).
 */
export function shoulder(top: number): (y: number) => number {
  const span = Math.max(1, top - KNEE);
  const room = WINDOW_WHITE - KNEE;
  const s0 = span / room;
  // g'(0) = a / (1 − e^(−a)) = s0; the left side rises monotonically from 1, so bisect. s0 ≤ 1 needs no compression.
  let a = 0;
  if (s0 > 1) {
    let lo = 1e-6;
    let hi = 4 * s0 + 4;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (mid / (1 - Math.exp(-mid)) < s0) lo = mid;
      else hi = mid;
    }
    a = (lo + hi) / 2;
  }
  const norm = 1 - Math.exp(-a);
  return (y) => {
    if (y <= KNEE || a === 0) return Math.min(y, WINDOW_WHITE);
    const t = Math.min(1, (y - KNEE) / span);
    return KNEE + (room * (1 - Math.exp(-a * t))) / norm;
  };
}

async function blurFloat(values: Float32Array, width: number, height: number, sigma: number): Promise<Float32Array> {
  // 'grey16' keeps libvips from reading one float channel as sRGB (which would clip it to 0–1).
  const out = await sharp(values, { raw: { width, height, channels: 1 } }).blur(sigma).toColourspace('grey16').raw({ depth: 'float' }).toBuffer();
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
}

/**
 * The enhanced photo with its windows pulled from `source` under the feathered `mask`
 * (one 8-bit channel, white = window). Pixels outside the mask's reach are `enhanced`'s, byte
 * for byte.
 */
export async function pullWindows(enhanced: Raw, source: WindowSource, mask: Raw): Promise<Raw> {
  const { width, height } = enhanced;
  const n = width * height;
  const src = source.rgb;
  const y = new Float32Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 3) y[p] = luma(src[i]!, src[i + 1]!, src[i + 2]!);
  const long = Math.max(width, height);
  // The base layer the curve compresses (detail finer than ~1/500 of the photo rides on top), and
  // a lighter blur for the brightness weight, so that noise does not make it flicker.
  const [base, weightLuma] = await Promise.all([blurFloat(y, width, height, Math.max(1, long / 500)), blurFloat(y, width, height, Math.max(0.8, long / 1500))]);

  // How far the windows' highlights reach: the curve maps the 99.5th percentile under the mask to WINDOW_WHITE.
  const under: number[] = [];
  for (let p = 0; p < n; p += 7) if (mask.data[p]! > 128) under.push(base[p]!);
  under.sort((a, b) => a - b);
  const top = Math.max(255, under.length ? under[Math.floor(under.length * 0.995)]! : 255);
  const curve = shoulder(top);
  const slope = (v: number) => curve(v + 0.5) - curve(v - 0.5);

  const out = Buffer.from(enhanced.data);
  const e = enhanced.data;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const k = mask.data[p]! / 255;
    if (k === 0) continue;
    const t = clamp((weightLuma[p]! - BRIGHT_FROM) / (BRIGHT_TO - BRIGHT_FROM), 0, 1);
    const w = k * t * t * (3 - 2 * t);
    if (w === 0) continue;
    const b = base[p]!;
    const detail = y[p]! - b;
    const target = curve(b) + detail * Math.max(DETAIL_FLOOR, slope(b));
    const ratio = y[p]! > 1 ? target / y[p]! : 1;
    for (let c = 0; c < 3; c++) {
      const pulled = clamp(src[i + c]! * ratio, 0, 255);
      out[i + c] = clamp(Math.round(e[i + c]! + w * (pulled - e[i + c]!)), 0, 255);
    }
  }
  return { data: out, width, height, channels: 3 };
}

/** One bracket as hdr-merge decoded it, with the shift the merge aligned it by. */
export interface Bracket {
  /** RGB at the output size. */
  pixels: Buffer;
  /** Mean luminance (which bracket is darker). */
  brightness: number;
  /** The merge's alignment: the bracket's pixel (x + dx, y + dy) shows the reference's (x, y). */
  shift: [number, number];
}

/** Below this median luminance under the mask, a bracket's windows are crushed: too dark to show the view. */
const CRUSHED = 24;
const GAMMA = 2.2;
const LINEAR = Float32Array.from({ length: 256 }, (_, v) => (v / 255) ** GAMMA);

/** The bracket moved by its merge shift (rounded to whole pixels), edges repeated. */
async function aligned(b: Bracket, width: number, height: number): Promise<Buffer> {
  const dx = Math.round(b.shift[0]);
  const dy = Math.round(b.shift[1]);
  if (!dx && !dy) return b.pixels;
  const raw = { width, height, channels: 3 as const };
  const padded = await sharp(b.pixels, { raw })
    .extend({ top: Math.max(0, -dy), bottom: Math.max(0, dy), left: Math.max(0, -dx), right: Math.max(0, dx), extendWith: 'copy' })
    .raw()
    .toBuffer();
  return sharp(padded, { raw: { width: width + Math.abs(dx), height: height + Math.abs(dy), channels: 3 } })
    .extract({ left: Math.max(0, dx), top: Math.max(0, dy), width, height })
    .raw()
    .toBuffer();
}

/**
 * The windows' source for an HDR merge: the darkest bracket darker than the reference whose
 * windows are not crushed, aligned as the merge aligned it, and exposure-matched to the fused
 * photo in linear light: the median ratio over the pixels under the mask that neither clips nor
 * crushes, windows included, so that the view keeps the brightness the fusion chose for it
 * (a natural one) and gains the bracket's own detail, whose brightest part the curve then fits
 * under white. Null when no bracket is usable (the fused photo is then its own source).
 */
export async function bracketSource(fused: Raw, brackets: Bracket[], reference: number, mask: Raw): Promise<WindowSource | null> {
  const { width, height } = fused;
  const n = width * height;
  const darker = brackets.filter((b, i) => i !== reference && b.brightness < brackets[reference]!.brightness).sort((a, b) => a.brightness - b.brightness);
  for (const bracket of darker) {
    const px = await aligned(bracket, width, height);
    const under: number[] = [];
    const ratios: number[] = [];
    for (let p = 0, i = 0; p < n; p++, i += 3) {
      if (mask.data[p]! <= 128) continue;
      const d = luma(px[i]!, px[i + 1]!, px[i + 2]!);
      under.push(d);
      const f = luma(fused.data[i]!, fused.data[i + 1]!, fused.data[i + 2]!);
      if (d >= 16 && d <= 250 && f >= 16 && f <= 250) ratios.push(((f / 255) ** GAMMA) / ((d / 255) ** GAMMA));
    }
    if (under.length === 0) return null;
    under.sort((a, b) => a - b);
    if (under[under.length >> 1]! < CRUSHED) continue;
    ratios.sort((a, b) => a - b);
    const gain = ratios.length >= 100 ? ratios[ratios.length >> 1]! : 1;
    const rgb = new Float32Array(n * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = 255 * (LINEAR[px[i]!]! * gain) ** (1 / GAMMA);
    return { width, height, rgb };
  }
  return null;
}
