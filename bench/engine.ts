import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Resolution } from '../src/contract/index.js';
import { createLocalProvider } from '../src/server/providers/local/index.js';
import type { ExecutionContext, ProviderTask } from '../src/server/providers/types.js';

export interface BenchRow {
  name: string;
  value: string;
}

export interface EngineBenchOptions {
  /** Timed runs per resolution (after one untimed warm-up). */
  runs?: number;
  /** Also time with one libvips thread per core (sharp's default may be 1, see LocalEngineOptions.concurrency). */
  allCores?: boolean;
}

/**
 * Times the local engine's render enhancement of a 24-megapixel camera photo (6000×4000
 * JPEG, synthesized from a fixture) to 2K and to 4K, with the simulated delays off, so the
 * figure is the pixel work alone. Reports the median of a few runs, at sharp's default thread
 * count and, when that differs, at one thread per core.
 */
export async function benchEngine(options: EngineBenchOptions = {}): Promise<BenchRow[]> {
  const runs = Math.max(1, options.runs ?? 3);
  const fixture = readFileSync(fileURLToPath(new URL('../test/fixtures/living-room-render.jpg', import.meta.url)));
  const photo = await sharp(fixture).resize({ width: 6000, height: 4000, fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
  const rows: BenchRow[] = [{ name: 'engine: input', value: `6000×4000 JPEG, ${(photo.length / 1e6).toFixed(1)} MB` }];

  const initial = sharp.concurrency();
  const settings = [initial];
  if ((options.allCores ?? true) && availableParallelism() !== initial) settings.push(availableParallelism());
  try {
    rows.push(...(await benchHdrMerge(photo, runs)));
    for (const threads of settings) {
      sharp.concurrency(threads);
      const provider = createLocalProvider({ timing: { compressingMs: 0, processingMs: 0, tickMs: 10 } });
      for (const resolution of ['2K', '4K'] as Resolution[]) {
        const timings: number[] = [];
        let size = '';
        for (let i = 0; i <= runs; i++) {
          const started = performance.now();
          const [out] = await provider.execute(taskFor(photo, resolution), context());
          const ms = performance.now() - started;
          if (i > 0) timings.push(ms); // run 0 warms up libvips and the JIT
          size = `${out!.width}×${out!.height}`;
        }
        rows.push({
          name: `engine: render-enhancement 6000×4000 → ${resolution}, ${threads} libvips thread${threads === 1 ? '' : 's'}${threads === initial ? ' (default)' : ''}`,
          value: `median ${Math.round(median(timings))} ms over ${runs} runs (min ${Math.round(Math.min(...timings))}, max ${Math.round(Math.max(...timings))}; output ${size})`,
        });
      }
      await provider.close?.();
    }
  } finally {
    sharp.concurrency(initial);
  }
  return rows;
}

/**
 * A 3-bracket `hdr-merge` of the 6000×4000 photo (−2, 0, +2 EV) to 2K and 4K. The first run of
 * the process also starts the vision thread and loads OpenCV: that time is shown on its own.
 */
async function benchHdrMerge(photo: Buffer, runs: number): Promise<BenchRow[]> {
  const exposures = await Promise.all([-2, 2].map((ev) => sharp(photo).gamma(2.2, 2.2).linear(2 ** ev, 0).jpeg({ quality: 90 }).toBuffer()));
  const image = (data: Buffer, n: number) => ({ uploadId: `upl_bench00000000000000${n}`, read: async () => data, contentType: 'image/jpeg', width: 6000, height: 4000, publicUrl: () => 'http://localhost/bench' });
  const provider = createLocalProvider({ timing: { compressingMs: 0, processingMs: 0, tickMs: 10 } });
  const rows: BenchRow[] = [];
  try {
    for (const resolution of ['2K', '4K'] as Resolution[]) {
      const timings: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const task = { ...taskFor(photo, resolution), service: 'hdr-merge', brackets: exposures.map((e, n) => image(e, n + 1)) };
        const started = performance.now();
        await provider.execute(task, context());
        const ms = performance.now() - started;
        if (i === 0 && resolution === '2K') rows.push({ name: 'engine: hdr-merge first use (vision thread start + OpenCV load + a 2K merge)', value: `${Math.round(ms)} ms` });
        if (i > 0) timings.push(ms);
      }
      rows.push({
        name: `engine: hdr-merge 3 × 6000×4000 → ${resolution}`,
        value: `median ${Math.round(median(timings))} ms over ${runs} runs (min ${Math.round(Math.min(...timings))}, max ${Math.round(Math.max(...timings))}; goal at 2K ≤ 3000 ms)`,
      });
    }
  } finally {
    await provider.close?.();
  }
  return rows;
}

function taskFor(photo: Buffer, resolution: Resolution): ProviderTask {
  return {
    jobId: 'job_bench000000000000000',
    service: 'render-enhancement',
    config: 'interior-modern',
    resolution,
    prompt: null,
    options: {},
    location: null,
    variants: 1,
    referenceId: null,
    idempotencyKey: 'job_bench000000000000000:1',
    image: {
      uploadId: 'upl_bench000000000000000',
      read: async () => photo,
      contentType: 'image/jpeg',
      width: 6000,
      height: 4000,
      publicUrl: () => 'http://localhost/bench',
    },
    mask: null,
    reference: null,
  };
}

function context(): ExecutionContext {
  // The local engine never waits for webhooks.
  return { signal: new AbortController().signal, progress: () => undefined, savedState: null, saveState: async () => undefined, webhook: async () => false };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Standalone: `node --import tsx bench/engine.ts`.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const row of await benchEngine()) console.log(`${row.name}: ${row.value}`);
}
