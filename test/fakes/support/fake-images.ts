/**
 * Real, decodable images for the provider fakes' outputs: derived from the input photo
 * (EXIF-upright, resized, visibly tinted so a test can tell output from input), and format
 * sniffing from the bytes. What size and format each provider returns is decided by its fake.
 */
import sharp, { type Sharp } from 'sharp';

export type OutputFormat = 'jpeg' | 'png';

export interface RenderedImage {
  bytes: Buffer;
  width: number;
  height: number;
  contentType: string;
}

/** Pixel size with the given long side, preserving `ratio` (width / height). */
export function sizeForLongSide(longSide: number, ratio: number): { width: number; height: number } {
  return ratio >= 1
    ? { width: longSide, height: Math.max(1, Math.round(longSide / ratio)) }
    : { width: Math.max(1, Math.round(longSide * ratio)), height: longSide };
}

/**
 * Produces a real, decodable "AI result": the input photo (EXIF-rotated), resized to the
 * requested long side and visibly tinted so tests can tell output from input. Without an
 * input (text-to-image) it paints a flat tinted canvas.
 */
export async function renderOutputImage(
  input: Buffer | null,
  o: { longSide: number; ratio?: number; format: OutputFormat; tint: { r: number; g: number; b: number } },
): Promise<RenderedImage> {
  let pipeline: Sharp;
  let size: { width: number; height: number };
  if (input) {
    const meta = await sharp(input).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const w = (rotated ? meta.height : meta.width) ?? 1;
    const h = (rotated ? meta.width : meta.height) ?? 1;
    size = sizeForLongSide(o.longSide, o.ratio ?? w / h);
    pipeline = sharp(input).rotate().resize({ width: size.width, height: size.height, fit: 'cover' }).tint(o.tint);
  } else {
    size = sizeForLongSide(o.longSide, o.ratio ?? 1);
    pipeline = sharp({ create: { width: size.width, height: size.height, channels: 3, background: o.tint } });
  }
  const bytes = o.format === 'png' ? await pipeline.png({ compressionLevel: 1 }).toBuffer() : await pipeline.jpeg({ quality: 80 }).toBuffer();
  return { bytes, width: size.width, height: size.height, contentType: o.format === 'png' ? 'image/png' : 'image/jpeg' };
}

/** Recognises the image formats the providers accept, from the bytes rather than any declared type. */
export async function sniffImage(bytes: Buffer): Promise<{ format: string; width: number; height: number } | null> {
  if (bytes.length === 0) return null;
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.format || !meta.width || !meta.height) return null;
    return { format: meta.format, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

/** Distinct tints so a test (or a human looking at a dump) can tell variants and providers apart. */
export const TINTS: readonly { r: number; g: number; b: number }[] = [
  { r: 255, g: 214, b: 170 },
  { r: 170, g: 210, b: 255 },
  { r: 190, g: 255, b: 190 },
  { r: 255, g: 180, b: 230 },
];

export interface RenderOptions {
  /** Longest edge of the output in pixels; the input is scaled up or down to it. */
  longEdge?: number;
  /** Multiplies the (orientation-corrected) input size; ignored when longEdge is set. */
  factor?: number;
  /** Upper bound for the longest edge when using factor. */
  maxLongEdge?: number;
  tintIndex?: number;
  brighten?: boolean;
}

/** A real PNG derived from the input: EXIF-rotated, resized, tinted. Throws if sharp cannot decode the input. */
export async function renderVariant(input: Uint8Array, opts: RenderOptions): Promise<{ data: Buffer; width: number; height: number }> {
  const meta = await sharp(input).metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const srcW = (swap ? meta.height : meta.width) ?? 0;
  const srcH = (swap ? meta.width : meta.height) ?? 0;
  if (!srcW || !srcH) throw new Error('image has no dimensions');
  let scale: number;
  if (opts.longEdge) scale = opts.longEdge / Math.max(srcW, srcH);
  else {
    scale = opts.factor ?? 1;
    if (opts.maxLongEdge) scale = Math.min(scale, opts.maxLongEdge / Math.max(srcW, srcH));
  }
  const width = Math.max(1, Math.round(srcW * scale));
  const height = Math.max(1, Math.round(srcH * scale));
  let pipeline = sharp(input).rotate().resize(width, height, { fit: 'fill' }).removeAlpha();
  if (opts.brighten) pipeline = pipeline.modulate({ brightness: 1.15 }).sharpen();
  pipeline = pipeline.tint(TINTS[(opts.tintIndex ?? 0) % TINTS.length]!);
  // Low compression: these images are read by tests, not shipped, and 4K encodes are slow on shared CI cores.
  const data = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { data, width, height };
}
