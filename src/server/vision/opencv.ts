import { createRequire } from 'node:module';

/**
 * The few OpenCV calls the BFF uses, typed by hand: the package's own typings come from a
 * separate project (`mirada`) that does not describe its WebAssembly build's names.
 */
export interface Mat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32S: Int32Array;
  data32F: Float32Array;
  convertTo(dst: Mat, type: number, alpha?: number, beta?: number): void;
  delete(): void;
}
export interface MatVector {
  push_back(m: Mat): void;
  size(): number;
  delete(): void;
}
export interface OpenCv {
  Mat: { new (rows: number, cols: number, type: number): Mat; new (): Mat; zeros(rows: number, cols: number, type: number): Mat; ones(rows: number, cols: number, type: number): Mat; eye(rows: number, cols: number, type: number): Mat };
  MatVector: new () => MatVector;
  TermCriteria: new (type: number, maxCount: number, epsilon: number) => unknown;
  MergeMertens: new (contrast: number, saturation: number, exposure: number) => { process1(src: MatVector, dst: Mat): void; delete(): void };
  Size: new (w: number, h: number) => unknown;
  Point: new (x: number, y: number) => unknown;
  Scalar: new (v: number) => unknown;
  CV_8UC1: number;
  CV_8UC3: number;
  CV_8U: number;
  CV_32F: number;
  COLOR_RGB2GRAY: number;
  MOTION_TRANSLATION: number;
  TermCriteria_COUNT: number;
  TermCriteria_EPS: number;
  INTER_AREA: number;
  INTER_LINEAR: number;
  WARP_INVERSE_MAP: number;
  BORDER_REPLICATE: number;
  NORM_MINMAX: number;
  cvtColor(src: Mat, dst: Mat, code: number): void;
  resize(src: Mat, dst: Mat, size: unknown, fx?: number, fy?: number, interpolation?: number): void;
  findTransformECC(template: Mat, input: Mat, warp: Mat, motion: number, criteria: unknown, mask: Mat, gaussFilterSize: number): number;
  warpAffine(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number): void;
  normalize(src: Mat, dst: Mat, alpha: number, beta: number, normType: number, dtype: number): void;
  equalizeHist(src: Mat, dst: Mat): void;
  GaussianBlur(src: Mat, dst: Mat, size: unknown, sigma: number): void;
  Canny(src: Mat, dst: Mat, low: number, high: number): void;
  HoughLinesP(src: Mat, lines: Mat, rho: number, theta: number, threshold: number, minLength: number, maxGap: number): void;
  line(m: Mat, a: unknown, b: unknown, color: unknown, thickness: number): void;
  dilate(src: Mat, dst: Mat, kernel: Mat): void;
}

/**
 * Loads OpenCV's WebAssembly build (`@techstark/opencv-js`, from npm: nothing is downloaded at
 * run time). Called only inside the vision worker, once, on its first task.
 */
export async function loadOpenCv(): Promise<OpenCv> {
  const module = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv & { then?: unknown; onRuntimeInitialized?: () => void };
  if (typeof module.Mat !== 'function') {
    await new Promise<void>((resolve) => {
      module.onRuntimeInitialized = resolve;
    });
  }
  // Emscripten's module is a thenable that resolves to itself: awaiting it (returning it from
  // this async function does) would adopt it forever. Without `then` it is a plain object.
  delete module.then;
  return module;
}
