import sharp, { type Metadata, type Sharp } from 'sharp';
import { ApiError } from '../errors.js';
import { decodeHeic, type RgbaImage } from './decode-heic.js';
import { decodeHeicOffThread } from './heic-thread.js';
import { formatMegapixels, type UploadLimitsConfig } from './limits.js';
import { inspectStructure } from './inspect-structure.js';
import { sniffImageType } from './sniff-image-type.js';
import {
  emptyUpload,
  imageTooLarge,
  imageUnreadable,
  payloadTooLarge,
  unsupportedImageFormat,
} from './upload-errors.js';

/** `mask`: a painted area (black/white), kept lossless; otherwise a photo or reference image. */
export type UploadPurpose = 'photo' | 'mask';

/** What is stored for an upload: upright, metadata-free, JPEG or PNG. */
export interface NormalizedImage {
  data: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  bytes: number;
}

const JPEG_QUALITY = 92;

/**
 * Largest image whose JPEG gets optimised Huffman tables. Optimising needs a second pass over
 * the whole image's DCT coefficients, which libjpeg keeps in memory: about 6 bytes a pixel at
 * this quality (no chroma subsampling), so 290 MB for a legal 50-megapixel photo on top of its
 * decoding, for a file 2–17 % smaller. Up to 16 megapixels that is under 100 MB; above, the
 * stored copy is a little larger and the coefficients are streamed.
 */
const OPTIMISE_CODING_MAX_PIXELS = 16_000_000;

/**
 * Largest WebP decoded at its own size. libwebp decodes a whole frame into a buffer of its own
 * and libvips copies it again, so a legal 50-megapixel WebP held about 390 MB of native memory
 * (JPEG and PNG decode in strips: about 165 MB at 50 MP). Above this a WebP is decoded scaled
 * down by libwebp itself (shrink-on-load), to at most this many pixels, which peaks near 210 MB.
 * Nothing is lost in a result: 16 megapixels is more than every output needs (4K is 3840 px on
 * the long side, and 16 MP is at least 4,000 px on it for any aspect up to 1:1).
 */
export const WEBP_FULL_DECODE_MAX_PIXELS = 16_000_000;

/**
 * Longest a decode-and-encode may take. A legal 50-megapixel photo takes a few seconds on a busy
 * 2-core machine; anything that takes far longer is built to hold a decoder, and is refused.
 */
const DECODE_TIMEOUT_SECONDS = 30;

/**
 * `'error'` rather than sharp's default `'warning'`: it still refuses truncated files and
 * decoder errors (so half a photo is never stored), but tolerates the harmless libjpeg
 * warnings some phone cameras trigger (e.g. "extraneous bytes before marker"), which
 * `'warning'` would turn into a refused upload the user can do nothing about.
 */
const FAIL_ON = 'error' as const;

/**
 * Turns untrusted image bytes into the stored form. Shared by uploads, masks and
 * reference images so all of them pass the same format, size and pixel checks.
 *
 * - format by magic bytes only (see sniff-image-type.ts);
 * - pixel count from the header before any decode, so a decompression bomb is refused
 *   cheaply; sharp's `limitInputPixels` repeats the check as a backstop;
 * - EXIF orientation applied, then every metadata block (EXIF incl. GPS, XMP, IPTC,
 *   ICC) dropped: sharp's default output converts to sRGB and keeps no metadata;
 * - only the first frame of an animated GIF/WebP (sharp reads one page by default);
 * - PNG if any pixel is actually transparent, JPEG otherwise — an opaque PNG that merely
 *   carries an alpha channel becomes JPEG, because providers and the local engine work on
 *   photos and a JPEG is a fraction of the size.
 */
export async function normalizeImage(data: Buffer, limits: UploadLimitsConfig, opts: { purpose?: UploadPurpose } = {}): Promise<NormalizedImage> {
  if (data.byteLength === 0) throw emptyUpload();
  if (data.byteLength > limits.maxBytes) throw payloadTooLarge(limits.maxBytes);
  const type = sniffImageType(data);
  if (type === null) throw unsupportedImageFormat();
  data = inspectStructure(data, type);

  const header = await readHeader(data);
  if (header.width * header.height > limits.maxPixels) {
    throw imageTooLarge(limits.maxPixels, header.width, header.height);
  }

  try {
    if (opts.purpose === 'mask') return await encodeMask(data, limits.maxPixels);
    if (type === 'heic') return await encodeRgba(await decodeHeicSomewhere(data, limits.maxPixels), limits.maxPixels);
    return await encodeDecodable(data, header, type === 'webp', limits.maxPixels);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw fromSharpError(error, limits.maxPixels);
  }
}

