import { afterAll, describe, expect, it } from 'vitest';
import { detectLineSegments, warpPerspective as warpOn, type LineOptions, type RawImage } from '../../src/server/vision/perspective.js';
import { Vision, VisionError } from '../../src/server/vision/vision.js';

const vision = new Vision();
afterAll(() => vision.close());
const lines = (image: RawImage, o: LineOptions) => detectLineSegments(vision, image, o);
const warpPerspective = (image: RawImage, m: number[], w: number, h: number, i?: 'linear' | 'cubic') => warpOn(vision, image, m, w, h, i);

/** A dark image with one bright half-plane whose edge runs `deg` degrees off vertical through the centre. */
function edgeImage(width: number, height: number, deg: number): RawImage {
  const data = new Uint8Array(width * height).fill(40);
  const t = Math.tan((deg * Math.PI) / 180);
  for (let y = height / 8; y < (7 * height) / 8; y++) {
    const edge = width / 2 + (y - height / 2) * t;
    for (let x = 0; x < width; x++) data[y * width + x] = 40 + Math.round(160 * Math.min(1, Math.max(0, x + 1 - edge)));
  }
  return { data, width, height, channels: 1 };
}

describe('vision thread', () => {
  it('finds a line segment’s angle within 0.05°, though Hough works in whole pixels', async () => {
    for (const deg of [0.3, 0.5, 2]) {
      const quads = await lines(edgeImage(400, 400, deg), { canny: [30, 90], threshold: 20, minLength: 30, maxGap: 3, lean: 25 });
      expect(quads.length).toBeGreaterThan(0);
      for (let i = 0; i < quads.length; i += 4) {
        let angle = (Math.atan2(quads[i + 2]! - quads[i]!, quads[i + 3]! - quads[i + 1]!) * 180) / Math.PI;
        if (angle > 90) angle -= 180;
        if (angle < -90) angle += 180;
        expect(Math.abs(angle), `segment ${i / 4} of the ${deg}° edge`).toBeCloseTo(deg, 1);
      }
    }
    const [load] = vision.loads;
    expect(vision.started).toBe(true);
    expect(load!.loadMs).toBeGreaterThan(0);
  });

  it('warps with OpenCV’s pixel convention: a matrix moving by (2, 1) moves every pixel by (2, 1)', async () => {
    const width = 64;
    const height = 48;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
    const image: RawImage = { data, width, height, channels: 3 };
    const same = await warpPerspective(image, [1, 0, 0, 0, 1, 0, 0, 0, 1], width, height);
    expect(Buffer.from(same.data).equals(Buffer.from(data))).toBe(true);
    const moved = await warpPerspective(image, [1, 0, 2, 0, 1, 1, 0, 0, 1], width, height);
    for (const [x, y] of [[2, 1], [10, 20], [63, 47]] as const) {
      for (let c = 0; c < 3; c++) expect(moved.data[(y * width + x) * 3 + c]).toBe(data[((y - 1) * width + (x - 2)) * 3 + c]);
    }
  });

  it('works off the event loop: timers run while a 4K warp is in progress', async () => {
    const width = 3840;
    const height = 2560;
    const image: RawImage = { data: new Uint8Array(width * height * 3).fill(128), width, height, channels: 3 };
    const order: string[] = [];
    const warp = warpPerspective(image, [1, 0.01, 3, 0.002, 1, 5, 0.000001, 0.000002, 1], width, height, 'cubic').then(() => order.push('warped'));
    setImmediate(() => order.push('timer'));
    await warp;
    expect(order).toEqual(['timer', 'warped']);
  });

  it('rejects a failed operation with a VisionError naming the problem, and keeps working', async () => {
    const image: RawImage = { data: new Uint8Array(16 * 16), width: 16, height: 16, channels: 1 };
    await expect(warpPerspective(image, [1, 0, 0, 0, 1, 0, 0, 0, Number.NaN], 16, 16)).rejects.toThrow(VisionError);
    await expect(warpPerspective(image, [1, 0, 0, 0, 1, 0, 0, 0, 1], 0, 16)).rejects.toThrow(/size/);
    // Failing inside the thread: more pixels than the image's size holds.
    const failed = await lines({ ...image, width: 4, height: 4 }, { canny: [30, 90], threshold: 10, minLength: 5, maxGap: 2 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(VisionError);
    expect((failed as Error).message).toMatch(/\S/);
    expect((await warpPerspective(image, [1, 0, 0, 0, 1, 0, 0, 0, 1], 8, 8)).width).toBe(8);
  });
});
