import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsqr from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AI_DIGITAL_SOURCE_TYPE, Catalog, Job, type JobOutput } from '../../src/contract/index.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { createStagingBff } from '../../src/server/index.js';
import { burnLabel } from '../../src/server/disclosure/label.js';
import { createRoomStackProvider } from '../../src/server/providers/roomstack/index.js';
import { startFakeRoomStack } from '../fakes/roomstack.js';
import { ADMIN_KEY, afterThisTest, BASE, expectError, fixture, json, makeBff, mintSession, req, tempDir, upload, waitForStatus } from './helpers.js';

type Bff = ReturnType<typeof makeBff>;

// jsqr is CommonJS whose typings declare a default export: the function is the module at run time.
const jsQR = ((jsqr as unknown as { default?: unknown }).default ?? jsqr) as typeof jsqr.default;

/** Runs one job to completion under a session with `profile` and returns it. */
async function finishedJob(bff: Bff, profile: string | undefined, body: Record<string, unknown>, photo = 'bedroom-furnished.jpg') {
  const { token } = await mintSession(bff, { subject: 'agent-1', ...(profile ? { disclosure_profile: profile } : {}) });
  const up = await upload(bff, token, photo);
  const created = await req(bff, '/v1/jobs', { ...json({ upload_id: up.id, ...body }), token });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const stored = await waitForStatus(bff, id, ['completed', 'failed']);
  expect(stored.error).toBeNull();
  const job = Job.parse(await (await req(bff, `/v1/jobs/${id}`, { token })).json());
  return { job, token, upload: up };
}

const staging = { service: 'virtual-staging', config: 'living-room' };
const enhancement = { service: 'render-enhancement', config: 'interior-modern' };

