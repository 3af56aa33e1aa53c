/**
 * The geometry of straightening, as pure functions: which line segments are the photo's
 * verticals, where they meet (their vanishing point), the camera tilt (pitch) and roll that
 * vanishing point means, the homography that undoes them, and the largest clean rectangle of
 * the corrected photo. Pixels are handled by OpenCV on the vision thread; this is the small
 * amount of model fitting around it, which OpenCV.js has no function for.
 *
 * Camera model: a pinhole with its principal point at the centre of the photo and an assumed
 * focal length (photos rarely keep their EXIF on the way here). Coordinates: x right, y down,
 * z forward. A world vertical seen by a camera with pitch θ and roll φ has the direction
 * d = Rz(−φ)·Rx(θ)·(0, 1, 0); every vertical edge of the scene lies on a plane through the
 * camera centre that contains d, so its image line `n` (the plane's normal) has n·d = 0.
 * Rotating the camera virtually by R with R·d = (0, 1, 0) (the homography K·R·K⁻¹) makes every
 * vertical vertical and, the roll being gone, the horizon level. Whatever the focal length,
 * lines through the vanishing point become vertical; the focal length only sets how much the
 * picture is stretched on the way.
 */

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The photo (or a proxy of it) in pixels; the focal length in the same pixels. */
export interface Frame {
  width: number;
  height: number;
  focal: number;
}

/** Row-major 3×3 matrix. */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

/**
 * Focal length assumed when none is known, as a fraction of the long side: a 28 mm lens on a
 * full-frame camera (the wide end of a kit zoom, and about a phone's main camera).
 */
export const ASSUMED_FOCAL = 28 / 36;

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;

export function segmentsOf(quads: ArrayLike<number>): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i + 3 < quads.length; i += 4) out.push({ x1: quads[i]!, y1: quads[i + 1]!, x2: quads[i + 2]!, y2: quads[i + 3]! });
  return out;
}

export const lengthOf = (s: Segment) => Math.hypot(s.x2 - s.x1, s.y2 - s.y1);

/** Signed angle from the image's vertical in degrees (−90..90]: positive leans right at the top. */
export function angleFromVertical(s: Segment): number {
  let dx = s.x2 - s.x1;
  let dy = s.y2 - s.y1;
  // Orient bottom to top (y grows downwards).
  if (dy > 0 || (dy === 0 && dx < 0)) {
    dx = -dx;
    dy = -dy;
  }
  return Math.atan2(dx, -dy) * DEG;
}

export interface VerticalOptions {
  /** Segments leaning further than this from the image vertical are not candidates. */
  maxLean: number;
  /** Segments shorter than this (pixels) are not candidates. */
  minLength: number;
  /** A segment is an inlier when it points at the vanishing point within this many degrees. */
  inlierAngle: number;
  /** Camera angles beyond these are not taken as accidental (degrees). */
  maxPitch: number;
  maxRoll: number;
  /** Two directions are distinct readings when they disagree by more than this anywhere in the photo (degrees). */
  distinct: number;
}

export interface VerticalEstimate {
  /** Unit direction of the world's vertical in camera coordinates, y component positive. */
  direction: [number, number, number];
  /** Camera pitch in degrees: positive when it looks up (the verticals converge towards the top). */
  pitch: number;
  /** Camera roll in degrees: positive when the verticals lean left at the top (the scene turned anticlockwise). */
  roll: number;
  /** Standard errors of the two angles (degrees), from the fit's residuals. */
  pitchError: number;
  rollError: number;
  candidates: Segment[];
  inliers: Segment[];
  /** Mean angular misfit of the inliers (degrees). */
  rms: number;
  /**
   * Support (inlier length) of the best hypothesis that disagrees with the winner, from lines
   * the winner does not explain, as a share of the winner's: near 1, two readings of the lines
   * are about as likely.
   */
  ambiguity: number;
}

