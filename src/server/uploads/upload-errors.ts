import { ApiError } from '../errors.js';
import { ACCEPTED_CONTENT_TYPES, ACCEPTED_FORMATS_SENTENCE } from './accepted-types.js';
import { formatMegabytes, formatMegapixels } from './limits.js';

// One place for the upload failures so the same condition reads the same whether it was
// caught from Content-Length, mid-stream, inside multipart or while decoding.

export function payloadTooLarge(maxBytes: number): ApiError {
  return new ApiError(
    'payload_too_large',
    `The image is larger than the ${formatMegabytes(maxBytes)} upload limit: send a smaller or more compressed image.`,
    { limit_bytes: maxBytes },
  );
}

export function unsupportedImageFormat(): ApiError {
  return new ApiError(
    'unsupported_media_type',
    `The file is not an image format we accept: send a ${ACCEPTED_FORMATS_SENTENCE} image.`,
    { accepted: [...ACCEPTED_CONTENT_TYPES] },
  );
}

export function imageTooLarge(maxPixels: number, width: number, height: number): ApiError {
  return new ApiError(
    'image_too_large',
    `The image is ${width}×${height} pixels, over the ${formatMegapixels(maxPixels)} limit: scale it down and upload it again.`,
    { limit_pixels: maxPixels, width, height },
  );
}

/** `cause` is kept for server logs only; the error handler never sends it to the client. */
export function imageUnreadable(cause?: unknown): ApiError {
  const error = new ApiError(
    'image_unreadable',
    'The image could not be read: it may be truncated or corrupt. Export or save it again and upload the new file.',
  );
  if (cause !== undefined) error.cause = cause;
  return error;
}

export function emptyUpload(): ApiError {
  return new ApiError('invalid_request', 'The upload is empty: send the image bytes in the request body.');
}

/** A body that stalled or trickled (slowloris): refused so it cannot hold the request open. */
export function uploadTimedOut(kind: 'idle' | 'total'): ApiError {
  return new ApiError(
    'request_timeout',
    kind === 'idle'
      ? 'The upload stopped arriving: check the connection and send the image again.'
      : 'The upload took too long to arrive: check the connection, or send a smaller image.',
    { reason: kind },
  );
}
