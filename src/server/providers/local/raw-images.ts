import sharp, { type Sharp } from 'sharp';
import type { OutputNote } from '../../../contract/index.js';

/**
 * What the local engine's pipelines share: decoding to raw 8-bit pixels at the output size,
 * moving raw images in and out of sharp, and encoding the result.
 */

export interface EncodedImage {
  data: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** What the person should know about this output (e.g. straightening found no lines to go by). */
  note?: OutputNote;
}

export interface PipelineHooks {
  /** Called between stages with the fraction of the pipeline done (0..1). May throw to stop. */
  step?(fraction: number): void;
}

/** Which input could not be decoded; the provider turns it into a job error. */
export class UnreadableImageError extends Error {
  constructor(
    readonly input: 'image' | 'mask' | 'reference',
    override readonly cause: unknown,
  ) {
    super(`The ${input} could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'UnreadableImageError';
  }
}

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface Decoded {
  rgb: Raw;
  /** The input's alpha at the output size, when it had one (the output is then PNG). */
  alpha: Raw | null;
}

const JPEG_OPTIONS = {
  quality: 88,
  progressive: true,
  // mozjpeg's trellis quantisation is ~4x slower at 4K for ~20 % fewer bytes; outputs are
  // served once from our own disk, so latency wins.
  mozjpeg: false,
} as const;

/** Output size whose long side is exactly `longSide`, aspect ratio kept (rounded). */
export function fitLongSide(width: number, height: number, longSide: number): { width: number; height: number } {
  if (width >= height) return { width: longSide, height: Math.max(1, Math.round((height * longSide) / width)) };
  return { width: Math.max(1, Math.round((width * longSide) / height)), height: longSide };
}

export async function metadataOf(input: Buffer, which: UnreadableImageError['input']) {
  try {
    const meta = await sharp(input, { autoOrient: true }).metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw new Error('the image has no dimensions');
    return { width, height, hasAlpha: meta.hasAlpha === true };
  } catch (err) {
    throw new UnreadableImageError(which, err);
  }
}

/** Upright, resized to the output size (lanczos3), 8-bit sRGB; alpha split off. */
export async function decode(input: Buffer, longSide: number, which: UnreadableImageError['input']): Promise<Decoded> {
  const meta = await metadataOf(input, which);
  const size = fitLongSide(meta.width, meta.height, longSide);
  try {
    let s = sharp(input, { autoOrient: true }).resize({ ...size, fit: 'fill', kernel: 'lanczos3' }).toColourspace('srgb');
    s = meta.hasAlpha ? s.ensureAlpha() : s.removeAlpha();
    const all = await rawOf(s);
    if (all.channels !== 4) return { rgb: all, alpha: null };
    const [rgb, alpha] = await Promise.all([rawOf(toSharp(all).removeAlpha()), rawOf(toSharp(all).extractChannel(3))]);
    return { rgb, alpha };
  } catch (err) {
    throw new UnreadableImageError(which, err);
  }
}

/** Encodes, rejoining alpha; `ops` (if any) run inside the encoding pipeline when they can. */
export async function finish(rgb: Raw, alpha: Raw | null, ops: ((s: Sharp) => Sharp) | null): Promise<EncodedImage> {
  if (!alpha) return encode(ops ? ops(toSharp(rgb)) : toSharp(rgb), false);
  // joinChannel runs before recomb and friends in sharp's pipeline, so process colour first.
  const colour = ops ? await rawOf(ops(toSharp(rgb))) : rgb;
  return encode(toSharp(colour).joinChannel(alpha.data, { raw: rawInfo(alpha) }), true);
}

/** JPEG, or PNG when there is alpha. sharp writes no metadata unless asked to. */
export async function encode(s: Sharp, withAlpha: boolean): Promise<EncodedImage> {
  const { data, info } = await (withAlpha ? s.png({ compressionLevel: 6 }) : s.jpeg(JPEG_OPTIONS)).toBuffer({ resolveWithObject: true });
  return { data, contentType: withAlpha ? 'image/png' : 'image/jpeg', width: info.width, height: info.height };
}

// ---------------------------------------------------------------------------------------------
// Raw helpers

export function rawInfo(r: Raw) {
  return { width: r.width, height: r.height, channels: r.channels };
}

export function toSharp(r: Raw): Sharp {
  return sharp(r.data, { raw: rawInfo(r) });
}

export async function rawOf(s: Sharp): Promise<Raw> {
  const { data, info } = await s.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`unexpected ${channels}-channel intermediate image`);
  return { data, width: info.width, height: info.height, channels };
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
