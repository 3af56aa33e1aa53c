import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The process's computer-vision thread: OpenCV's WebAssembly build (`@techstark/opencv-js`)
 * on a `worker_threads` worker of its own, started on the first request and then kept (idle,
 * it does not keep the process alive). OpenCV.js runs synchronously and single-threaded: a
 * warp of a 4K photo takes a good part of a second that an event loop would otherwise spend
 * serving nobody. Nothing here runs, and OpenCV is not even read from disk, until a service
 * that needs it is used (the BFF's start-up time and idle memory stay as they were).
 *
 * The protocol is small and generic: `{id, op, args}` in, `{id, result}` or `{id, error}` out,
 * pixel buffers transferred rather than copied. Each operation is one named function of the
 * worker's `OPS` table below; add one there and a typed wrapper beside the others here.
 *
 * The worker is plain JavaScript evaluated by the thread (as the HEIC decoder's is), so the same
 * code runs under tsx, Vitest and the compiled dist/server, with no file to ship beside it.
 */
const WORKER_SOURCE = `
// Built-ins through process.getBuiltinModule, so that the same text runs whether the thread
// evaluates it as CommonJS or (under --input-type=module, which workers inherit) as a module.
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const started = performance.now();
const cvModule = process.getBuiltinModule('node:module').createRequire(workerData.opencv)(workerData.opencv);

const ready = new Promise((resolve) => {
  const done = () => {
    // Emscripten's module is a thenable that resolves to itself: awaiting it would never end.
    delete cvModule.then;
    resolve(cvModule);
  };
  if (cvModule instanceof Promise) cvModule.then(resolve);
  else if (cvModule.calledRun) done();
  else cvModule.onRuntimeInitialized = done;
});

/** A cv.Mat over a copy of raw 8-bit pixels. */
function matOf(cv, img) {
  const type = img.channels === 1 ? cv.CV_8UC1 : img.channels === 3 ? cv.CV_8UC3 : cv.CV_8UC4;
  const mat = new cv.Mat(img.height, img.width, type);
  mat.data.set(img.data);
  return mat;
}

/** The Mat's pixels copied out of the WebAssembly heap into a buffer that can be transferred. */
function imageOf(mat) {
  return { data: new Uint8Array(mat.data), width: mat.cols, height: mat.rows, channels: mat.channels() };
}

/**
 * The segment moved onto the least-squares line (cv.fitLine, Huber) through sub-pixel points
 * of its edge: along the segment, at each row (a steep segment) or column (a flat one), the
 * peak of the gradient across it within two pixels, interpolated by a parabola through the
 * peak and its neighbours. Canny's pixels and Hough's ends are whole pixels, so a line leaning
 * half a degree comes out of Hough as vertical runs a pixel apart; the gradient's sub-pixel
 * peak sees the lean. Unchanged when too few rows or columns have a clear peak.
 */
function refineSegment(cv, gx, gy, cols, rows, x1, y1, x2, y2) {
  const length = Math.hypot(x2 - x1, y2 - y1);
  // Unit normal: the gradient of the edge points along it.
  const nx = -(y2 - y1) / length;
  const ny = (x2 - x1) / length;
  const steep = Math.abs(y2 - y1) >= Math.abs(x2 - x1);
  const across = (x, y) => {
    if (x < 0 || y < 0 || x >= cols || y >= rows) return 0;
    const i = y * cols + x;
    return Math.abs(gx[i] * nx + gy[i] * ny);
  };
  const points = [];
  const [a0, a1] = steep ? [Math.min(y1, y2), Math.max(y1, y2)] : [Math.min(x1, x2), Math.max(x1, x2)];
  for (let a = Math.ceil(a0); a <= Math.floor(a1); a++) {
    // The segment's position across at this row (or column), and the strongest response near it.
    const c = steep ? x1 + ((a - y1) * (x2 - x1)) / (y2 - y1) : y1 + ((a - x1) * (y2 - y1)) / (x2 - x1);
    const at = (k) => (steep ? across(k, a) : across(a, k));
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
    const [vx, vy, x0, y0] = line.data32F;
    const project = (x, y) => {
      const t = (x - x0) * vx + (y - y0) * vy;
      return [x0 + t * vx, y0 + t * vy];
    };
    return [...project(x1, y1), ...project(x2, y2)];
  } finally {
    mat.delete();
    line.delete();
  }
}

const OPS = {
  /**
   * Straight line segments of a greyscale image: Gaussian blur, Canny, probabilistic Hough,
   * then each segment refined to sub-pixel on the image's gradient (see refineSegment).
   * With \`lean\` (degrees), only edge pixels running within that angle of the vertical are
   * kept (Sobel gradients), so that foliage, brick and fabric do not bury the verticals in
   * segments of every direction. Returns [x1, y1, x2, y2, ...] in pixels.
   */
  lines(cv, a) {
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
        for (let i = 0; i < e.length; i++) if (e[i] !== 0 && Math.abs(gy[i]) > k * Math.abs(gx[i])) e[i] = 0;
      }
      cv.HoughLinesP(edges, lines, 1, Math.PI / 360, a.threshold, a.minLength, a.maxGap);
      const found = lines.data32S;
      const segments = new Float64Array(found.length);
      for (let i = 0; i < found.length; i += 4) {
        segments.set(refineSegment(cv, gx, gy, edges.cols, edges.rows, found[i], found[i + 1], found[i + 2], found[i + 3]), i);
      }
      return { result: { segments }, transfer: [segments.buffer] };
    } finally {
      gray.delete();
      blurred.delete();
      edges.delete();
      lines.delete();
      dx.delete();
      dy.delete();
    }
  },

  /**
   * A perspective warp: out(x, y) = in(M⁻¹·(x, y)), M a row-major 3×3 matrix from input to
   * output pixels. Pixels the input does not cover repeat its nearest edge.
   */
  warp(cv, a) {
    const src = matOf(cv, a.image);
    const dst = new cv.Mat();
    const m = cv.matFromArray(3, 3, cv.CV_64FC1, a.matrix);
    try {
      const interpolation = a.interpolation === 'cubic' ? cv.INTER_CUBIC : cv.INTER_LINEAR;
      cv.warpPerspective(src, dst, m, new cv.Size(a.width, a.height), interpolation, cv.BORDER_REPLICATE, new cv.Scalar());
      const image = imageOf(dst);
      return { result: { image }, transfer: [image.data.buffer] };
    } finally {
      src.delete();
      dst.delete();
      m.delete();
    }
  },
};

function messageOf(cv, error) {
  // OpenCV's C++ exceptions reach JavaScript as a pointer.
  if (typeof error === 'number' && cv && typeof cv.exceptionFromPtr === 'function') {
    try { return cv.exceptionFromPtr(error).msg; } catch { return 'OpenCV exception ' + error; }
  }
  return String((error && error.message) || error);
}

ready.then((cv) => parentPort.postMessage({ ready: true, loadMs: performance.now() - started }));

parentPort.on('message', async ({ id, op, args }) => {
  const cv = await ready;
  const run = OPS[op];
  if (!run) return parentPort.postMessage({ id, error: 'unknown vision operation "' + op + '"' });
  let out;
  try {
    out = run(cv, args);
  } catch (error) {
    return parentPort.postMessage({ id, error: messageOf(cv, error) });
  }
  parentPort.postMessage({ id, result: out.result }, out.transfer || []);
});
`;

/** Raw 8-bit pixels, rows top to bottom, channels interleaved. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** The worker's operations: their arguments and results. */
interface Ops {
  lines: {
    args: { image: RawImage } & LineOptions;
    result: { segments: Float64Array };
  };
  warp: {
    args: { image: RawImage; matrix: number[]; width: number; height: number; interpolation: 'linear' | 'cubic' };
    result: { image: RawImage };
  };
}

type Reply = { ready: true; loadMs: number } | { id: number; result: unknown } | { id: number; error: string };

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/** Thrown when an operation fails in the worker or the worker dies. */
export class VisionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VisionError';
  }
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;
let startedAt = 0;
const loads: VisionLoad[] = [];

/** One start of the worker: how long OpenCV took to load, as measured in the worker and seen from here. */
export interface VisionLoad {
  /** Reading and compiling OpenCV's WebAssembly inside the worker. */
  loadMs: number;
  /** From the first request to the worker's ready message (thread start included). */
  readyMs: number;
}

function startWorker(): Worker {
  const opencv = createRequire(import.meta.url).resolve('@techstark/opencv-js');
  startedAt = performance.now();
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { opencv }, name: 'staging-vision' });
  w.on('message', (reply: Reply) => {
    if ('ready' in reply) {
      loads.push({ loadMs: reply.loadMs, readyMs: performance.now() - startedAt });
      return;
    }
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if ('error' in reply) request.reject(new VisionError(reply.error));
    else request.resolve(reply.result);
  });
  // A crash (out of memory on a huge image, say) fails what was in flight; the next request
  // starts a fresh worker.
  const lost = (cause: unknown) => {
    if (worker === w) worker = null;
    for (const [id, request] of pending) {
      pending.delete(id);
      request.reject(new VisionError('The vision thread stopped.', { cause }));
    }
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`the vision thread exited with code ${code}`)));
  // Idle, it must not keep the process alive; busy, it must. After the listeners: adding a
  // 'message' listener refs the worker's port again.
  w.unref();
  return w;
}

