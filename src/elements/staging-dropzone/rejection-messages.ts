/**
 * The sentences a person reads when a file is refused, in the drop area's locale. Each says what
 * was wrong, with numbers, and what to do next.
 */
import type { UploadLimits } from '../../contract/index.js';
import { formatBytes, formatPixels, msg, plural, str } from '../shared/locale.js';
import { byteBase, formatTypeList, TYPE_NAMES } from './validation.js';

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1e6;
  const n = mp >= 10 ? Math.round(mp) : Number(mp.toFixed(1));
  return plural(n, msg('{one}# megapixel{other}# megapixels', { id: 'rejection.megapixels' }));
}

function describeType(type: string | null): string {
  switch (type) {
    case 'application/pdf':
      return msg('a PDF document, not a photo', { id: 'rejection.type.pdf' });
    case 'image/svg+xml':
      return msg('an SVG drawing, not a photo', { id: 'rejection.type.svg' });
    case null:
      return msg('not a photo this widget can read', { id: 'rejection.type.unknown' });
    default:
      return msg(str`a ${TYPE_NAMES[type] ?? type} file, which is not accepted here`, { id: 'rejection.type.other' });
  }
}

const size = (w: number, h: number) => `${formatPixels(w)} × ${formatPixels(h)}`;

export const messages = {
  unsupportedType: (name: string, type: string | null, limits: UploadLimits): string =>
    msg(str`“${name}” is ${describeType(type)}. Choose a ${formatTypeList(limits)} photo.`, { id: 'rejection.unsupportedType' }),
  tooLargeAfterResize: (bytes: number, limit: number, width: number, height: number): string => {
    const base = byteBase(limit);
    return msg(
      str`This photo is still ${formatBytes(bytes, base)} after resizing to ${size(width, height)}; the limit is ${formatBytes(limit, base)}. Choose a lower resolution or a simpler photo.`,
      { id: 'rejection.tooLargeAfterResize' },
    );
  },
  tooManyPixels: (width: number, height: number, limit: number): string =>
    msg(str`This photo is ${formatMegapixels(width * height)} (${size(width, height)}); the limit is ${formatMegapixels(limit)}. Resize it to a smaller size and try again.`, {
      id: 'rejection.tooManyPixels',
    }),
  undecodable: (name: string): string => msg(str`“${name}” could not be opened as an image. It may be damaged; try exporting it again as JPEG.`, { id: 'rejection.undecodable' }),
  empty: (name: string): string => msg(str`“${name}” is empty (0 bytes). Choose another file.`, { id: 'rejection.empty' }),
  truncated: (name: string): string =>
    msg(str`“${name}” is incomplete: part of the photo is missing, as happens when a download or copy is cut short. Choose the original again.`, { id: 'rejection.truncated' }),
  encodeFailed: (): string => msg('Your browser ran out of memory while preparing this photo. Close other tabs or choose a smaller photo.', { id: 'rejection.encodeFailed' }),
  heicTooLarge: (bytes: number, limit: number): string => {
    const base = byteBase(limit);
    return msg(
      str`This HEIC photo is ${formatBytes(bytes, base)}; the limit is ${formatBytes(limit, base)}. Your browser cannot shrink HEIC, so export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) or choose a smaller photo.`,
      { id: 'rejection.heicTooLarge' },
    );
  },
};
