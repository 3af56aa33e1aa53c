import sharp from 'sharp';
import type { BracketsResult } from '../../vision/merge-brackets.js';
import type { Vision } from '../../vision/vision.js';
import { ProviderJobError } from '../types.js';
import type { Grade } from './grades.js';
import { enhance, fitLongSide, UnreadableImageError, type EncodedImage, type PipelineHooks } from './pipelines.js';
import type { Raw } from './raw-images.js';
import { bracketSource, pullWindows, sourceOf } from './window-pull.js';

export interface HdrMergeOptions {
  longSide: number;
  grade: Grade;
  vision: Vision;
  /** A mask painted over the windows: they are taken from the darkest usable bracket (window-pull.ts). */
  windows?: Buffer | null;
}

/**
 * `hdr-merge`: bracketed exposures of one scene → one evenly lit photo. Each bracket is decoded
 * at the output size, the middle exposure (by mean brightness) becomes the reference, the others
 * are aligned to it and all are fused (vision/merge-brackets.ts, on the vision thread); then the
 * usual enhancement runs on the fused photo, without the levels stretch, which would clip the
 * highlights the fusion recovered.
 */
export async function hdrMerge(brackets: Buffer[], o: HdrMergeOptions, hooks: PipelineHooks = {}): Promise<EncodedImage> {
  const decoded = await Promise.all(
    brackets.map(async (data) => {
      try {
        const meta = await sharp(data, { autoOrient: true }).metadata();
        const width = meta.autoOrient?.width ?? meta.width ?? 0;
        const height = meta.autoOrient?.height ?? meta.height ?? 0;
        const size = fitLongSide(width, height, o.longSide);
        const pixels = await sharp(data, { autoOrient: true }).resize({ ...size, fit: 'fill', kernel: 'lanczos3' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const { channels } = await sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: 3 } }).greyscale().stats();
        return { pixels: pixels.data, width: pixels.info.width, height: pixels.info.height, brightness: channels[0]!.mean, source: { width, height } };
      } catch (err) {
        throw new UnreadableImageError('image', err);
      }
    }),
  );
  hooks.step?.(0.15);
  const [first] = decoded;
  if (!first || decoded.some((d) => d.source.width !== first.source.width || d.source.height !== first.source.height)) {
    throw mismatch('The bracketed photos are not the same size: they must be exposures of one scene from one camera position.');
  }
  const byBrightness = decoded.map((d, i) => [d.brightness, i] as const).sort((a, b) => a[0] - b[0]);
  const reference = byBrightness[byBrightness.length >> 1]![1];
  const images = decoded.map((d) => new Uint8Array(d.pixels.buffer, d.pixels.byteOffset, d.pixels.byteLength).slice());
  const result: BracketsResult = await o.vision.run('merge-brackets', { width: first.width, height: first.height, images, reference }, images.map((i) => i.buffer));
  hooks.step?.(0.7);
  if (!result.ok) {
    const worst = Math.min(...result.correlations);
    throw mismatch(
      `These photos do not line up as brackets of one scene (the least similar matches ${Math.round(Math.max(0, worst) * 100)} %): take them from one position, one after another, and upload them again.`,
    );
  }
  const fused = await sharp(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength), { raw: { width: first.width, height: first.height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  const shifts = result.shifts;
  const windows = o.windows
    ? async (original: Raw, enhanced: Raw, mask: Raw) => {
        const brackets = decoded.map((d, i) => ({ pixels: d.pixels, brightness: d.brightness, shift: shifts[i]! }));
        return pullWindows(enhanced, (await bracketSource(original, brackets, reference, mask)) ?? sourceOf(original), mask);
      }
    : null;
  return enhance(fused, { longSide: o.longSide, grade: o.grade, levels: false, mask: o.windows ?? null, windows }, { step: (f) => hooks.step?.(0.7 + f * 0.3) });
}

const mismatch = (message: string) => new ProviderJobError('brackets_mismatch', message, false);
