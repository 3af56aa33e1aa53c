import { parentPort } from 'node:worker_threads';
import { loadOpenCv } from './opencv.js';
import { structureDrift, type DriftInput } from './structure-drift.js';
import { mergeBrackets, type BracketsInput } from './merge-brackets.js';

/**
 * The vision thread: OpenCV's WebAssembly build runs synchronously, for hundreds of
 * milliseconds per photo, so it runs here and never on the BFF's event loop. Loaded once, when
 * the first task arrives (the thread itself starts only then).
 */
const cv = loadOpenCv();

const OPERATIONS = {
  'structure-drift': async (input: DriftInput) => structureDrift(await cv, input),
  'merge-brackets': async (input: BracketsInput) => mergeBrackets(await cv, input),
};
export type VisionOperations = typeof OPERATIONS;

parentPort!.on('message', async (message: { id: number; op: keyof VisionOperations; input: never }) => {
  try {
    const result = await OPERATIONS[message.op](message.input);
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
