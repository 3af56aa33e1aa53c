import { appendFileSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { StagingBff } from '../../../src/server/index.js';

/**
 * The attack ledger: every attack is a test that counts as "tried" when it starts and as
 * "refused" only when every assertion in it passed (the documented error, nothing stored).
 * At the end of each file the counts are printed as `attacks: <category>: N tried, N refused`;
 * each file also appends its counts to a run-wide file, so the last file to finish prints the
 * whole run's total.
 */
interface Count {
  tried: number;
  refused: number;
}

const counts = new Map<string, Count>();
// Vitest runs files in forked workers: their parent is the run's main process.
const RUN_FILE = join(tmpdir(), `staging-attacks-${process.ppid}.jsonl`);

export function attack(category: string, name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  it(`[${category}] ${name}`, async () => {
    const c = counts.get(category) ?? { tried: 0, refused: 0 };
    counts.set(category, c);
    c.tried++;
    await fn();
    c.refused++;
  }, timeoutMs);
}

function lines(map: Map<string, Count>, label: string): string {
  let tried = 0;
  let refused = 0;
  const out: string[] = [];
  for (const [cat, c] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`attacks: ${cat}: ${c.tried} tried, ${c.refused} refused`);
    tried += c.tried;
    refused += c.refused;
  }
  out.push(`attacks: ${label}: ${tried} tried, ${refused} refused`);
  return out.join('\n');
}

afterAll(() => {
  if (counts.size === 0) return;
  console.log(lines(counts, 'total (this file)'));
  appendFileSync(RUN_FILE, JSON.stringify(Object.fromEntries(counts)) + '\n');
  const run = new Map<string, Count>();
  for (const line of readFileSync(RUN_FILE, 'utf8').split('\n').filter(Boolean)) {
    for (const [cat, c] of Object.entries(JSON.parse(line) as Record<string, Count>)) {
      const r = run.get(cat) ?? { tried: 0, refused: 0 };
      r.tried += c.tried;
      r.refused += c.refused;
      run.set(cat, r);
    }
  }
  console.log(lines(run, `total (run so far, ${readFileSync(RUN_FILE, 'utf8').split('\n').filter(Boolean).length} attack files)`));
});

// ---------------------------------------------------------------------------------------------
// "Nothing is stored": snapshots of what the store and the blob directory hold.

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  } catch {
    return [];
  }
}

/** Blob files on disk and the jobs of every given subject (newest 100 each). */
export async function storedState(bff: StagingBff, subjects: string[] = []) {
  const blobs = await filesUnder(bff.deps.blobs.root);
  const jobs: string[] = [];
  for (const subject of subjects) for (const j of await bff.deps.store.listJobs({ subject, limit: 100 })) jobs.push(`${j.id}:${j.status}:${j.attempt}`);
  const unfinished = (await bff.deps.store.listUnfinishedJobs()).map((j) => j.id).sort();
  return { blobs, jobs: jobs.sort(), unfinished };
}

/** Runs `fn` and asserts the blob directory and the subjects' jobs are exactly as before. */
export async function nothingStored<T>(bff: StagingBff, subjects: string[], fn: () => Promise<T>): Promise<T> {
  const before = await storedState(bff, subjects);
  const result = await fn();
  expect(await storedState(bff, subjects)).toEqual(before);
  return result;
}
