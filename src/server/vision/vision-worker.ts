import { parentPort } from 'node:worker_threads';
import { loadOpenCv, type OpenCv } from './opencv.js';
import { structureDrift, type DriftInput } from './structure-drift.js';
import { mergeBrackets, type BracketsInput } from './merge-brackets.js';
import { detectLines, warp, type LinesInput, type WarpInput } from './perspective-ops.js';

/**
 * The vision thread: OpenCV's WebAssembly build runs synchronously, for hundreds of
 * milliseconds per photo, so it runs here and never on the BFF's event loop. Loaded once, when
 * the first task arrives (the thread itself starts only then).
 *
 * Protocol: `{id, op, input}` in; `{id, result}` or `{id, error}` out, the pixel buffers of a
 * result transferred rather than copied; and once `{ready, loadMs}` when OpenCV has loaded.
 */
const started = performance.now();
const cv = loadOpenCv();
void cv.then(() => parentPort!.postMessage({ ready: true, loadMs: performance.now() - started }));

const OPERATIONS = {
  'structure-drift': async (input: DriftInput) => structureDrift(await cv, input),
  'merge-brackets': async (input: BracketsInput) => mergeBrackets(await cv, input),
  lines: async (input: LinesInput) => detectLines(await cv, input),
  warp: async (input: WarpInput) => warp(await cv, input),
};
export type VisionOperations = typeof OPERATIONS;

/** The buffers of typed arrays in a result, up to two levels deep (`{data}`, `{image: {data}}`). */
function buffersOf(value: unknown, depth = 0): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) return value.buffer instanceof ArrayBuffer ? [value.buffer] : [];
  if (depth > 1 || value === null || typeof value !== 'object') return [];
  return [...new Set(Object.values(value).flatMap((v) => buffersOf(v, depth + 1)))];
}

/** OpenCV's C++ exceptions reach JavaScript as a pointer to read the message from. */
function messageOf(opencv: OpenCv | null, error: unknown): string {
  if (typeof error === 'number' && opencv?.exceptionFromPtr) {
    try {
      return opencv.exceptionFromPtr(error).msg;
    } catch {
      return `OpenCV exception ${error}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

let loaded: OpenCv | null = null;
void cv.then((c) => (loaded = c));

parentPort!.on('message', async (message: { id: number; op: keyof VisionOperations; input: never }) => {
  try {
    const run = OPERATIONS[message.op];
    if (!run) throw new Error(`unknown vision operation "${String(message.op)}"`);
    const result = await run(message.input);
    parentPort!.postMessage({ id: message.id, result }, buffersOf(result));
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: messageOf(loaded, error) });
  }
});
