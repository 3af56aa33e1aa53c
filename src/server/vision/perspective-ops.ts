import type { Mat, OpenCv } from './opencv.js';

/**
 * The straightening operations of the vision thread (see vision-worker.ts): straight line
 * segments of a greyscale photo, and a perspective warp. Runs inside the worker only.
 */

/** Raw 8-bit pixels, rows top to bottom, channels interleaved. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface LineOptions {
  /** Canny's hysteresis thresholds (low, high) on the blurred 8-bit image. */
  canny: [number, number];
  /** Votes a Hough line needs (edge pixels on it). */
  threshold: number;
  minLength: number;
  maxGap: number;
  /** Keep only edges within this many degrees of the vertical (none: every direction). */
  lean?: number;
}

export type LinesInput = { image: RawImage } & LineOptions;

export interface WarpInput {
  image: RawImage;
  /** Row-major 3×3, from input pixels to output pixels. */
  matrix: number[];
  width: number;
  height: number;
  interpolation: 'linear' | 'cubic';
}

/** A cv.Mat over a copy of raw 8-bit pixels. */
function matOf(cv: OpenCv, img: RawImage): Mat {
  const type = img.channels === 1 ? cv.CV_8UC1 : img.channels === 3 ? cv.CV_8UC3 : cv.CV_8UC4;
  const mat = new cv.Mat(img.height, img.width, type);
  mat.data.set(img.data);
  return mat;
}

/**
 * The segment moved onto the least-squares line (cv.fitLine, Huber) through sub-pixel points
 * of its edge: along the segment, at each row (a steep segment) or column (a flat one), the
 * peak of the gradient across it within two pixels, interpolated by a parabola through the
 * peak and its neighbours. Canny's pixels and Hough's ends are whole pixels, so a line leaning
 * half a degree comes out of Hough as vertical runs a pixel apart; the gradient's sub-pixel
 * peak sees the lean. Unchanged when too few rows or columns have a clear peak.
 */
function refineSegment(cv: OpenCv, gx: Int16Array, gy: Int16Array, cols: number, rows: number, x1: number, y1: number, x2: number, y2: number): number[] {
  const length = Math.hypot(x2 - x1, y2 - y1);
  // Unit normal: the gradient of the edge points along it.
  const nx = -(y2 - y1) / length;
  const ny = (x2 - x1) / length;
  const steep = Math.abs(y2 - y1) >= Math.abs(x2 - x1);
  const across = (x: number, y: number): number => {
    if (x < 0 || y < 0 || x >= cols || y >= rows) return 0;
    const i = y * cols + x;
    return Math.abs(gx[i]! * nx + gy[i]! * ny);
  };
  const points: number[] = [];
  const [a0, a1] = steep ? [Math.min(y1, y2), Math.max(y1, y2)] : [Math.min(x1, x2), Math.max(x1, x2)];
  for (let a = Math.ceil(a0); a <= Math.floor(a1); a++) {
    // The segment's position across at this row (or column), and the strongest response near it.
    const c = steep ? x1 + ((a - y1) * (x2 - x1)) / (y2 - y1) : y1 + ((a - x1) * (y2 - y1)) / (x2 - x1);
    const at = (k: number): number => (steep ? across(k, a) : across(a, k));
    let best = Math.round(c);
    for (let k = Math.round(c) - 2; k <= Math.round(c) + 2; k++) if (at(k) > at(best)) best = k;
    const l = at(best - 1);
    const m = at(best);
    const r = at(best + 1);
    if (m === 0 || l > m || r > m) continue;
    const curve = l - 2 * m + r;
    const offset = curve < 0 ? (l - r) / (2 * curve) : 0;
    if (steep) points.push(best + offset, a);
    else points.push(a, best + offset);
  }
  if (points.length / 2 < 0.6 * (a1 - a0)) return [x1, y1, x2, y2];
  const mat = cv.matFromArray(points.length / 2, 1, cv.CV_32FC2, points);
  const line = new cv.Mat();
  try {
    cv.fitLine(mat, line, cv.DIST_HUBER, 0, 0.01, 0.01);
    const [vx, vy, x0, y0] = line.data32F as unknown as [number, number, number, number];
    const project = (x: number, y: number): [number, number] => {
      const t = (x - x0) * vx + (y - y0) * vy;
      return [x0 + t * vx, y0 + t * vy];
    };
    return [...project(x1, y1), ...project(x2, y2)];
  } finally {
    mat.delete();
    line.delete();
  }
}

