import { fixtureFile } from '../support/real-bff.js';

/**
 * Shots of one view at other exposures, made from a fixture photo as a camera would take them:
 * every pixel scaled by 2^ev in linear light, then clipped (so bright shots blow out, dark ones
 * crush), encoded as JPEG. Pixel arithmetic rather than a canvas filter, which some engines lack.
 */
export async function bracketFiles(name: string, evs: number[], size?: { width: number; height: number }): Promise<File[]> {
  const bitmap = await createImageBitmap(await fixtureFile(name));
  const width = size?.width ?? bitmap.width;
  const height = size?.height ?? bitmap.height;
  const files: File[] = [];
  for (const ev of evs) {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0, width, height);
    const image = ctx.getImageData(0, 0, width, height);
    const gain = 2 ** ev;
    const table = new Uint8ClampedArray(256);
    for (let v = 0; v < 256; v++) table[v] = Math.round(255 * Math.min(1, ((v / 255) ** 2.2 * gain)) ** (1 / 2.2));
    for (let i = 0; i < image.data.length; i += 4) {
      image.data[i] = table[image.data[i]!]!;
      image.data[i + 1] = table[image.data[i + 1]!]!;
      image.data[i + 2] = table[image.data[i + 2]!]!;
    }
    ctx.putImageData(image, 0, 0);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG'))), 'image/jpeg', 0.9));
    files.push(new File([blob], `shot-${ev >= 0 ? '+' : ''}${ev}EV.jpg`, { type: 'image/jpeg' }));
  }
  return files;
}
