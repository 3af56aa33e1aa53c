import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Service } from '../../src/contract/index.js';
import {
  attemptOf,
  createLocalProvider,
  parseLocalFailure,
  type LocalEngineOptions,
} from '../../src/server/providers/local/index.js';
import { maskFeather } from '../../src/server/providers/local/pipelines.js';
import { ProviderJobError, type ExecutionContext } from '../../src/server/providers/types.js';
import { rejectionOf } from './support/rejections.js';
import { taskOf } from './support/local-task.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));
const LIVING = fixture('living-room-render.jpg'); // 1600×960
const KITCHEN = fixture('kitchen-render.jpg'); // 1600×900, strongly warm
const BEDROOM = fixture('bedroom-furnished.jpg');
const SOFA = fixture('sofa-clipart-transparent.png'); // 1200×1123 with alpha

const NO_DELAYS: LocalEngineOptions = { timing: { compressingMs: 0, processingMs: 0, tickMs: 10 } };

interface Recorded {
  ctx: ExecutionContext;
  calls: Array<{ status: 'compressing' | 'processing'; progress: number; at: number }>;
}

function contextOf(signal: AbortSignal = new AbortController().signal, onProgress?: (status: string) => void): Recorded {
  const calls: Recorded['calls'] = [];
  return {
    calls,
    ctx: {
      signal,
      progress(status, progress) {
        calls.push({ status, progress, at: performance.now() });
        onProgress?.(status);
      },
      savedState: null,
      saveState: async () => undefined,
      webhook: async () => false,
    },
  };
}

/** Decoded 8-bit RGB pixels. */
async function pixels(data: Buffer) {
  const { data: px, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { px, width: info.width, height: info.height };
}

/** The input as the engine sees it before any enhancement: upright, resized to the output size. */
async function resizedOriginal(data: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(data).resize({ width, height, fit: 'fill', kernel: 'lanczos3' }).removeAlpha().raw().toBuffer();
}

/** Mean absolute difference per channel value over columns [x0, x1). */
function meanAbsDiff(a: Buffer, b: Buffer, width: number, height: number, x0 = 0, x1 = width): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c]! - b[i + c]!);
      n += 3;
    }
  }
  return sum / n;
}

async function channelMeans(data: Buffer): Promise<[number, number, number]> {
  const { channels } = await sharp(data).stats();
  return [channels[0]!.mean, channels[1]!.mean, channels[2]!.mean];
}

async function lumaStdev(data: Buffer): Promise<number> {
  const { channels } = await sharp(await sharp(data).greyscale().toBuffer()).stats();
  return channels[0]!.stdev;
}

const isJpeg = (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));


