export type SniffedImageType = 'jpeg' | 'png' | 'webp' | 'gif' | 'heic';

/**
 * Brands that mean "HEVC-coded HEIF" (see ISO/IEC 23008-12 and libheif's brand notes).
 * `mif1`/`msf1` only say "some HEIF": they are accepted only together with one of these,
 * because the same structure also carries AVIF (AV1), which we do not accept.
 */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1']);

/**
 * The image format of `data` by its magic bytes, or null when it is none we accept.
 * The declared Content-Type and file name are deliberately not consulted: they are
 * client-controlled, and an SVG or HTML file labelled image/jpeg must not get through.
 */
export function sniffImageType(data: Uint8Array): SniffedImageType | null {
  if (startsWith(data, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(data, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') return 'webp';
  const gif = ascii(data, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  if (isHeic(data)) return 'heic';
  return null;
}

function isHeic(data: Uint8Array): boolean {
  if (data.length < 16 || ascii(data, 4, 8) !== 'ftyp') return false;
  const boxSize = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  if (boxSize < 16 || boxSize > data.length) return false;
  const major = ascii(data, 8, 12);
  if (HEIC_BRANDS.has(major)) return true;
  if (!GENERIC_HEIF_BRANDS.has(major)) return false;
  // Compatible brands follow the 4-byte minor version, one per 4 bytes up to the box end.
  for (let at = 16; at + 4 <= boxSize; at += 4) {
    if (HEIC_BRANDS.has(ascii(data, at, at + 4))) return true;
  }
  return false;
}

function startsWith(data: Uint8Array, offset: number, bytes: readonly number[]): boolean {
  if (data.length < offset + bytes.length) return false;
  return bytes.every((b, i) => data[offset + i] === b);
}

function ascii(data: Uint8Array, start: number, end: number): string {
  if (data.length < end) return '';
  return String.fromCharCode(...data.subarray(start, end));
}
