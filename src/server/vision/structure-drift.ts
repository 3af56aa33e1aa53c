import type { Mat, OpenCv } from './opencv.js';

/**
 * Structure drift: did an output erase the structure of its original (walls, windows, doors,
 * outlets, other long edges) by painting it over with the surrounding surface?
 *
 * Both images arrive at the same small size (`width` × `height`). Per cell of a grid:
 * 1. Edges on each image after histogram equalisation (so a global grade, which is monotonic,
 *    maps to nearly the same ranks and the same edges), Gaussian blur and Canny.
 * 2. A cell is a candidate when it had structure (edge density ≥ 4 %), ≥ 60 % of its edges have
 *    no edge within 2 px in the output, and the output there is plain (≤ 40 % of the edges).
 * 3. A candidate is confirmed only when its output colour matches at least two nearby cells that
 *    did not change (edges kept, colour moved only as much as the whole photo's grade): the
 *    structure was replaced by its surroundings. An added object (a sofa on a rug) differs in
 *    colour from what surrounds it, and is not drift.
 * Cells inside the painted mask are neither candidates nor surroundings.
 */

export interface DriftInput {
  width: number;
  height: number;
  /** Greyscale pixels, `width × height`. */
  originalGray: Uint8Array;
  outputGray: Uint8Array;
  /** RGB pixels, `width × height × 3`. */
  originalRgb: Uint8Array;
  outputRgb: Uint8Array;
  /** Optional: non-zero where the person painted (changes there are asked for). */
  mask: Uint8Array | null;
}

export interface DriftRegion {
  /** Fractions of the photo's width and height, 0–1. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DriftResult {
  /** Share of the original's structure (edge pixels outside the mask) that was erased, 0–1. */
  score: number;
  flagged: boolean;
  regions: DriftRegion[];
}

export const DRIFT_GRID = 16;
const TOLERANCE_PX = 2;
const MIN_EDGE_DENSITY = 0.04;
const MIN_LOST = 0.6;
const MAX_PLAIN = 0.4;
/** ΔE (CIE76) within which a cell "looks like" a neighbour. */
const MATCH_DELTA_E = 8;
const UNCHANGED_DELTA_E = 6;

interface Cell {
  r: number;
  c: number;
  edges: number;
  lost: number;
  outEdges: number;
  masked: boolean;
  lab: [number, number, number];
  labOriginal: [number, number, number];
  candidate: boolean;
  unchanged: boolean;
}

function lab(r: number, g: number, b: number): [number, number, number] {
  const lin = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const R = lin(r);
  const G = lin(g);
  const B = lin(b);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.9505);
  const y = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const z = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.089);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