describe('local engine catalog', () => {
  it('offers Lumely’s four services plus upscale, HDR merge and straighten, each valid against the contract', async () => {
    const services = await createLocalProvider(NO_DELAYS).services();
    for (const s of services) expect(() => Service.parse(s), s.id).not.toThrow();
    expect(services.map((s) => s.id)).toEqual(['render-enhancement', 'virtual-staging', 'design-options', '3d-plans', 'upscale', 'straighten', 'hdr-merge']);

    const byId = Object.fromEntries(services.map((s) => [s.id, s]));
    expect(Object.fromEntries(services.map((s) => [s.id, s.preview_only]))).toEqual({
      'render-enhancement': false,
      'hdr-merge': false,
      'virtual-staging': true,
      'design-options': true,
      '3d-plans': true,
      upscale: false,
      straighten: false,
    });
    expect(byId['render-enhancement']!.configs.map((c) => c.id)).toEqual([
      'exterior-modern',
      'exterior-traditional',
      'interior-modern',
      'interior-traditional',
      'interior-minimalist',
      'landscape',
      'aerial',
    ]);
    expect(byId['virtual-staging']!.configs.map((c) => c.id)).toEqual(['living-room', 'bedroom', 'kitchen', 'dining-room', 'office', 'bathroom']);
    expect(byId['3d-plans']!.configs.map((c) => c.id)).toEqual(['residential', 'commercial', 'office']);
    expect(byId['render-enhancement']!.credits).toEqual({ '2K': 2, '4K': 3 });
    expect(byId.upscale!.credits).toEqual({ '2K': 1, '4K': 2 });
    expect(byId.straighten!.credits).toEqual({ '2K': 1, '4K': 2 });
    expect(byId.straighten!.configs.map((c) => c.id)).toEqual(['auto', 'full']);
    expect(byId.straighten!.inputs).toMatchObject({ mask: false, reference_image: false, prompt: false, location: false, variants: { min: 1, max: 1 } });
    // Render enhancement can straighten first; off unless asked.
    expect(byId['render-enhancement']!.options.find((o) => o.key === 'straighten')).toMatchObject({ type: 'enum', default: 'off', values: [{ value: 'off' }, { value: 'auto' }, { value: 'full' }] });
    expect(byId['design-options']!.inputs.variants).toEqual({ min: 1, max: 4 });
    expect(byId['virtual-staging']!.inputs).toMatchObject({ mask: true, reference_image: true, prompt: true, location: true });
    expect(byId['render-enhancement']!.inputs).toMatchObject({ mask: true, reference_image: false, prompt: true });
    expect(byId.upscale!.inputs.location).toBe(false);
    expect(byId['virtual-staging']!.options.map((o) => o.key)).toEqual(['style', 'lighting', 'flooring']);
    for (const s of services) {
      expect(s.resolutions).toEqual(['2K', '4K']);
      for (const c of s.configs) expect(c.name.length).toBeGreaterThan(2);
    }
  });

  it('hands out copies, so a caller cannot change the engine’s catalog', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const first = await provider.services();
    first[0]!.configs.length = 0;
    expect((await provider.services())[0]!.configs.length).toBe(7);
  });
});

describe('render enhancement', () => {
  it('really changes the photo: more contrast, a more neutral balance, a 2048 px long side, no metadata', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const [out] = await provider.execute(await taskOf(KITCHEN, { config: 'interior-modern' }), contextOf().ctx);
    expect(out).toMatchObject({ contentType: 'image/jpeg', width: 2048, height: 1152, localPreview: false });
    expect(isJpeg(out!.data)).toBe(true);
    const meta = await sharp(out!.data).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1152]);
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();

    const original = await sharp(KITCHEN).resize({ width: 2048, height: 1152, fit: 'fill' }).jpeg({ quality: 95 }).toBuffer();
    expect(await lumaStdev(out!.data)).toBeGreaterThan((await lumaStdev(original)) * 1.05);
    // The kitchen render is strongly yellow: grey-world balance narrows the red–blue gap.
    const [r0, , b0] = await channelMeans(original);
    const [r1, , b1] = await channelMeans(out!.data);
    expect(r1 - b1).toBeLessThan((r0 - b0) * 0.9);
    const a = await pixels(out!.data);
    expect(meanAbsDiff(a.px, await resizedOriginal(KITCHEN, 2048, 1152), 2048, 1152)).toBeGreaterThan(8);
  });

  it('outputs a 3840 px long side at 4K, keeping a portrait aspect ratio', async () => {
    const portrait = await sharp(LIVING).rotate(90).jpeg().toBuffer(); // 960×1600
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(portrait, { resolution: '4K' }), contextOf().ctx);
    expect([out!.width, out!.height]).toEqual([2304, 3840]);
    const meta = await sharp(out!.data).metadata();
    expect([meta.width, meta.height]).toEqual([2304, 3840]);
  });

  it('grades per config: the same photo comes out differently for different configs', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const [modern] = await provider.execute(await taskOf(BEDROOM, { config: 'exterior-modern' }), contextOf().ctx);
    const [traditional] = await provider.execute(await taskOf(BEDROOM, { config: 'interior-traditional' }), contextOf().ctx);
    const [rm, , bm] = await channelMeans(modern!.data);
    const [rt, , bt] = await channelMeans(traditional!.data);
    // exterior-modern is cool, interior-traditional warm.
    expect(rt - bt).toBeGreaterThan(rm - bm + 3);
  });

  it('changes only the masked area; unmasked pixels stay those of the resized original', async () => {
    // White left half = change, black right half = keep; at the photo's native size.
    const W0 = 1600;
    const H0 = 960;
    const mask = await sharp({ create: { width: W0, height: H0, channels: 3, background: '#000000' } })
      .composite([{ input: { create: { width: W0 / 2, height: H0, channels: 3, background: '#ffffff' } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(LIVING, { mask }), contextOf().ctx);
    expect([out!.width, out!.height]).toEqual([2048, 1229]);
    const a = await pixels(out!.data);
    const original = await resizedOriginal(LIVING, 2048, 1229);
    const margin = maskFeather(2048, 1229).reach + 8; // the feather's reach plus JPEG blocks at the edge
    const outside = meanAbsDiff(a.px, original, 2048, 1229, 1024 + margin, 2048);
    const inside = meanAbsDiff(a.px, original, 2048, 1229, 0, 1024 - margin);
    expect(outside).toBeLessThan(2); // JPEG re-encoding only
    expect(inside).toBeGreaterThan(5);
  });

  it('accepts a mask in another format and size: white strokes on transparency, smaller than the photo', async () => {
    const mask = await sharp({ create: { width: 400, height: 240, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: { create: { width: 200, height: 240, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } }, left: 200, top: 0 }])
      .png()
      .toBuffer();
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(LIVING, { mask }), contextOf().ctx);
    const a = await pixels(out!.data);
    const original = await resizedOriginal(LIVING, 2048, 1229);
    const margin = maskFeather(2048, 1229).reach + 8;
    expect(meanAbsDiff(a.px, original, 2048, 1229, 0, 1024 - margin)).toBeLessThan(2); // transparent = keep
    expect(meanAbsDiff(a.px, original, 2048, 1229, 1024 + margin, 2048)).toBeGreaterThan(5);
  });

  it('keeps transparency: an input with alpha comes out as PNG with its alpha', async () => {
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(SOFA), contextOf().ctx);
    expect(out).toMatchObject({ contentType: 'image/png', width: 2048, height: 1917 });
    expect(isPng(out!.data)).toBe(true);
    const meta = await sharp(out!.data).metadata();
    expect(meta.hasAlpha).toBe(true);
    const alphaOut = await sharp(out!.data).extractChannel(3).raw().toBuffer();
    const alphaIn = await sharp(SOFA).resize({ width: 2048, height: 1917, fit: 'fill' }).extractChannel(3).raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < alphaIn.length; i++) diff += Math.abs(alphaOut[i]! - alphaIn[i]!);
    expect(diff / alphaIn.length).toBeLessThan(0.5);
    const { channels } = await sharp(out!.data).stats();
    expect(channels[3]!.min).toBe(0); // still transparent around the sofa
  });
});

