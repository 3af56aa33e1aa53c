import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Job } from '../../src/contract/index.js';
import { expectError, fixture, json, makeBff, mintSession, req, waitForStatus } from './helpers.js';
import { bracket, ROOM, ROOM_HEIGHT, ROOM_WIDTH } from './support/brackets.js';

/**
 * `hdr-merge` on real photos. Brackets are made from a real room (a 1600×1067 photo with bright
 * windows and dark corners) the way a camera makes them: the same scene in linear light at
 * −2, 0 and +2 EV, clipped by the sensor, the +2 EV one shifted by (7, −5) px as a handheld
 * camera would.
 */
const W = ROOM_WIDTH;
const H = ROOM_HEIGHT;

/** Shares of pixels with clipped highlights (luminance ≥ 250) and crushed shadows (≤ 5), at 800 px. */
async function clipping(image: Buffer): Promise<{ clipped: number; crushed: number; both: number }> {
  const grey = await sharp(image).resize(800).greyscale().raw().toBuffer();
  let clipped = 0;
  let crushed = 0;
  for (const v of grey) {
    if (v >= 250) clipped++;
    if (v <= 5) crushed++;
  }
  return { clipped: clipped / grey.length, crushed: crushed / grey.length, both: (clipped + crushed) / grey.length };
}

/** Pearson correlation of two images' luminance at 256 px: does the output still show the scene? */
async function correlation(a: Buffer | Uint8Array, b: Buffer | Uint8Array): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).resize(256, 171, { fit: 'fill' }).greyscale().raw().toBuffer()));
  const n = x!.length;
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const p = x![i]!;
    const q = y![i]!;
    sx += p; sy += q; sxx += p * p; syy += q * q; sxy += p * q;
  }
  return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

async function uploadBuffer(bff: ReturnType<typeof makeBff>, token: string, data: Buffer): Promise<string> {
  const res = await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(data) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function run(bff: ReturnType<typeof makeBff>, token: string, ids: string[]) {
  const res = await req(bff, '/v1/jobs', { ...json({ service: 'hdr-merge', config: 'interior-modern', upload_id: ids[0], bracket_upload_ids: ids.slice(1) }), token });
  expect(res.status).toBe(201);
  const { id } = Job.parse(await res.json());
  await waitForStatus(bff, id, ['completed', 'failed'], 60_000);
  return Job.parse(await (await req(bff, `/v1/jobs/${id}`, { token })).json());
}

describe('hdr-merge', () => {
  it('fuses three handheld brackets: fewer clipped and crushed pixels than any of them, and still the scene', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const brackets = [await bracket(0), await bracket(-2), await bracket(2, [7, -5])];
    const ids = [];
    for (const b of brackets) ids.push(await uploadBuffer(bff, token, b));
    const job = await run(bff, token, ids);
    expect(job.error).toBeNull();
    expect(job.bracket_upload_ids).toEqual(ids.slice(1));
    expect(job.edit_class).toBe('technical');
    const out = job.outputs[0]!;
    expect(out.disclosure).toMatchObject({ edit_class: 'technical', required: false });
    const res = await req(bff, out.url, { origin: null });
    const output = Buffer.from(await res.arrayBuffer());
    const got = await clipping(output);
    const each = await Promise.all(brackets.map(clipping));
    for (const b of each) expect(got.both).toBeLessThan(b.both);
    // The windows: the 0 EV bracket's clipped highlights are recovered.
    expect(got.clipped).toBeLessThan(each[0]!.clipped / 4);
    expect(await correlation(output, ROOM)).toBeGreaterThan(0.85);
    console.log(
      `hdr-merge: clipped+crushed ${(got.both * 100).toFixed(2)} % (brackets ${each.map((b) => (b.both * 100).toFixed(2)).join(' / ')} %), ` +
        `clipped ${(got.clipped * 100).toFixed(2)} %, crushed ${(got.crushed * 100).toFixed(2)} %, correlation with the scene ${(await correlation(output, ROOM)).toFixed(3)}`,
    );
  }, 120_000);

  it('refuses photos of different scenes as brackets, with a clear error and no ghosts', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const other = await sharp(fixture('kitchen-render.jpg')).resize(W, H, { fit: 'fill' }).jpeg().toBuffer();
    const ids = [await uploadBuffer(bff, token, await bracket(0)), await uploadBuffer(bff, token, await bracket(-2)), await uploadBuffer(bff, token, other)];
    const job = await run(bff, token, ids);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'brackets_mismatch', retryable: false });
    expect(job.error!.message).toMatch(/do not line up as brackets of one scene/);
    expect(job.outputs).toEqual([]);
  }, 120_000);

  it('refuses, before charging, brackets of another size, too few, the same photo twice, or brackets for another service', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const a = await uploadBuffer(bff, token, await bracket(0));
    const b = await uploadBuffer(bff, token, await bracket(-2));
    const small = await uploadBuffer(bff, token, await sharp(await bracket(2)).resize(800).jpeg().toBuffer());
    const body = (over: Record<string, unknown>) => json({ service: 'hdr-merge', config: 'interior-modern', upload_id: a, ...over });
    const issue = async (res: Response, path: string, message: RegExp) => {
      const copy = res.clone();
      await expectError(res, 400, 'invalid_request');
      const { error } = (await copy.json()) as { error: { issues: Array<{ path: string; message: string }> } };
      expect(error.issues[0]!.path).toBe(path);
      expect(error.issues[0]!.message).toMatch(message);
    };
    await issue(await req(bff, '/v1/jobs', { ...body({ bracket_upload_ids: [b, small] }), token }), 'bracket_upload_ids.1', /is 800×534, but upload_id is 1600×1067/);
    await issue(await req(bff, '/v1/jobs', { ...body({ bracket_upload_ids: [b] }), token }), 'bracket_upload_ids', /3 to 7 bracketed photos in all.*2 given/);
    await issue(await req(bff, '/v1/jobs', { ...body({ bracket_upload_ids: [b, b] }), token }), 'bracket_upload_ids', /the same photo twice/);
    await issue(
      await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: a, bracket_upload_ids: [b, small] }), token }),
      'bracket_upload_ids',
      /does not take bracketed photos/,
    );
    expect((await bff.deps.store.listJobs({ subject: 'agent-1', limit: 10 })).length).toBe(0);
  }, 60_000);
});
