import { ApiError } from '../errors.js';
import { DEFAULT_UPLOAD_IDLE_TIMEOUT_MS, DEFAULT_UPLOAD_TOTAL_TIMEOUT_MS } from './limits.js';
import { emptyUpload, payloadTooLarge, uploadTimedOut } from './upload-errors.js';

export interface BodyTimeouts {
  /** Longest wait for the next chunk. */
  idleMs?: number;
  /** Longest time for the whole body. */
  totalMs?: number;
}

/**
 * Reads the whole body of `request`, refusing it as soon as it is known to exceed
 * `allowedBytes`: from Content-Length before reading a byte, otherwise the moment the
 * running count passes the allowance (the rest is never pulled). Buffering first and
 * checking after would let one client make the server hold arbitrarily many bytes.
 *
 * `limitBytes` is what the 413 message states (the file limit a person can act on), which
 * for multipart is smaller than `allowedBytes` (file + boundaries and part headers).
 *
 * A body that stalls (no chunk for `idleMs`) or trickles (not finished within `totalMs`) is
 * refused with 408 `request_timeout`, so a slowloris client cannot hold a request open.
 */
export async function readLimitedBody(
  request: Request,
  allowedBytes: number,
  limitBytes: number = allowedBytes,
  timeouts: BodyTimeouts = {},
): Promise<Buffer> {
  const idleMs = timeouts.idleMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS;
  const deadline = Date.now() + (timeouts.totalMs ?? DEFAULT_UPLOAD_TOTAL_TIMEOUT_MS);
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
      let result: ReadableStreamReadResult<Uint8Array> | 'timeout';
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const wait = Math.max(0, Math.min(idleMs, deadline - Date.now()));
        result = await Promise.race([
          reader.read(),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), wait);
          }),
        ]);
      } catch (cause) {
        const error = new ApiError(
          'invalid_request',
          'The upload was interrupted before it finished: send the image again.',
        );
        error.cause = cause;
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (result === 'timeout') {
        reader.cancel('upload too slow').catch(() => {});
        throw uploadTimedOut(Date.now() >= deadline ? 'total' : 'idle');
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