describe('upscale', () => {
  it('resizes to the long side of the resolution, staying faithful to the photo', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const [twoK] = await provider.execute(await taskOf(LIVING, { service: 'upscale', config: 'standard' }), contextOf().ctx);
    expect(twoK).toMatchObject({ width: 2048, height: 1229, contentType: 'image/jpeg', localPreview: false });
    const [fourK] = await provider.execute(await taskOf(LIVING, { service: 'upscale', config: 'standard', resolution: '4K' }), contextOf().ctx);
    expect(fourK).toMatchObject({ width: 3840, height: 2304 });
    const meta = await sharp(fourK!.data).metadata();
    expect([meta.width, meta.height]).toEqual([3840, 2304]);
    // An upscale sharpens but does not grade.
    const a = await pixels(twoK!.data);
    const diff = meanAbsDiff(a.px, await resizedOriginal(LIVING, 2048, 1229), 2048, 1229);
    expect(diff).toBeGreaterThan(0.2);
    expect(diff).toBeLessThan(4);
  });

  it('sharpens more with the detail config', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const [standard] = await provider.execute(await taskOf(BEDROOM, { service: 'upscale', config: 'standard' }), contextOf().ctx);
    const [detail] = await provider.execute(await taskOf(BEDROOM, { service: 'upscale', config: 'detail' }), contextOf().ctx);
    const s = await sharp(standard!.data).stats();
    const d = await sharp(detail!.data).stats();
    expect(d.sharpness).toBeGreaterThan(s.sharpness * 1.05);
  });

  it('keeps alpha as PNG', async () => {
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(SOFA, { service: 'upscale', config: 'standard' }), contextOf().ctx);
    expect(out).toMatchObject({ contentType: 'image/png', width: 2048, height: 1917 });
    expect((await sharp(out!.data).metadata()).hasAlpha).toBe(true);
  });
});

