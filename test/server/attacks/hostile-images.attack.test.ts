import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import { Upload } from '../../../src/contract/index.js';
import { peakRssMiB, sqliteBff } from '../../../bench/support.js';
import { expectError, fixture, makeBff, mintSession, req } from '../helpers.js';
import { attack, nothingStored } from './ledger.js';

/** Hostile images, round two (issue 13, items 1 and 2; truncation from issue 12). */

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A progressive JPEG whose first scan is repeated until it holds `scans` scans: libjpeg decodes every one. */
async function scanBomb(scans: number): Promise<Buffer> {
  const jpg = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#6a8' } }).jpeg({ progressive: true }).toBuffer();
  const sos: number[] = [];
  let pos = 2;
  while (pos < jpg.length) {
    const marker = jpg[pos + 1]!;
    if (marker === 0xd9) break;
    const len = jpg.readUInt16BE(pos + 2);
    if (marker === 0xda) {
      sos.push(pos);
      let p = pos + 2 + len;
      while (!(jpg[p] === 0xff && jpg[p + 1] !== 0x00 && !(jpg[p + 1]! >= 0xd0 && jpg[p + 1]! <= 0xd7))) p++;
      pos = p;
    } else pos += 2 + len;
  }
  // The DC scan again and again: libjpeg accepts each repeat and decodes it over the whole image.
  const dcScan = jpg.subarray(sos[0], sos[1]);
  const extra = Array.from({ length: scans - sos.length }, () => dcScan);
  return Buffer.concat([jpg.subarray(0, sos[1]), ...extra, jpg.subarray(sos[1])]);
}

/** A 64×64 PNG carrying `count` zTXt chunks that each inflate to `mb` megabytes. */
async function textBomb(count: number, mb: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).png().toBuffer();
  const iend = png.length - 12;
  const text = pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), deflateSync(Buffer.alloc(mb * 1024 * 1024, 0x41), { level: 9 })]));
  return Buffer.concat([png.subarray(0, iend), ...Array.from({ length: count }, () => text), png.subarray(iend)]);
}

const post = (bff: ReturnType<typeof makeBff>, token: string, body: Buffer, type: string) =>
  req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': type }, body: new Uint8Array(body) });