/** Why no estimate could be trusted. */
export type VerticalFailure = 'too_few_lines' | 'no_consensus' | 'too_steep';

/** Line through the two rays of a segment's ends, as the (unit) normal of their plane. */
function normalOf(s: Segment, f: Frame): [number, number, number] {
  const cx = f.width / 2;
  const cy = f.height / 2;
  const a: [number, number, number] = [(s.x1 - cx) / f.focal, (s.y1 - cy) / f.focal, 1];
  const b: [number, number, number] = [(s.x2 - cx) / f.focal, (s.y2 - cy) / f.focal, 1];
  const n = cross(a, b);
  const len = Math.hypot(n[0], n[1], n[2]);
  return [n[0] / len, n[1] / len, n[2] / len];
}

/**
 * How far (degrees) a segment is from pointing at the vanishing point of `d`: the angle between
 * it and the line from its midpoint to that point (a parallel direction when d is at infinity).
 */
export function misfit(s: Segment, d: readonly [number, number, number], f: Frame): number {
  const vx = f.focal * d[0] + (f.width / 2) * d[2];
  const vy = f.focal * d[1] + (f.height / 2) * d[2];
  const vz = d[2];
  const mx = (s.x1 + s.x2) / 2;
  const my = (s.y1 + s.y2) / 2;
  const tx = vx - mx * vz;
  const ty = vy - my * vz;
  const sx = s.x2 - s.x1;
  const sy = s.y2 - s.y1;
  const sin = Math.abs(sx * ty - sy * tx) / (Math.hypot(sx, sy) * Math.hypot(tx, ty));
  return Math.asin(Math.min(1, sin)) * DEG;
}

/**
 * `misfit(segment i, d) <= maxAngle` without a square root or an arcsine, for the inner loops
 * of the search (thousands of hypotheses × the candidates): with t the direction from the
 * segment's midpoint to the vanishing point and u the segment's unit direction, the misfit's
 * sine is |u × t| / |t|.
 */
function agreement(segments: Segment[], f: Frame, maxAngle: number): (i: number, d: readonly [number, number, number]) => boolean {
  const n = segments.length;
  const mx = new Float64Array(n);
  const my = new Float64Array(n);
  const ux = new Float64Array(n);
  const uy = new Float64Array(n);
  segments.forEach((s, i) => {
    const len = lengthOf(s);
    mx[i] = (s.x1 + s.x2) / 2;
    my[i] = (s.y1 + s.y2) / 2;
    ux[i] = (s.x2 - s.x1) / len;
    uy[i] = (s.y2 - s.y1) / len;
  });
  const sin2 = Math.sin(maxAngle / DEG) ** 2;
  const cx = f.width / 2;
  const cy = f.height / 2;
  return (i, d) => {
    const vz = d[2];
    const tx = f.focal * d[0] + cx * vz - mx[i]! * vz;
    const ty = f.focal * d[1] + cy * vz - my[i]! * vz;
    const c = ux[i]! * ty - uy[i]! * tx;
    return c * c <= sin2 * (tx * tx + ty * ty);
  };
}

/**
 * The largest disagreement (degrees) between two vertical directions over the photo: the
 * angle between the verticals they predict, at the centre and at the middle of each side.
 */
export function divergence(a: readonly [number, number, number], b: readonly [number, number, number], f: Frame): number {
  const points: Array<[number, number]> = [
    [f.width / 2, f.height / 2],
    [0, f.height / 2],
    [f.width, f.height / 2],
    [f.width / 2, 0],
    [f.width / 2, f.height],
  ];
  let worst = 0;
  for (const [x, y] of points) {
    // A short vertical through the point as each direction predicts it.
    const probe = (d: readonly [number, number, number]) => {
      const vx = f.focal * d[0] + (f.width / 2) * d[2] - x * d[2];
      const vy = f.focal * d[1] + (f.height / 2) * d[2] - y * d[2];
      return Math.atan2(vx, vy);
    };
    let diff = Math.abs(probe(a) - probe(b)) * DEG;
    diff = Math.min(diff % 180, 180 - (diff % 180));
    worst = Math.max(worst, diff);
  }
  return worst;
}