describe('generative services (graded previews)', () => {
  it('virtual staging returns one graded preview, marked as such', async () => {
    const outputs = await createLocalProvider(NO_DELAYS).execute(
      await taskOf(BEDROOM, { service: 'virtual-staging', config: 'living-room', prompt: 'Scandinavian, oak floor' }),
      contextOf().ctx,
    );
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ localPreview: true, contentType: 'image/jpeg' });
    expect(Math.max(outputs[0]!.width, outputs[0]!.height)).toBe(2048);
    const meta = await sharp(BEDROOM).metadata();
    const a = await pixels(outputs[0]!.data);
    expect(meanAbsDiff(a.px, await resizedOriginal(BEDROOM, a.width, a.height), a.width, a.height)).toBeGreaterThan(2);
    expect(a.width / a.height).toBeCloseTo(meta.width / meta.height, 2);
  });

  it('3d plans are previews too', async () => {
    const [out] = await createLocalProvider(NO_DELAYS).execute(await taskOf(LIVING, { service: '3d-plans', config: 'residential' }), contextOf().ctx);
    expect(out).toMatchObject({ localPreview: true, width: 2048, height: 1229 });
  });

  it('design options returns one visibly different preview per variant', async () => {
    const outputs = await createLocalProvider(NO_DELAYS).execute(
      await taskOf(KITCHEN, { service: 'design-options', config: 'interior-modern', variants: 3 }),
      contextOf().ctx,
    );
    expect(outputs).toHaveLength(3);
    const decoded = await Promise.all(outputs.map((o) => pixels(o.data)));
    for (const o of outputs) expect(o).toMatchObject({ localPreview: true, width: 2048, height: 1152 });
    for (let i = 0; i < decoded.length; i++) {
      for (let j = i + 1; j < decoded.length; j++) {
        expect(meanAbsDiff(decoded[i]!.px, decoded[j]!.px, 2048, 1152), `variants ${i} and ${j}`).toBeGreaterThan(3);
      }
    }
  });

  it('never makes more variants than the catalog allows', async () => {
    const outputs = await createLocalProvider(NO_DELAYS).execute(
      await taskOf(LIVING, { service: 'design-options', config: 'landscape', variants: 8 }),
      contextOf().ctx,
    );
    expect(outputs).toHaveLength(4);
  });

  it('scene options move the grade: warm lighting is warmer than cool lighting', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const run = async (lighting: string) =>
      channelMeans((await provider.execute(await taskOf(LIVING, { service: 'virtual-staging', config: 'office', options: { lighting } }), contextOf().ctx))[0]!.data);
    const [rw, , bw] = await run('warm');
    const [rc, , bc] = await run('cool');
    expect(rw - bw).toBeGreaterThan(rc - bc + 8);
  });

  it('a style reference pulls the colours towards it', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const task = { service: 'virtual-staging', config: 'office' } as const;
    const [plain] = await provider.execute(await taskOf(LIVING, task), contextOf().ctx);
    const [referenced] = await provider.execute(await taskOf(LIVING, { ...task, reference: KITCHEN }), contextOf().ctx);
    const [rp, , bp] = await channelMeans(plain!.data);
    const [rr, , br] = await channelMeans(referenced!.data);
    expect(rr - br).toBeGreaterThan(rp - bp + 3); // the kitchen reference is warm
  });
});

