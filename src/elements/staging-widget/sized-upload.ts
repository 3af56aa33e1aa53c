/**
 * A larger copy of the chosen photo, for a job at a larger resolution than the first upload's
 * (a 4K job from a photo first uploaded at 2K's 2048 px). The widget loads this module when such
 * a resolution is chosen, so the first screen carries none of it, and uploads in the background
 * while the person finishes the choice.
 */
import type { Upload, UploadLimits } from '../../contract/index.js';
import { StagingError, type StagingClient } from '../../client/index.js';
import { checkFile } from '../staging-dropzone/check-file.js';

/** Prepares `file` with its long side at most `maxLongSide` (as the dropzone does) and uploads it. */
export async function uploadAtSide(api: StagingClient, file: File, limits: UploadLimits, maxLongSide: number, signal: AbortSignal): Promise<Upload> {
  const check = await checkFile(file, { limits, maxLongSide, signal });
  if (!check.ok) throw new StagingError({ code: check.code, message: check.message });
  const { blob, type } = check.prepared;
  return api.uploadImage(blob, { signal, contentType: type || blob.type });
}
