import { ApiError } from '../errors.js';

export interface ReadBodyOptions {
  /** Bytes allowed; a body known to be longer is refused with `tooLarge()`. */
  maxBytes: number;
  tooLarge(): ApiError;
  /** What a person is told when the body broke off mid-way. */
  interrupted?: string;
  /**
   * Refuses a body that stalls (no chunk for `idleMs`) or trickles (not finished within
   * `totalMs`) with `error(kind)`, so a slowloris client cannot hold a request open. Without
   * them a stalled body is left to the server's request timeout (fine for small bodies).
   */
  timeouts?: { idleMs: number; totalMs: number; error(kind: 'idle' | 'total'): ApiError };
}

/**
 * The one body reader (JSON, webhooks, uploads): refused from Content-Length before a byte is
 * read, or the moment the running count passes `maxBytes` (the rest is never pulled).
 * Buffering first and checking after would let one client make the server hold arbitrarily
 * many bytes. A missing body reads as empty.
 */
export async function readBody(request: Request, o: ReadBodyOptions): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && declared.trim() !== '' && Number(declared) > o.maxBytes) throw o.tooLarge();
  if (request.body === null) return Buffer.alloc(0);
  const deadline = o.timeouts ? Date.now() + o.timeouts.totalMs : Infinity;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array> | 'timeout';
      try {
        result = await nextChunk(reader, o.timeouts?.idleMs, deadline);
      } catch (cause) {
        const error = new ApiError('invalid_request', o.interrupted ?? 'The request body was interrupted before it finished: send it again.');
        error.cause = cause;
        throw error;
      }
      if (result === 'timeout') {
        reader.cancel('body too slow').catch(() => {});
        throw o.timeouts!.error(Date.now() >= deadline ? 'total' : 'idle');
      }
      if (result.done) break;
      total += result.value.byteLength;
      if (total > o.maxBytes) {
        // Not awaited: a source that is slow to cancel must not delay the 413.
        reader.cancel('body over the size limit').catch(() => {});
        throw o.tooLarge();
      }
      chunks.push(result.value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

/** The next chunk, or 'timeout' when none came within `idleMs` or by `deadline`. */
async function nextChunk(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number | undefined, deadline: number): Promise<ReadableStreamReadResult<Uint8Array> | 'timeout'> {
  if (idleMs === undefined) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      reader.read(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, Math.min(idleMs, deadline - Date.now())));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
