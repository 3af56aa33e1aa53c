import sharp from 'sharp';
import { fixture } from '../helpers.js';

/**
 * Brackets made from a real room (a 1600×1067 photo with bright windows and dark corners) the
 * way a camera makes them: the same scene in linear light at `ev` stops, clipped by the sensor,
 * optionally shifted by whole pixels as a handheld camera would.
 */
export const ROOM = fixture('living-room-fireplace-1600.jpg');
export const ROOM_WIDTH = 1600;
export const ROOM_HEIGHT = 1067;

export async function bracket(ev: number, shift: [number, number] = [0, 0]): Promise<Buffer> {
  const W = ROOM_WIDTH;
  const H = ROOM_HEIGHT;
  const pixels = await sharp(ROOM).removeAlpha().raw().toBuffer();
  const gain = 2 ** ev;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * Math.min(1, (v / 255) ** 2.2 * gain) ** (1 / 2.2));
  for (let i = 0; i < pixels.length; i++) pixels[i] = lut[pixels[i]!]!;
  const [dx, dy] = shift;
  let raw = { data: pixels, info: { width: W, height: H } };
  if (dx || dy) {
    raw = await sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
      .extend({ top: Math.max(0, dy), bottom: Math.max(0, -dy), left: Math.max(0, dx), right: Math.max(0, -dx), extendWith: 'copy' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    raw = await sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 3 } })
      .extract({ left: Math.max(0, -dx), top: Math.max(0, -dy), width: W, height: H })
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  return sharp(raw.data, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}
