/**
 * How bright a photo is, and whether a set of shots can be merged: the checks the bracket set
 * makes before anything is uploaded (the BFF checks again, and refuses shots of different scenes).
 */

/** One shot as the checks see it. */
export interface Shot {
  name: string;
  width: number;
  height: number;
  /** Mean luma 0–255, or null when the browser cannot decode it (HEIC: the BFF will). */
  brightness: number | null;
}

export type SetProblem =
  | { code: 'too_few'; missing: number }
  | { code: 'too_many'; count: number; max: number }
  | { code: 'other_size'; shot: Shot; first: Shot }
  | { code: 'same_brightness'; a: Shot; b: Shot };

/** Two shots closer than this in mean luma (of 255) are taken to be one exposure. */
const SAME_EXPOSURE = 2;

/** Shots ordered darkest first; those of unknown brightness keep their place at the end. */
export function byExposure<T extends Shot>(shots: readonly T[]): T[] {
  const known = shots.filter((s) => s.brightness !== null).sort((a, b) => a.brightness! - b.brightness!);
  return [...known, ...shots.filter((s) => s.brightness === null)];
}

/** The first reason the set cannot be merged (`shots[0]` is the person's first photo), or null. */
export function problemOf(shots: readonly Shot[], min: number, max: number): SetProblem | null {
  const first = shots[0];
  if (first) {
    const other = shots.find((s) => s.width !== first.width || s.height !== first.height);
    if (other) return { code: 'other_size', shot: other, first };
  }
  const ordered = byExposure(shots).filter((s) => s.brightness !== null);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.brightness! - ordered[i - 1]!.brightness! < SAME_EXPOSURE) return { code: 'same_brightness', a: ordered[i - 1]!, b: ordered[i]! };
  }
  if (shots.length < min) return { code: 'too_few', missing: min - shots.length };
  if (shots.length > max) return { code: 'too_many', count: shots.length, max };
  return null;
}

/** Mean luma (Rec. 601) of an image URL, measured on a 32-pixel-wide copy; null if it cannot be decoded here. */
export async function brightnessOf(url: string): Promise<number | null> {
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const width = 32;
    const height = Math.max(1, Math.round((32 * img.naturalHeight) / Math.max(1, img.naturalWidth)));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(img, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    return sum / (data.length / 4);
  } catch {
    return null;
  }
}