/** Pitch and roll (degrees) of a vertical direction. */
export function anglesOf(d: readonly [number, number, number]): { pitch: number; roll: number } {
  return { roll: Math.atan2(d[0], d[1]) * DEG, pitch: Math.atan2(-d[2], Math.hypot(d[0], d[1])) * DEG };
}

/** The vertical direction a camera with this pitch and roll (degrees) sees. */
export function directionOf(pitch: number, roll: number): [number, number, number] {
  const p = pitch * RAD;
  const r = roll * RAD;
  // Rz(−roll)·Rx(pitch)·(0, 1, 0), written out.
  const y = Math.cos(p);
  const z = -Math.sin(p);
  return [Math.sin(r) * y, Math.cos(r) * y, z];
}

/**
 * Least squares for the vertical direction through the inliers' normals: minimise
 * Σ w·(n·d)² with d = (x, 1, z) (the vertical is never level in a photo we straighten), a 2×2
 * linear system. Returns d normalised, and the covariance of (x, z) for the error estimate.
 */
function fitDirection(normals: Array<[number, number, number]>, weights: number[]) {
  let sxx = 0;
  let sxz = 0;
  let szz = 0;
  let sxy = 0;
  let szy = 0;
  for (let i = 0; i < normals.length; i++) {
    const [nx, ny, nz] = normals[i]!;
    const w = weights[i]!;
    sxx += w * nx * nx;
    sxz += w * nx * nz;
    szz += w * nz * nz;
    sxy += w * nx * ny;
    szy += w * nz * ny;
  }
  const det = sxx * szz - sxz * sxz;
  if (!(Math.abs(det) > 1e-18)) return null;
  const x = (-sxy * szz + szy * sxz) / det;
  const z = (-szy * sxx + sxy * sxz) / det;
  let residual = 0;
  for (let i = 0; i < normals.length; i++) {
    const [nx, ny, nz] = normals[i]!;
    const r = nx * x + ny + nz * z;
    residual += weights[i]! * r * r;
  }
  // Weighted least squares: σ² = Σw·r² / (N − 2), covariance σ²·(AᵀWA)⁻¹.
  const sigma2 = residual / Math.max(1, normals.length - 2);
  const varX = (sigma2 * szz) / det;
  const varZ = (sigma2 * sxx) / det;
  const len = Math.hypot(x, 1, z);
  return { d: [x / len, 1 / len, z / len] as [number, number, number], raw: { x, z }, varX, varZ };
}

/**
 * The vertical vanishing direction of a photo from its line segments (in `frame` pixels):
 * candidates are long enough and lean little; every pair of candidates proposes a direction,
 * the one with the most inlier length wins (RANSAC, exhaustive over the longest candidates so
 * that the answer is repeatable), and a weighted least-squares fit over its inliers refines it.
 */