async function bytesOf(bff: Bff, url: string): Promise<Buffer> {
  const res = await req(bff, url, { origin: null });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** What exiftool reads from the image's XMP (it is a separate, maintained reader: not our writer). */
function exif(data: Buffer): Record<string, unknown> {
  const file = join(tempDir(), 'image');
  writeFileSync(file, data);
  const [tags] = JSON.parse(execFileSync('exiftool', ['-j', '-XMP:all', file], { encoding: 'utf8' })) as Record<string, unknown>[];
  return tags!;
}

/** Mean absolute difference of two same-size images in a region, 0–255. */
async function regionDiff(a: Buffer, b: Buffer, r: { left: number; top: number; width: number; height: number }): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((img) => sharp(img).extract(r).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}

const corner = (o: JobOutput, where: 'bottom-start' | 'bottom-end') => {
  const width = Math.round(o.width * 0.3);
  const height = Math.round(o.height * 0.1);
  return { left: where === 'bottom-start' ? 0 : o.width - width, top: o.height - height, width, height };
};

describe('edit classes', () => {
  it('every service declares one; jobs and outputs carry it', async () => {
    const bff = makeBff();
    const { token } = await mintSession(bff);
    const catalog = Catalog.parse(await (await req(bff, '/v1/services', { token })).json());
    expect(Object.fromEntries(catalog.services.map((s) => [s.id, s.edit_class]))).toEqual({
      'render-enhancement': 'technical',
      'hdr-merge': 'technical',
      upscale: 'technical',
      straighten: 'technical',
      'virtual-staging': 'material',
      'design-options': 'material',
      '3d-plans': 'material',
    });
    const { job } = await finishedJob(bff, 'ca-ab723', enhancement);
    expect(job.edit_class).toBe('technical');
    const [out] = job.outputs;
    // A technical edit needs nothing, under the strictest profile too: no label, no page, no AI mark.
    expect(out!.disclosure).toMatchObject({
      profile: 'ca-ab723', edit_class: 'technical', required: false, label: null, caption: null, burned_in: false,
      original_page_url: null, qr_url: null, digital_source_type: null, published_url: out!.url,
    });
    expect(exif(await bytesOf(bff, out!.url)).DigitalSourceType).toBeUndefined();
    // Nothing needed computer vision: its thread (and OpenCV) was never started.
    expect(out!.disclosure.structure_drift).toBeNull();
    expect(bff.deps.vision.started).toBe(false);
  });
});

describe('disclosure profiles on the local engine', () => {
  it('ca-ab723: a burned label, the original page with its QR code, and XMP', async () => {
    const bff = makeBff();
    const { job, upload: up } = await finishedJob(bff, 'ca-ab723', staging);
    expect(job.edit_class).toBe('material');
    const out = job.outputs[0]!;
    const d = out.disclosure;
    expect(d).toMatchObject({ profile: 'ca-ab723', edit_class: 'material', required: true, burned_in: true, original: 'link', label: 'Digitally altered image', digital_source_type: AI_DIGITAL_SOURCE_TYPE });
    expect(d.caption).toMatch(/digitally altered/i);
    expect(d.published_url).not.toBe(out.url);
    expect(d.original_page_url).toMatch(new RegExp(`^${BASE}/v1/originals/[A-Za-z0-9_-]{24}$`));
    expect(d.original_image_url).toBe(`${d.original_page_url}/original`);
    expect(d.qr_url).toBe(`${d.original_page_url}/qr.svg`);
    // The local engine's preview only grades the photo: its structure is intact.
    expect(d.structure_drift).toEqual({ score: 0, flagged: false, regions: [] });
    expect(bff.deps.vision.started).toBe(true);

    // The label is in the published copy's bottom-start corner, and only there; the clean output is kept.
    const clean = await bytesOf(bff, out.url);
    const published = await bytesOf(bff, d.published_url);
    expect(await regionDiff(clean, published, corner(out, 'bottom-start'))).toBeGreaterThan(20);
    expect(await regionDiff(clean, published, corner(out, 'bottom-end'))).toBeLessThan(2);

    // Both copies carry the machine-readable mark; exiftool reads it back.
    for (const image of [clean, published]) {
      const tags = exif(image);
      expect(tags.DigitalSourceType).toBe(AI_DIGITAL_SOURCE_TYPE);
      expect(String(tags.CreatorTool)).toMatch(/^staging-widget BFF \(local\)$/);
      expect(tags.Source).toBe(d.original_page_url);
      expect(tags.HistorySoftwareAgent).toBe('staging-widget BFF (local)');
    }

    // The page: public (no token), the original marked as such, beside the altered photo, no script.
    const page = await req(bff, d.original_page_url!, { origin: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<figcaption><span class="badge">Original<\/span>Original photo \(unaltered\)<\/figcaption>/);
    expect(html).toContain('A listing showed a digitally altered version of this photo');
    expect(html).not.toMatch(/<script/i);
    const path = new URL(d.original_page_url!).pathname;
    expect(html.indexOf(`src="${path}/original"`)).toBeLessThan(html.indexOf(`src="${path}/altered"`));
    expect(html).toMatch(/alt="The original, unaltered photo\."/);

    // The original is the upload as stored, byte for byte; the altered image is the published copy.
    const original = await bytesOf(bff, d.original_image_url!);
    expect(original.equals(await bytesOf(bff, up.url))).toBe(true);
    expect((await bytesOf(bff, `${d.original_page_url}/altered`)).equals(published)).toBe(true);
    const image = await req(bff, d.original_image_url!, { origin: null });
    expect(image.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(new URL(d.original_image_url!).search).toBe(''); // stable: no expiring signature

    // The QR codes (SVG and PNG) decode, with a separate reader, to the page's address.
    const svg = await bytesOf(bff, d.qr_url!);
    const png = await bytesOf(bff, `${d.original_page_url}/qr.png`);
    for (const code of [await sharp(svg, { density: 300 }).png().toBuffer(), png]) {
      const { data, info } = await sharp(code).flatten({ background: '#fff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(d.original_page_url);
    }
  }, 60_000);

  it('smartmls: a watermark on the image, no original required', async () => {
    const bff = makeBff();
    const { job } = await finishedJob(bff, 'smartmls', staging);
    const out = job.outputs[0]!;
    expect(out.disclosure).toMatchObject({ profile: 'smartmls', required: true, burned_in: true, label: 'Virtually staged', original: 'none', caption: null });
    const clean = await bytesOf(bff, out.url);
    const published = await bytesOf(bff, out.disclosure.published_url);
    expect(await regionDiff(clean, published, corner(out, 'bottom-end'))).toBeGreaterThan(20);
    expect(await regionDiff(clean, published, corner(out, 'bottom-start'))).toBeLessThan(2);
    expect(exif(published).DigitalSourceType).toBe(AI_DIGITAL_SOURCE_TYPE);
  }, 60_000);

  it('mls-now: no label and no QR code on or for the photo; the caption says it', async () => {
    const bff = makeBff();
    const { job } = await finishedJob(bff, 'mls-now', staging);
    const out = job.outputs[0]!;
    expect(out.disclosure).toMatchObject({ profile: 'mls-now', required: true, burned_in: false, qr_url: null, caption: 'Virtually staged', published_url: out.url });
    await expectError(await req(bff, out.url.replace(/\/v1\/outputs\/([^?]+)/, '/v1/outputs/$1/published'), { origin: null }), 404, 'not_found');
    // Still machine-readable: the XMP mark is not a mark on the photo.
    expect(exif(await bytesOf(bff, out.url)).DigitalSourceType).toBe(AI_DIGITAL_SOURCE_TYPE);
  }, 60_000);

  it('stellar: no words on the photo, a caption, and the remarks sentence', async () => {
    const bff = makeBff();
    const { job } = await finishedJob(bff, 'stellar', staging);
    const out = job.outputs[0]!;
    expect(out.disclosure).toMatchObject({
      profile: 'stellar', required: true, burned_in: false, qr_url: null, caption: 'Virtually staged',
      remarks: 'One or more photo(s) was virtually staged.', published_url: out.url,
    });
  }, 60_000);

  it('none (the default): no visible disclosure, but the XMP mark and the original page', async () => {
    const bff = makeBff();
    const { job } = await finishedJob(bff, undefined, staging);
    const out = job.outputs[0]!;
    expect(out.disclosure).toMatchObject({ profile: 'none', required: false, burned_in: false, label: null, caption: null, digital_source_type: AI_DIGITAL_SOURCE_TYPE });
    expect(out.disclosure.original_page_url).not.toBeNull();
  }, 60_000);
});

describe('what changed', () => {
  it("serves a heat map of an output's changes: opaque where it differs, clear where only the grade moved", async () => {
    const bff = makeBff();
    const { job } = await finishedJob(bff, 'none', staging);
    const out = job.outputs[0]!;
    const map = await bytesOf(bff, out.changes_url);
    const meta = await sharp(map).metadata();
    expect([meta.format, meta.channels, meta.width]).toEqual(['png', 4, Math.min(1024, out.width)]);
    // The local engine's preview is a global grade: nothing much is marked.
    const { channels } = await sharp(map).stats();
    expect(channels[3]!.mean).toBeLessThan(10);
    // Made once, then served from the blob store (the same bytes).
    expect((await bytesOf(bff, out.changes_url)).equals(map)).toBe(true);
  }, 60_000);

  it('marks a wall patched over a window, and not the untouched rest', async () => {
    const { changeMap } = await import('../../src/server/disclosure/change-map.js');
    const room = fixture('living-room-fireplace-1600.jpg');
    const [r, g, b] = await sharp(room).extract({ left: 850, top: 200, width: 10, height: 10 }).resize(1, 1).raw().toBuffer();
    const patch = await sharp({ create: { width: 173, height: 187, channels: 3, background: { r: r!, g: g!, b: b! } } }).png().toBuffer();
    const patched = await sharp(room).composite([{ input: patch, left: 900, top: 240 }]).modulate({ brightness: 1.08 }).jpeg({ quality: 90 }).toBuffer();
    const map = await changeMap(room, patched);
    // stats() reads its input, not a pipeline: cut the region out first.
    const alphaMean = async (region: { left: number; top: number; width: number; height: number }) =>
      (await sharp(await sharp(map).extract(region).png().toBuffer()).stats()).channels[3]!.mean;
    // The map is 1024 px wide: the window is at 576–686 × 154–273 there.
    expect(await alphaMean({ left: 590, top: 170, width: 80, height: 90 })).toBeGreaterThan(60);
    expect(await alphaMean({ left: 0, top: 300, width: 500, height: 300 })).toBeLessThan(5);
  }, 60_000);
});

describe('the original page over time', () => {
  it('the host withdraws it with the admin key; then it and its images are gone (410)', async () => {
    const bff = makeBff();
    const { job, token } = await finishedJob(bff, 'ca-ab723', staging);
    const d = job.outputs[0]!.disclosure;
    const id = new URL(d.original_page_url!).pathname.split('/').pop()!;
    // Not with a widget token, not without a key.
    await expectError(await req(bff, `/v1/originals/${id}`, { method: 'DELETE', token }), 401, 'unauthorized');
    await expectError(await req(bff, `/v1/originals/${id}`, { method: 'DELETE', origin: null }), 401, 'unauthorized');
    const withdraw = () => req(bff, `/v1/originals/${id}`, { method: 'DELETE', origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await withdraw()).status).toBe(204);
    expect((await withdraw()).status).toBe(204);
    const page = await req(bff, d.original_page_url!, { origin: null });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('withdrawn');
    for (const url of [d.original_image_url!, `${d.original_page_url}/altered`, d.qr_url!, `${d.original_page_url}/qr.png`]) {
      await expectError(await req(bff, url, { origin: null }), 410, 'original_withdrawn');
    }
  }, 60_000);

  it('an unknown or malformed page id is a plain 404', async () => {
    const bff = makeBff();
    expect((await req(bff, '/v1/originals/AAAAAAAAAAAAAAAAAAAAAAAA', { origin: null })).status).toBe(404);
    await expectError(await req(bff, '/v1/originals/AAAAAAAAAAAAAAAAAAAAAAAA/original', { origin: null }), 404, 'not_found');
    await expectError(await req(bff, '/v1/originals/short/qr.svg', { origin: null }), 404, 'not_found');
    await expectError(
      await req(bff, '/v1/originals/AAAAAAAAAAAAAAAAAAAAAAAA', { method: 'DELETE', origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } }),
      404,
      'not_found',
    );
  });
});

describe('choosing a profile', () => {
  it('refuses an unknown profile name for a session, naming the field and the known ones', async () => {
    const bff = makeBff();
    const res = await req(bff, '/v1/sessions', {
      ...json({ subject: 'a', disclosure_profile: 'texas' }, { Authorization: `Bearer ${ADMIN_KEY}` }),
      origin: null,
    });
    const body = (await res.clone().json()) as { error: { issues: { path: string; message: string }[] } };
    await expectError(res, 400, 'invalid_request');
    expect(body.error.issues[0]).toMatchObject({ path: 'disclosure_profile' });
    expect(body.error.issues[0]!.message).toMatch(/ca-ab723.*stellar/);
  });

  it('STAGING_DISCLOSURE_PROFILE sets the default; an unknown name or a bad profiles file stops the start', () => {
    const env = { STAGING_DEV: '1' };
    expect(loadConfig({ ...env, STAGING_DISCLOSURE_PROFILE: 'stellar' }).disclosure.defaultProfile).toBe('stellar');
    expect(() => loadConfig({ ...env, STAGING_DISCLOSURE_PROFILE: 'texas' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, STAGING_DISCLOSURE_PROFILE: 'texas' })).toThrow(/STAGING_DISCLOSURE_PROFILE="texas" is not a disclosure profile; use one of none, ca-ab723/);
    const bad = join(tempDir(), 'profiles.json');
    writeFileSync(bad, JSON.stringify([{ id: 'x', name: 'X', source_url: 'not a url', checked_at: '2026-12-04', material: {} }]));
    expect(() => loadConfig({ ...env, STAGING_DISCLOSURE_PROFILES: bad })).toThrow(/STAGING_DISCLOSURE_PROFILES=".*" is not a list of disclosure profiles: 0\.source_url/);
    const contradictory = join(tempDir(), 'profiles.json');
    writeFileSync(contradictory, JSON.stringify([{ ...houseProfile, material: { ...houseProfile.material, marks_forbidden: true } }]));
    expect(() => loadConfig({ ...env, STAGING_DISCLOSURE_PROFILES: contradictory })).toThrow(/cannot both burn a label and forbid marks/);
  });

  it("a host's own profile from STAGING_DISCLOSURE_PROFILES is offered and applied", async () => {
    const file = join(tempDir(), 'profiles.json');
    writeFileSync(file, JSON.stringify([houseProfile]));
    const config = loadConfig({ STAGING_DEV: '1', STAGING_DISCLOSURE_PROFILES: file, STAGING_DISCLOSURE_PROFILE: 'house' });
    const bff = makeBff({ disclosure: config.disclosure });
    const { job } = await finishedJob(bff, undefined, staging);
    expect(job.outputs[0]!.disclosure).toMatchObject({ profile: 'house', burned_in: true, label: 'Staged', caption: 'Furniture added digitally.', qr_url: null });
    expect(() => createStagingBff({ dev: true, store: 'memory', dataDir: join(tempDir(), 'b'), disclosure: { defaultProfile: 'nope' } })).toThrow(ConfigError);
  }, 60_000);
});

const houseProfile = {
  id: 'house',
  name: 'House rule',
  source_url: 'https://www.example.com/rules',
  checked_at: '2026-12-01',
  material: {
    burn_label: { text: 'Staged', placement: 'top-end', size: 0.03 },
    marks_forbidden: false,
    label: 'Staged',
    caption: 'Furniture added digitally.',
    remarks: null,
    original: 'link',
    qr_allowed: false,
  },
};

describe('the burned label', () => {
  /** WCAG relative luminance of an sRGB pixel. */
  const luminance = (r: number, g: number, b: number) => {
    const c = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };

  for (const [name, width, height] of [['2K', 2048, 1366], ['4K', 3840, 2560]] as const) {
    for (const background of ['#ffffff', '#000000', '#9a8a70']) {
      it(`is legible at ${name} on ${background}: text height ≥ 2.5 % of the short side, contrast ≥ 4.5:1`, async () => {
        const photo = sharp({ create: { width, height, channels: 3, background } });
        const { image, box } = await burnLabel(photo, width, height, { text: 'Virtually staged', placement: 'bottom-start', size: 0.035 });
        expect(box.textHeight).toBeGreaterThanOrEqual(Math.min(width, height) * 0.025);
        expect(box.left).toBeGreaterThan(0);
        expect(box.top + box.height).toBeLessThan(height);
        // Composite runs last in a sharp pipeline: render the labelled photo, then cut the plate out of it.
        const labelled = await image.png().toBuffer();
        const { data, info } = await sharp(labelled).extract(box).raw().toBuffer({ resolveWithObject: true });
        const lum: number[] = [];
        for (let i = 0; i < data.length; i += info.channels) lum.push(luminance(data[i]!, data[i + 1]!, data[i + 2]!));
        lum.sort((a, b) => a - b);
        // The plate (most pixels) against the text's brightest strokes.
        const plate = lum[Math.floor(lum.length * 0.5)]!;
        const ink = lum[Math.floor(lum.length * 0.995)]!;
        expect((ink + 0.05) / (plate + 0.05)).toBeGreaterThanOrEqual(4.5);
      });
    }
  }
});

describe('through a provider whose outputs are material (fake RoomStack, its documented contract)', () => {
  const expected = {
    'ca-ab723': { burned_in: true, qr: true, label: 'Digitally altered image', remarks: null },
    smartmls: { burned_in: true, qr: true, label: 'Virtually staged', remarks: null },
    'mls-now': { burned_in: false, qr: false, label: 'Virtually staged', remarks: null },
    stellar: { burned_in: false, qr: false, label: 'Virtually staged', remarks: 'One or more photo(s) was virtually staged.' },
  } as const;
  for (const [profile, want] of Object.entries(expected)) {
    it(`${profile}: a generated room is labelled or not as the profile says, marked in XMP, and linked to its original`, async () => {
      const rs = await startFakeRoomStack({ stepMs: 20 });
      afterThisTest(() => rs.close());
      const provider = createRoomStackProvider({
        baseUrl: `${rs.url}/api/v1`,
        apiKey: rs.apiKey,
        webhookSecret: null,
        publicUrl: BASE,
        pollIntervalMs: 30,
        retry: { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 5000 },
      });
      afterThisTest(() => provider.close?.());
      const bff = makeBff({ providerInstance: provider });
      const { job } = await finishedJob(bff, profile, { service: 'generate', config: 'living_room' }, 'living-room-render.jpg');
      expect(job.edit_class).toBe('material');
      const out = job.outputs[0]!;
      expect(out.disclosure).toMatchObject({ profile, edit_class: 'material', required: true, burned_in: want.burned_in, label: want.label, remarks: want.remarks, digital_source_type: AI_DIGITAL_SOURCE_TYPE });
      expect(out.disclosure.qr_url !== null).toBe(want.qr);
      expect(out.disclosure.published_url === out.url).toBe(!want.burned_in);
      const tags = exif(await bytesOf(bff, out.disclosure.published_url));
      expect(tags.DigitalSourceType).toBe(AI_DIGITAL_SOURCE_TYPE);
      expect(tags.CreatorTool).toBe('staging-widget BFF (roomstack)');
      expect((await req(bff, out.disclosure.original_page_url!, { origin: null })).status).toBe(200);
      expect(out.disclosure.structure_drift).not.toBeNull();
    }, 60_000);
  }
});
