/**
 * `npm run bench -- upload`: the bytes the widget uploads for a 2K and a 4K job. Builds the
 * one-tag script (as `npm run build` does) and runs its own dropzone in Debian's Chromium on a
 * 24-megapixel phone-like photo (scripts/camera-photo.mjs: 16 MB) and on a small JPEG fixture,
 * with the long sides the widget prepares at: 2048 px first (2K), 3840 px once 4K is chosen.
 * Before issue 16 the widget sent one 3840 px image before the resolution was chosen, whatever it was.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import puppeteer from 'puppeteer-core';
import { buildCdn } from '../scripts/build/browser.js';
import { cameraPhoto } from '../scripts/camera-photo.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';

const SMALL = 'bedroom-furnished.jpg';
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

/** Serves the built script, a blank page that loads it, and the two photos. */
function serve(dir: string, files: Record<string, Buffer>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const type = { '.js': 'text/javascript', '.jpg': 'image/jpeg', '.html': 'text/html' }[extname(path)] ?? 'application/octet-stream';
    let body: Buffer | undefined = files[path];
    if (!body && path.startsWith('/cdn/') && !normalize(path).includes('..')) body = readFileSync(join(dir, normalize(path)));
    res.writeHead(body ? 200 : 404, { 'Content-Type': type }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

interface Prepared {
  bytes: number;
  width: number;
  height: number;
  ms: number;
  same: boolean;
}

export async function benchUpload(): Promise<Array<{ name: string; value: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'staging-upload-'));
  const photo = await cameraPhoto();
  const small = readFileSync(new URL(`../test/fixtures/${SMALL}`, import.meta.url));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir: join(dir, 'profile'), args: CHROMIUM_ARGS });
  let server: Server | undefined;
  try {
    await buildCdn(join(dir, 'cdn'));
    const page0 = '<!doctype html><script type="module" src="/cdn/staging-widget.js"></script>';
    const site = await serve(dir, { '/index.html': Buffer.from(page0), '/photo.jpg': photo, '/small.jpg': small });
    server = site.server;
    const page = await browser.newPage();
    await page.goto(`${site.url}/index.html`);
    await page.waitForFunction(() => customElements.get('staging-dropzone') !== undefined);
    /** What the dropzone of the built script prepares, as the widget uploads it. */
    const prepare = (path: string, side: number): Promise<Prepared> =>
      page.evaluate(
        async (path, side) => {
          const original = new Uint8Array(await (await fetch(path)).arrayBuffer());
          const dz = document.createElement('staging-dropzone') as HTMLElement & { maxLongSide: number; selectFile(f: File): Promise<boolean>; prepared: { blob: Blob; width: number; height: number } | null };
          dz.maxLongSide = side;
          document.body.append(dz);
          const t0 = performance.now();
          const ok = await dz.selectFile(new File([original], path.slice(1), { type: 'image/jpeg' }));
          const ms = performance.now() - t0;
          if (!ok || !dz.prepared) throw new Error(`the dropzone refused ${path} at ${side} px`);
          const { blob, width, height } = dz.prepared;
          const sent = new Uint8Array(await blob.arrayBuffer());
          dz.remove();
          return { bytes: blob.size, width, height, ms, same: sent.length === original.length && sent.every((b, i) => b === original[i]) };
        },
        path,
        side,
      );
    const at2k = await prepare('/photo.jpg', 2048);
    const at4k = await prepare('/photo.jpg', 3840);
    const smallSent = await prepare('/small.jpg', 2048);
    // Before: the small JPEG was re-encoded as every photo is (JPEG at quality 0.9, as prepare-core.ts does).
    const smallReencoded = await page.evaluate(async () => {
      const bitmap = await createImageBitmap(await (await fetch('/small.jpg')).blob(), { imageOrientation: 'from-image' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      return (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).size;
    });
    const dims = (p: Prepared) => `${p.width}×${p.height}`;
    return [
      { name: `upload: a 24 MP phone photo (6000×4000, ${mb(photo.length)}), before: one ${dims(at4k)} upload for any job`, value: `${mb(at4k.bytes)} for a 2K job, ${mb(at4k.bytes)} for a 4K job` },
      { name: 'upload: the same, 2K job: the first upload, at 2048 px (goal ≤ 1.2 MB)', value: `${mb(at2k.bytes)} (${dims(at2k)}, prepared in ${at2k.ms.toFixed(0)} ms), ${((at2k.bytes / at4k.bytes) * 100).toFixed(0)} % of before` },
      {
        name: 'upload: the same, 4K job: the 2048 px upload, then a 3840 px one in the background once 4K is chosen',
        value: `${mb(at2k.bytes + at4k.bytes)} in all (${mb(at4k.bytes)} at ${dims(at4k)}, prepared in ${at4k.ms.toFixed(0)} ms), which the job uses`,
      },
      {
        name: `upload: a small JPEG (${SMALL}, ${small.length} bytes), any job; before: re-encoded`,
        value: `${smallSent.bytes} bytes (${smallSent.same ? 'the original, byte for byte' : 're-encoded'}); before ${smallReencoded} bytes (${((smallReencoded / small.length - 1) * 100).toFixed(0)} %)`,
      },
    ];
  } finally {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
