/**
 * Cheap looks at a file's first bytes. A file's `type` comes from its extension (or nothing
 * at all on some Android pickers), so the bytes are the better witness of what it is.
 */

/** MIME types the sniffer can name; non-images are included so messages can say what a file is. */
export type SniffedType =
  | 'image/jpeg'
  | 'image/png'
  | 'image/gif'
  | 'image/webp'
  | 'image/heic'
  | 'image/heif'
  | 'image/avif'
  | 'image/bmp'
  | 'image/tiff'
  | 'image/svg+xml'
  | 'application/pdf';

export interface ImageSize {
  /** The type sniffed from the bytes. */
  type: SniffedType;
  /** As displayed: for a JPEG with EXIF orientation 5–8 the stored width and height are swapped. */
  width: number;
  height: number;
  /** EXIF orientation (1–8) of a JPEG; 1 when absent. */
  orientation: number;
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'heif', 'mif2']);

async function bytes(blob: Blob, start: number, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, start + length).arrayBuffer());
}

function ascii(b: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  return sig.every((v, i) => b[at + i] === v);
}

function sniffBytes(b: Uint8Array): SniffedType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  const head = ascii(b, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp';
  if (head.slice(4, 8) === 'ftyp') {
    const size = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
    const brands = [ascii(b, 8, 4)];
    for (let at = 16; at + 4 <= Math.min(size, b.length); at += 4) brands.push(ascii(b, at, 4));
    // The major brand decides; `mif1` alone is generic HEIF, whose compatible brands tell AVIF from HEIC.
    const major = brands[0]!;
    if (AVIF_BRANDS.has(major)) return 'image/avif';
    if (HEIC_BRANDS.has(major)) return 'image/heic';
    if (HEIF_BRANDS.has(major)) {
      if (brands.some((x) => AVIF_BRANDS.has(x))) return 'image/avif';
      if (brands.some((x) => HEIC_BRANDS.has(x))) return 'image/heic';
      return 'image/heif';
    }
    return null;
  }
  if (head.startsWith('%PDF')) return 'application/pdf';
  if (head.startsWith('BM')) return 'image/bmp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  const text = ascii(b, 0, b.length).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'image/svg+xml';
  return null;
}

/** The type the file's first bytes say it is, or null when they match nothing known. */
export async function sniffImageType(blob: Blob): Promise<SniffedType | null> {
  return sniffBytes(await bytes(blob, 0, 256));
}

function readExifOrientation(app1: Uint8Array): number {
  // APP1 payload: "Exif\0\0" then a TIFF header whose byte order governs every number after it.
  if (ascii(app1, 0, 6) !== 'Exif\0\0') return 1;
  const tiff = 6;
  const view = new DataView(app1.buffer, app1.byteOffset, app1.byteLength);
  if (app1.length < tiff + 8) return 1;
  const little = ascii(app1, tiff, 2) === 'II';
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > app1.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > app1.length) break;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

async function jpegSize(blob: Blob): Promise<Omit<ImageSize, 'type'> | null> {
  let orientation = 1;
  let at = 2;
  // Walk the marker segments by their lengths; each read is a few bytes, except an EXIF block.
  for (let guard = 0; guard < 256 && at + 4 <= blob.size; guard++) {
    const m = await bytes(blob, at, 4);
    if (m[0] !== 0xff) return null;
    const marker = m[1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = (m[2]! << 8) | m[3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const sof = await bytes(blob, at + 5, 4);
      if (sof.length < 4) return null;
      const height = (sof[0]! << 8) | sof[1]!;
      const width = (sof[2]! << 8) | sof[3]!;
      const swap = orientation >= 5;
      return { width: swap ? height : width, height: swap ? width : height, orientation };
    }
    if (marker === 0xe1 && orientation === 1) {
      orientation = readExifOrientation(await bytes(blob, at + 4, length - 2));
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data before any SOF: malformed
    at += 2 + length;
  }
  return null;
}

function heifSize(b: Uint8Array): { width: number; height: number } | null {
  // `ispe` boxes carry each item's size; the primary image (or its grid) is the largest one.
  // Walking the whole box tree is not worth it for a limit check.
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let best: { width: number; height: number } | null = null;
  for (let i = 4; i + 16 <= b.length; i++) {
    if (b[i] === 0x69 && b[i + 1] === 0x73 && b[i + 2] === 0x70 && b[i + 3] === 0x65) {
      const width = view.getUint32(i + 8);
      const height = view.getUint32(i + 12);
      if (width > 0 && height > 0 && (!best || width * height > best.width * best.height)) best = { width, height };
    }
  }
  return best;
}

/**
 * Reads an image's size from its header without decoding it, so a limit on pixels can be
 * checked before a 100-megapixel file is expanded in memory. Null when the format is not
 * one it knows (JPEG, PNG, GIF, WebP, HEIC/HEIF/AVIF) or the header is damaged.
 */
export async function readImageSize(blob: Blob): Promise<ImageSize | null> {
  const head = await bytes(blob, 0, 64 * 1024);
  const type = sniffBytes(head);
  if (!type) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const plain = (width: number, height: number): ImageSize | null =>
    width > 0 && height > 0 ? { type, width, height, orientation: 1 } : null;
  try {
    switch (type) {
      case 'image/jpeg': {
        const size = await jpegSize(blob);
        return size && size.width > 0 && size.height > 0 ? { type, ...size } : null;
      }
      case 'image/png':
        return plain(view.getUint32(16), view.getUint32(20));
      case 'image/gif':
        return plain(view.getUint16(6, true), view.getUint16(8, true));
      case 'image/webp': {
        const chunk = ascii(head, 12, 4);
        if (chunk === 'VP8 ') return plain(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
        if (chunk === 'VP8L') {
          const bits = view.getUint32(21, true);
          return plain((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
        }
        if (chunk === 'VP8X') {
          const w = (head[24]! | (head[25]! << 8) | (head[26]! << 16)) + 1;
          const h = (head[27]! | (head[28]! << 8) | (head[29]! << 16)) + 1;
          return plain(w, h);
        }
        return null;
      }
      case 'image/heic':
      case 'image/heif':
      case 'image/avif': {
        const size = heifSize(head);
        return size ? plain(size.width, size.height) : null;
      }
      default:
        return null;
    }
  } catch {
    // A RangeError from a truncated header: the size is simply unknown.
    return null;
  }
}

/**
 * Whether a JPEG, PNG or WebP is cut short, judged by its own structure, not by the browser:
 * Firefox and WebKit decode a truncated JPEG without error (grey or black where bytes are
 * missing). A JPEG ends with EOI (FF D9; padding and a camera's trailer after it are allowed
 * when an EOI is near the end), a PNG with its IEND chunk, a WebP is as long as its RIFF header
 * says. Other types: false.
 */
export async function isTruncated(blob: Blob, type: SniffedType | null): Promise<boolean> {
  if (type === 'image/jpeg') {
    const tail = await bytes(blob, Math.max(0, blob.size - 4096), 4096);
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
    return true;
  }
  if (type === 'image/png') {
    const tail = await bytes(blob, Math.max(0, blob.size - 64), 64);
    return !ascii(tail, 0, tail.length).includes('IEND');
  }
  if (type === 'image/webp') {
    const head = await bytes(blob, 0, 12);
    if (head.length < 12) return true;
    const declared = new DataView(head.buffer, head.byteOffset, 12).getUint32(4, true) + 8;
    return blob.size < declared;
  }
  return false;
}
