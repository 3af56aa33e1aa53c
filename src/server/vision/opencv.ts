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
  delete(): void;
}
export interface OpenCv {
  Mat: { new (rows: number, cols: number, type: number): Mat; new (): Mat; zeros(rows: number, cols: number, type: number): Mat; ones(rows: number, cols: number, type: number): Mat };
  Size: new (w: number, h: number) => unknown;
  Point: new (x: number, y: number) => unknown;
  Scalar: new (v: number) => unknown;
  CV_8UC1: number;
  CV_8U: number;
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