describe('hostile images, round two', () => {
  attack('uploads', 'a progressive JPEG scan bomb (2,000 repeats of one scan) is refused from its markers, before any decoding', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const bomb = await scanBomb(2000);
    const err = await nothingStored(bff, ['mallory'], async () => expectError(await post(bff, token, bomb, 'image/jpeg'), 422, 'image_unreadable'));
    expect(err).toMatchObject({ reason: 'too_many_scans', limit_scans: 100 });
    // An ordinary progressive photo (a handful of scans) still goes through.
    const ok = await post(bff, token, await scanBomb(12), 'image/jpeg');
    expect(ok.status).toBe(201);
  });

  attack('uploads', 'truncated JPEG, PNG and WebP files are refused as unreadable, whatever the decoder would have made of them', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const photo = fixture('kitchen-render.jpg');
    const png = await sharp(photo).resize(400).png().toBuffer();
    const webp = await sharp(photo).resize(400).webp().toBuffer();
    for (const [bytes, type] of [[photo, 'image/jpeg'], [png, 'image/png'], [webp, 'image/webp']] as const) {
      // Cut in the image data, and cut by two bytes: a JPEG without its EOI marker, a PNG
      // without IEND's checksum, a WebP short of its RIFF size.
      for (const at of [Math.floor(bytes.length * 0.7), bytes.length - 2]) {
        const cut = Buffer.from(bytes.subarray(0, at));
        await nothingStored(bff, ['mallory'], async () => expectError(await post(bff, token, cut, type), 422, 'image_unreadable'));
      }
    }
  });

  attack('uploads', 'PNG text chunks are dropped before decoding: the stored image carries none of them', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const res = await post(bff, token, await textBomb(3, 1), 'image/png');
    expect(res.status).toBe(201);
    const up = Upload.parse(await res.json());
    const stored = Buffer.from(await (await req(bff, up.url, { origin: null })).arrayBuffer());
    expect(stored.includes(Buffer.from('zTXt'))).toBe(false);
    expect((await sharp(stored).metadata()).width).toBe(64);
  });

  attack('uploads', 'one session cannot tie up the decoders: past two of its uploads decoding or waiting, the next is told to wait (429)', async () => {
    const bff = makeBff({ decodeConcurrency: 1 });
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const other = await mintSession(bff, { subject: 'bystander' });
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    const results = await Promise.all([...Array.from({ length: 4 }, () => post(bff, token, big, 'image/jpeg')), post(bff, other.token, Buffer.from(fixture('kitchen-render.jpg')), 'image/jpeg')]);
    const mine = results.slice(0, 4).map((r) => r.status).sort();
    expect(mine.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
    expect(mine).toContain(429);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('2');
    // Another session's upload waits its turn but is never refused for mallory's.
    expect(results[4]!.status).toBe(201);
  });

  attack(
    'uploads',
    "a PNG text-chunk bomb (20 zTXt chunks inflating to 20 MB each) does not raise a real BFF's peak memory by 300 MB",
    async () => {
      const bff = await realBff();
      try {
        const [token] = await bff.sessions(1);
        const bomb = await textBomb(20, 20);
        expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
        const before = bff.peakMiB();
        const res = await bff.upload(token!, bomb, 'image/png');
        process.stderr.write(`png text bomb: peak RSS ${before.toFixed(0)} → ${bff.peakMiB().toFixed(0)} MiB\n`);
        expect(res).toBe(201);
        expect(bff.peakMiB() - before).toBeLessThan(300);
      } finally {
        await bff.stop();
      }
    },
    120_000,
  );

  attack(
    'uploads',
    "a legal 7071×7071 JPEG with EXIF rotation raises a real BFF's peak memory by less than 300 MB, and eight at once stay within it when one decodes at a time",
    async () => {
      const bff = await realBff({ STAGING_DECODE_CONCURRENCY: '1' });
      try {
        const photo = await sharp({ create: { width: 7071, height: 7071, channels: 3, background: '#7a8c9e' } }).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
        expect(photo.length).toBeLessThan(10 * 1024 * 1024);
        // Eight sessions: one session may only have two uploads decoding or waiting.
        const tokens = await bff.sessions(8);
        const before = bff.peakMiB();
        expect(await bff.upload(tokens[0]!, photo, 'image/jpeg')).toBe(201);
        const one = bff.peakMiB();
        const statuses = await Promise.all(tokens.map((t) => bff.upload(t, photo, 'image/jpeg')));
        const eight = bff.peakMiB();
        process.stderr.write(`7071×7071 JPEG, orientation 6: peak RSS ${before.toFixed(0)} → ${one.toFixed(0)} MiB for one, ${eight.toFixed(0)} MiB after eight at once\n`);
        expect(statuses).toEqual(Array.from({ length: 8 }, () => 201));
        expect(one - before).toBeLessThan(300);
        expect(eight - before).toBeLessThan(300);
      } finally {
        await bff.stop();
      }
    },
    240_000,
  );
});

describe('hostile images, round two: large WebP', () => {
  attack(
    'uploads',
    "a legal 7071×7071 WebP (3 MB) raises a real BFF's peak memory by less than 300 MB: libwebp decodes it scaled down, where a full decode held two copies (+390 MB)",
    async () => {
      const bff = await realBff({ STAGING_DECODE_CONCURRENCY: '1' });
      try {
        const photo = await sharp(fixture('living-room-render.jpg')).resize(7071, 7071, { fit: 'fill' }).webp({ quality: 85 }).toBuffer();
        expect(photo.length).toBeLessThan(10 * 1024 * 1024);
        const [token] = await bff.sessions(1);
        const before = bff.peakMiB();
        expect(await bff.upload(token!, photo, 'image/webp')).toBe(201);
        const after = bff.peakMiB();
        process.stderr.write(`7071×7071 WebP: peak RSS ${before.toFixed(0)} → ${after.toFixed(0)} MiB\n`);
        expect(after - before).toBeLessThan(300);
      } finally {
        await bff.stop();
      }
    },
    120_000,
  );
});

/** A real BFF process (native memory is the point) with a fresh store, its peak RSS (VmHWM), dev sessions and raw uploads. */
async function realBff(env: Record<string, string> = {}) {
  const bff = await sqliteBff(env);
  return {
    peakMiB: () => peakRssMiB(bff.child.pid!),
    sessions: (n: number) =>
      Promise.all(Array.from({ length: n }, async () => ((await (await fetch(`${bff.url}/v1/dev/sessions`, { method: 'POST' })).json()) as { token: string }).token)),
    async upload(token: string, body: Buffer, type: string): Promise<number> {
      const res = await fetch(`${bff.url}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: new Uint8Array(body) });
      await res.arrayBuffer();
      return res.status;
    },
    stop: () => bff.stop(),
  };
}
