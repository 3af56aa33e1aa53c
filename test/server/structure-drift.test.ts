import sharp, { type Sharp } from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStructureDrift } from '../../src/server/disclosure/drift-check.js';
import { Vision } from '../../src/server/vision/vision.js';
import { BlobStore } from '../../src/server/blobs.js';
import { DisclosureProfiles } from '../../src/server/disclosure/profiles.js';
import { DisclosurePublisher } from '../../src/server/disclosure/publisher.js';
import { silentLogger } from '../../src/server/logger.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { JobRecord } from '../../src/server/store/types.js';
import { fixture, tempDir } from './temp-dir.js';

/**
 * The structure-drift check on a real photo (a living room with two windows, a door and a
 * fireplace, 1600×1067), against outputs made here so what changed is known.
 */
const vision = new Vision();
afterAll(() => vision.close());

const ROOM = fixture('living-room-fireplace-1600.jpg');
/** The small window right of the TV, with its frame. */
const WINDOW = { left: 900, top: 240, width: 173, height: 187 };

async function wallPatchOverWindow(): Promise<Buffer> {
  // The wall's own colour, sampled just left of the window.
  const [r, g, b] = await sharp(ROOM).extract({ left: 850, top: 200, width: 10, height: 10 }).resize(1, 1).raw().toBuffer();
  const patch = await sharp({ create: { width: WINDOW.width, height: WINDOW.height, channels: 3, background: { r: r!, g: g!, b: b! } } }).png().toBuffer();
  return sharp(ROOM).composite([{ input: patch, left: WINDOW.left, top: WINDOW.top }]).jpeg({ quality: 90 }).toBuffer();
}

describe('structure drift', () => {
  it('flags a wall-coloured patch over a window, where the window was', async () => {
    const result = await checkStructureDrift(vision, ROOM, await wallPatchOverWindow(), null);
    expect(result.flagged).toBe(true);
    expect(result.score).toBeGreaterThan(0.005);
    // Every region it names overlaps the window; the window is covered by them.
    const W = 1600;
    const H = 1067;
    for (const r of result.regions) {
      const overlapX = Math.min(r.x + r.width, (WINDOW.left + WINDOW.width) / W) - Math.max(r.x, WINDOW.left / W);
      const overlapY = Math.min(r.y + r.height, (WINDOW.top + WINDOW.height) / H) - Math.max(r.y, WINDOW.top / H);
      expect(overlapX > 0 && overlapY > 0).toBe(true);
    }
    expect(result.regions.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('passes the same patch inside the painted mask: that change was asked for', async () => {
    const mask = await sharp({ create: { width: 1600, height: 1067, channels: 3, background: '#000' } })
      .composite([{ input: { create: { width: WINDOW.width + 60, height: WINDOW.height + 60, channels: 3, background: '#fff' } }, left: WINDOW.left - 30, top: WINDOW.top - 30 }])
      .png()
      .toBuffer();
    const result = await checkStructureDrift(vision, ROOM, await wallPatchOverWindow(), mask);
    expect(result).toMatchObject({ flagged: false, regions: [] });
  }, 60_000);

  const grades: Array<[string, (s: Sharp) => Sharp]> = [
    ['warmer and brighter', (s) => s.modulate({ brightness: 1.08, saturation: 1.2 }).linear(1.1, -8).tint({ r: 255, g: 244, b: 230 })],
    ['strong contrast', (s) => s.modulate({ brightness: 1.15, saturation: 1.3 }).linear(1.2, -15)],
    ['cooler and darker', (s) => s.recomb([[0.9, 0, 0], [0, 1, 0], [0, 0, 1.15]]).gamma(1.3)],
    ['re-encoded at quality 70', (s) => s],
  ];
  for (const [name, grade] of grades) {
    it(`passes a pure colour grade: ${name}`, async () => {
      const output = await grade(sharp(ROOM)).jpeg({ quality: 70 }).toBuffer();
      expect(await checkStructureDrift(vision, ROOM, output, null)).toEqual({ score: 0, flagged: false, regions: [] });
    }, 60_000);
  }

  it('passes staged furniture that leaves the walls alone (a sofa composited onto the floor)', async () => {
    const sofa = await sharp(fixture('sofa-clipart-transparent.png')).resize(480).png().toBuffer();
    const staged = await sharp(ROOM).composite([{ input: sofa, left: 470, top: 700 }]).jpeg({ quality: 90 }).toBuffer();
    expect(await checkStructureDrift(vision, ROOM, staged, null)).toMatchObject({ flagged: false, regions: [] });
  }, 60_000);
});

describe('a material output that erased a window', () => {
  it('carries the flag, its score and the regions in its disclosure record, and still gets its page and mark', async () => {
    const store = new MemoryStore();
    const blobs = new BlobStore(tempDir());
    await blobs.put('uploads/upl_room.jpg', Buffer.from(ROOM));
    await store.createUpload({ id: 'upl_room', subject: 'a', sessionId: 'ses_1', blobKey: 'uploads/upl_room.jpg', contentType: 'image/jpeg', bytes: ROOM.byteLength, width: 1600, height: 1067, createdAt: new Date().toISOString() });
    const publisher = new DisclosurePublisher({ profiles: new DisclosureProfiles(), blobs, store, publicUrl: 'https://bff.example', providerName: 'test', vision, logger: silentLogger });
    const job = { id: 'job_1', subject: 'a', uploadId: 'upl_room', maskUploadId: null, editClass: 'material', disclosureProfile: 'ca-ab723' } as JobRecord;
    const patched = await wallPatchOverWindow();
    const { disclosure } = await publisher.prepare(job, 'out_1', { data: patched, contentType: 'image/jpeg', width: 1600, height: 1067 });
    expect(disclosure.drift?.flagged).toBe(true);
    expect(disclosure.drift!.regions.length).toBeGreaterThanOrEqual(1);
    expect(disclosure.pageId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(disclosure.publishedBlobKey).toBe('outputs/out_1-published.jpg');
  }, 60_000);
});
