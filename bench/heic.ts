/**
 * `npm run bench -- heic`: how long an iPhone photo's HEIC decode stops the BFF's event loop.
 * Decodes the test fixture (640×427 HEIC, the only one there is: no HEVC encoder is available
 * here to make a larger one) repeatedly, once in this thread and once on the decoder thread,
 * while a 1 ms timer measures the longest gap between its ticks: the time in which this
 * process could have answered nobody. A 12 MP photo has about 44 times the pixels.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeHeic } from '../src/server/uploads/decode-heic.js';
import { decodeHeicOffThread } from '../src/server/uploads/heic-thread.js';
import type { BenchRow } from './engine.js';

async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; totalMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { stallMs: Math.max(longest, performance.now() - last), totalMs: performance.now() - started };
}

export async function benchHeic(rounds = 5): Promise<BenchRow[]> {
  const heic = readFileSync(fileURLToPath(new URL('../test/fixtures/iphone.heic', import.meta.url)));
  const limit = 50_000_000;
  // Warm both paths (WASM compile, worker start) so the figures are the decodes alone.
  await decodeHeic(heic, limit);
  await decodeHeicOffThread(heic, limit);
  const run = async (decode: () => Promise<unknown>) => {
    const stalls: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = await longestStall(decode);
      stalls.push(r.stallMs);
      totals.push(r.totalMs);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return `longest stall ${median(stalls).toFixed(1)} ms, decode ${median(totals).toFixed(1)} ms (medians of ${rounds})`;
  };
  return [
    { name: 'heic: 640×427 decode in the event-loop thread', value: await run(() => decodeHeic(heic, limit)) },
    { name: 'heic: 640×427 decode on the decoder thread', value: await run(() => decodeHeicOffThread(heic, limit)) },
  ];
}
