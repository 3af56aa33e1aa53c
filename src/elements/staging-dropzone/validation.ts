/**
 * Limits and the sentences a person reads when a file is refused. Each message says what was
 * wrong with numbers and what to do next.
 */
import type { UploadLimits } from '../../contract/index.js';

/** Used until the catalog arrives, and by standalone use without a catalog. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  content_types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif'],
  max_bytes: 10 * 1024 * 1024,
  max_pixels: 50_000_000,
};

export type DropzoneRejectionCode =
  | 'unsupported_type'
  | 'file_too_large'
  | 'too_many_pixels'
  | 'undecodable'
  | 'empty_file'
  | 'encode_failed'
  | 'not_a_file';

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/heic': 'HEIC',
  'image/heif': 'HEIC',
  'image/avif': 'AVIF',
  'image/bmp': 'BMP',
  'image/tiff': 'TIFF',
  'image/svg+xml': 'SVG',
  'application/pdf': 'PDF',
};

const EXTENSIONS: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

export function typeFromName(name: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return (ext && EXTENSIONS[ext]) || null;
}

function isHeif(type: string): boolean {
  return type === 'image/heic' || type === 'image/heif';
}

export function isAcceptedType(type: string, limits: UploadLimits): boolean {
  const accepted = limits.content_types.map((t) => t.toLowerCase());
  if (accepted.includes(type) || accepted.includes('image/*')) return true;
  // Phones label the same files either way; the server decodes both with one library.
  return isHeif(type) && accepted.some(isHeif);
}

/** Value for `<input accept>`: the types, plus extensions for pickers that do not map HEIC. */
export function acceptAttribute(limits: UploadLimits): string {
  const parts = [...limits.content_types];
  if (limits.content_types.some(isHeif)) parts.push('.heic', '.heif');
  return parts.join(',');
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function formatTypeList(limits: UploadLimits): string {
  const names = [...new Set(limits.content_types.map((t) => TYPE_NAMES[t.toLowerCase()] ?? t))];
  return joinOr(names);
}

/**
 * Megabytes in the base the limit is written in, so a limit of 10 × 1024² reads "10 MB" and
 * one of 10 000 000 too; the file's size is shown in the same base to compare like with like.
 */
export function byteBase(limit: number): number {
  return limit % (1024 * 1024) === 0 ? 1024 * 1024 : 1_000_000;
}

export function formatBytes(bytes: number, base: number): string {
  const mb = bytes / base;
  if (mb >= 1) return `${mb >= 100 ? Math.round(mb) : Number(mb.toFixed(1))} MB`;
  return `${Math.max(1, Math.round((bytes / base) * 1000))} KB`;
}

export function formatMegapixels(pixels: number): string {
  const mp = pixels / 1e6;
  const n = mp >= 10 ? Math.round(mp) : Number(mp.toFixed(1));
  return `${n} megapixel${n === 1 ? '' : 's'}`;
}

export function hintText(limits: UploadLimits): string {
  return `${formatTypeList(limits)} · up to ${formatBytes(limits.max_bytes, byteBase(limits.max_bytes))}`;
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
  encodeFailed: (): string =>
    'Your browser ran out of memory while preparing this photo. Close other tabs or choose a smaller photo.',
  heicTooLarge: (bytes: number, limit: number): string => {
    const base = byteBase(limit);
    return `This HEIC photo is ${formatBytes(bytes, base)}; the limit is ${formatBytes(limit, base)}. Your browser cannot shrink HEIC, so export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) or choose a smaller photo.`;
  },
  notAFile: (): string => 'That was not a file. Drag a photo file from your device, or use “Choose a photo”.',
};
