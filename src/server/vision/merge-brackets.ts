import type { Mat, OpenCv } from './opencv.js';

/**
 * Exposure fusion of bracketed photos (Mertens, Kautz and Van Reeth, 2007, OpenCV's MergeMertens):
 * per pixel, each exposure is weighted by its contrast, saturation and well-exposedness and the
 * weighted exposures are blended through Laplacian pyramids. No camera response or HDR radiance
 * map is needed.
 *
 * Handheld brackets are aligned to the reference first, by ECC (Evangelidis and Psarakis, 2008,
 * OpenCV's findTransformECC) on histogram-equalised greyscale at a quarter of the size, starting
 * from an estimate at an eighth (coarse to fine: from nothing, a bright bracket can take ECC its
 * whole budget of iterations at a quarter size, seconds in WebAssembly): the correlation it
 * maximises is insensitive to the exposure difference, and its final value says whether two
 * photos show the same scene at all. (OpenCV's AlignMTB is not bound in the npm
 * WebAssembly build.)
 */

export interface BracketsInput {
  width: number;
  height: number;
  /** RGB pixels, `width × height × 3` each, same size. */
  images: Uint8Array[];
  /** Index of the reference exposure (the others are aligned to it). */
  reference: number;
}

export type BracketsResult =
  | { ok: true; data: Uint8Array; shifts: Array<[number, number]>; correlations: number[] }
  | { ok: false; correlations: number[] };

/** Below this ECC correlation, two "brackets" are not the same scene (or cannot be aligned). */
export const MIN_BRACKET_CORRELATION = 0.6;
/** The largest handheld shift accepted, as a share of the width. */
const MAX_SHIFT = 0.05;
const ALIGN_SCALE = 4;
const HEADROOM = 235;

export function mergeBrackets(cv: OpenCv, input: BracketsInput): BracketsResult {
  const { width: W, height: H } = input;
  const mats: Mat[] = [];
  const keep = <T extends { delete(): void }>(m: T) => (mats.push(m as unknown as Mat), m);
  try {
    const photos = input.images.map((data) => {
      const m = keep(new cv.Mat(H, W, cv.CV_8UC3));
      m.data.set(data);
      return m;
    });
    /** Equalised greyscale at a quarter and an eighth of the size, and where it holds information (neither clipped nor crushed). */
    const level = (grey: Mat, scale: number) => {
      const reduced = keep(new cv.Mat());
      cv.resize(grey, reduced, new cv.Size(Math.max(4, Math.round(W / scale)), Math.max(4, Math.round(H / scale))), 0, 0, cv.INTER_AREA);
      const equalised = keep(new cv.Mat());
      cv.equalizeHist(reduced, equalised);
      const valid = keep(new cv.Mat(reduced.rows, reduced.cols, cv.CV_8UC1));
      // Mat.data makes a new view on each read: once, outside the loop.
      const [from, to] = [reduced.data, valid.data];
      for (let i = 0; i < from.length; i++) to[i] = from[i]! > 8 && from[i]! < 247 ? 255 : 0;
      return { equalised, valid, width: reduced.cols, height: reduced.rows };
    };
    const small = (m: Mat) => {
      const grey = keep(new cv.Mat());
      cv.cvtColor(m, grey, cv.COLOR_RGB2GRAY);
      return { fine: level(grey, ALIGN_SCALE), coarse: level(grey, 2 * ALIGN_SCALE) };
    };
    const reference = small(photos[input.reference]!);
    const aligned = keep(new cv.MatVector());
    const shifts: Array<[number, number]> = [];
    const correlations: number[] = [];
    for (const [i, photo] of photos.entries()) {
      if (i === input.reference) {
        aligned.push_back(photo);
        shifts.push([0, 0]);
        correlations.push(1);
        continue;
      }
      const warp = keep(cv.Mat.eye(2, 3, cv.CV_32F));
      let correlation: number;
      const moving = small(photo);
      // Only where the bracket holds detail: its blown-out or black areas say nothing about alignment.
      try {
        cv.findTransformECC(reference.coarse.equalised, moving.coarse.equalised, warp, cv.MOTION_TRANSLATION, new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, 50, 1e-4), moving.coarse.valid, 5);
        warp.data32F[2] = warp.data32F[2]! * (moving.fine.width / moving.coarse.width);
        warp.data32F[5] = warp.data32F[5]! * (moving.fine.height / moving.coarse.height);
      } catch {
        warp.data32F[2] = 0; // no estimate at the coarse level: the fine one starts from none
        warp.data32F[5] = 0;
      }
      try {
        correlation = cv.findTransformECC(reference.fine.equalised, moving.fine.equalised, warp, cv.MOTION_TRANSLATION, new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, 25, 1e-5), moving.fine.valid, 5);
      } catch {
        correlation = 0; // ECC did not converge: nothing in common to align on
      }
      const dx = warp.data32F[2] * (W / moving.fine.width);
      const dy = warp.data32F[5] * (H / moving.fine.height);
      correlations.push(correlation);
      shifts.push([dx, dy]);
      if (correlation < MIN_BRACKET_CORRELATION || Math.hypot(dx, dy) > MAX_SHIFT * W) continue;
      const full = keep(cv.Mat.eye(2, 3, cv.CV_32F));
      full.data32F[2] = dx;
      full.data32F[5] = dy;
      const moved = keep(new cv.Mat());
      cv.warpAffine(photo, moved, full, new cv.Size(W, H), cv.INTER_LINEAR + cv.WARP_INVERSE_MAP, cv.BORDER_REPLICATE);
      aligned.push_back(moved);
    }
    if (aligned.size() !== photos.length) return { ok: false, correlations };
    const merge = keep(new cv.MergeMertens(1, 1, 1));
    const fused = keep(new cv.Mat());
    merge.process1(aligned, fused);
    // The blend can overshoot [0, 1] a little: map its whole range (all channels together, so the
    // colour balance holds) onto 0–HEADROOM rather than clipping it, leaving the grade and the
    // sharpening that follow room above the recovered highlights.
    const out = keep(new cv.Mat());
    cv.normalize(fused, out, 0, HEADROOM, cv.NORM_MINMAX, cv.CV_8UC3);
    return { ok: true, data: out.data.slice(), shifts, correlations };
  } finally {
    for (const m of mats) m.delete();
  }
}
