import { ApiError } from '../errors.js';
import { emptyUpload, payloadTooLarge } from './upload-errors.js';

/**
 * Reads the whole body of `request`, refusing it as soon as it is known to exceed
 * `allowedBytes`: from Content-Length before reading a byte, otherwise the moment the
 * running count passes the allowance (the rest is never pulled). Buffering first and
 * checking after would let one client make the server hold arbitrarily many bytes.
 *
 * `limitBytes` is what the 413 message states (the file limit a person can act on), which
 * for multipart is smaller than `allowedBytes` (file + boundaries and part headers).
 */
export async function readLimitedBody(
  request: Request,
  allowedBytes: number,
  limitBytes: number = allowedBytes,
): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && declared.trim() !== '') {
    const length = Number(declared);
    if (Number.isFinite(length) && length > allowedBytes) throw payloadTooLarge(limitBytes);
  }
  if (request.bodyUsed) {
    // A programming error in the caller (a middleware already read the body), not the client's.
    throw new ApiError('internal_error', 'The upload could not be read on the server: please try again later.');
  }
  if (request.body === null) throw emptyUpload();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        const error = new ApiError(
          'invalid_request',
          'The upload was interrupted before it finished: send the image again.',
        );
        error.cause = cause;
        throw error;
      }
      if (result.done) break;
      total += result.value.byteLength;
      if (total > allowedBytes) {
        // Not awaited: a source that is slow to cancel must not delay the 413.
        reader.cancel('upload over the size limit').catch(() => {});
        throw payloadTooLarge(limitBytes);
      }
      chunks.push(result.value);
    }
  } finally {
    reader.releaseLock();
  }
  if (total === 0) throw emptyUpload();
  return Buffer.concat(chunks, total);
}
