import { ApiError } from '../errors.js';
import { readBody } from '../http/read-body.js';
import { ACCEPTED_FORMATS_SENTENCE } from './accepted-types.js';
import { DEFAULT_UPLOAD_IDLE_TIMEOUT_MS, DEFAULT_UPLOAD_TOTAL_TIMEOUT_MS, type UploadLimitsConfig } from './limits.js';
import { normalizeImage, type NormalizedImage, type UploadPurpose } from './normalize-image.js';
import { emptyUpload, payloadTooLarge, uploadTimedOut } from './upload-errors.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads, checks and normalizes the body of `POST /v1/uploads`. `request` must be unread
 * (in Hono: `c.req.raw`, before any `c.req.parseBody()` / `c.req.blob()`).
 *
 * Two body forms: the raw file with `Content-Type: image/*` or
 * `application/octet-stream`, or `multipart/form-data` with a file field `image`.
 *
 * The declared type only selects how to read the body; which format the image is gets
 * decided from its bytes. A declared type that disagrees with the bytes (a phone
 * labelling HEIC as image/jpeg, an `.jpg` that is really PNG) is accepted as long as the
 * bytes are a format we take: refusing it would punish the user for their device's
 * labelling, and trusting it would let anything through with the right label.
 */
export async function ingestUpload(
  request: Request,
  limits: UploadLimitsConfig,
  /** Runs the decoding (not the reading of the body), e.g. through a DecodeGate. */
  decode: (work: () => Promise<NormalizedImage>) => Promise<NormalizedImage> = (work) => work(),
  purpose: UploadPurpose = 'photo',
): Promise<NormalizedImage> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

  if (mediaType.startsWith('image/') || mediaType === 'application/octet-stream') {
    const body = await readUpload(request, limits, limits.maxBytes);
    return decode(() => normalizeImage(body, limits, { purpose }));
  }
  if (mediaType === 'multipart/form-data') {
    const body = await readMultipartImage(request, limits);
    return decode(() => normalizeImage(body, limits, { purpose }));
  }
  throw new ApiError(
    'unsupported_media_type',
    mediaType === ''
      ? `The upload has no Content-Type: send the ${ACCEPTED_FORMATS_SENTENCE} file as the body with its image/* type, or as multipart/form-data with the file in a field named "image".`
      : `Uploads of type ${mediaType} are not accepted: send the ${ACCEPTED_FORMATS_SENTENCE} file as the body with its image/* type, or as multipart/form-data with the file in a field named "image".`,
  );
}

/**
 * The whole upload body, at most `allowedBytes` (for multipart, the file plus its framing; the
 * 413 states the file limit a person can act on). A body that stalls or trickles is refused
 * with 408 `request_timeout`, an empty one with `invalid_request`.
 */
async function readUpload(request: Request, limits: UploadLimitsConfig, allowedBytes: number): Promise<Buffer> {
  if (request.bodyUsed) {
    // A programming error in the caller (a middleware already read the body), not the client's.
    throw new ApiError('internal_error', 'The upload could not be read on the server: please try again later.');
  }
  const body = await readBody(request, {
    maxBytes: allowedBytes,
    tooLarge: () => payloadTooLarge(limits.maxBytes),
    interrupted: 'The upload was interrupted before it finished: send the image again.',
    timeouts: {
      idleMs: limits.idleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS,
      totalMs: limits.totalTimeoutMs ?? DEFAULT_UPLOAD_TOTAL_TIMEOUT_MS,
      error: uploadTimedOut,
    },
  });
  if (body.length === 0) throw emptyUpload();
  return body;
}

async function readMultipartImage(request: Request, limits: UploadLimitsConfig): Promise<Buffer> {
  const maxBytes = limits.maxBytes;
  const body = await readUpload(request, limits, limits.maxBytes + MULTIPART_OVERHEAD_BYTES);
  let form: FormData;
  try {
    // The body is already bounded, so letting undici's parser buffer it again is safe.
    // Buffer.concat always allocates a plain ArrayBuffer, never a SharedArrayBuffer.
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': request.headers.get('content-type')! } }).formData();
  } catch (cause) {
    const error = new ApiError(
      'invalid_request',
      'The multipart/form-data body could not be parsed: send it again with a file field named "image".',
      { issues: [{ path: 'image', message: 'malformed multipart body' }] },
    );
    error.cause = cause;
    throw error;
  }
  const file = form.get('image');
  if (file === null || typeof file === 'string') {
    throw new ApiError(
      'invalid_request',
      'The form has no file in a field named "image": attach the photo as "image".',
      { issues: [{ path: 'image', message: 'a file is required' }] },
    );
  }
  // The 64 KB allowance for multipart framing must not become extra room for the file.
  if (file.size > maxBytes) throw payloadTooLarge(maxBytes);
  if (file.size === 0) throw emptyUpload();
  return Buffer.from(await file.arrayBuffer());
}
