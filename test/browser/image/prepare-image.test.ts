import { expect } from '@open-wc/testing';
import { canEncode, ImagePreparationError, prepareImage, readImageSize, sniffImageType } from '../../../src/client/image/index.js';
import { cameraPhoto, canvasImage, fixture, isBlue, isRed, orientation6Jpeg, pixelAt } from './helpers.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

for (const worker of [true, false]) {
  describe(`prepareImage (${worker ? 'worker' : 'main thread'})`, () => {
    describe('orientation', () => {
      it('applies EXIF orientation 6 exactly once: portrait output, stored top-left corner at top-right', async () => {
        const out = await prepareImage(await orientation6Jpeg(), { maxLongSide: 2048, worker });
        expect([out.width, out.height]).to.deep.equal([200, 300]);
        expect([out.originalWidth, out.originalHeight]).to.deep.equal([200, 300]);
        expect(isRed(await pixelAt(out.blob, out.width - 10, 10)), 'top-right is red').to.equal(true);
        expect(isBlue(await pixelAt(out.blob, 10, 10)), 'top-left is blue').to.equal(true);
        expect(isBlue(await pixelAt(out.blob, out.width - 10, out.height - 10)), 'bottom-right is blue').to.equal(true);
      });

      it('gives the phone fixture the displayed size its EXIF header announces', async () => {
        const blob = await fixture('phone-exif-orientation-6.jpg');
        const header = await readImageSize(blob);
        expect(header?.orientation).to.equal(6);
        const out = await prepareImage(blob, { maxLongSide: 4096, worker });
        expect([out.width, out.height]).to.deep.equal([header!.width, header!.height]);
      });
    });

    describe('downscaling', () => {
      it('limits the long side to maxLongSide and keeps the aspect ratio', async () => {
        const out = await prepareImage(await fixture('living-room-render.jpg'), { maxLongSide: 800, worker });
        expect([out.width, out.height]).to.deep.equal([800, 480]);
        expect([out.originalWidth, out.originalHeight]).to.deep.equal([1600, 960]);
      });

      it('never enlarges a smaller image', async () => {
        const out = await prepareImage(await fixture('kitchen-render.jpg'), { maxLongSide: 3840, worker });
        expect([out.width, out.height]).to.deep.equal([1600, 900]);
      });

      it('brings a 24-megapixel photo down to 2048 on the long side', async function () {
        this.timeout(60000);
        const big = await canvasImage(6000, 4000, 'image/jpeg', (ctx) => {
          const g = ctx.createLinearGradient(0, 0, 6000, 4000);
          g.addColorStop(0, '#335');
          g.addColorStop(1, '#da8');
          ctx.fillStyle = g;
          ctx.fillRect(0, 0, 6000, 4000);
        });
        const out = await prepareImage(big, { maxLongSide: 2048, worker });
        expect([out.width, out.height]).to.deep.equal([2048, 1365]);
        expect([out.originalWidth, out.originalHeight]).to.deep.equal([6000, 4000]);
        const decoded = await createImageBitmap(out.blob);
        expect([decoded.width, decoded.height]).to.deep.equal([2048, 1365]);
        decoded.close();
      });
    });

    describe('bytes uploaded', () => {
      it('sends a 24-megapixel phone photo for a 2K job in at most 1.2 MB', async function () {
        this.timeout(180_000);
        const photo = await cameraPhoto();
        expect(photo.size, 'a phone-sized original').to.be.greaterThan(12_000_000);
        const out = await prepareImage(photo, { maxLongSide: 2048, worker });
        expect([out.width, out.height]).to.deep.equal([2048, 1365]);
        expect(out.blob.size, `${out.blob.size} bytes`).to.be.at.most(1_200_000);
      });

      it('keeps a JPEG already within the size as it is, byte for byte, rather than re-encode it larger', async () => {
        const original = await fixture('bedroom-furnished.jpg');
        const out = await prepareImage(original, { maxLongSide: 2048, worker });
        expect(out.blob.size).to.equal(original.size);
        expect(new Uint8Array(await out.blob.arrayBuffer())).to.deep.equal(new Uint8Array(await original.arrayBuffer()));
        expect(out.type).to.equal('image/jpeg');
        expect([out.width, out.height]).to.deep.equal([out.originalWidth, out.originalHeight]);
      });

      it('re-encodes a JPEG within the size when that makes it smaller', async () => {
        // Saved at the highest quality: the usual quality is far smaller, and so is sent instead.
        const heavy = await canvasImage(1200, 800, 'image/jpeg', (ctx) => {
          for (let i = 0; i < 4000; i++) {
            ctx.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`;
            ctx.fillRect((i * 53) % 1200, (i * 29) % 800, 9, 9);
          }
        });
        const maxQuality = await (async () => {
          const c = new OffscreenCanvas(1200, 800);
          c.getContext('2d')!.drawImage(await createImageBitmap(heavy), 0, 0);
          return c.convertToBlob({ type: 'image/jpeg', quality: 1 });
        })();
        const out = await prepareImage(maxQuality, { maxLongSide: 2048, worker });
        expect(out.blob.size).to.be.lessThan(maxQuality.size);
        expect([out.width, out.height]).to.deep.equal([1200, 800]);
      });
    });

    describe('output type', () => {
      it('encodes an opaque photo as JPEG by default', async () => {
        const out = await prepareImage(await fixture('bedroom-furnished.jpg'), { maxLongSide: 1024, worker });
        expect(out.type).to.equal('image/jpeg');
        expect(out.blob.type).to.equal('image/jpeg');
      });

      it('encodes WebP when asked, or JPEG where the browser has no WebP encoder (Safari, WebKitGTK)', async () => {
        const out = await prepareImage(await fixture('bedroom-furnished.jpg'), { maxLongSide: 1024, type: 'image/webp', worker });
        const webp = await canEncode('image/webp');
        expect(out.type).to.equal(webp ? 'image/webp' : 'image/jpeg');
        expect(await sniffImageType(out.blob)).to.equal(out.type);
      });

      it('keeps transparency of a cut-out as WebP, or as PNG where the browser has no WebP encoder', async () => {
        const out = await prepareImage(await fixture('sofa-clipart-transparent.png'), { maxLongSide: 600, worker });
        expect(out.type).to.equal((await canEncode('image/webp')) ? 'image/webp' : 'image/png');
        expect(await sniffImageType(out.blob)).to.equal(out.type);
        const [, , , alpha] = await pixelAt(out.blob, 0, 0);
        expect(alpha).to.equal(0);
      });

      it('knows which types the canvas encodes: JPEG and PNG everywhere, WebP as the canvas really does', async () => {
        expect(await canEncode('image/jpeg')).to.equal(true);
        expect(await canEncode('image/png')).to.equal(true);
        const canvas = document.createElement('canvas');
        const probe = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp'));
        expect(await canEncode('image/webp')).to.equal(probe?.type === 'image/webp');
      });

      it('puts a transparent image on white when JPEG is forced', async () => {
        const out = await prepareImage(await fixture('sofa-clipart-transparent.png'), { maxLongSide: 600, type: 'image/jpeg', worker });
        expect(out.type).to.equal('image/jpeg');
        const [r, g, b] = await pixelAt(out.blob, 0, 0);
        expect(Math.min(r, g, b)).to.be.greaterThan(240);
      });
    });

    describe('errors', () => {
      it('rejects bytes that are not an image as undecodable', async () => {
        const junk = new Blob([new Uint8Array(4096).map((_, i) => (i * 7919) % 251)], { type: 'image/jpeg' });
        const error = await rejection(prepareImage(junk, { maxLongSide: 2048, worker }));
        expect(error).to.be.instanceOf(ImagePreparationError);
        expect((error as ImagePreparationError).code).to.equal('undecodable');
      });

      it('rejects a truncated JPEG by its structure, even cut where a browser still decodes it (Firefox, WebKit: grey or black)', async () => {
        const whole = await fixture('kitchen-render.jpg');
        for (const cut of [300, Math.floor(whole.size * 0.6), whole.size - 2]) {
          const error = await rejection(prepareImage(whole.slice(0, cut, 'image/jpeg'), { maxLongSide: 2048, worker }));
          expect((error as ImagePreparationError).code, `cut at ${cut}`).to.equal('truncated');
        }
        // Padding after the end marker (some cameras write it) is not damage.
        const padded = new Blob([whole, new Uint8Array(100)], { type: 'image/jpeg' });
        expect((await prepareImage(padded, { maxLongSide: 800, worker })).width).to.equal(800);
      });

      it('rejects a PNG without its IEND chunk, and a WebP shorter than its header says', async () => {
        const paint = (ctx: OffscreenCanvasRenderingContext2D) => {
          ctx.fillStyle = '#c33';
          ctx.fillRect(0, 0, 64, 48);
        };
        const png = await canvasImage(64, 48, 'image/png', paint);
        const error = await rejection(prepareImage(png.slice(0, png.size - 12, 'image/png'), { maxLongSide: 2048, worker }));
        expect((error as ImagePreparationError).code).to.equal('truncated');
        // A WebP made by sharp: WebKit's canvas cannot encode one.
        const webp = await fixture('kitchen-321x123.webp');
        const short = await rejection(prepareImage(webp.slice(0, webp.size - 10, 'image/webp'), { maxLongSide: 2048, worker }));
        expect((short as ImagePreparationError).code).to.equal('truncated');
      });

      it('rejects an empty file', async () => {
        const error = await rejection(prepareImage(new Blob([]), { maxLongSide: 2048, worker }));
        expect((error as ImagePreparationError).code).to.equal('empty_file');
      });

      it('says a HEIC photo needs the server to decode it', async () => {
        const error = await rejection(prepareImage(await fixture('iphone.heic'), { maxLongSide: 2048, worker }));
        expect(error).to.be.instanceOf(ImagePreparationError);
        const e = error as ImagePreparationError;
        expect(e.code).to.equal('needs_server_decode');
        expect(e.message).to.contain('HEIC');
        expect(e.details.sourceType).to.equal('image/heic');
        expect(e.details.width).to.be.greaterThan(0);
      });

      it('refuses more pixels than maxPixels, with the numbers in the message', async () => {
        const error = await rejection(
          prepareImage(await fixture('living-room-render.jpg'), { maxLongSide: 2048, maxPixels: 1_000_000, worker }),
        );
        const e = error as ImagePreparationError;
        expect(e.code).to.equal('too_many_pixels');
        expect(e.message).to.equal('This image is 1.5 megapixels (1600 × 960); the limit is 1.0 megapixels.');
        expect(e.details).to.include({ width: 1600, height: 960, maxPixels: 1_000_000 });
      });
    });

    describe('abort', () => {
      it('rejects at once with the reason of an aborted signal', async () => {
        const controller = new AbortController();
        controller.abort();
        const error = await rejection(prepareImage(await fixture('living-room-render.jpg'), { maxLongSide: 800, signal: controller.signal, worker }));
        expect((error as DOMException).name).to.equal('AbortError');
      });

      it('rejects when aborted while running', async () => {
        const controller = new AbortController();
        const pending = prepareImage(await fixture('living-room-render.jpg'), { maxLongSide: 800, signal: controller.signal, worker });
        controller.abort();
        const error = await rejection(pending);
        expect((error as DOMException).name).to.equal('AbortError');
      });
    });
  });
}

describe('prepare worker entry', () => {
  it('starts as a module worker from the dev server and answers a job', async () => {
    const worker = new Worker(new URL('../../../src/client/image/prepare-worker.ts', import.meta.url), { type: 'module' });
    try {
      const reply = new Promise<MessageEvent>((resolve, reject) => {
        worker.addEventListener('message', resolve, { once: true });
        worker.addEventListener('error', () => reject(new Error('worker failed to start')), { once: true });
      });
      worker.postMessage({ blob: await fixture('kitchen-render.jpg'), opts: { maxLongSide: 400 } });
      const { data } = await reply;
      expect(data.ok).to.equal(true);
      expect([data.result.width, data.result.height]).to.deep.equal([400, 225]);
    } finally {
      worker.terminate();
    }
  });
});
