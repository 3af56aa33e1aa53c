import sharp from 'sharp';
import type { ProviderHttp } from '../remote/provider-http.js';
import { ProviderJobError, type ProviderImage } from '../types.js';

/** "Max 10 MB body size" (POST /upload); a margin keeps the JSON wrapper and data: prefix inside it. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_BASE64_CHARS = MAX_BODY_BYTES - 64 * 1024;
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/**
 * Our normalized bytes, re-encoded only if their base64 would not fit Lumely's 10 MB body:
 * a JPEG capped at 4096 px (Lumely's largest output is 4K, so nothing it can use is lost).
 */
async function fitForLumely(bytes: Buffer, contentType: string, signal: AbortSignal): Promise<{ bytes: Buffer; contentType: string }> {
  if (base64Length(bytes.length) <= MAX_BASE64_CHARS) return { bytes, contentType };
  for (const quality of [88, 75, 60]) {
    signal.throwIfAborted();
    const smaller = await sharp(bytes).rotate().resize(4096, 4096, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality, mozjpeg: true }).toBuffer();
    if (base64Length(smaller.length) <= MAX_BASE64_CHARS) return { bytes: smaller, contentType: 'image/jpeg' };
  }
  throw new ProviderJobError('processing_failed', 'The photo is too large for Lumely even after compression. Upload a smaller photo.', false);
}

export async function dataUri(image: ProviderImage, signal: AbortSignal): Promise<string> {
  const fitted = await fitForLumely(await image.read(), image.contentType, signal);
  return `data:${fitted.contentType};base64,${fitted.bytes.toString('base64')}`;
}

/** Plain base64 for the job's `mask_base64` (the field is named and documented as base64, not a data URI). */
export async function plainBase64(image: ProviderImage, signal: AbortSignal): Promise<string> {
  const fitted = await fitForLumely(await image.read(), image.contentType, signal);
  return fitted.bytes.toString('base64');
}

/**
 * POST /upload `{ image }` → `storage_path`. Sending it again after a lost answer only leaves
 * an unused copy in Lumely's storage (uploads cost no credits), so it is retried like a GET.
 */
export async function uploadImage(http: ProviderHttp, image: ProviderImage, signal: AbortSignal): Promise<string> {
  const res = await http.request({ method: 'POST', path: 'upload', json: { image: await dataUri(image, signal) }, idempotent: true, signal });
  const path = (res.json as { storage_path?: unknown } | null)?.storage_path;
  if (typeof path !== 'string' || path.length === 0) throw new ProviderJobError('provider_error', 'Lumely accepted the photo but returned no storage path.', true);
  return path;
}