export function estimateVertical(segments: Segment[], frame: Frame, o: VerticalOptions): VerticalEstimate | VerticalFailure {
  const candidates = segments
    .filter((s) => lengthOf(s) >= o.minLength && Math.abs(angleFromVertical(s)) <= o.maxLean)
    .sort((a, b) => lengthOf(b) - lengthOf(a));
  if (candidates.length < 3) return 'too_few_lines';
  const normals = candidates.map((s) => normalOf(s, frame));
  const lengths = candidates.map(lengthOf);

  const agrees = agreement(candidates, frame, o.inlierAngle);
  const support = (d: readonly [number, number, number]) => {
    let sum = 0;
    for (let i = 0; i < candidates.length; i++) if (agrees(i, d)) sum += lengths[i]!;
    return sum;
  };
  const plausible = (d: readonly [number, number, number]) => {
    const { pitch, roll } = anglesOf(d);
    return Math.abs(pitch) <= o.maxPitch + 5 && Math.abs(roll) <= o.maxRoll + 5;
  };

  const pool = Math.min(candidates.length, 60);
  const hypotheses: Array<{ d: [number, number, number]; support: number }> = [];
  for (let i = 0; i < pool; i++) {
    for (let j = i + 1; j < pool; j++) {
      const c = cross(normals[i]!, normals[j]!);
      const len = Math.hypot(c[0], c[1], c[2]);
      if (len < 1e-9) continue;
      const sign = c[1] < 0 ? -1 : 1;
      const d: [number, number, number] = [(sign * c[0]) / len, (sign * c[1]) / len, (sign * c[2]) / len];
      if (!plausible(d)) continue;
      hypotheses.push({ d, support: support(d) });
    }
  }
  hypotheses.sort((a, b) => b.support - a.support);
  const best = hypotheses[0]?.d ?? null;
  if (!best) return 'no_consensus';

  // The best-supported reading that would straighten the photo differently (its vertical
  // somewhere in the picture off by more than o.distinct degrees), counting only lines the
  // winner does not explain: when other lines back another answer nearly as well, the lines
  // do not say which way is up.
  const explained = candidates.map((_, i) => agrees(i, best));
  let rivalSupport = 0;
  for (const h of hypotheses) {
    if (h.support <= rivalSupport) break;
    if (divergence(h.d, best, frame) <= o.distinct) continue;
    let own = 0;
    for (let i = 0; i < candidates.length; i++) if (!explained[i] && agrees(i, h.d)) own += lengths[i]!;
    rivalSupport = Math.max(rivalSupport, own);
  }
  const ambiguity = rivalSupport / hypotheses[0]!.support;

  let d = best;
  let fit: ReturnType<typeof fitDirection> = null;
  let inliers: number[] = [];
  for (let round = 0; round < 4; round++) {
    inliers = candidates.flatMap((s, i) => (misfit(s, d, frame) <= o.inlierAngle ? [i] : []));
    if (inliers.length < 3) return 'no_consensus';
    fit = fitDirection(
      inliers.map((i) => normals[i]!),
      inliers.map((i) => lengths[i]!),
    );
    if (!fit) return 'no_consensus';
    d = fit.d;
  }
  if (!fit) return 'no_consensus';
  const inlierSegments = inliers.map((i) => candidates[i]!);
  const misfits = inlierSegments.map((s) => misfit(s, d, frame));
  const rms = Math.sqrt(misfits.reduce((a, m) => a + m * m, 0) / misfits.length);
  const { pitch, roll } = anglesOf(d);
  if (Math.abs(pitch) > o.maxPitch || Math.abs(roll) > o.maxRoll) return 'too_steep';
  // d ≈ (x, 1, z): roll ≈ atan(x), pitch ≈ −atan(z) near level; their errors follow.
  return {
    direction: d,
    pitch,
    roll,
    pitchError: Math.sqrt(fit.varZ) * DEG,
    rollError: Math.sqrt(fit.varX) * DEG,
    candidates,
    inliers: inlierSegments,
    rms,
    ambiguity,
  };
}

// ---------------------------------------------------------------------------------------------
// The correction

/** Rotation about the optical axis (z) by `a` radians. */
const rotZ = (a: number): Matrix3 => [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
/** Rotation about the x axis by `a` radians. */
const rotX = (a: number): Matrix3 => [1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)];

/**
 * The camera rotation that brings `d` onto the image vertical: first the roll away (about z),
 * then the pitch (about x). `pitchShare` (0..1) applies only that share of the pitch, leaving
 * some convergence on purpose.
 */
export function rotationFor(d: readonly [number, number, number], pitchShare = 1): Matrix3 {
  const alpha = Math.atan2(d[0], d[1]);
  const beta = -Math.atan2(d[2], Math.hypot(d[0], d[1]));
  return multiply(rotX(beta * pitchShare), rotZ(alpha));
}

