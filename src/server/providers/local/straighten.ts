import type { OutputNote, OutputNoteCode } from '../../../contract/index.js';
import { detectLineSegments, warpPerspective, type LineOptions } from '../../vision/perspective.js';
import type { Vision } from '../../vision/vision.js';
import { decode, finish, fitLongSide, metadataOf, rawOf, toSharp, type Decoded, type EncodedImage, type PipelineHooks, type Raw } from './raw-images.js';
import {
  ASSUMED_FOCAL,
  divergence,
  estimateVertical,
  homographyOf,
  largestRectangle,
  apply,
  multiply,
  rotationFor,
  scaling,
  segmentsOf,
  translation,
  type Frame,
  type Matrix3,
  type Rect,
  type VerticalEstimate,
  type VerticalFailure,
  type VerticalOptions,
} from './straighten-geometry.js';

/**
 * Straightening: the photo's near-vertical lines (wall corners, door and window frames,
 * building edges) give the camera's tilt and roll; a perspective warp makes verticals
 * vertical and the horizon level, and the result is cropped to the largest clean rectangle
 * of the photo's aspect ratio at the requested size. Line detection and the warp run in
 * OpenCV on the vision thread; the fit and the decision are in straighten-geometry.ts.
 *
 * It never guesses: a photo without enough consistent vertical lines, or whose lines lean
 * too much to be an accidental tilt, comes back with its geometry as it was and a note saying
 * why.
 */

/** `auto` corrects roll and ordinary tilt and eases off a strong one; `full` corrects all of it. */
export type StraightenStrength = 'auto' | 'full';

export interface StraightenOptions {
  longSide: number;
  strength: StraightenStrength;
  /** The BFF's vision thread (OpenCV), which finds the lines and warps. */
  vision: Vision;
}

/** What was measured and what was done, in degrees (for tests, the bench and logs). */
export interface StraightenReport {
  /** The camera angles measured, when the lines were reliable enough to measure them. */
  measured: { pitch: number; roll: number } | null;
  /** The angles corrected (zero when the photo was left as it was). */
  applied: { pitch: number; roll: number };
  /** The largest angle (degrees) by which the correction turns a vertical anywhere in the photo (0 when left as it was). */
  change: number;
  /** The share of the photo's area the crop keeps (1 when left as it was). */
  kept: number;
  /** How many segments were candidates, how many agreed on the vertical, and how strong the best other reading was (see `VerticalEstimate.ambiguity`). */
  lines: { candidates: number; inliers: number; ambiguity: number };
}

export interface StraightenedImage extends EncodedImage {
  note?: OutputNote;
  report: StraightenReport;
}

/** Long side of the greyscale proxy the lines are found on. */
const DETECT_LONG_SIDE = 1600;
/**
 * The photo is decoded this much larger than the output (when it has the pixels), so that the
 * crop's enlargement is not a blurry upsampling.
 */
const SOURCE_MARGIN = 1.25;

/** Hough and Canny settings for a proxy whose long side is `long` pixels. */
function lineOptions(long: number): LineOptions {
  return { canny: [30, 90], threshold: Math.round(long * 0.022), minLength: Math.round(long * 0.03), maxGap: Math.max(2, Math.round(long * 0.003)), lean: MAX_LEAN };
}

function verticalOptions(frame: Frame): VerticalOptions {
  return { maxLean: MAX_LEAN, minLength: 0.05 * Math.max(frame.width, frame.height), inlierAngle: 1, distinct: 2, maxPitch: LIMITS.maxPitch, maxRoll: LIMITS.maxRoll };
}

/** Segments leaning further than this from the image's vertical are not taken for verticals. */
const MAX_LEAN = 25;

const LIMITS = {
  /** Beyond these the lines are not an accidental tilt (or not verticals at all). */
  maxPitch: 30,
  maxRoll: 15,
  /** Below both, there is nothing to correct. */
  straight: 0.1,
  /** A fit less certain than this (standard error, degrees) is not acted on. */
  maxPitchError: 0.5,
  maxRollError: 0.25,
  /** Vertical segments that agree, and the share of the candidates' length they must have. */
  minInliers: 6,
  minInlierShare: 0.5,
  /** A rival reading of the lines with this share of the winner's support makes the answer doubtful. */
  maxAmbiguity: 0.35,
  /** `auto` corrects tilt fully up to this, and half of what is beyond. */
  autoFullPitch: 10,
  /** The smallest share of the photo the crop may keep. */
  minKept: { auto: 0.6, full: 0.35 },
} as const;

