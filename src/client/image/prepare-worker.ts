/**
 * Module worker entry: runs the shared pipeline off the main thread. One worker serves one
 * call and is terminated afterwards (or on abort), which is also how an abort frees memory.
 */
import { ImagePreparationError } from './errors.js';
import { prepareHere, type CoreOptions } from './prepare-core.js';
import type { PreparedImage } from './types.js';

export type WorkerRequest = { blob: Blob; opts: CoreOptions };
export type WorkerResponse =
  | { ok: true; result: PreparedImage }
  | { ok: false; error: ReturnType<ImagePreparationError['toJSON']> }
  /** The worker lacks OffscreenCanvas or createImageBitmap, or failed unexpectedly: redo it on the main thread. */
  | { ok: false; unsupported: true; reason: string };

// The DOM lib types `self` as a Window; a dedicated worker's scope is narrower.
const scope = globalThis as unknown as {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

scope.addEventListener('message', (event) => {
  const { blob, opts } = event.data;
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    scope.postMessage({ ok: false, unsupported: true, reason: 'no OffscreenCanvas in workers' });
    return;
  }
  prepareHere(blob, opts).then(
    (result) => scope.postMessage({ ok: true, result }),
    (error: unknown) =>
      scope.postMessage(
        error instanceof ImagePreparationError
          ? { ok: false, error: error.toJSON() }
          : { ok: false, unsupported: true, reason: String(error) },
      ),
  );
});
