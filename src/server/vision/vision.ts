import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VisionOperations } from './vision-worker.js';

type Op = keyof VisionOperations;
type InputOf<K extends Op> = Parameters<VisionOperations[K]>[0];
type ResultOf<K extends Op> = Awaited<ReturnType<VisionOperations[K]>>;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const TSX_BOOTSTRAP = (worker: string) => {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  return `import { register } from ${JSON.stringify(api)};\nregister();\nawait import(${JSON.stringify(worker)});\n`;
};

/** Thrown when a vision operation fails in the thread, or the thread stops. */
export class VisionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VisionError';
  }
}

/** One start of the thread: how long OpenCV took to load, measured in the thread and seen from here. */
export interface VisionLoad {
  /** Reading and compiling OpenCV's WebAssembly inside the thread. */
  loadMs: number;
  /** From the first task to the thread's ready message (thread start included). */
  readyMs: number;
}

/**
 * The BFF's computer-vision thread (OpenCV), started on first use: a BFF that never needs it
 * never loads it, so start-up time and idle memory do not change. One task at a time per
 * thread, in order; the thread does not keep the process alive while idle.
 */
export class Vision {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  private readonly startLoads: VisionLoad[] = [];

  /** The thread's starts so far (for the bench and tests). */
  get loads(): readonly VisionLoad[] {
    return [...this.startLoads];
  }

  /** True once the thread has been started (tests check that nothing loads it at start). */
  get started(): boolean {
    return this.worker !== null;
  }

  run<K extends Op>(op: K, input: InputOf<K>, transfer: ArrayBuffer[] = []): Promise<ResultOf<K>> {
    if (this.closed) return Promise.reject(new VisionError('the vision thread is closed'));
    const worker = (this.worker ??= this.start());
    worker.ref();
    const id = ++this.nextId;
    return new Promise<ResultOf<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, input }, transfer);
    });
  }

  private start(): Worker {
    const startedAt = performance.now();
    // Compiled (dist/server), the worker is a .js file beside this one. Under tsx and Vitest both are
    // TypeScript: a small ES module registers tsx in the new thread, then imports the worker.
    const typescript = import.meta.url.endsWith('.ts');
    const worker = typescript
      ? new Worker(new URL(`data:text/javascript,${encodeURIComponent(TSX_BOOTSTRAP(new URL('./vision-worker.ts', import.meta.url).href))}`), { name: 'staging-vision' })
      : new Worker(new URL('./vision-worker.js', import.meta.url), { name: 'staging-vision' });
    worker.on('message', (reply: { id: number; result?: unknown; error?: string } | { ready: true; loadMs: number }) => {
      if ('ready' in reply) {
        this.startLoads.push({ loadMs: reply.loadMs, readyMs: performance.now() - startedAt });
        return;
      }
      const request = this.pending.get(reply.id);
      if (!request) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error !== undefined) request.reject(new VisionError(reply.error));
      else request.resolve(reply.result);
    });
    // A crash fails what was in flight; the next task starts a fresh thread.
    const lost = (cause: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, request] of this.pending) {
        this.pending.delete(id);
        request.reject(new VisionError('the vision thread stopped', { cause }));
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the vision thread stopped (exit code ${code})`)));
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