describe('lifecycle', () => {
  it('reports compressing then processing, with progress that only rises', async () => {
    const provider = createLocalProvider({ timing: { compressingMs: 60, processingMs: 300, tickMs: 20 } });
    const { ctx, calls } = contextOf();
    await provider.execute(await taskOf(LIVING, { service: 'virtual-staging', config: 'bedroom' }), ctx);
    const statuses = calls.map((c) => c.status);
    const firstProcessing = statuses.indexOf('processing');
    expect(firstProcessing).toBeGreaterThan(0);
    expect(statuses.slice(0, firstProcessing).every((s) => s === 'compressing')).toBe(true);
    expect(statuses.slice(firstProcessing).every((s) => s === 'processing')).toBe(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.progress).toBeGreaterThan(calls[i - 1]!.progress);
    expect(calls[firstProcessing - 1]!.progress).toBeCloseTo(0.1, 5);
    expect(calls.length - firstProcessing).toBeGreaterThan(4); // ticks while the delay runs
    expect(calls.at(-1)!.progress).toBeCloseTo(0.95, 5);
  });

  it('stops promptly when cancelled during processing, rejecting with the signal’s reason', async () => {
    const provider = createLocalProvider({ timing: { compressingMs: 0, processingMs: 10_000, tickMs: 50 } });
    const controller = new AbortController();
    let processing!: () => void;
    const reachedProcessing = new Promise<void>((resolve) => (processing = resolve));
    const { ctx, calls } = contextOf(controller.signal, (status) => status === 'processing' && processing());
    const started = performance.now();
    const run = provider.execute(await taskOf(LIVING), ctx);
    await reachedProcessing;
    await new Promise((r) => setTimeout(r, 100));
    const reason = new Error('cancelled by the test');
    const abortedAt = performance.now();
    controller.abort(reason);
    expect(await rejectionOf(run)).toBe(reason);
    expect(performance.now() - abortedAt).toBeLessThan(250);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Nothing is reported after the cancellation.
    const reportedAfter = calls.filter((c) => c.at > abortedAt);
    await new Promise((r) => setTimeout(r, 150));
    expect(calls.filter((c) => c.at > abortedAt)).toEqual(reportedAfter);
    expect(reportedAfter).toEqual([]);
  });

  it('stops in the middle of the pixel work without waiting for sharp', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const controller = new AbortController();
    let processing!: () => void;
    const reachedProcessing = new Promise<void>((resolve) => (processing = resolve));
    const { ctx, calls } = contextOf(controller.signal, (status) => status === 'processing' && processing());
    const run = provider.execute(await taskOf(KITCHEN, { resolution: '4K' }), ctx);
    await reachedProcessing;
    await new Promise((r) => setTimeout(r, 30));
    const abortedAt = performance.now();
    const reason = new Error('cancelled mid-pipeline');
    controller.abort(reason);
    expect(await rejectionOf(run)).toBe(reason);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(calls.at(-1)!.progress).toBeLessThan(0.95);
    // The stage sharp was running finishes in the background; no report follows it.
    const count = calls.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls.length).toBe(count);
  });

  it('stops during the compressing delay and refuses to start when already cancelled', async () => {
    const provider = createLocalProvider({ timing: { compressingMs: 10_000, processingMs: 0, tickMs: 50 } });
    const controller = new AbortController();
    const { ctx, calls } = contextOf(controller.signal);
    const run = provider.execute(await taskOf(LIVING), ctx);
    setTimeout(() => controller.abort(new Error('stop')), 80);
    const err = await rejectionOf(run);
    expect((err as Error).message).toBe('stop');
    expect(calls.every((c) => c.status === 'compressing')).toBe(true);

    const already = new AbortController();
    already.abort(new Error('too late'));
    expect(((await rejectionOf(provider.execute(await taskOf(LIVING), contextOf(already.signal).ctx))) as Error).message).toBe('too late');
  });
});

