import { ApiError } from '../errors.js';

/**
 * Reads a non-upload body (JSON, webhooks) up to `maxBytes`: refused from Content-Length before
 * reading, or as soon as the running count passes the cap (the rest is never pulled), so a
 * client cannot make the server buffer an unbounded body. Bodies up to the cap are small, so a
 * stalled one is left to the server's request timeout.
 */
export async function readCappedBody(request: Request, maxBytes: number, tooLarge: () => ApiError): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && declared.trim() !== '' && Number(declared) > maxBytes) throw tooLarge();
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        const error = new ApiError('invalid_request', 'The request body was interrupted before it finished: send it again.');
        error.cause = cause;
        throw error;
      }
      if (result.done) break;
      total += result.value.byteLength;
      if (total > maxBytes) {
        reader.cancel('body over the size limit').catch(() => {});
        throw tooLarge();
      }
      chunks.push(result.value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}
