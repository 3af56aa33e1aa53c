/**
 * Why `prepareImage` could not produce an image.
 *
 * - `empty_file`: zero bytes.
 * - `undecodable`: the browser cannot read the bytes (corrupt, or not an image).
 * - `truncated`: the file is cut short by its own structure (no JPEG end marker, no PNG IEND,
 *   a WebP shorter than its header says), even where the browser would decode it anyway.
 * - `needs_server_decode`: a real photo in a format this browser cannot decode (HEIC/HEIF in
 *   Chromium and Firefox). The caller may upload the original as-is when it is within the
 *   upload limits; the server converts it.
 * - `too_many_pixels`: more pixels than `maxPixels`; refused before a full decode where the
 *   header could be read, so a decompression bomb never gets expanded in memory.
 * - `encode_failed`: the canvas could not produce a blob (out of memory, usually).
 */
export type ImagePreparationErrorCode =
  | 'empty_file'
  | 'undecodable'
  | 'truncated'
  | 'needs_server_decode'
  | 'too_many_pixels'
  | 'encode_failed';

export interface ImagePreparationErrorDetails {
  /** The type sniffed from the file's bytes, when known. */
  sourceType?: string | undefined;
  /** The displayed (orientation-applied) size of the source, when known. */
  width?: number | undefined;
  height?: number | undefined;
  maxPixels?: number | undefined;
}

export class ImagePreparationError extends Error {
  override readonly name = 'ImagePreparationError';
  readonly code: ImagePreparationErrorCode;
  readonly details: ImagePreparationErrorDetails;

  constructor(code: ImagePreparationErrorCode, message: string, details: ImagePreparationErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Plain data, because class instances lose their prototype crossing `postMessage`. */
  toJSON(): SerializedImagePreparationError {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromJSON(data: SerializedImagePreparationError): ImagePreparationError {
    return new ImagePreparationError(data.code, data.message, data.details);
  }
}

export interface SerializedImagePreparationError {
  code: ImagePreparationErrorCode;
  message: string;
  details: ImagePreparationErrorDetails;
}

export function isImagePreparationError(value: unknown): value is ImagePreparationError {
  return value instanceof ImagePreparationError;
}
