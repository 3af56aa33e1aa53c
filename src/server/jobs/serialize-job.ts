import type { Job } from '../../contract/index.js';
import type { TokenService } from '../tokens.js';
import type { JobRecord, OutputRecord, UploadRecord } from '../store/types.js';

export interface UrlSigner {
  tokens: TokenService;
  publicUrl: string;
  ttlSeconds: number;
}

/**
 * Absolute, signed, expiring URL of an output: usable in a plain `<img src>` on any page, until it
 * expires or `sessionId` (the session it was handed to) is revoked.
 */
export const outputUrl = (s: UrlSigner, id: string, sessionId: string): string =>
  s.publicUrl + s.tokens.signPath(`/v1/outputs/${id}`, s.ttlSeconds, undefined, sessionId);

/** Absolute, signed URL of an upload's normalized image (previews, providers that fetch `image_url`), bound to a session likewise. */
export const uploadUrl = (s: UrlSigner, id: string, sessionId: string): string =>
  s.publicUrl + s.tokens.signPath(`/v1/uploads/${id}/content`, s.ttlSeconds, undefined, sessionId);

export function toJob(j: JobRecord, outputs: OutputRecord[], signer: UrlSigner): Job {
  return {
    id: j.id,
    status: j.status,
    service: j.service,
    config: j.config,
    resolution: j.resolution,
    prompt: j.prompt,
    reference_id: j.referenceId,
    upload_id: j.uploadId,
    mask_upload_id: j.maskUploadId,
    reference_upload_id: j.referenceUploadId,
    options: j.options,
    variants: j.variants,
    credits_charged: j.creditsCharged,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
    progress: j.progress,
    outputs: j.status === 'completed'
      ? outputs.map((o) => ({
          id: o.id,
          url: outputUrl(signer, o.id, j.sessionId),
          width: o.width,
          height: o.height,
          content_type: o.contentType,
          local_preview: o.localPreview,
          ...(o.note ? { note: o.note } : {}),
        }))
      : [],
    error: j.error,
  };
}

/** `sessionId`: the session the answer goes to (its link dies with it); the uploader's by default. */
export function toUpload(u: UploadRecord, signer: UrlSigner, sessionId = u.sessionId) {
  return {
    id: u.id,
    content_type: u.contentType,
    bytes: u.bytes,
    width: u.width,
    height: u.height,
    created_at: u.createdAt,
    url: uploadUrl(signer, u.id, sessionId),
  };
}
