/**
 * What happens to a chosen file before it is offered for upload: its type read from its bytes,
 * its pixel count from its header, then decoded with its orientation, downscaled and re-encoded
 * (in a worker where the browser can). The dropzone imports this module, and with it the image
 * tools, when a file is first chosen: a page that only shows the drop area does not load them.
 */
import type { Upload, UploadLimits } from '../../contract/index.js';
import { StagingError, type StagingClient } from '../../client/index.js';
import { ImagePreparationError, prepareImage, sniffImageType, type PreparedImage, type PrepareImageOptions } from '../../client/image/index.js';
import '../shared/error-text-more.js';
import type { Words } from '../shared/locale.js';
import { messages } from './rejection-messages.js';
export { PREVIEW_TEXT } from './preview-text.js';
import { isAcceptedType, type DropzoneRejectionCode } from './validation.js';

/** A refusal's `message` is the sentence now (for events); `words` makes it again in the language of a later render. */
export type FileCheck = { ok: true; prepared: PreparedImage } | { ok: false; code: DropzoneRejectionCode; message: string; words: Words };

export interface FileCheckOptions {
  limits: UploadLimits;
  /** Long side of the prepared image in pixels. */
  maxLongSide: number;
  signal: AbortSignal;
}

const EXTENSIONS: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

function typeFromName(name: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return (ext && EXTENSIONS[ext]) || null;
}

const refuse = (code: DropzoneRejectionCode, words: Words): FileCheck => ({ ok: false, code, message: words(), words });

/** Checks `file` against `limits` and prepares it; a refusal carries the sentence to show. */
export async function checkFile(file: File, { limits, maxLongSide, signal }: FileCheckOptions): Promise<FileCheck> {
  const sniffed = await sniffImageType(file).catch(() => null);
  if (file.size === 0) return refuse('empty_file', () => messages.empty(file.name));
  // Bytes first: extensions lie and some Android pickers send no type at all.
  const type = sniffed ?? typeFromName(file.name) ?? (file.type.startsWith('image/') ? file.type : null);
  if (!type || !isAcceptedType(type, limits)) {
    return refuse('unsupported_type', () => messages.unsupportedType(file.name, type, limits));
  }

  let prepared: PreparedImage;
  try {
    prepared = await prepareImage(file, { maxLongSide, maxPixels: limits.max_pixels, signal, ...outputType(limits) });
  } catch (error) {
    if (!(error instanceof ImagePreparationError)) return refuse('undecodable', () => messages.undecodable(file.name));
    const { width = 0, height = 0 } = error.details;
    switch (error.code) {
      case 'needs_server_decode':
        if (file.size > limits.max_bytes) return refuse('file_too_large', () => messages.heicTooLarge(file.size, limits.max_bytes));
        return {
          ok: true,
          prepared: {
            blob: file,
            width,
            height,
            originalWidth: width,
            originalHeight: height,
            type: error.details.sourceType ?? (file.type || 'image/heic'),
            passthrough: true,
          },
        };
      case 'too_many_pixels':
        return refuse('too_many_pixels', () => messages.tooManyPixels(width, height, limits.max_pixels));
      case 'empty_file':
        return refuse('empty_file', () => messages.empty(file.name));
      case 'encode_failed':
        return refuse('encode_failed', () => messages.encodeFailed());
      case 'truncated':
        return refuse('undecodable', () => messages.truncated(file.name));
      default:
        return refuse('undecodable', () => messages.undecodable(file.name));
    }
  }
  // The limit is the server's, on what is uploaded; a 14 MB original that resizes to 1 MB is fine.
  if (prepared.blob.size > limits.max_bytes) {
    return refuse('file_too_large', () => messages.tooLargeAfterResize(prepared.blob.size, limits.max_bytes, prepared.width, prepared.height));
  }
  return { ok: true, prepared };
}

/** An encoding the server accepts: the preparer's own choice (JPEG; WebP with transparency) where it may. */
function outputType(limits: UploadLimits): Pick<PrepareImageOptions, 'type' | 'alphaType'> {
  const ok = (t: string): boolean => isAcceptedType(t, limits);
  if (!ok('image/jpeg')) return { type: ok('image/webp') ? 'image/webp' : 'image/png' };
  if (ok('image/webp')) return {};
  return ok('image/png') ? { alphaType: 'image/png' } : { type: 'image/jpeg' };
}

/**
 * A larger copy of the chosen photo, for a job at a larger resolution than the first upload's
 * (a 4K job from a photo first uploaded at 2K's 2048 px): `file` prepared with its long side at
 * most `maxLongSide` (as the dropzone does), then uploaded. The widget calls it when such a
 * resolution is chosen, and uploads in the background while the person finishes the choice.
 * Here, with the checks it runs, because the file was checked with them already: no other file
 * to fetch.
 */
export async function uploadAtSide(api: StagingClient, file: File, limits: UploadLimits, maxLongSide: number, signal: AbortSignal): Promise<Upload> {
  const check = await checkFile(file, { limits, maxLongSide, signal });
  if (!check.ok) throw new StagingError({ code: check.code, message: check.message });
  const { blob, type } = check.prepared;
  return api.uploadImage(blob, { signal, contentType: type || blob.type });
}