/** The homography of a camera rotation in pixels of `frame`: K·R·K⁻¹. */
export function homographyOf(rotation: Matrix3, frame: Frame): Matrix3 {
  const { focal: f } = frame;
  const cx = frame.width / 2;
  const cy = frame.height / 2;
  const k: Matrix3 = [f, 0, cx, 0, f, cy, 0, 0, 1];
  const kInv: Matrix3 = [1 / f, 0, -cx / f, 0, 1 / f, -cy / f, 0, 0, 1];
  return multiply(multiply(k, rotation), kInv);
}

export function apply(h: Matrix3, x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9) as Matrix3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  }
  return out;
}

export function transpose(m: Matrix3): Matrix3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

export function scaling(sx: number, sy = sx): Matrix3 {
  return [sx, 0, 0, 0, sy, 0, 0, 0, 1];
}

export function translation(tx: number, ty: number): Matrix3 {
  return [1, 0, tx, 0, 1, ty, 0, 0, 1];
}

function cross(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The largest rectangle of aspect `aspect` (width / height), sides parallel to the axes, inside
 * the convex polygon `corners` (in order, either winding). A linear programme in the
 * rectangle's centre (u, v) and half-height h: every edge's half-plane n·p ≤ c must hold at the
 * corner that reaches furthest along n, n·(u, v) + h·(aspect·|nx| + |ny|) ≤ c. The optimum is a
 * vertex where three of those constraints are tight, so the triples are tried in turn.
 */
export function largestRectangle(corners: Array<[number, number]>, aspect: number): Rect | null {
  const n = corners.length;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const [x1, y1] = corners[i]!;
    const [x2, y2] = corners[(i + 1) % n]!;
    area += x1 * y2 - x2 * y1;
  }
  const winding = Math.sign(area);
  if (winding === 0) return null;
  // Rows [a, b, k, c]: a·u + b·v + k·h ≤ c.
  const rows: Array<[number, number, number, number]> = [];
  for (let i = 0; i < n; i++) {
    const [x1, y1] = corners[i]!;
    const [x2, y2] = corners[(i + 1) % n]!;
    // Outward normal of the edge for this winding.
    let nx = (y2 - y1) * winding;
    let ny = -(x2 - x1) * winding;
    const len = Math.hypot(nx, ny);
    nx /= len;
    ny /= len;
    rows.push([nx, ny, aspect * Math.abs(nx) + Math.abs(ny), nx * x1 + ny * y1]);
  }
  const feasible = (u: number, v: number, h: number) => h > 0 && rows.every(([a, b, k, c]) => a * u + b * v + k * h <= c + 1e-7 * (1 + Math.abs(c)));
  let best: Rect | null = null;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        const s = solve3([rows[i]!, rows[j]!, rows[k]!]);
        if (!s) continue;
        const [u, v, h] = s;
        if (!feasible(u, v, h)) continue;
        if (!best || h * 2 > best.height) best = { x: u - aspect * h, y: v - h, width: 2 * aspect * h, height: 2 * h };
      }
    }
  }
  return best;
}

/** Cramer's rule for three equations a·u + b·v + k·h = c. */
function solve3(rows: Array<[number, number, number, number]>): [number, number, number] | null {
  const [[a1, b1, k1, c1], [a2, b2, k2, c2], [a3, b3, k3, c3]] = rows as [[number, number, number, number], [number, number, number, number], [number, number, number, number]];
  const det = (m: number[]) => m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const d = det([a1, b1, k1, a2, b2, k2, a3, b3, k3]);
  if (Math.abs(d) < 1e-12) return null;
  return [
    det([c1, b1, k1, c2, b2, k2, c3, b3, k3]) / d,
    det([a1, c1, k1, a2, c2, k2, a3, c3, k3]) / d,
    det([a1, b1, c1, a2, b2, c2, a3, b3, c3]) / d,
  ];
}
