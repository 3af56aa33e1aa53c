import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { threadId } from 'node:worker_threads';
import { ApiError } from '../../src/server/errors.js';
import { LINGER } from '../../src/server/http/lingering-close.js';
import { decodeHeic } from '../../src/server/uploads/decode-heic.js';
import { decodeHeicOffThread } from '../../src/server/uploads/heic-thread.js';
import {
  ACCEPTED_CONTENT_TYPES,
  DEFAULT_UPLOAD_LIMITS,
  ingestUpload,
  normalizeImage,
  sniffImageType,
  type UploadLimitsConfig,
} from '../../src/server/uploads/index.js';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));
const MB = 1024 * 1024;

/** Node's Buffer type is not a DOM BodyInit/BlobPart (it may sit on a SharedArrayBuffer). */
const bytes = (data: Uint8Array) => new Uint8Array(data);

function upload(body: BodyInit | Buffer, headers: Record<string, string> = {}): Request {
  const init = { method: 'POST', body: Buffer.isBuffer(body) ? bytes(body) : body, headers, duplex: 'half' };
  return new Request('http://x/v1/uploads', init);
}

/** The ApiError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  const outcome = await promise.then(
    () => new Error('expected the upload to be refused, but it was accepted'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ApiError);
  return outcome as ApiError;
}

/** Mean RGB of a size×size square at (left, top) of an image. */
async function meanColour(image: Buffer, left: number, top: number, size = 32): Promise<number[]> {
  const { data, info } = await sharp(image)
    .extract({ left, top, width: size, height: size })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) sums[c]! += data[i + c]!;
  return sums.map((s) => s / (size * size));
}