/**
 * Straight line segments of a greyscale image: Gaussian blur, Canny, probabilistic Hough,
 * then each segment refined to sub-pixel on the image's gradient (see refineSegment). With
 * `lean` (degrees), only edge pixels running within that angle of the vertical are kept (Sobel
 * gradients), so that foliage, brick and fabric do not bury the verticals in segments of every
 * direction. Returns [x1, y1, x2, y2, ...] in pixels.
 */
export function detectLines(cv: OpenCv, a: LinesInput): { segments: Float64Array } {
  if (a.image.channels !== 1) throw new Error(`line detection needs a 1-channel image, not ${a.image.channels}`);
  const gray = matOf(cv, a.image);
  const blurred = new cv.Mat();
  const edges = new cv.Mat();
  const lines = new cv.Mat();
  const dx = new cv.Mat();
  const dy = new cv.Mat();
  try {
    cv.GaussianBlur(gray, blurred, new cv.Size(5, 5), 0, 0, cv.BORDER_DEFAULT);
    cv.Canny(blurred, edges, a.canny[0], a.canny[1], 3, true);
    cv.Sobel(blurred, dx, cv.CV_16S, 1, 0, 3, 1, 0, cv.BORDER_DEFAULT);
    cv.Sobel(blurred, dy, cv.CV_16S, 0, 1, 3, 1, 0, cv.BORDER_DEFAULT);
    const gx = dx.data16S;
    const gy = dy.data16S;
    if (a.lean !== undefined) {
      const e = edges.data;
      // An edge runs across its gradient: near-vertical edges have near-horizontal gradients.
      const k = Math.tan((a.lean * Math.PI) / 180);
      for (let i = 0; i < e.length; i++) if (e[i] !== 0 && Math.abs(gy[i]!) > k * Math.abs(gx[i]!)) e[i] = 0;
    }
    cv.HoughLinesP(edges, lines, 1, Math.PI / 360, a.threshold, a.minLength, a.maxGap);
    const found = lines.data32S;
    const segments = new Float64Array(found.length);
    for (let i = 0; i < found.length; i += 4) {
      segments.set(refineSegment(cv, gx, gy, edges.cols, edges.rows, found[i]!, found[i + 1]!, found[i + 2]!, found[i + 3]!), i);
    }
    return { segments };
  } finally {
    gray.delete();
    blurred.delete();
    edges.delete();
    lines.delete();
    dx.delete();
    dy.delete();
  }
}

/**
 * A perspective warp: out(x, y) = in(M⁻¹·(x, y)), M a row-major 3×3 matrix from input to output
 * pixels. Pixels the input does not cover repeat its nearest edge.
 */
export function warp(cv: OpenCv, a: WarpInput): { image: RawImage } {
  const src = matOf(cv, a.image);
  const dst = new cv.Mat();
  const m = cv.matFromArray(3, 3, cv.CV_64FC1, a.matrix);
  try {
    const interpolation = a.interpolation === 'cubic' ? cv.INTER_CUBIC : cv.INTER_LINEAR;
    cv.warpPerspective(src, dst, m, new cv.Size(a.width, a.height), interpolation, cv.BORDER_REPLICATE, new cv.Scalar(0));
    return { image: { data: new Uint8Array(dst.data), width: dst.cols, height: dst.rows, channels: dst.channels() as RawImage['channels'] } };
  } finally {
    src.delete();
    dst.delete();
    m.delete();
  }
}