export function structureDrift(cv: OpenCv, input: DriftInput): DriftResult {
  const { width: W, height: H } = input;
  const mats: Mat[] = [];
  const keep = <T extends Mat>(m: T) => (mats.push(m), m);
  try {
    const edgesOf = (gray: Uint8Array) => {
      const m = keep(new cv.Mat(H, W, cv.CV_8UC1));
      m.data.set(gray);
      const eq = keep(new cv.Mat());
      cv.equalizeHist(m, eq);
      const blurred = keep(new cv.Mat());
      cv.GaussianBlur(eq, blurred, new cv.Size(5, 5), 0);
      const edges = keep(new cv.Mat());
      cv.Canny(blurred, edges, 40, 120);
      return edges;
    };
    const eo = edgesOf(input.originalGray);
    const es = edgesOf(input.outputGray);
    const near = keep(new cv.Mat());
    cv.dilate(es, near, keep(cv.Mat.ones(TOLERANCE_PX * 2 + 1, TOLERANCE_PX * 2 + 1, cv.CV_8U)));

    const rows = Math.max(1, Math.round((DRIFT_GRID * H) / W));
    const cols = DRIFT_GRID;
    const cells: Cell[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x0 = Math.round((c * W) / cols);
        const x1 = Math.round(((c + 1) * W) / cols);
        const y0 = Math.round((r * H) / rows);
        const y1 = Math.round(((r + 1) * H) / rows);
        let edges = 0;
        let lost = 0;
        let outEdges = 0;
        let masked = 0;
        const sum: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const i = y * W + x;
            if (eo.data[i]) {
              edges++;
              if (!near.data[i]) lost++;
            }
            if (es.data[i]) outEdges++;
            if (input.mask?.[i]) masked++;
            sum[0] += input.outputRgb[i * 3]!;
            sum[1] += input.outputRgb[i * 3 + 1]!;
            sum[2] += input.outputRgb[i * 3 + 2]!;
            sum[3] += input.originalRgb[i * 3]!;
            sum[4] += input.originalRgb[i * 3 + 1]!;
            sum[5] += input.originalRgb[i * 3 + 2]!;
          }
        }
        const area = (x1 - x0) * (y1 - y0);
        cells.push({
          r,
          c,
          edges,
          lost,
          outEdges,
          // A cell a tenth painted is the person's to change.
          masked: masked > area * 0.1,
          lab: lab(sum[0] / area, sum[1] / area, sum[2] / area),
          labOriginal: lab(sum[3] / area, sum[4] / area, sum[5] / area),
          candidate: edges >= area * MIN_EDGE_DENSITY && lost >= MIN_LOST * edges && outEdges <= MAX_PLAIN * edges,
          unchanged: false,
        });
      }
    }
    // The whole photo's colour move (a grade), so "unchanged" means "moved only with the rest".
    const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
    const shift = [0, 1, 2].map((k) => median(cells.map((cell) => cell.lab[k]! - cell.labOriginal[k]!)));
    for (const cell of cells) {
      const moved = cell.lab.map((v, k) => v - cell.labOriginal[k]! - shift[k]!);
      cell.unchanged = !cell.masked && Math.hypot(...moved) < UNCHANGED_DELTA_E && cell.lost <= 0.3 * Math.max(1, cell.edges);
    }
    const erased = cells.filter((cell) => {
      if (!cell.candidate || cell.masked) return false;
      const around = cells.filter((o) => o !== cell && o.unchanged && Math.abs(o.r - cell.r) <= 2 && Math.abs(o.c - cell.c) <= 2);
      return around.filter((o) => distance(o.lab, cell.lab) < MATCH_DELTA_E).length >= 2;
    });
    const total = cells.reduce((n, cell) => n + (cell.masked ? 0 : cell.edges), 0);
    const lostTotal = erased.reduce((n, cell) => n + cell.lost, 0);
    return { score: total === 0 ? 0 : lostTotal / total, flagged: erased.length > 0, regions: mergeRegions(erased, rows, cols) };
  } finally {
    for (const m of mats) m.delete();
  }
}

/** Flagged cells → boxes: 8-connected groups of cells, each as the fraction of the photo it covers. */
function mergeRegions(cells: Cell[], rows: number, cols: number): DriftRegion[] {
  const key = (r: number, c: number) => r * cols + c;
  const left = new Map(cells.map((cell) => [key(cell.r, cell.c), cell]));
  const regions: DriftRegion[] = [];
  for (const start of cells) {
    if (!left.has(key(start.r, start.c))) continue;
    left.delete(key(start.r, start.c));
    const stack = [start];
    let [r0, r1, c0, c1] = [start.r, start.r, start.c, start.c];
    while (stack.length > 0) {
      const cell = stack.pop()!;
      r0 = Math.min(r0, cell.r);
      r1 = Math.max(r1, cell.r);
      c0 = Math.min(c0, cell.c);
      c1 = Math.max(c1, cell.c);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const next = left.get(key(cell.r + dr, cell.c + dc));
          if (next) {
            left.delete(key(next.r, next.c));
            stack.push(next);
          }
        }
      }
    }
    const round = (v: number) => Math.round(v * 1000) / 1000;
    regions.push({ x: round(c0 / cols), y: round(r0 / rows), width: round((c1 - c0 + 1) / cols), height: round((r1 - r0 + 1) / rows) });
  }
  return regions;
}
