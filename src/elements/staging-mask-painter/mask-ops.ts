/**
 * The mask is kept as an ordered list of operations in photo (native) pixel space rather
 * than as fabric objects, so that the exported PNG is rendered at the photo's native size
 * independently of the on-screen zoom, and so the editor can be rebuilt after the element is
 * moved in the DOM (fabric's canvas is disposed on disconnect).
 */
export type MaskOp =
  | { readonly kind: 'paint' | 'erase'; readonly d: string; readonly width: number }
  | { readonly kind: 'invert' | 'clear' };

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * How each operation meets the mask drawn before it, on the screen (fabric) as in the export:
 * a stroke covers or cuts; invert is an opaque rectangle in xor, which turns alpha a into 1 - a
 * (a true pixel inversion that later strokes keep building on); clear cuts everything.
 */
export const COMPOSITE = {
  paint: 'source-over',
  erase: 'destination-out',
  invert: 'xor',
  clear: 'destination-out',
} as const satisfies Record<MaskOp['kind'], GlobalCompositeOperation>;

/**
 * Draws `ops` as white coverage on a transparent context of `width` × `height` photo
 * pixels, scaled by `scale`. Alpha carries the mask: 255 = area the AI may change.
 */
export function renderMaskOps(ctx: Context2D, ops: readonly MaskOp[], width: number, height: number, scale = 1): void {
  ctx.save();
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff';
  ctx.fillStyle = '#fff';
  for (const op of ops) {
    ctx.globalCompositeOperation = COMPOSITE[op.kind];
    if ('d' in op) {
      ctx.lineWidth = op.width;
      ctx.stroke(new Path2D(op.d));
    } else if (op.kind === 'invert') {
      ctx.fillRect(0, 0, width, height);
    } else {
      ctx.clearRect(0, 0, width, height);
    }
  }
  ctx.restore();
}

/** Alpha at or above this counts as painted; anti-aliased stroke edges fall on either side. */
export const MASK_THRESHOLD = 128;

/** Rewrites coverage in place as opaque pure white (painted) or pure black (keep). */
export function binarizeMask(image: ImageData): ImageData {
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const v = (px[i + 3] ?? 0) >= MASK_THRESHOLD ? 255 : 0;
    px[i] = v;
    px[i + 1] = v;
    px[i + 2] = v;
    px[i + 3] = 255;
  }
  return image;
}

/**
 * What is known about the mask without rendering it. `unknown` happens after erasing or
 * inverting a partial mask, when only pixels can tell whether anything is left.
 */
export type MaskCoverage = 'empty' | 'some' | 'full' | 'unknown';

export function coverageOf(ops: readonly MaskOp[]): MaskCoverage {
  let state: MaskCoverage = 'empty';
  for (const op of ops) {
    switch (op.kind) {
      case 'paint':
        state = state === 'full' ? 'full' : 'some';
        break;
      case 'erase':
        state = state === 'empty' ? 'empty' : 'unknown';
        break;
      case 'invert':
        state = state === 'empty' ? 'full' : state === 'full' ? 'empty' : 'unknown';
        break;
      case 'clear':
        state = 'empty';
        break;
    }
  }
  return state;
}

/** Whether the exported mask would contain any white pixel (checked on a reduced render when needed). */
export function maskHasCoverage(ops: readonly MaskOp[], width: number, height: number): boolean {
  const known = coverageOf(ops);
  if (known !== 'unknown') return known !== 'empty';
  if (!width || !height) return false;
  const scale = Math.min(1, 1024 / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return true;
  renderMaskOps(ctx, ops, width, height, scale);
  const px = ctx.getImageData(0, 0, w, h).data;
  for (let i = 3; i < px.length; i += 4) {
    if ((px[i] ?? 0) >= MASK_THRESHOLD) return true;
  }
  return false;
}

/** fabric's simplified path commands (`[['M', x, y], ['Q', …], …]`) as an SVG `d` string. */
export function pathDataToSvg(commands: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return commands.map((command) => command.join(' ')).join(' ');
}

/**
 * `ops` as a PNG of `width` × `height` photo pixels: opaque white where the AI may change the
 * photo, opaque black elsewhere. `errors` are the messages thrown when the browser cannot.
 */
export async function maskPng(ops: readonly MaskOp[], width: number, height: number, errors: { noContext: string; noPng: string }): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error(errors.noContext);
  renderMaskOps(ctx, ops, width, height);
  ctx.putImageData(binarizeMask(ctx.getImageData(0, 0, width, height)), 0, 0);
  return new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(errors.noPng))), 'image/png'));
}