/** On the decoder thread; in this thread only where no worker can be started. */
function decodeHeicSomewhere(data: Buffer, maxPixels: number): Promise<RgbaImage> {
  try {
    return decodeHeicOffThread(data, maxPixels);
  } catch {
    return decodeHeic(data, maxPixels);
  }
}

/**
 * Reads only the header. `limitInputPixels: false` here because sharp would otherwise
 * throw its own terse error before we can say how large the image is.
 */
async function readHeader(data: Buffer): Promise<{ width: number; height: number; hasAlpha: boolean }> {
  let header: Metadata;
  try {
    header = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw imageUnreadable(cause);
  }
  const { width, height, hasAlpha } = header;
  if (!(width > 0 && height > 0)) throw imageUnreadable(new Error(`header declares ${width}×${height}`));
  return { width, height, hasAlpha };
}

async function encodeDecodable(data: Buffer, header: { width: number; height: number; hasAlpha: boolean }, webp: boolean, maxPixels: number): Promise<NormalizedImage> {
  const pixels = header.width * header.height;
  // A large WebP is read scaled down by its decoder (see WEBP_FULL_DECODE_MAX_PIXELS).
  const scale = webp && pixels > WEBP_FULL_DECODE_MAX_PIXELS ? Math.sqrt(WEBP_FULL_DECODE_MAX_PIXELS / pixels) : 1;
  const open = () => {
    const image = sharp(data, { failOn: FAIL_ON, limitInputPixels: maxPixels }).timeout({ seconds: DECODE_TIMEOUT_SECONDS });
    // A square box around the long side: sharp turns the image upright before resizing, and
    // `inside` keeps its proportions whichever way it ends up.
    const side = Math.floor(Math.max(header.width, header.height) * scale);
    return scale < 1 ? image.resize(side, side, { fit: 'inside' }) : image;
  };
  // Reading the alpha decodes the image a second time; only images that can be transparent pay that.
  const transparent = header.hasAlpha && (scale < 1 ? await hasTransparentAlpha(open()) : !(await open().stats()).isOpaque);
  return encode(open().autoOrient(), transparent, scale < 1 ? WEBP_FULL_DECODE_MAX_PIXELS : pixels);
}

/** Whether any pixel of the pipeline's output is transparent. sharp's stats() would read the input at full size instead. */
async function hasTransparentAlpha(pipeline: Sharp): Promise<boolean> {
  const alpha = await pipeline.extractChannel('alpha').raw().toBuffer();
  for (const a of alpha) if (a !== 255) return true;
  return false;
}

/**
 * A mask stays lossless: JPEG would smear its hard black/white edge into grey fringes, and the
 * engine reads every grey as a partial selection. Stored as 8-bit greyscale PNG (transparent
 * pixels count as black, "not selected").
 */
async function encodeMask(data: Buffer, maxPixels: number): Promise<NormalizedImage> {
  const { data: out, info } = await sharp(data, { failOn: FAIL_ON, limitInputPixels: maxPixels })
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .autoOrient()
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .png()
    .toBuffer({ resolveWithObject: true });
  return { data: out, contentType: 'image/png', width: info.width, height: info.height, bytes: out.byteLength };
}

async function encodeRgba(image: RgbaImage, maxPixels: number): Promise<NormalizedImage> {
  const pipeline = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 4 },
    limitInputPixels: maxPixels,
  });
  return encode(pipeline, hasTransparentPixel(image.data), image.width * image.height);
}

async function encode(pipeline: Sharp, transparent: boolean, pixels: number): Promise<NormalizedImage> {
  const output = transparent
    ? pipeline.png()
    : pipeline.removeAlpha().jpeg({ quality: JPEG_QUALITY, optimiseCoding: pixels <= OPTIMISE_CODING_MAX_PIXELS });
  const { data, info } = await output.toBuffer({ resolveWithObject: true });
  return {
    data,
    contentType: transparent ? 'image/png' : 'image/jpeg',
    width: info.width,
    height: info.height,
    bytes: data.byteLength,
  };
}

function hasTransparentPixel(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

function fromSharpError(error: unknown, maxPixels: number): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  // The header check above normally catches this first; sharp's own limit is the backstop.
  if (/^timeout/i.test(message)) {
    const slow = new ApiError('image_unreadable', 'The image took far too long to read: save it again as an ordinary JPEG or PNG and upload that.', { reason: 'too_slow' });
    slow.cause = error;
    return slow;
  }
  if (/exceeds pixel limit/i.test(message)) {
    const tooLarge = new ApiError(
      'image_too_large',
      `The image has more than ${formatMegapixels(maxPixels)}: scale it down and upload it again.`,
      { limit_pixels: maxPixels },
    );
    tooLarge.cause = error;
    return tooLarge;
  }
  return imageUnreadable(error);
}
