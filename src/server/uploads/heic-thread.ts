import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RgbaImage } from './decode-heic.js';
import { imageTooLarge, imageUnreadable } from './upload-errors.js';

/**
 * The worker's code. heic-decode runs libheif as synchronous WASM: about a second for a 12 MP
 * iPhone photo, during which an event loop serves nobody (no SSE, no uploads, no polls). On a
 * thread of its own only that upload waits. Plain CommonJS evaluated by the worker, so the
 * same code runs under tsx, Vitest and the compiled dist/server, with no file to ship beside it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData, threadId } = require('node:worker_threads');
const heicDecode = require(workerData.heicDecode);
const fail = (id, kind, error, extra) =>
  parentPort.postMessage(Object.assign({ id, threadId, error: kind, message: String((error && error.message) || error) }, extra));
parentPort.on('message', async ({ id, data, maxPixels }) => {
  let images;
  try {
    images = await heicDecode.all({ buffer: data });
  } catch (error) {
    return fail(id, 'unreadable', error);
  }
  try {
    const first = images[0];
    if (!first) return fail(id, 'unreadable', 'HEIC file holds no image');
    if (first.width * first.height > maxPixels) return fail(id, 'too_large', 'over the pixel limit', { width: first.width, height: first.height });
    const decoded = await first.decode();
    let pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    // Transferred, not copied; a view on memory the decoder still owns would be copied first.
    if (pixels.byteOffset !== 0 || pixels.byteLength !== pixels.buffer.byteLength) pixels = pixels.slice();
    parentPort.postMessage({ id, threadId, width: decoded.width, height: decoded.height, data: pixels }, [pixels.buffer]);
  } catch (error) {
    fail(id, 'unreadable', error);
  } finally {
    images.dispose();
  }
});
`;

type Reply =
  | { id: number; threadId: number; width: number; height: number; data: Uint8Array }
  | { id: number; threadId: number; error: 'unreadable' | 'too_large'; message: string; width?: number; height?: number };

interface Pending {
  resolve: (image: RgbaImage & { threadId: number }) => void;
  reject: (error: unknown) => void;
  maxPixels: number;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(): Worker {
  const heicDecode = createRequire(import.meta.url).resolve('heic-decode');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { heicDecode }, name: 'staging-heic-decode' });
  w.on('message', (reply: Reply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if (!('error' in reply)) {
      const { width, height, data } = reply;
      if (width <= 0 || height <= 0 || data.byteLength !== width * height * 4) {
        request.reject(imageUnreadable(new Error(`HEIC decoder returned ${data.byteLength} bytes for ${width}×${height}`)));
      } else {
        request.resolve({ width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), threadId: reply.threadId });
      }
    } else if (reply.error === 'too_large') {
      request.reject(imageTooLarge(request.maxPixels, reply.width ?? 0, reply.height ?? 0));
    } else {
      request.reject(imageUnreadable(new Error(reply.message)));
    }
  });
  // A decoder crash (out of memory on a hostile file, say) fails what was in flight; the next
  // HEIC starts a fresh worker.
  const lost = (cause: unknown) => {
    if (worker === w) worker = null;
    for (const [id, request] of pending) {
      pending.delete(id);
      request.reject(imageUnreadable(cause));
    }
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`the HEIC decoder thread exited with code ${code}`)));
  // Idle, it must not keep the process alive; busy, it must (see decodeHeicOffThread). After the
  // listeners: adding a 'message' listener refs the worker's port again.
  w.unref();
  return w;
}

/**
 * Decodes the first top-level image of a HEIC file to upright RGBA on the shared decoder
 * thread (one for the process; HEIC uploads queue there). Refuses a file whose declared size
 * is over `maxPixels` before decoding it. `threadId` says where the work ran.
 */
export function decodeHeicOffThread(data: Buffer, maxPixels: number): Promise<RgbaImage & { threadId: number }> {
  worker ??= startWorker();
  const id = ++nextId;
  const current = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, maxPixels });
    current.ref();
    // Copied into the message: the caller's buffer may be a slice of a larger one.
    current.postMessage({ id, data: new Uint8Array(data), maxPixels });
  });
}
