import { ImagePreparationError } from './errors.js';
import { prepareHere, throwIfAborted, type CoreOptions } from './prepare-core.js';
import type { WorkerRequest, WorkerResponse } from './prepare-worker.js';
import type { PrepareImageOptions, PreparedImage } from './types.js';

/** Set once a worker failed to start, so later calls skip straight to the main thread. */
let workerBroken = false;

/** Thrown inside this module only: the worker could not do the job, try the main thread. */
class WorkerUnavailable extends Error {}

function startWorker(): Worker {
  // Written exactly so for Vite, which bundles the worker when it sees this pattern; the
  // web-test-runner esbuild plugin serves the .ts file itself. Output of plain `tsc` would
  // point at a missing file: the 'error' event below then sends the work to the main thread.
  return new Worker(new URL('./prepare-worker.ts', import.meta.url), { type: 'module', name: 'staging-prepare-image' });
}

function runInWorker(blob: Blob, opts: CoreOptions, signal: AbortSignal | undefined): Promise<PreparedImage> {
  return new Promise<PreparedImage>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch (error) {
      // A CSP without `worker-src` for this origin throws synchronously.
      reject(new WorkerUnavailable(String(error)));
      return;
    }
    const finish = (): void => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      finish();
      const data = event.data;
      if (data.ok) resolve(data.result);
      else if ('error' in data) reject(ImagePreparationError.fromJSON(data.error));
      else reject(new WorkerUnavailable(data.reason));
    });
    // Fires when the script cannot be fetched or evaluated (404, wrong MIME type, syntax).
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      finish();
      reject(new WorkerUnavailable(event.message || 'worker failed to start'));
    });
    worker.addEventListener('messageerror', () => {
      finish();
      reject(new WorkerUnavailable('worker message could not be cloned'));
    });
    worker.postMessage({ blob, opts } satisfies WorkerRequest);
  });
}

/**
 * Decodes an image (EXIF orientation applied once, by the browser's decoder), downscales it
 * so its long side is at most `maxLongSide`, and encodes it as JPEG, or WebP/PNG when it has
 * transparency. Re-encoding also drops metadata such as GPS position, which a listing photo
 * should not carry. Runs in a module worker where possible, else on the main thread.
 *
 * Rejects with an {@link ImagePreparationError} (see its codes; `needs_server_decode` means
 * "a HEIC photo: upload the original"), or with the signal's reason when aborted.
 */
export async function prepareImage(file: Blob, opts: PrepareImageOptions): Promise<PreparedImage> {
  const { signal, worker = true, ...core } = opts;
  throwIfAborted(signal);
  const canUseWorker = worker && !workerBroken && typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined';
  if (canUseWorker) {
    try {
      return await runInWorker(file, core, signal);
    } catch (error) {
      // A decode the worker could not do may still succeed on the main thread, which can fall
      // back to an <img> (Firefox refuses some EXIF-rotated JPEGs in createImageBitmap).
      const retryHere = error instanceof ImagePreparationError && error.code === 'undecodable';
      if (!(error instanceof WorkerUnavailable) && !retryHere) throw error;
      if (error instanceof WorkerUnavailable) workerBroken = true;
    }
  }
  return prepareHere(file, core, signal);
}

/** For tests: forget that the worker failed before. */
export function resetWorkerAvailability(): void {
  workerBroken = false;
}
