/**
 * The decode → downscale → encode pipeline. It uses only APIs that exist both in a
 * dedicated worker and on the main thread, so the worker and the fallback share it.
 */
import { ImagePreparationError } from './errors.js';
import { isTruncated, readImageSize, sniffImageType, type ImageSize } from './sniff.js';
import type { PrepareImageOptions, PreparedImage, PreparedImageType } from './types.js';

/** What crosses `postMessage`: the options without the signal, which cannot be cloned. */
export type CoreOptions = Omit<PrepareImageOptions, 'signal' | 'worker'>;

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
type Ctx2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

const ALPHA_CAPABLE = new Set(['image/png', 'image/webp', 'image/gif', 'image/avif']);

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function makeCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas: AnyCanvas, type: string, quality: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality }).catch(() => null);
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

const encodable = new Map<string, Promise<boolean>>();

/**
 * Whether this browser's canvas encodes `type`. Asked for a type it cannot encode, a canvas
 * silently hands back PNG: Safari and WebKitGTK have no WebP encoder. Tried once on a 1×1
 * canvas, then remembered.
 */
export function canEncode(type: PreparedImageType): Promise<boolean> {
  let known = encodable.get(type);
  if (!known) {
    const canvas = makeCanvas(1, 1);
    // An OffscreenCanvas without a context refuses to encode at all.
    canvas.getContext('2d');
    known = encode(canvas, type, 0.9).then(
      (blob) => blob?.type === type,
      () => false,
    );
    encodable.set(type, known);
  }
  return known;
}

/**
 * The type to encode: the one asked for where the browser can encode it, else for WebP the
 * lossless PNG where there is transparency to keep and JPEG where there is none.
 */
async function encodableType(wanted: PreparedImageType, transparent: boolean): Promise<PreparedImageType> {
  if (wanted !== 'image/webp' || (await canEncode(wanted))) return wanted;
  return transparent ? 'image/png' : 'image/jpeg';
}

function hasTransparency(ctx: Ctx2D, width: number, height: number): boolean {
  const data = ctx.getImageData(0, 0, width, height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i]! < 255) return true;
  return false;
}

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);
}

function tooManyPixels(width: number, height: number, maxPixels: number, sourceType?: string): ImagePreparationError {
  return new ImagePreparationError(
    'too_many_pixels',
    `This image is ${megapixels(width * height)} megapixels (${width} × ${height}); the limit is ${megapixels(maxPixels)} megapixels.`,
    { width, height, maxPixels, sourceType },
  );
}

async function decodeWithImg(blob: Blob): Promise<ImageBitmap> {
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return await createImageBitmap(img);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function prepareHere(blob: Blob, opts: CoreOptions, signal?: AbortSignal): Promise<PreparedImage> {
  throwIfAborted(signal);
  if (blob.size === 0) throw new ImagePreparationError('empty_file', 'This file is empty (0 bytes).');
  const maxLongSide = Math.max(1, Math.floor(opts.maxLongSide));
  const quality = opts.quality ?? 0.9;

  const header: ImageSize | null = await readImageSize(blob).catch(() => null);
  if (header && opts.maxPixels && header.width * header.height > opts.maxPixels) {
    throw tooManyPixels(header.width, header.height, opts.maxPixels, header.type);
  }
  // A damaged file is refused by its own structure, whatever the browser makes of it.
  const sniffed = await sniffImageType(blob).catch(() => null);
  if (await isTruncated(blob, sniffed).catch(() => false)) {
    throw new ImagePreparationError('truncated', 'This file is cut short: part of the image is missing.', { sourceType: sniffed ?? undefined });
  }
  throwIfAborted(signal);

  let decoded: ImageBitmap;
  try {
    // The browser applies EXIF orientation here, and only here: nothing below rotates.
    decoded = await createImageBitmap(blob, { imageOrientation: 'from-image' }).catch((err: unknown) => {
      // Firefox's createImageBitmap refuses some valid EXIF-rotated JPEGs that <img> decodes:
      // on the main thread, try the element before giving up (it applies EXIF orientation too).
      if (typeof document === 'undefined') throw err;
      return decodeWithImg(blob);
    });
  } catch {
    const type = header?.type;
    if (type === 'image/heic' || type === 'image/heif' || type === 'image/avif') {
      throw new ImagePreparationError(
        'needs_server_decode',
        `This photo is ${type === 'image/avif' ? 'AVIF' : 'HEIC'}, which this browser cannot open; it can be sent as-is for the server to convert.`,
        { sourceType: type, width: header?.width, height: header?.height },
      );
    }
    throw new ImagePreparationError(
      'undecodable',
      'This file could not be read as an image. It may be damaged or in a format the browser does not support.',
      { sourceType: type },
    );
  }

  let resized: ImageBitmap | undefined;
  try {
    throwIfAborted(signal);
    const originalWidth = decoded.width;
    const originalHeight = decoded.height;
    if (opts.maxPixels && originalWidth * originalHeight > opts.maxPixels) {
      throw tooManyPixels(originalWidth, originalHeight, opts.maxPixels, header?.type);
    }
    const scale = Math.min(1, maxLongSide / Math.max(originalWidth, originalHeight));
    const width = Math.max(1, Math.round(originalWidth * scale));
    const height = Math.max(1, Math.round(originalHeight * scale));
    if (scale < 1) {
      // Resizing the already-oriented bitmap (not the blob) keeps resize and rotation from
      // interacting, and 'high' gives a proper filtered downscale instead of point sampling.
      resized = await createImageBitmap(decoded, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
      throwIfAborted(signal);
    }

    const canvas = makeCanvas(width, height);
    const ctx = canvas.getContext('2d') as Ctx2D | null;
    if (!ctx) throw new ImagePreparationError('encode_failed', 'The browser could not allocate a canvas for this image.');
    ctx.drawImage(resized ?? decoded, 0, 0, width, height);

    const sourceType = header?.type ?? blob.type;
    const mayHaveAlpha = ALPHA_CAPABLE.has(sourceType) || !header;
    const transparent = mayHaveAlpha && hasTransparency(ctx, width, height);
    let type = await encodableType(opts.type ?? (transparent ? (opts.alphaType ?? 'image/webp') : 'image/jpeg'), transparent);
    if (type === 'image/jpeg' && transparent) {
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      ctx.globalCompositeOperation = 'source-over';
    }

    let out = await encode(canvas, type, quality);
    // Should a browser still hand back another type than it encoded a moment ago: PNG keeps
    // alpha but is large, so an opaque image goes as JPEG instead.
    if (out && out.type !== type && !transparent) {
      type = 'image/jpeg';
      out = await encode(canvas, type, quality);
    }
    if (!out || out.size === 0) {
      throw new ImagePreparationError('encode_failed', 'The browser could not encode the resized image (it may be out of memory).');
    }
    throwIfAborted(signal);
    // Already small enough in pixels and in the type it would be re-encoded to: re-encoding
    // would only add a generation of loss, and often bytes (a photo saved at a lower quality).
    // The original goes up unchanged; the server orients it and strips its metadata.
    if (scale === 1 && header?.type === (out.type || type) && out.size >= blob.size) {
      return { blob, width, height, originalWidth, originalHeight, type: header.type };
    }
    return { blob: out, width, height, originalWidth, originalHeight, type: out.type || type };
  } finally {
    decoded.close();
    resized?.close();
  }
}
