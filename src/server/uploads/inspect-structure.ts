import { ApiError } from '../errors.js';
import type { SniffedImageType } from './sniff-image-type.js';
import { imageUnreadable } from './upload-errors.js';

/**
 * The file's own structure, read before any decoder sees it: a decoder's cost can grow with what
 * a small file declares, and browsers and decoders alike may accept a truncated file silently.
 *
 * - JPEG: the markers are walked. A file with more scans than any camera writes is refused (a
 *   progressive "scan bomb" makes a decoder redo the whole image once per scan, as libjpeg-turbo's
 *   `-maxscans` guards against), and one without its end-of-image marker is truncated.
 * - PNG: the chunks are walked. Text and other metadata chunks are dropped before decoding (a
 *   compressed text chunk can inflate to hundreds of megabytes of native memory), the few that
 *   affect pixels are kept within a small budget, and a file without IEND is truncated.
 * - WebP: the RIFF size must fit in the file.
 */
export const MAX_JPEG_SCANS = 100;
/** Kept metadata chunks of a PNG (colour profile, transparency, gamma…), in bytes. */
export const MAX_PNG_KEPT_ANCILLARY_BYTES = 512 * 1024;

/** Ancillary PNG chunks that change how pixels look; everything else (text, time, EXIF…) is dropped. */
const PNG_KEPT_ANCILLARY = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs']);

/** Returns the bytes to decode: the file itself, or for PNG the file without its dropped chunks. */
export function inspectStructure(data: Buffer, type: SniffedImageType): Buffer {
  if (type === 'jpeg') {
    checkJpeg(data);
    return data;
  }
  if (type === 'png') return keptPng(data);
  if (type === 'webp') checkWebp(data);
  return data;
}

function truncated(what: string): ApiError {
  return imageUnreadable(new Error(`structure: ${what}`));
}

function checkJpeg(d: Buffer): void {
  let pos = 2; // after SOI
  let scans = 0;
  for (;;) {
    if (pos + 1 >= d.length) throw truncated('JPEG ends before its end-of-image marker');
    if (d[pos] !== 0xff) throw truncated(`JPEG: no marker at byte ${pos}`);
    let marker = d[pos + 1]!;
    while (marker === 0xff) {
      // Fill bytes before a marker.
      pos++;
      if (pos + 1 >= d.length) throw truncated('JPEG ends in fill bytes');
      marker = d[pos + 1]!;
    }
    pos += 2;
    if (marker === 0xd9) return; // EOI; whatever follows (a trailer, an MPF image) is not ours to judge
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // standalone markers
    if (pos + 2 > d.length) throw truncated('JPEG segment header cut off');
    const length = d.readUInt16BE(pos);
    if (length < 2 || pos + length > d.length) throw truncated('JPEG segment cut off');
    pos += length;
    if (marker !== 0xda) continue;
    if (++scans > MAX_JPEG_SCANS) {
      throw new ApiError(
        'image_unreadable',
        `The JPEG holds more than ${MAX_JPEG_SCANS} scans, far more than any camera or editor writes: save it again as an ordinary JPEG and upload that.`,
        { reason: 'too_many_scans', limit_scans: MAX_JPEG_SCANS },
      );
    }
    // Entropy-coded data runs to the next marker: 0xFF followed by anything but 0x00 (a stuffed
    // byte), a restart marker or another 0xFF.
    for (;;) {
      const ff = d.indexOf(0xff, pos);
      if (ff < 0 || ff + 1 >= d.length) throw truncated('JPEG scan data runs to the end of the file');
      const next = d[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        pos = ff + 2;
        continue;
      }
      pos = ff;
      break;
    }
  }
}

function keptPng(d: Buffer): Buffer {
  const kept: Buffer[] = [d.subarray(0, 8)];
  let pos = 8;
  let ancillary = 0;
  for (;;) {
    if (pos + 12 > d.length) throw truncated('PNG ends before its IEND chunk');
    const length = d.readUInt32BE(pos);
    const type = d.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > d.length) throw truncated(`PNG chunk ${type} cut off`);
    const chunk = d.subarray(pos, end);
    const critical = type.charCodeAt(0) >= 0x41 && type.charCodeAt(0) <= 0x5a;
    if (critical) kept.push(chunk);
    else if (PNG_KEPT_ANCILLARY.has(type)) {
      ancillary += chunk.length;
      if (ancillary > MAX_PNG_KEPT_ANCILLARY_BYTES) {
        throw new ApiError('image_unreadable', 'The PNG carries an unusually large colour profile or metadata: save it again without extra metadata and upload that.', {
          reason: 'metadata_too_large',
        });
      }
      kept.push(chunk);
    }
    if (type === 'IEND') return Buffer.concat(kept);
    pos = end;
  }
}

function checkWebp(d: Buffer): void {
  if (d.length < 12 || d.readUInt32LE(4) + 8 > d.length) throw truncated('WebP shorter than its RIFF size');
}