/** Runs one operation on the vision thread, starting it (and loading OpenCV) on first use. */
function call<K extends keyof Ops>(op: K, args: Ops[K]['args'], transfer: ArrayBuffer[] = []): Promise<Ops[K]['result']> {
  worker ??= startWorker();
  const id = ++nextId;
  const current = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
    current.ref();
    current.postMessage({ id, op, args }, transfer);
  });
}

/** A copy of the pixels in a buffer of their own, so that it can be transferred to the thread. */
function own(image: RawImage): RawImage {
  return { ...image, data: new Uint8Array(image.data) };
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

/** Straight segments of a greyscale image, as [x1, y1, x2, y2] quadruples (OpenCV Canny + HoughLinesP). */
export async function detectLineSegments(gray: RawImage, o: LineOptions): Promise<Float64Array> {
  if (gray.channels !== 1) throw new VisionError(`line detection needs a 1-channel image, not ${gray.channels}`);
  const image = own(gray);
  const { segments } = await call('lines', { image, ...o }, [image.data.buffer as ArrayBuffer]);
  return segments;
}

/**
 * Warps an image by a perspective transform (OpenCV warpPerspective): `matrix` is row-major
 * 3×3 from input pixel coordinates to output ones; the output is `width`×`height`.
 */
export async function warpPerspective(
  input: RawImage,
  matrix: readonly number[],
  width: number,
  height: number,
  interpolation: 'linear' | 'cubic' = 'linear',
): Promise<RawImage> {
  if (matrix.length !== 9 || !matrix.every(Number.isFinite)) throw new VisionError('a perspective transform is 9 finite numbers');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) throw new VisionError(`an output size must be whole and positive, not ${width}×${height}`);
  const image = own(input);
  const out = await call('warp', { image, matrix: [...matrix], width, height, interpolation }, [image.data.buffer as ArrayBuffer]);
  return out.image;
}

/** Whether the vision thread has been started in this process, and its loads so far (for tests and the bench). */
export function visionThreadState(): { started: boolean; loads: readonly VisionLoad[] } {
  return { started: worker !== null, loads: [...loads] };
}
