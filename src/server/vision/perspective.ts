import type { LineOptions, RawImage } from './perspective-ops.js';
import { VisionError, type Vision } from './vision.js';

export type { LineOptions, RawImage } from './perspective-ops.js';

/**
 * Straightening's calls to the vision thread (perspective-ops.ts does the work there): each
 * checks its arguments here, and sends a copy of the pixels that can be transferred.
 */

/** A copy of the pixels in a buffer of their own, so that it can be transferred to the thread. */
function own(image: RawImage): RawImage {
  return { ...image, data: new Uint8Array(image.data) };
}

/** Straight segments of a greyscale image, as [x1, y1, x2, y2] quadruples (OpenCV Canny + HoughLinesP). */
export async function detectLineSegments(vision: Vision, gray: RawImage, o: LineOptions): Promise<Float64Array> {
  if (gray.channels !== 1) throw new VisionError(`line detection needs a 1-channel image, not ${gray.channels}`);
  const image = own(gray);
  const { segments } = await vision.run('lines', { image, ...o }, [image.data.buffer as ArrayBuffer]);
  return segments;
}

/**
 * Warps an image by a perspective transform (OpenCV warpPerspective): `matrix` is row-major 3×3
 * from input pixel coordinates to output ones; the output is `width`×`height`.
 */
export async function warpPerspective(
  vision: Vision,
  input: RawImage,
  matrix: readonly number[],
  width: number,
  height: number,
  interpolation: 'linear' | 'cubic' = 'linear',
): Promise<RawImage> {
  if (matrix.length !== 9 || !matrix.every(Number.isFinite)) throw new VisionError('a perspective transform is 9 finite numbers');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) throw new VisionError(`an output size must be whole and positive, not ${width}×${height}`);
  const image = own(input);
  const { image: out } = await vision.run('warp', { image, matrix: [...matrix], width, height, interpolation }, [image.data.buffer as ArrayBuffer]);
  return out;
}
