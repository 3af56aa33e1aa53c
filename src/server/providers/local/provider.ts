import sharp from 'sharp';
import { RESOLUTION_LONG_SIDE, type Service } from '../../../contract/index.js';
import { ProviderJobError, type ExecutionContext, type Provider, type ProviderImage, type ProviderOutputImage, type ProviderTask } from '../types.js';
import { findLocalService, localServices } from './catalog.js';
import { maybeFail, type LocalFailure } from './failures.js';
import { gradeFor } from './grades.js';
import { balancedLook, enhance, gradedPreviews, listingTarget, upscale, UnreadableImageError, type BalancedLook, type EncodedImage, type ListingTarget, type PipelineHooks } from './pipelines.js';
import { hdrMerge } from './hdr-merge.js';
import type { Raw } from './raw-images.js';
import { pullWindows, sourceOf } from './window-pull.js';
import { Vision } from '../../vision/vision.js';
import type { StraightenStrength } from './straighten.js';

/** Simulated provider latency, so the widget's progress UI behaves as it will with a real provider. */
export interface LocalTiming {
  /** Time spent in `compressing` (the inputs are read and checked meanwhile). */
  compressingMs: number;
  /** Minimum time spent in `processing`; the pixel work runs concurrently. */
  processingMs: number;
  /** Interval of progress reports during the delays. */
  tickMs: number;
}

export const DEFAULT_LOCAL_TIMING: Readonly<LocalTiming> = Object.freeze({ compressingMs: 800, processingMs: 3000, tickMs: 250 });

export interface LocalEngineOptions {
  timing?: Partial<LocalTiming>;
  /** Multiplies `compressingMs` and `processingMs` (STAGING_LOCAL_SPEED); 0 removes the delays. */
  delayScale?: number;
  /** A simulated failure (see `parseLocalFailure`); none by default. */
  failure?: LocalFailure | null;
  /**
   * libvips threads per image (`sharp.concurrency`, process-wide). Unset leaves sharp's
   * default, which is 1 on glibc Linux without jemalloc to limit memory fragmentation, and is
   * the intended setting: the job runner runs two jobs at once, which already keeps two cores
   * busy, and most of a render enhancement is now one JavaScript pass that libvips threads do
   * not speed up (measured on 2 cores, two 4K jobs at once: no faster with 2 threads; peak RSS
   * ~580 MiB either way, ~430–460 MiB with MALLOC_ARENA_MAX=2). 0 means one per core, for a
   * host with cores to spare for one job's libvips stages (pair it with MALLOC_ARENA_MAX=2,
   * as sharp's performance notes advise).
   */
  concurrency?: number;
  /** The BFF's computer-vision thread (bracket merging, straightening); one of its own, started on first use, without. */
  vision?: Vision;
}

// Progress milestones over the whole job (0..1).
const COMPRESSING_START = 0.02;
const COMPRESSING_END = 0.1;
const PROCESSING_START = 0.12;
const PROCESSING_END = 0.95;

/**
 * The embedded engine (STAGING_PROVIDER=local): performs render enhancement, upscaling and
 * straightening for real (sharp, and OpenCV on the vision thread for straightening and bracket merging), and
 * answers the generative services with honest graded previews.
 */