const NOTES = {
  noLines: {
    code: 'no_reliable_lines',
    message: 'No clear vertical lines (walls, door or window frames) were found to straighten by, so the photo was left as it was.',
  },
  straight: { code: 'already_straight', message: 'The photo was already straight: there was nothing to correct.' },
  tooSteep: {
    code: 'tilt_too_large',
    message: 'The lines lean too much to be a small camera tilt, or straightening would crop away too much, so the photo was left as it was.',
  },
  partly: {
    code: 'partly_straightened',
    message: 'The strong upward or downward tilt was only partly corrected, to avoid a stretched look and a tight crop. Choose "Full" to correct all of it.',
  },
} satisfies Record<string, OutputNote & { code: OutputNoteCode }>;

/** The photo's frame in pixels with the assumed focal length. */
export function frameOf(width: number, height: number): Frame {
  return { width, height, focal: ASSUMED_FOCAL * Math.max(width, height) };
}

/** The line segments of a greyscale image and the vertical they agree on, if any. */
export async function findVerticals(vision: Vision, gray: Raw): Promise<VerticalEstimate | VerticalFailure> {
  const frame = frameOf(gray.width, gray.height);
  const quads = await detectLineSegments(vision, gray, lineOptions(Math.max(gray.width, gray.height)));
  return estimateVertical(segmentsOf(quads), frame, verticalOptions(frame));
}

/** A greyscale proxy of a raw image, its long side at most `long`. */
export async function grayProxy(rgb: Raw, long = DETECT_LONG_SIDE): Promise<Raw> {
  const size = Math.max(rgb.width, rgb.height) > long ? fitLongSide(rgb.width, rgb.height, long) : { width: rgb.width, height: rgb.height };
  return rawOf(toSharp(rgb).resize({ ...size, fit: 'fill', kernel: 'lanczos3' }).toColourspace('b-w'));
}

export interface StraightenPlan {
  /** Pixels of the photo (edge coordinates: corners at 0 and width/height) to pixels of the corrected photo; null = leave as is. */
  homography: Matrix3 | null;
  /** The part of the corrected photo to keep, in its pixels. */
  crop: Rect | null;
  note?: OutputNote;
  report: StraightenReport;
}

/** What to do with a photo of `width`×`height` given what its lines say; never a worse guess. */
export function planStraighten(found: VerticalEstimate | VerticalFailure, width: number, height: number, strength: StraightenStrength): StraightenPlan {
  const leave = (note: OutputNote, est?: VerticalEstimate): StraightenPlan => ({
    homography: null,
    crop: null,
    note,
    report: {
      measured: est ? { pitch: est.pitch, roll: est.roll } : null,
      applied: { pitch: 0, roll: 0 },
      change: 0,
      kept: 1,
      lines: { candidates: est?.candidates.length ?? 0, inliers: est?.inliers.length ?? 0, ambiguity: est?.ambiguity ?? 0 },
    },
  });
  if (found === 'too_steep') return leave(NOTES.tooSteep);
  if (typeof found === 'string') return leave(NOTES.noLines);
  const candidateLength = found.candidates.reduce((a, s) => a + Math.hypot(s.x2 - s.x1, s.y2 - s.y1), 0);
  const inlierLength = found.inliers.reduce((a, s) => a + Math.hypot(s.x2 - s.x1, s.y2 - s.y1), 0);
  if (found.inliers.length < LIMITS.minInliers || inlierLength < LIMITS.minInlierShare * candidateLength) return leave(NOTES.noLines, found);
  if (found.pitchError > LIMITS.maxPitchError || found.rollError > LIMITS.maxRollError) return leave(NOTES.noLines, found);
  if (found.ambiguity > LIMITS.maxAmbiguity) return leave(NOTES.noLines, found);
  if (Math.abs(found.pitch) < LIMITS.straight && Math.abs(found.roll) < LIMITS.straight) return leave(NOTES.straight, found);

  const frame = frameOf(width, height);
  const attempt = (pitchShare: number) => {
    const rotation = rotationFor(found.direction, pitchShare);
    const homography = homographyOf(rotation, frame);
    const corners = ([[0, 0], [width, 0], [width, height], [0, height]] as const).map(([x, y]) => apply(homography, x, y));
    const crop = largestRectangle(corners, width / height);
    // The rotation makes the direction Rᵀ·(0, 1, 0), its second row, vertical.
    const change = divergence([0, 1, 0], [rotation[3], rotation[4], rotation[5]], frame);
    return { homography, crop, change, kept: crop ? (crop.width * crop.height) / (width * height) : 0 };
  };

  const minKept = LIMITS.minKept[strength];
  let share = 1;
  if (strength === 'auto' && Math.abs(found.pitch) > LIMITS.autoFullPitch) {
    const p = Math.abs(found.pitch);
    share = (LIMITS.autoFullPitch + 0.5 * (p - LIMITS.autoFullPitch)) / p;
  }
  let chosen = attempt(share);
  if (chosen.kept < minKept) {
    if (strength === 'full' || attempt(0).kept < minKept) return leave(NOTES.tooSteep, found);
    // The largest share of the tilt whose crop keeps enough (the kept area shrinks as the share grows).
    let lo = 0;
    let hi = share;
    for (let i = 0; i < 20; i++) {
      const mid = (lo + hi) / 2;
      if (attempt(mid).kept >= minKept) lo = mid;
      else hi = mid;
    }
    share = lo;
    chosen = attempt(share);
  }
  const partly = share < 0.999;
  return {
    homography: chosen.homography,
    crop: chosen.crop,
    ...(partly ? { note: NOTES.partly } : {}),
    report: {
      measured: { pitch: found.pitch, roll: found.roll },
      applied: { pitch: found.pitch * share, roll: found.roll },
      change: chosen.change,
      kept: chosen.kept,
      lines: { candidates: found.candidates.length, inliers: found.inliers.length, ambiguity: found.ambiguity },
    },
  };
}

