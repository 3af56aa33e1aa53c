/**
 * The sentences a person reads when a file is refused. Each says what was wrong, with numbers,
 * and what to do next.
 */
import type { UploadLimits } from '../../contract/index.js';
import { byteBase, formatBytes, formatTypeList, TYPE_NAMES } from './validation.js';

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1e6;
  const n = mp >= 10 ? Math.round(mp) : Number(mp.toFixed(1));
  return `${n} megapixel${n === 1 ? '' : 's'}`;
}

function describeType(type: string | null): string {
  switch (type) {
    case 'application/pdf':
      return 'a PDF document, not a photo';
    case 'image/svg+xml':
      return 'an SVG drawing, not a photo';
    case null:
      return 'not a photo this widget can read';
    default:
      return `a ${TYPE_NAMES[type] ?? type} file, which is not accepted here`;
  }
}

export const messages = {
  unsupportedType: (name: string, type: string | null, limits: UploadLimits): string =>
    `“${name}” is ${describeType(type)}. Choose a ${formatTypeList(limits)} photo.`,
  tooLargeAfterResize: (bytes: number, limit: number, width: number, height: number): string => {
    const base = byteBase(limit);
    return `This photo is still ${formatBytes(bytes, base)} after resizing to ${width} × ${height}; the limit is ${formatBytes(limit, base)}. Choose a lower resolution or a simpler photo.`;
  },
  tooManyPixels: (width: number, height: number, limit: number): string =>
    `This photo is ${formatMegapixels(width * height)} (${width} × ${height}); the limit is ${formatMegapixels(limit)}. Resize it to a smaller size and try again.`,
  undecodable: (name: string): string =>
    `“${name}” could not be opened as an image. It may be damaged; try exporting it again as JPEG.`,
  empty: (name: string): string => `“${name}” is empty (0 bytes). Choose another file.`,
  truncated: (name: string): string =>
    `“${name}” is incomplete: part of the photo is missing, as happens when a download or copy is cut short. Choose the original again.`,
  encodeFailed: (): string =>
    'Your browser ran out of memory while preparing this photo. Close other tabs or choose a smaller photo.',
  heicTooLarge: (bytes: number, limit: number): string => {
    const base = byteBase(limit);
    return `This HEIC photo is ${formatBytes(bytes, base)}; the limit is ${formatBytes(limit, base)}. Your browser cannot shrink HEIC, so export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) or choose a smaller photo.`;
  },
};
