import sharp from 'sharp';
import type { DriftResult } from '../vision/structure-drift.js';
import type { Vision } from '../vision/vision.js';

/** The size both images are compared at: enough for walls, windows and doors, cheap to compare. */
const WORK_WIDTH = 640;

/**
 * Compares an output's structure with its original's (see vision/structure-drift.ts), outside
 * the painted mask when there is one. The images are decoded and scaled here (sharp, off the
 * event loop on libuv's pool); the comparison runs on the vision thread.
 */
export async function checkStructureDrift(vision: Vision, original: Uint8Array, output: Uint8Array, mask: Uint8Array | null): Promise<DriftResult> {
  const meta = await sharp(original).metadata();
  const width = WORK_WIDTH;
  const height = Math.max(1, Math.round((WORK_WIDTH * (meta.height ?? 1)) / (meta.width ?? 1)));
  const scaled = (data: Uint8Array) => sharp(data).resize(width, height, { fit: 'fill' }).removeAlpha();
  const [originalRgb, outputRgb, originalGray, outputGray, maskPixels] = await Promise.all([
    scaled(original).raw().toBuffer(),
    scaled(output).raw().toBuffer(),
    scaled(original).greyscale().raw().toBuffer(),
    scaled(output).greyscale().raw().toBuffer(),
    mask ? sharp(mask).resize(width, height, { fit: 'fill' }).flatten({ background: '#000' }).greyscale().threshold(128).raw().toBuffer() : Promise.resolve(null),
  ]);
  const own = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const input = {
    width,
    height,
    originalGray: own(originalGray),
    outputGray: own(outputGray),
    originalRgb: own(originalRgb),
    outputRgb: own(outputRgb),
    mask: maskPixels ? own(maskPixels) : null,
  };
  const transfer = [input.originalGray, input.outputGray, input.originalRgb, input.outputRgb, ...(input.mask ? [input.mask] : [])].map((a) => a.buffer as ArrayBuffer);
  return vision.run('structure-drift', input, transfer);
}
