/**
 * `npm run bench -- size`: the one-tag script's weight. Builds the CDN bundle into a temporary
 * directory (the same build as `npm run build`'s dist/cdn) and measures the files:
 * gzip at level 9, brotli at quality 11.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDN_GZIP_BUDGET, buildCdn, cdnParts, checkCdn, groupSizes, kib, sizeOf } from '../scripts/build.js';

export async function benchBundleSize(): Promise<Array<{ name: string; value: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'staging-size-'));
  try {
    const report = await buildCdn(join(dir, 'cdn'));
    const problems = checkCdn(report);
    const { entry, fabric, workerFile } = cdnParts(report);
    const main = sizeOf(join(report.outDir, entry.fileName));
    const over = main.gzip - CDN_GZIP_BUDGET;
    const rows = [
      {
        name: `bundle: one-tag script ${entry.fileName} (without fabric) raw / gzip / brotli`,
        value: `${kib(main.raw)} / ${kib(main.gzip)} / ${kib(main.brotli)}`,
      },
      {
        name: `bundle: budget ${kib(CDN_GZIP_BUDGET)} gzip for the one-tag script`,
        value: over <= 0 ? `met (${kib(-over)} to spare)` : `NOT met (${kib(over)} over)`,
      },
    ];
    if (fabric) {
      const f = sizeOf(join(report.outDir, fabric.fileName));
      rows.push({ name: 'bundle: fabric chunk (loaded when a mask painter is first shown) raw / gzip', value: `${kib(f.raw)} / ${kib(f.gzip)}` });
    }
    if (workerFile) {
      const w = sizeOf(join(report.outDir, workerFile));
      rows.push({ name: 'bundle: image-preparation worker raw / gzip', value: `${kib(w.raw)} / ${kib(w.gzip)}` });
    }
    const groups = await groupSizes(entry);
    rows.push({
      name: 'bundle: heaviest parts (gzip of each minified alone)',
      value: groups.slice(0, 6).map((g) => `${g.group} ${kib(g.gzip)}`).join(', '),
    });
    if (problems.length > 0) rows.push({ name: 'bundle: shape problems', value: problems.join('; ') });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
