import * as z from 'zod/mini';
import { idOf, Timestamp } from './common.js';

export const UploadId = idOf('upl');

/** `POST /v1/uploads` → 201. The stored image is normalized: oriented upright, metadata stripped. */
export const Upload = z.object({
  id: UploadId,
  content_type: z.string(),
  bytes: z.int(),
  width: z.int(),
  height: z.int(),
  created_at: Timestamp,
  /** A signed, expiring URL of the normalized image (for previews and for providers that fetch). */
  url: z.string(),
});
export type Upload = z.infer<typeof Upload>;