describe('failures', () => {
  it('injects a failure at the configured stage, on every attempt', async () => {
    const provider = createLocalProvider({ ...NO_DELAYS, failure: { when: 'always', at: 'compressing' } });
    for (const key of ['job_a:1', 'job_a:2']) {
      const { ctx, calls } = contextOf();
      const err = await rejectionOf(provider.execute(await taskOf(LIVING, { idempotencyKey: key }), ctx));
      expect(err).toBeInstanceOf(ProviderJobError);
      expect((err as ProviderJobError).toJobError()).toMatchObject({ code: 'provider_error', retryable: true });
      expect(calls.map((c) => c.status)).toEqual(['compressing']);
    }
  });

  it('first-attempt failures let the retry through', async () => {
    const provider = createLocalProvider({
      ...NO_DELAYS,
      failure: { when: 'first-attempt', at: 'processing', code: 'provider_unavailable', message: 'Simulated outage.', retryable: true },
    });
    const { ctx, calls } = contextOf();
    const err = (await rejectionOf(provider.execute(await taskOf(LIVING, { service: 'upscale', config: 'standard', idempotencyKey: 'job_b:1' }), ctx))) as ProviderJobError;
    expect(err.toJobError()).toEqual({ code: 'provider_unavailable', message: 'Simulated outage.', retryable: true });
    expect(calls.at(-1)!.status).toBe('processing');
    const outputs = await provider.execute(await taskOf(LIVING, { service: 'upscale', config: 'standard', idempotencyKey: 'job_b:2' }), contextOf().ctx);
    expect(outputs).toHaveLength(1);
  });

  it('limits injected failures to the listed services', async () => {
    const provider = createLocalProvider({ ...NO_DELAYS, failure: parseLocalFailure('processing:always:virtual-staging') ?? null });
    expect(await rejectionOf(provider.execute(await taskOf(LIVING, { service: 'virtual-staging', config: 'bedroom' }), contextOf().ctx))).toBeInstanceOf(ProviderJobError);
    expect(await provider.execute(await taskOf(LIVING, { service: 'upscale', config: 'standard' }), contextOf().ctx)).toHaveLength(1);
  });

  it('parses STAGING_LOCAL_FAILURE', () => {
    expect(parseLocalFailure(undefined)).toBeUndefined();
    expect(parseLocalFailure('')).toBeUndefined();
    expect(parseLocalFailure('off')).toBeUndefined();
    expect(parseLocalFailure('processing')).toEqual({ at: 'processing', when: 'always' });
    expect(parseLocalFailure('processing:first-attempt')).toEqual({ at: 'processing', when: 'first-attempt' });
    expect(parseLocalFailure('compressing:always:virtual-staging')).toEqual({ at: 'compressing', when: 'always', services: ['virtual-staging'] });
    expect(parseLocalFailure(' processing:always:render-enhancement, upscale ')).toEqual({
      at: 'processing',
      when: 'always',
      services: ['render-enhancement', 'upscale'],
    });
    expect(parseLocalFailure('compressing:first-attempt:*')).toEqual({ at: 'compressing', when: 'first-attempt' });
    expect(() => parseLocalFailure('uploading')).toThrow(/compressing.*processing/);
    expect(() => parseLocalFailure('processing:sometimes')).toThrow(/always.*first-attempt/);
    expect(() => parseLocalFailure('processing:always:a:b')).toThrow(/too many/);
  });

  it('reads the attempt from the idempotency key suffix', () => {
    expect(attemptOf({ idempotencyKey: 'job_x:1' })).toBe(1);
    expect(attemptOf({ idempotencyKey: 'job_x:12' })).toBe(12);
    expect(attemptOf({ idempotencyKey: 'job_x' })).toBe(1);
  });

  it('fails an unreadable photo with processing_failed, not retryable', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    const garbage = Buffer.from('this is not an image at all, just some text pretending to be a photo');
    const truncated = LIVING.subarray(0, Math.floor(LIVING.length / 3));
    for (const bad of [garbage, truncated]) {
      const err = (await rejectionOf(provider.execute(await taskOf(bad), contextOf().ctx))) as ProviderJobError;
      expect(err).toBeInstanceOf(ProviderJobError);
      expect(err.toJobError()).toMatchObject({ code: 'processing_failed', retryable: false });
      expect(err.message).toMatch(/photo could not be read/);
    }
    const err = (await rejectionOf(provider.execute(await taskOf(LIVING, { mask: garbage }), contextOf().ctx))) as ProviderJobError;
    expect(err.toJobError()).toMatchObject({ code: 'processing_failed', retryable: false });
    expect(err.message).toMatch(/mask could not be read/);
  });

  it('refuses a service or config it does not offer', async () => {
    const provider = createLocalProvider(NO_DELAYS);
    for (const over of [{ service: 'sky-replacement' }, { service: 'upscale', config: 'extreme' }]) {
      const err = (await rejectionOf(provider.execute(await taskOf(LIVING, over), contextOf().ctx))) as ProviderJobError;
      expect(err.toJobError()).toMatchObject({ code: 'processing_failed', retryable: false });
    }
  });
});
