/**
 * Upload limits and how the drop area describes them. The sentences of a refusal are in
 * rejection-messages.ts, which arrives with the file checks when a file is first chosen.
 */
import type { UploadLimits } from '../../contract/index.js';
import { formatOr } from '../shared/locale.js';

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
  | 'not_a_file'
  /** The file checks' code could not be fetched (offline, or the script's chunks are missing). */
  | 'load_failed';

export const TYPE_NAMES: Record<string, string> = {
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

/** The accepted kinds, by name, joined with the locale's "or": "JPEG, PNG or WebP". */
export function formatTypeList(limits: UploadLimits): string {
  return formatOr([...new Set(limits.content_types.map((t) => TYPE_NAMES[t.toLowerCase()] ?? t))]);
}

/**
 * Megabytes in the base the limit is written in, so a limit of 10 × 1024² reads "10 MB" and
 * one of 10 000 000 too; the file's size is shown in the same base to compare like with like.
 */
export function byteBase(limit: number): number {
  return limit % (1024 * 1024) === 0 ? 1024 * 1024 : 1_000_000;
}
