import { fixture, html, waitUntil } from '@open-wc/testing';
import { sendMouse } from '../support/commands.js';
import '../../../src/elements/staging-mask-painter/staging-mask-painter.js';
import type { StagingMaskPainter } from '../../../src/elements/staging-mask-painter/staging-mask-painter.js';

export { part } from '../support/parts.js';

/** 1600 × 960 JPEG. */
export const PHOTO_URL = new URL('../../fixtures/living-room-render.jpg', import.meta.url).href;
export const PHOTO_SIZE = { width: 1600, height: 960 } as const;
/** 1600 × 900 JPEG. */
export const OTHER_PHOTO_URL = new URL('../../fixtures/kitchen-render.jpg', import.meta.url).href;

/**
 * A painter `width` CSS px wide on the 1600 px photo. `photoBrush` is the brush in photo pixels
 * (what the mask assertions think in); the element's `brush-size` is in screen pixels, so it is
 * set to `photoBrush × width / 1600`.
 */
export async function readyPainter(width = 400, photoBrush = 40): Promise<StagingMaskPainter> {
  const brushSize = (photoBrush * width) / PHOTO_SIZE.width;
  const el = await fixture<StagingMaskPainter>(
    html`<staging-mask-painter style=${`width: ${width}px`} src=${PHOTO_URL} brush-size=${brushSize}></staging-mask-painter>`,
  );
  await waitUntil(() => el.ready, 'the painter never became ready', { timeout: 15000 });
  await el.updateComplete;
  return el;
}

export function upperCanvas(el: StagingMaskPainter): HTMLCanvasElement {
  return el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[data-fabric="top"]')!;
}

/** Photo pixel → viewport CSS pixel, for real mouse input. */
export function toViewport(el: StagingMaskPainter, x: number, y: number): [number, number] {
  const rect = upperCanvas(el).getBoundingClientRect();
  return [Math.round(rect.left + (x * rect.width) / el.naturalWidth), Math.round(rect.top + (y * rect.height) / el.naturalHeight)];
}

/** Drags the real mouse through `points` (photo pixels) with the button held. */
export async function stroke(el: StagingMaskPainter, points: Array<[number, number]>): Promise<void> {
  const [first, ...rest] = points.map(([x, y]) => toViewport(el, x, y));
  await sendMouse({ type: 'move', position: first! });
  await sendMouse({ type: 'down' });
  for (const position of rest) await sendMouse({ type: 'move', position });
  await sendMouse({ type: 'up' });
  await el.updateComplete;
}

/** Points every `step` photo pixels on a horizontal line. */
export function line(x0: number, x1: number, y: number, step = 100): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  const dir = x1 >= x0 ? 1 : -1;
  for (let x = x0; dir > 0 ? x < x1 : x > x1; x += dir * step) points.push([x, y]);
  points.push([x1, y]);
  return points;
}

export interface DecodedMask {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  /** [r, g, b, a] at photo pixel (x, y). */
  at(x: number, y: number): [number, number, number, number];
  isWhite(x: number, y: number): boolean;
  isBlack(x: number, y: number): boolean;
  /** Pixels that are neither opaque pure black nor opaque pure white. */
  nonBinaryCount(): number;
  whiteCount(): number;
}

export async function decodeMask(blob: Blob): Promise<DecodedMask> {
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  const width = bitmap.width;
  const at = (x: number, y: number): [number, number, number, number] => {
    const i = (y * width + x) * 4;
    return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
  };
  return {
    width,
    height: bitmap.height,
    data,
    at,
    isWhite: (x, y) => at(x, y).every((v) => v === 255),
    isBlack: (x, y) => {
      const [r, g, b, a] = at(x, y);
      return r === 0 && g === 0 && b === 0 && a === 255;
    },
    nonBinaryCount() {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const binary = (r === 0 || r === 255) && data[i + 1] === r && data[i + 2] === r && data[i + 3] === 255;
        if (!binary) n++;
      }
      return n;
    },
    whiteCount() {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === 255) n++;
      return n;
    },
  };
}
