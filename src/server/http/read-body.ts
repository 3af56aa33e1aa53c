import { ApiError } from '../errors.js';
import { LINGER } from './lingering-close.js';

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
 * read, or the moment the running count passes `maxBytes`. Buffering first and checking after
 * would let one client make the server hold arbitrarily many bytes. A missing body reads as empty.
 *
 * After a refusal the rest is read and thrown away, never kept, within `LINGER`'s bounds, then
 * cancelled: a client that is still sending must be able to read the refusal (see
 * `lingering-close.ts`), and cancelling at once resets its connection.
 */
export async function readBody(request: Request, o: ReadBodyOptions): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && declared.trim() !== '' && Number(declared) > o.maxBytes) {
    if (request.body !== null) discardRest(request.body.getReader(), 'body over the size limit');
    throw o.tooLarge();
  }
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
        discardRest(reader, 'body over the size limit');
        throw o.tooLarge();
      }
      chunks.push(result.value);
    }
  } finally {
    if (!discarding.has(reader)) reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

const discarding = new WeakSet<ReadableStreamDefaultReader<Uint8Array>>();

/**
 * Reads the rest of a refused body and keeps none of it, in the background (the refusal is not
 * delayed), until it ends or passes `LINGER`'s bytes, time or idle bound; then cancels it.
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, reason: string): void {
  discarding.add(reader);
  const deadline = Date.now() + LINGER.totalMs;
  const drain = async () => {
    let bytes = 0;
    try {
      for (;;) {
        const result = await nextChunk(reader, LINGER.idleMs, deadline);
        if (result === 'timeout' || result.done) break;
        bytes += result.value.byteLength;
        if (bytes > LINGER.maxBytes) break;
      }
    } catch {
      return; // the connection went away: nothing left to discard
    }
    reader.cancel(reason).catch(() => {});
  };
  // On the next turn, so that the refusal is on its way before a byte more is pulled.
  setTimeout(() => void drain(), 0);
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
