import { AI_DIGITAL_SOURCE_TYPE, type Job, type JobOutput, type OutputDisclosure } from '../../contract/index.js';
import type { TokenService } from '../tokens.js';
import type { JobRecord, OutputRecord, Store, UploadRecord } from '../store/types.js';

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

/**
 * An output's `disclosure`: what was fixed when it was stored, with its links. The original's
 * page, image and QR code are public and stable; the published copy is signed like the output.
 */
export function toDisclosure(o: OutputRecord, j: JobRecord, s: UrlSigner, sessionId = j.sessionId): OutputDisclosure {
  const url = outputUrl(s, o.id, sessionId);
  // An output stored before disclosure existed: its class is the job's, and nothing was done for it.
  const d = o.disclosure ?? { profile: j.disclosureProfile ?? 'none', editClass: j.editClass, label: null, caption: null, remarks: null, original: 'none' as const, qrAllowed: false, publishedBlobKey: null, pageId: null };
  const page = d.pageId ? `${s.publicUrl}/v1/originals/${d.pageId}` : null;
  const material = d.editClass === 'material';
  return {
    profile: d.profile,
    edit_class: d.editClass,
    required: material && (d.label !== null || d.caption !== null || d.remarks !== null || d.original !== 'none' || d.publishedBlobKey !== null),
    label: d.label,
    caption: d.caption,
    remarks: d.remarks,
    original: d.original,
    original_page_url: page,
    original_image_url: page && `${page}/original`,
    qr_url: page && d.qrAllowed ? `${page}/qr.svg` : null,
    burned_in: d.publishedBlobKey !== null,
    published_url: d.publishedBlobKey ? s.publicUrl + s.tokens.signPath(`/v1/outputs/${o.id}/published`, s.ttlSeconds, undefined, sessionId) : url,
    digital_source_type: material ? AI_DIGITAL_SOURCE_TYPE : null,
    structure_drift: d.drift ?? null,
  };
}

/** One output of job `j` as the API shows it, its links bound to `sessionId` (the session it is handed to; the job's by default). */
export function toOutput(o: OutputRecord, j: JobRecord, signer: UrlSigner, sessionId = j.sessionId): JobOutput {
  return {
    id: o.id,
    url: outputUrl(signer, o.id, sessionId),
    width: o.width,
    height: o.height,
    content_type: o.contentType,
    local_preview: o.localPreview,
    changes_url: signer.publicUrl + signer.tokens.signPath(`/v1/outputs/${o.id}/changes`, signer.ttlSeconds, undefined, sessionId),
    disclosure: toDisclosure(o, j, signer, sessionId),
    ...(o.note ? { note: o.note } : {}),
  };
}

/** `queuePosition`: the job's place in its session's line while it waits in this instance's queue (see `JobRunner.queuePosition`). */
export function toJob(j: JobRecord, outputs: OutputRecord[], signer: UrlSigner, queuePosition: number | null = null): Job {
  return {
    id: j.id,
    status: j.status,
    service: j.service,
    config: j.config,
    resolution: j.resolution,
    edit_class: j.editClass,
    prompt: j.prompt,
    reference_id: j.referenceId,
    upload_id: j.uploadId,
    mask_upload_id: j.maskUploadId,
    reference_upload_id: j.referenceUploadId,
    bracket_upload_ids: j.bracketUploadIds ?? [],
    options: j.options,
    variants: j.variants,
    credits_charged: j.creditsCharged,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
    progress: j.progress,
    outputs: j.status === 'completed' ? outputs.map((o) => toOutput(o, j, signer)) : [],
    error: j.error,
    queue_position: j.status === 'pending' ? queuePosition : null,
  };
}

/** The outputs a job shows: those of a completed job, none otherwise. */
export const outputsOf = async (store: Pick<Store, 'listOutputs'>, j: JobRecord): Promise<OutputRecord[]> =>
  j.status === 'completed' ? store.listOutputs(j.id) : [];

/** The one way to show a stored job with its outputs (answers, event streams, resyncs). */
export const toJobWithOutputs = async (store: Pick<Store, 'listOutputs'>, j: JobRecord, signer: UrlSigner, queue?: { queuePosition(id: string): number | null }): Promise<Job> =>
  toJob(j, await outputsOf(store, j), signer, queue?.queuePosition(j.id) ?? null);

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
