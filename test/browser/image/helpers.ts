/** Test inputs shared by the image and dropzone tests. */

export async function fixture(name: string): Promise<Blob> {
  // web-test-runner serves the project root, so fixtures resolve relative to this module.
  const res = await fetch(new URL(`../../fixtures/${name}`, import.meta.url));
  if (!res.ok) throw new Error(`fixture ${name}: HTTP ${res.status}`);
  return res.blob();
}

/** A 24-megapixel phone photo (6000 × 4000, about 16 MB), made by the test runner with sharp (scripts/camera-photo.mjs). */
export async function cameraPhoto(): Promise<File> {
  const res = await fetch('/__camera-photo.jpg');
  if (!res.ok) throw new Error(`camera photo: HTTP ${res.status}`);
  return new File([await res.blob()], 'PXL_20261204_093512345.jpg', { type: 'image/jpeg' });
}

export async function fixtureFile(name: string, type?: string): Promise<File> {
  const blob = await fixture(name);
  return new File([blob], name, { type: type ?? blob.type });
}

export async function canvasImage(
  width: number,
  height: number,
  type: 'image/jpeg' | 'image/png' | 'image/webp',
  paint: (ctx: OffscreenCanvasRenderingContext2D) => void,
): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  paint(ctx);
  return canvas.convertToBlob({ type, quality: 0.95 });
}

/** An EXIF APP1 segment holding only Orientation, big-endian TIFF. */
function exifOrientationSegment(orientation: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0xff, 0xe1, 0x00, 0x22, // APP1, length 34
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation SHORT
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
}

/**
 * A 300 × 200 JPEG stored landscape with EXIF Orientation=6 (display rotated 90° clockwise):
 * blue, with a red block in the stored top-left corner, which must end up top-right.
 */
export async function orientation6Jpeg(): Promise<Blob> {
  const jpeg = await canvasImage(300, 200, 'image/jpeg', (ctx) => {
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(0, 0, 300, 200);
    ctx.fillStyle = '#ff0000';
    ctx.fillRect(0, 0, 80, 80);
  });
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  // Right after SOI, before the encoder's JFIF APP0.
  return new Blob([bytes.slice(0, 2), exifOrientationSegment(6), bytes.slice(2)], { type: 'image/jpeg' });
}

export async function pixelAt(blob: Blob, x: number, y: number): Promise<[number, number, number, number]> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const px = ctx.getImageData(x, y, 1, 1).data;
  return [px[0]!, px[1]!, px[2]!, px[3]!];
}

export function isRed([r, g, b]: readonly number[]): boolean {
  return r! > 200 && g! < 60 && b! < 60;
}

export function isBlue([r, g, b]: readonly number[]): boolean {
  return r! < 60 && g! < 60 && b! > 200;
}