export function createLocalProvider(options: LocalEngineOptions = {}): Provider {
  if (options.concurrency !== undefined) sharp.concurrency(options.concurrency);
  const scale = options.delayScale ?? 1;
  const timing: LocalTiming = { ...DEFAULT_LOCAL_TIMING, ...options.timing };
  const compressingMs = Math.max(0, timing.compressingMs * scale);
  const processingMs = Math.max(0, timing.processingMs * scale);
  const tickMs = Math.max(10, timing.tickMs);
  const failure = options.failure ?? undefined;
  const ownVision = options.vision ? null : new Vision();
  const vision = options.vision ?? ownVision!;
  // One look per listing, computed once from all its photos and shared by its jobs (the last few listings are kept).
  const targets = new Map<string, Promise<ListingTarget | null>>();
  const targetOf = (listing: NonNullable<ProviderTask['listing']>): Promise<ListingTarget | null> => {
    let target = targets.get(listing.id);
    if (!target) {
      target = measureListing(listing.images);
      targets.set(listing.id, target);
      if (targets.size > 32) targets.delete(targets.keys().next().value!);
    }
    return target;
  };

  async function execute(task: ProviderTask, ctx: ExecutionContext): Promise<ProviderOutputImage[]> {
    const { signal } = ctx;
    signal.throwIfAborted();
    const service = serviceFor(task);
    const report = forwardOnly(ctx);

    report('compressing', COMPRESSING_START);
    maybeFail(failure, 'compressing', task);
    const [image, mask, reference, brackets] = await abortable(
      Promise.all([
        task.image.read(),
        service.inputs.mask && task.mask ? task.mask.read() : null,
        service.inputs.reference_image && task.reference ? task.reference.read() : null,
        service.inputs.brackets ? Promise.all((task.brackets ?? []).map((b) => b.read())) : [],
      ]),
      signal,
    );
    // A listing's render enhancements share one exposure and white balance (see pipelines.ts#matchTables).
    const listing = service.id === 'render-enhancement' && task.listing && task.listing.images.length > 1 ? task.listing : null;
    const match = listing ? await abortable(targetOf(listing), signal) : null;
    await ticking(compressingMs, tickMs, signal, (f) => report('compressing', COMPRESSING_START + (COMPRESSING_END - COMPRESSING_START) * f));
    report('compressing', COMPRESSING_END);

    report('processing', PROCESSING_START);
    maybeFail(failure, 'processing', task);

    // Stops the delay ticker and the pipeline's remaining stages once the job is settled,
    // whether by cancellation, failure or success.
    const phase = new AbortController();
    const stopPhase = () => phase.abort(signal.reason);
    signal.addEventListener('abort', stopPhase, { once: true });
    let stageFraction = 0;
    let timeFraction = 0;
    const update = () => {
      if (phase.signal.aborted) return;
      // Both the work and the delay must finish; their mean moves steadily either way.
      const f = processingMs > 0 ? (stageFraction + timeFraction) / 2 : stageFraction;
      report('processing', PROCESSING_START + (PROCESSING_END - PROCESSING_START) * f);
    };
    const hooks: PipelineHooks = {
      step(fraction) {
        phase.signal.throwIfAborted();
        stageFraction = fraction;
        update();
      },
    };
    try {
      const work = run(service, task, { image, mask, reference, brackets, vision, match }, hooks);
      const wait = ticking(processingMs, tickMs, phase.signal, (f) => {
        timeFraction = f;
        update();
      });
      const [outputs] = await abortable(Promise.all([work, wait]), signal);
      report('processing', PROCESSING_END);
      return outputs;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw asJobError(err);
    } finally {
      phase.abort();
      signal.removeEventListener('abort', stopPhase);
    }
  }

  return {
    name: 'local',
    async services() {
      return localServices();
    },
    execute,
    async close() {
      // Jobs are stopped through their signals by the runner; a vision thread of its own ends here.
      await ownVision?.close();
    },
  };
}

function serviceFor(task: ProviderTask): Service {
  const service = findLocalService(task.service);
  if (!service) throw new ProviderJobError('processing_failed', `The local engine does not offer the service "${task.service}".`, false);
  if (!service.configs.some((c) => c.id === task.config)) {
    throw new ProviderJobError('processing_failed', `The service "${task.service}" has no configuration "${task.config}".`, false);
  }
  return service;
}

interface Inputs {
  image: Buffer;
  mask: Buffer | null;
  reference: Buffer | null;
  /** The other bracketed exposures (hdr-merge). */
  brackets: Buffer[];
  vision: Vision;
  /** The listing's one look (render enhancement of a batch's photo), or null. */
  match: ListingTarget | null;
}

/** A listing's target from its photos' balanced looks; a photo that cannot be read has no say. Null with fewer than two. */
async function measureListing(images: ProviderImage[]): Promise<ListingTarget | null> {
  const looks: BalancedLook[] = [];
  // One at a time: a listing of 60 photos must not hold 60 decodes in memory at once.
  for (const image of images) {
    try {
      looks.push(await balancedLook(await image.read()));
    } catch {
      // left out
    }
  }
  return looks.length > 1 ? listingTarget(looks) : null;
}