function expectColourNear(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

/**
 * A stream of `chunkSize` chunks that counts how many the consumer pulled. With a high
 * water mark of 0 the stream never reads ahead, so `pulled` is exactly what was consumed.
 */
function countingStream(chunkSize: number, maxChunks: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === maxChunks) return controller.close();
        state.pulled++;
        controller.enqueue(new Uint8Array(chunkSize).fill(0xff));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/**
 * A real, valid decompression bomb: a 1-bit greyscale PNG of 30000×30000 black pixels
 * (900 megapixels) that deflates to about 110 KB.
 */
function pngBomb(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rowBytes = 1 + Math.ceil(side / 8); // filter byte + packed pixels, all zero
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(rowBytes * side), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const limits: UploadLimitsConfig = { ...DEFAULT_UPLOAD_LIMITS };

describe('ingestUpload: body forms', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await fixture('bedroom-furnished.jpg');
  });

  it('stores a raw JPEG body as JPEG at its own size', async () => {
    const image = await ingestUpload(upload(jpeg, { 'content-type': 'image/jpeg' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([1600, 1067]);
    expect(image.bytes).toBe(image.data.length);
    const stored = await sharp(image.data).metadata();
    expect([stored.format, stored.width, stored.height]).toEqual(['jpeg', 1600, 1067]);
  });

  it('accepts application/octet-stream and decides the format from the bytes', async () => {
    const image = await ingestUpload(upload(jpeg, { 'content-type': 'application/octet-stream' }), limits);
    expect(image.contentType).toBe('image/jpeg');
  });

  it('accepts bytes whose declared type disagrees with them, if the bytes are accepted (phones mislabel)', async () => {
    const png = await fixture('sofa-clipart-transparent.png');
    const image = await ingestUpload(upload(png, { 'content-type': 'image/jpeg' }), limits);
    expect(image.contentType).toBe('image/png');
  });

  it('reads the file field "image" of a multipart body', async () => {
    const form = new FormData();
    form.append('note', 'living room');
    form.append('image', new File([bytes(jpeg)], 'IMG_0001.jpg', { type: 'image/jpeg' }));
    const image = await ingestUpload(upload(form), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([1600, 1067]);
  });

  it('refuses multipart without a file named "image" (400)', async () => {
    const withoutField = new FormData();
    withoutField.append('photo', new File([bytes(jpeg)], 'a.jpg', { type: 'image/jpeg' }));
    const missing = await apiErrorOf(ingestUpload(upload(withoutField), limits));
    expect([missing.status, missing.code]).toEqual([400, 'invalid_request']);
    expect(missing.message).toContain('"image"');

    const asText = new FormData();
    asText.append('image', 'not a file');
    const text = await apiErrorOf(ingestUpload(upload(asText), limits));
    expect([text.status, text.code]).toEqual([400, 'invalid_request']);
  });

  it('refuses a body that is neither an image nor multipart (415 naming what to send)', async () => {
    const error = await apiErrorOf(
      ingestUpload(upload(JSON.stringify({ image: 'x' }), { 'content-type': 'application/json' }), limits),
    );
    expect([error.status, error.code]).toEqual([415, 'unsupported_media_type']);
    expect(error.message).toContain('multipart/form-data');
    expect(error.message).toContain('image/*');
  });

  it('refuses an empty body (400)', async () => {
    const error = await apiErrorOf(ingestUpload(upload(new Uint8Array(0), { 'content-type': 'image/jpeg' }), limits));
    expect([error.status, error.code]).toEqual([400, 'invalid_request']);
  });
});

describe('ingestUpload: size limit while streaming', () => {
  it('refuses at once when Content-Length announces more than the limit, before reading the body, then throws the body away', async () => {
    const { stream, state } = countingStream(64 * 1024, 1000);
    const request = upload(stream, { 'content-type': 'image/jpeg', 'content-length': String(50 * MB) });
    const error = await apiErrorOf(ingestUpload(request, limits));
    expect([error.status, error.code]).toEqual([413, 'payload_too_large']);
    expect(error.message).toContain('10 MB');
    expect(state.pulled).toBe(0);
    // The rest is read and discarded (a client still sending must be able to read the 413).
    await vi.waitFor(() => expect(state.pulled).toBe(1000), { timeout: 20_000 });
  });

  it('stops reading a body without Content-Length as soon as it passes the limit', async () => {
    // 1000 × 64 KB = 62.5 MB on offer; the 10 MB limit is passed at chunk 161.
    const { stream, state } = countingStream(64 * 1024, 1000);
    const error = await apiErrorOf(ingestUpload(upload(stream, { 'content-type': 'image/jpeg' }), limits));
    expect([error.status, error.code]).toEqual([413, 'payload_too_large']);
    expect(state.pulled).toBeLessThanOrEqual(162);
    expect(state.pulled).toBeGreaterThan(150);
    // Then the rest is discarded, not kept, to its end (62.5 MB is within the lingering bound).
    await vi.waitFor(() => expect(state.pulled).toBe(1000), { timeout: 20_000 });
    expect(state.cancelled).toBe(false);
  });

  it('discards at most the lingering bound after a refusal, then cancels the body', async () => {
    const { stream, state } = countingStream(1024 * 1024, 10_000);
    const error = await apiErrorOf(ingestUpload(upload(stream, { 'content-type': 'image/jpeg' }), limits));
    expect(error.code).toBe('payload_too_large');
    await vi.waitFor(() => expect(state.cancelled).toBe(true), { timeout: 20_000 });
    // 10 MB + 1 chunk read, then at most 64 MiB + 1 chunk discarded: never the 10 GB on offer.
    expect(state.pulled).toBeLessThanOrEqual(11 + LINGER.maxBytes / (1024 * 1024) + 1);
  });

  it('applies the limit to the file inside multipart, not the limit plus the framing allowance', async () => {
    const small = { maxBytes: 100 * 1024, maxPixels: limits.maxPixels };
    const form = new FormData();
    form.append('image', new File([new Uint8Array(small.maxBytes + 10 * 1024)], 'big.jpg', { type: 'image/jpeg' }));
    const error = await apiErrorOf(ingestUpload(upload(form), small));
    expect([error.status, error.code]).toEqual([413, 'payload_too_large']);
  });

  it('stops reading a streamed multipart body that passes limit + framing allowance', async () => {
    const { stream, state } = countingStream(64 * 1024, 1000);
    const request = upload(stream, { 'content-type': 'multipart/form-data; boundary=xyz' });
    const error = await apiErrorOf(ingestUpload(request, limits));
    expect(error.code).toBe('payload_too_large');
    expect(state.pulled).toBeLessThanOrEqual(163);
  });
});

describe('ingestUpload: format by magic bytes', () => {
  it('refuses text labelled image/jpeg (415 listing the accepted formats)', async () => {
    const error = await apiErrorOf(
      ingestUpload(upload('just some text, not a photo', { 'content-type': 'image/jpeg' }), limits),
    );
    expect([error.status, error.code]).toEqual([415, 'unsupported_media_type']);
    expect(error.message).toContain('JPEG, PNG, WebP, GIF or HEIC');
    expect(error.details.accepted).toEqual([...ACCEPTED_CONTENT_TYPES]);
  });

  it('refuses SVG even though sharp could render it', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    for (const type of ['image/svg+xml', 'image/png']) {
      const error = await apiErrorOf(ingestUpload(upload(svg, { 'content-type': type }), limits));
      expect([error.status, error.code]).toEqual([415, 'unsupported_media_type']);
    }
  });

  it('refuses AVIF (HEIF container with AV1), which is not in the accepted list', async () => {
    const avif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
      .avif()
      .toBuffer();
    const error = await apiErrorOf(ingestUpload(upload(avif, { 'content-type': 'image/heif' }), limits));
    expect(error.code).toBe('unsupported_media_type');
  });

  it('recognizes HEIC by its ftyp brands', () => {
    const ftyp = (major: string, ...compatible: string[]) => {
      const size = 16 + 4 * compatible.length;
      const box = Buffer.alloc(size + 8);
      box.writeUInt32BE(size, 0);
      box.write(`ftyp${major}\0\0\0\0${compatible.join('')}`, 4, 'latin1');
      return box;
    };
    expect(sniffImageType(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffImageType(ftyp('mif1', 'mif1', 'heic'))).toBe('heic');
    expect(sniffImageType(ftyp('mif1', 'mif1', 'avif'))).toBeNull();
    expect(sniffImageType(ftyp('avif', 'mif1', 'avif'))).toBeNull();
    expect(sniffImageType(ftyp('isom', 'mp41'))).toBeNull();
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffImageType(Buffer.from('GIF89a'))).toBe('gif');
  });
});

describe('ingestUpload: unreadable and oversized images', () => {
  it('refuses a truncated JPEG instead of storing half of it (422 image_unreadable)', async () => {
    const jpeg = await fixture('kitchen-render.jpg');
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    const error = await apiErrorOf(ingestUpload(upload(truncated, { 'content-type': 'image/jpeg' }), limits));
    expect([error.status, error.code]).toEqual([422, 'image_unreadable']);
  });

  it('refuses a PNG whose header is cut off (422 image_unreadable)', async () => {
    const png = await fixture('sofa-clipart-transparent.png');
    const error = await apiErrorOf(ingestUpload(upload(png.subarray(0, 20), { 'content-type': 'image/png' }), limits));
    expect(error.code).toBe('image_unreadable');
  });

  it('refuses a decompression bomb from its header, quickly (422 image_too_large)', async () => {
    const bomb = pngBomb(30_000);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = performance.now();
    const error = await apiErrorOf(ingestUpload(upload(bomb, { 'content-type': 'image/png' }), limits));
    expect(performance.now() - started).toBeLessThan(1000);
    expect([error.status, error.code]).toEqual([422, 'image_too_large']);
    expect(error.message).toContain('50 megapixels');
    expect(error.message).toContain('30000×30000');
  });
});

describe('ingestUpload: normalization', () => {
  it('keeps a PNG with real transparency as PNG, with its alpha', async () => {
    const png = await fixture('sofa-clipart-transparent.png');
    const image = await ingestUpload(upload(png, { 'content-type': 'image/png' }), limits);
    expect(image.contentType).toBe('image/png');
    expect([image.width, image.height]).toEqual([1200, 1123]);
    const stored = sharp(image.data);
    expect((await stored.metadata()).hasAlpha).toBe(true);
    expect((await stored.stats()).isOpaque).toBe(false);
  });

  it('stores an opaque PNG that merely has an alpha channel as JPEG', async () => {
    const opaque = await sharp(await fixture('living-room-render.jpg')).resize(200).ensureAlpha(1).png().toBuffer();
    expect((await sharp(opaque).metadata()).hasAlpha).toBe(true);
    const image = await ingestUpload(upload(opaque, { 'content-type': 'image/png' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect((await sharp(image.data).metadata()).channels).toBe(3);
  });

  it('turns an EXIF orientation 6 photo upright and drops the tag', async () => {
    const rotated = await fixture('phone-exif-orientation-6.jpg');
    const input = await sharp(rotated).metadata();
    expect([input.width, input.height, input.orientation]).toEqual([480, 800, 6]);

    const image = await ingestUpload(upload(rotated, { 'content-type': 'image/jpeg' }), limits);
    expect([image.width, image.height]).toEqual([800, 480]);
    expect((await sharp(image.data).metadata()).orientation).toBeUndefined();

    // The upright scene (living-room-render.jpg) has a light-blue bottom-left corner and a
    // light-grey top-right one; a wrong rotation puts other colours there.
    expectColourNear(await meanColour(image.data, 0, 480 - 32), [168, 211, 218], 12);
    expectColourNear(await meanColour(image.data, 800 - 32, 0), [151, 156, 151], 12);
  });

  it('removes GPS EXIF and XMP', async () => {
    const withGps = await sharp(await fixture('kitchen-render.jpg'))
      .resize(320)
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Phone 15' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSMapDatum: 'WGS-84' },
      })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
          '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4N"/></rdf:RDF></x:xmpmeta>',
      )
      .jpeg()
      .toBuffer();
    const input = await sharp(withGps).metadata();
    expect(input.exif?.includes('WGS-84')).toBe(true);
    expect(input.xmpAsString).toContain('GPSLatitude');

    const image = await ingestUpload(upload(withGps, { 'content-type': 'image/jpeg' }), limits);
    const stored = await sharp(image.data).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    expect(stored.iptc).toBeUndefined();
    expect(image.data.includes('WGS-84')).toBe(false);
  });

  it('keeps only the first frame of an animated GIF', async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);

    const image = await ingestUpload(upload(gif, { 'content-type': 'image/gif' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([40, 30]);
    expectColourNear(await meanColour(image.data, 4, 4, 16), [255, 0, 0], 30);
  });

  it('stores WebP as JPEG', async () => {
    const webp = await sharp(await fixture('kitchen-render.jpg')).resize(300).webp().toBuffer();
    const image = await ingestUpload(upload(webp, { 'content-type': 'image/webp' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([300, 169]);
  });

  it('stores a WebP above 16 megapixels scaled down by its decoder to 16, upright and in proportion', async () => {
    // 5000×3500 (17.5 MP) turned a quarter by its EXIF orientation: stored 3344 wide, 4780 high.
    const big = await sharp(await fixture('living-room-render.jpg')).resize(5000, 3500, { fit: 'fill' }).webp({ quality: 60 }).withMetadata({ orientation: 6 }).toBuffer();
    const image = await ingestUpload(upload(big, { 'content-type': 'image/webp' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect(image.width * image.height).toBeLessThanOrEqual(16_000_000);
    expect(image.height).toBeGreaterThan(image.width);
    expect(image.height / image.width).toBeCloseTo(5000 / 3500, 2);
    // A WebP within the limit keeps its size.
    const within = await sharp(await fixture('living-room-render.jpg')).resize(4000, 3000, { fit: 'fill' }).webp({ quality: 60 }).toBuffer();
    expect(await ingestUpload(upload(within, { 'content-type': 'image/webp' }), limits)).toMatchObject({ width: 4000, height: 3000 });
  });

  it('keeps a scaled-down WebP with transparent pixels as PNG, and an opaque one with an alpha channel as JPEG', async () => {
    const base = sharp(await fixture('living-room-render.jpg')).resize(4200, 4000, { fit: 'fill' });
    const clear = await base.clone().ensureAlpha(0.5).webp({ quality: 50 }).toBuffer();
    const opaque = await base.clone().ensureAlpha(1).webp({ quality: 50, alphaQuality: 100 }).toBuffer();
    const transparent = await ingestUpload(upload(clear, { 'content-type': 'image/webp' }), limits);
    expect(transparent.contentType).toBe('image/png');
    expect(transparent.width * transparent.height).toBeLessThanOrEqual(16_000_000);
    expect((await ingestUpload(upload(opaque, { 'content-type': 'image/webp' }), limits)).contentType).toBe('image/jpeg');
  });
});

describe('ingestUpload: HEIC', () => {
  it('decodes an iPhone-style HEIC (HEVC) and stores it as JPEG', async () => {
    const heic = await fixture('iphone.heic');
    expect(sniffImageType(heic)).toBe('heic');
    // Declared as something else on purpose: the bytes decide.
    const image = await ingestUpload(upload(heic, { 'content-type': 'application/octet-stream' }), limits);
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([640, 427]);

    // Same scene as its source, not noise: compare with the CC0 original at the same size.
    const source = await sharp(await fixture('bedroom-furnished.jpg')).resize(640).jpeg().toBuffer();
    for (const [left, top] of [
      [0, 0],
      [600, 0],
      [300, 200],
      [600, 390],
    ] as const) {
      expectColourNear(await meanColour(image.data, left, top), await meanColour(source, left, top), 12);
    }
  });

  it('refuses a HEIC over the pixel limit before decoding it', async () => {
    const heic = await fixture('iphone.heic');
    const error = await apiErrorOf(
      ingestUpload(upload(heic, { 'content-type': 'image/heic' }), { maxBytes: limits.maxBytes, maxPixels: 100_000 }),
    );
    expect([error.status, error.code]).toEqual([422, 'image_too_large']);
    expect(error.message).toContain('0.1 megapixels');
  });

  it('refuses a truncated HEIC (422 image_unreadable)', async () => {
    const heic = await fixture('iphone.heic');
    const error = await apiErrorOf(
      ingestUpload(upload(heic.subarray(0, Math.floor(heic.length / 2)), { 'content-type': 'image/heic' }), limits),
    );
    expect(error.code).toBe('image_unreadable');
  });
});

describe('the HEIC decoder thread', () => {
  it('decodes off this thread, to the same pixels as the in-thread decoder', async () => {
    const heic = await fixture('iphone.heic');
    const offThread = await decodeHeicOffThread(heic, limits.maxPixels);
    expect(offThread.threadId).not.toBe(threadId);
    const here = await decodeHeic(heic, limits.maxPixels);
    expect([offThread.width, offThread.height]).toEqual([here.width, here.height]);
    expect(Buffer.compare(offThread.data, here.data)).toBe(0);
  });

  it('routes concurrent decodes to their callers, refuses what is over the limit or unreadable, and keeps working', async () => {
    const heic = await fixture('iphone.heic');
    const [tooLarge, garbage, good] = await Promise.allSettled([
      decodeHeicOffThread(heic, 100_000),
      decodeHeicOffThread(Buffer.concat([heic.subarray(0, 64), Buffer.alloc(4096, 7)]), limits.maxPixels),
      decodeHeicOffThread(heic, limits.maxPixels),
    ]);
    expect(tooLarge.status === 'rejected' && (tooLarge.reason as ApiError).code).toBe('image_too_large');
    expect(tooLarge.status === 'rejected' && (tooLarge.reason as ApiError).message).toContain('640×427');
    expect(garbage.status === 'rejected' && (garbage.reason as ApiError).code).toBe('image_unreadable');
    expect(good.status === 'fulfilled' && [good.value.width, good.value.height]).toEqual([640, 427]);
    const again = await decodeHeicOffThread(heic, limits.maxPixels);
    expect(again.width).toBe(640);
  });
});

describe('normalizeImage', () => {
  it('applies the same checks to bytes that did not come from a request', async () => {
    const tooBig = await apiErrorOf(normalizeImage(Buffer.alloc(2048, 0xff), { maxBytes: 1024, maxPixels: 1000 }));
    expect(tooBig.code).toBe('payload_too_large');
    const notImage = await apiErrorOf(normalizeImage(Buffer.from('%PDF-1.7\n'), limits));
    expect(notImage.code).toBe('unsupported_media_type');
  });
});
