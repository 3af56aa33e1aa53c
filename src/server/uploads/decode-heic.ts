import heicDecode from 'heic-decode';
import { imageTooLarge, imageUnreadable } from './upload-errors.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** 4 bytes per pixel (RGBA), row-major; a view on the decoder's output, not a copy. */
  data: Buffer;
}

/**
 * Decodes the first top-level image of a HEIC file to RGBA.
 *
 * sharp's prebuilt libvips reads HEIF containers but has no HEVC decoder (patents), so
 * iPhone photos go through heic-decode (libheif + libde265 compiled to WASM). libheif
 * applies the file's rotation/mirror properties while decoding, so the pixels come out
 * upright and must not be rotated again.
 *
 * The file is parsed first and its declared size checked against `maxPixels`, so a
 * bomb is refused before the decoder allocates width × height × 4 bytes.
 *
 * The decode runs synchronously inside WASM (about a second for a 12 MP photo) and blocks the
 * event loop meanwhile: uploads use the decoder thread (heic-thread.ts), and this in-thread
 * version only where a worker cannot be started.
 */
export async function decodeHeic(data: Buffer, maxPixels: number): Promise<RgbaImage> {
  let images: Awaited<ReturnType<typeof heicDecode.all>>;
  try {
    images = await heicDecode.all({ buffer: data });
  } catch (cause) {
    throw imageUnreadable(cause);
  }
  try {
    const first = images[0];
    if (!first) throw imageUnreadable(new Error('HEIC file holds no image'));
    if (first.width * first.height > maxPixels) throw imageTooLarge(maxPixels, first.width, first.height);
    let decoded: Awaited<ReturnType<typeof first.decode>>;
    try {
      decoded = await first.decode();
    } catch (cause) {
      throw imageUnreadable(cause);
    }
    const { width, height } = decoded;
    if (width <= 0 || height <= 0 || decoded.data.byteLength !== width * height * 4) {
      throw imageUnreadable(new Error(`HEIC decoder returned ${decoded.data.byteLength} bytes for ${width}×${height}`));
    }
    return {
      width,
      height,
      data: Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength),
    };
  } finally {
    images.dispose();
  }
}
