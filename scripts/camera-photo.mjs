// A stand-in for a 24-megapixel phone photo (6000 × 4000, about 17 MB), made with sharp from a
// fixture: enlarged, with the fine sensor grain and the high JPEG quality of a phone camera, so
// that it compresses like one (an enlarged photo alone is smooth and far smaller than a real one).
// Shared by the browser tests (served by the test runner) and `npm run bench -- upload`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/house-exterior-suburban.jpg', import.meta.url));

let made = null;

/** The photo's JPEG bytes (made once per process: a few seconds of sharp). */
export function cameraPhoto() {
  made ??= (async () => {
    const width = 6000;
    const height = 4000;
    const base = await sharp(readFileSync(FIXTURE)).resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).removeAlpha().raw().toBuffer();
    // Sensor grain: the same gaussian noise, seeded by sharp's generator, added to each channel.
    const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 14 } } }).raw().toBuffer();
    for (let i = 0; i < base.length; i++) base[i] = Math.max(0, Math.min(255, base[i] + grain[i] - 128));
    return sharp(base, { raw: { width, height, channels: 3 } }).jpeg({ quality: 96, chromaSubsampling: '4:2:0' }).toBuffer();
  })();
  return made;
}
