import { expect } from '@open-wc/testing';
import { readImageSize, sniffImageType } from '../../../src/client/image/index.js';
import { fixture, orientation6Jpeg } from './helpers.js';

describe('readImageSize', () => {
  it('reads a progressive JPEG', async () => {
    expect(await readImageSize(await fixture('living-room-render.jpg'))).to.deep.equal({
      type: 'image/jpeg', width: 1600, height: 960, orientation: 1,
    });
  });

  it('reports the displayed size of a JPEG with EXIF orientation 6', async () => {
    expect(await readImageSize(await orientation6Jpeg())).to.deep.equal({
      type: 'image/jpeg', width: 200, height: 300, orientation: 6,
    });
  });

  it('reads a PNG', async () => {
    expect(await readImageSize(await fixture('sofa-clipart-transparent.png'))).to.include({ type: 'image/png', width: 1200, height: 1123 });
  });

  it('reads a lossy WebP', async () => {
    // Made by sharp (libwebp): WebKit's canvas cannot encode WebP.
    const webp = await fixture('kitchen-321x123.webp');
    expect(await readImageSize(webp)).to.include({ type: 'image/webp', width: 321, height: 123 });
  });

  it('reads a GIF header', async () => {
    const gif = new Blob([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x2c, 0x01, 0xc8, 0x00, 0, 0, 0])]);
    expect(await readImageSize(gif)).to.include({ type: 'image/gif', width: 300, height: 200 });
  });

  it('reads the size of a HEIC photo, which the browser cannot decode', async () => {
    const size = await readImageSize(await fixture('iphone.heic'));
    expect(size?.type).to.equal('image/heic');
    expect(size!.width * size!.height).to.be.greaterThan(0);
  });

  it('returns null for bytes it does not know', async () => {
    expect(await readImageSize(new Blob(['hello, world']))).to.equal(null);
  });
});

describe('sniffImageType', () => {
  it('names types by their bytes, not their claimed type', async () => {
    expect(await sniffImageType(new Blob(['%PDF-1.7\n'], { type: 'image/jpeg' }))).to.equal('application/pdf');
    expect(await sniffImageType(new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>']))).to.equal('image/svg+xml');
    expect(await sniffImageType(await fixture('iphone.heic'))).to.equal('image/heic');
    expect(await sniffImageType(await fixture('kitchen-render.jpg'))).to.equal('image/jpeg');
    expect(await sniffImageType(new Blob(['plain text']))).to.equal(null);
  });
});