async function run(service: Service, task: ProviderTask, inputs: Inputs, hooks: PipelineHooks): Promise<ProviderOutputImage[]> {
  const longSide = RESOLUTION_LONG_SIDE[task.resolution];
  const mark = (images: EncodedImage[]): ProviderOutputImage[] =>
    images.map(({ data, contentType, width, height, note }) => ({ data, contentType, width, height, localPreview: service.preview_only, ...(note ? { note } : {}) }));

  if (service.id === 'upscale') {
    return mark([await upscale(inputs.image, { longSide, detail: task.config === 'detail' }, hooks)]);
  }
  if (service.id === 'hdr-merge') {
    const grade = gradeFor(service.id, task.config, task.options);
    return mark([await hdrMerge([inputs.image, ...inputs.brackets], { longSide, grade, vision: inputs.vision, windows: inputs.mask }, hooks)]);
  }
  if (service.id === 'straighten') {
    // Loaded on first use, with the vision thread it starts (see pipelines.ts enhance).
    const { straighten } = await import('./straighten.js');
    return mark([await straighten(inputs.image, { longSide, strength: strengthOf(task.config) ?? 'auto', vision: inputs.vision }, hooks)]);
  }
  if (service.id === 'render-enhancement') {
    const grade = gradeFor(service.id, task.config, task.options);
    const strength = strengthOf(task.options.straighten);
    const straighten = strength ? { strength, vision: inputs.vision } : null;
    // With `windows: pull` the mask marks the windows (the BFF refuses `pull` without one).
    const windows = task.options.windows === 'pull' ? (original: Raw, enhanced: Raw, mask: Raw) => pullWindows(enhanced, sourceOf(original), mask) : null;
    return mark([await enhance(inputs.image, { longSide, grade, mask: inputs.mask, straighten, windows, match: inputs.match }, hooks)]);
  }
  const { min, max } = service.inputs.variants;
  const count = Math.min(max, Math.max(min, Math.trunc(task.variants) || 1));
  // A redo asking for another variant (task.variation) takes the looks after the ones its earlier tries had.
  const first = (task.variation ?? 0) * count;
  const grades = Array.from({ length: count }, (_, i) => gradeFor(service.id, task.config, task.options, first + i));
  return mark(await gradedPreviews(inputs.image, { longSide, grades, mask: inputs.mask, reference: inputs.reference }, hooks));
}

/** `auto` or `full`; anything else (`off`, absent) is none. */
function strengthOf(value: unknown): StraightenStrength | null {
  return value === 'auto' || value === 'full' ? value : null;
}

const UNREADABLE: Record<UnreadableImageError['input'], string> = {
  image: 'The photo could not be read: the file is corrupt, truncated or not a supported image format. Upload the photo again or choose another one.',
  mask: 'The mask could not be read: it is corrupt or not a supported image format. Paint the mask again.',
  reference: 'The reference image could not be read: it is corrupt or not a supported image format. Choose another reference image.',
};

function asJobError(err: unknown): unknown {
  if (err instanceof UnreadableImageError) return new ProviderJobError('processing_failed', UNREADABLE[err.input], false);
  // Anything else (ProviderJobError, or an unexpected error the runner logs in full) as is.
  return err;
}

/** Forwards only reports that move forward: status never goes back, progress only rises. */
function forwardOnly(ctx: ExecutionContext): ExecutionContext['progress'] {
  const rank = { compressing: 0, processing: 1 } as const;
  let status: 'compressing' | 'processing' | null = null;
  let last = -1;
  return (next, progress) => {
    if (status !== null && rank[next] < rank[status]) return;
    if (progress <= last) return;
    status = next;
    last = progress;
    ctx.progress(next, progress);
  };
}

/** Rejects with `signal.reason` as soon as the signal aborts, whatever `promise` is doing. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits `ms`, calling `onTick` with the fraction elapsed every `tickMs`; abortable. */
async function ticking(ms: number, tickMs: number, signal: AbortSignal, onTick: (fraction: number) => void): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return;
  const start = performance.now();
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= ms) return;
    await sleep(Math.min(tickMs, ms - elapsed), signal);
    onTick(Math.min(1, (performance.now() - start) / ms));
  }
}