export interface Straightened {
  /** The photo at the output size: corrected, or as it was. */
  image: Decoded;
  note?: OutputNote;
  report: StraightenReport;
  /**
   * Moves an image laid over the photo at the output size (a mask) the way the photo was
   * moved, so that it still covers the same things.
   */
  follow(overlay: Raw): Promise<Raw>;
}

/** OpenCV's pixel centres are at whole coordinates, ours (edges) at halves: M_cv = T(−½)·M·T(½). */
const centred = (m: Matrix3): Matrix3 => multiply(multiply(translation(-0.5, -0.5), m), translation(0.5, 0.5));

/**
 * The photo straightened at the output size (long side `longSide`, the photo's aspect ratio),
 * decoded and ready for further stages (render enhancement straightens first).
 */
export async function straightenDecoded(input: Buffer, o: StraightenOptions, hooks: PipelineHooks = {}): Promise<Straightened> {
  const meta = await metadataOf(input, 'image');
  const { width, height } = meta;
  const out = fitLongSide(width, height, o.longSide);
  const sourceLong = Math.min(Math.max(width, height), Math.ceil(o.longSide * SOURCE_MARGIN));
  const source = await decode(input, sourceLong, 'image');
  hooks.step?.(0.25);

  const found = await findVerticals(o.vision, await grayProxy(source.rgb));
  const plan = planStraighten(found, width, height, o.strength);
  hooks.step?.(0.5);

  if (!plan.homography || !plan.crop) {
    const image = source.rgb.width === out.width && source.rgb.height === out.height ? source : await decode(input, o.longSide, 'image');
    return { image, ...(plan.note ? { note: plan.note } : {}), report: plan.report, follow: async (overlay) => overlay };
  }
  const { crop, homography } = plan;
  // Corrected photo → output pixels: the crop's corner to the origin, its size to the output's.
  const toOutput = multiply(scaling(out.width / crop.width, out.height / crop.height), translation(-crop.x, -crop.y));
  const warpFrom = async (img: Raw): Promise<Raw> => {
    const fromImage = scaling(width / img.width, height / img.height);
    const m = centred(multiply(multiply(toOutput, homography), fromImage));
    const warped = await warpPerspective(o.vision, img, m, out.width, out.height, 'linear');
    return { data: Buffer.from(warped.data.buffer, warped.data.byteOffset, warped.data.byteLength), width: warped.width, height: warped.height, channels: warped.channels };
  };
  const [rgb, alpha] = await Promise.all([warpFrom(source.rgb), source.alpha ? warpFrom(source.alpha) : null]);
  hooks.step?.(0.85);
  return { image: { rgb, alpha }, ...(plan.note ? { note: plan.note } : {}), report: plan.report, follow: warpFrom };
}

/** The straighten service: straightened (or left as it was, with a note) and encoded. */
export async function straighten(input: Buffer, o: StraightenOptions, hooks: PipelineHooks = {}): Promise<StraightenedImage> {
  const s = await straightenDecoded(input, o, hooks);
  const encoded = await finish(s.image.rgb, s.image.alpha, null);
  hooks.step?.(1);
  return { ...encoded, ...(s.note ? { note: s.note } : {}), report: s.report };
}
