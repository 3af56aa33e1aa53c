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
  data16S: Int16Array;
  channels(): number;
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
  CV_8UC4: number;
  CV_16S: number;
  CV_32FC2: number;
  CV_64FC1: number;
  DIST_HUBER: number;
  BORDER_DEFAULT: number;
  INTER_CUBIC: number;
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
  GaussianBlur(src: Mat, dst: Mat, size: unknown, sigmaX: number, sigmaY?: number, border?: number): void;
  Canny(src: Mat, dst: Mat, low: number, high: number, apertureSize?: number, l2Gradient?: boolean): void;
  Sobel(src: Mat, dst: Mat, depth: number, dx: number, dy: number, size: number, scale: number, delta: number, border: number): void;
  fitLine(points: Mat, line: Mat, distance: number, param: number, reps: number, aeps: number): void;
  matFromArray(rows: number, cols: number, type: number, values: ArrayLike<number>): Mat;
  warpPerspective(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number, value: unknown): void;
  /** OpenCV's C++ exceptions reach JavaScript as a pointer; this reads the message. */
  exceptionFromPtr?(pointer: number): { msg: string };
  HoughLinesP(src: Mat, lines: Mat, rho: number, theta: number, threshold: number, minLength: number, maxGap: number): void;
  line(m: Mat, a: unknown, b: unknown, color: unknown, thickness: number): void;
  dilate(src: Mat, dst: Mat, kernel: Mat): void;
}

/**
 * Loads OpenCV's WebAssembly build (`@techstark/opencv-js`, from npm: nothing is downloaded at
 * run time). Called only inside the vision worker, once, on its first task.
 */
export async function loadOpenCv(): Promise<OpenCv> {
  const loaded = createRequire(import.meta.url)('@techstark/opencv-js') as (OpenCv & { then?: unknown; calledRun?: boolean; onRuntimeInitialized?: () => void }) | Promise<OpenCv>;
  // Some builds export a promise of the module; others the module, ready once its runtime is.
  const module = (loaded instanceof Promise ? await loaded : loaded) as OpenCv & { then?: unknown; calledRun?: boolean; onRuntimeInitialized?: () => void };
  if (typeof module.Mat !== 'function' && !module.calledRun) {
    await new Promise<void>((resolve) => {
      module.onRuntimeInitialized = resolve;
    });
  }
  // Emscripten's module is a thenable that resolves to itself: awaiting it (returning it from
  // this async function does) would adopt it forever. Without `then` it is a plain object.
  delete module.then;
  return module;
}
