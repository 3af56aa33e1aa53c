import sharp, { type Metadata } from 'sharp';
import { ProviderJobError, type ProviderOutputImage } from '../types.js';

/** The formats the blob store keeps as they come. */
const STORED_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * The one rule for an image a provider returned: its type and size come from the bytes, never
 * from the provider's headers or file name. A JPEG, PNG or WebP is kept as it is; one with an
 * EXIF rotation is turned upright in its own format (so width and height are what a person
 * sees); any other readable format is re-encoded as PNG. Bytes that are not a readable image
 * fail the job with one error, retryable because the provider may well do better next time.
 */
export async function probeOutputImage(bytes: Buffer, label: string): Promise<ProviderOutputImage> {
  const unreadable = () => new ProviderJobError('processing_failed', `${label} returned a result that is not a readable image. Retry the job.`, true);
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw unreadable();
  }
  if (!meta.width || !meta.height) throw unreadable();
  const type = meta.format ? STORED_TYPES[meta.format] : undefined;
  if (type && (meta.orientation ?? 1) === 1) return { data: bytes, contentType: type, width: meta.width, height: meta.height, localPreview: false };
  try {
    const upright = sharp(bytes).rotate();
    const { data, info } = await (type ? upright.toFormat(meta.format) : upright.png()).toBuffer({ resolveWithObject: true });
    return { data, contentType: type ?? 'image/png', width: info.width, height: info.height, localPreview: false };
  } catch {
    throw unreadable();
  }
}
