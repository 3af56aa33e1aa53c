/**
 * `npm run bench -- size`: the one-tag script's weight, and that of each file it loads on
 * demand. Builds the CDN bundle into a temporary directory (the same build as `npm run build`'s
 * dist/cdn) and measures the files: gzip at level 9, brotli at quality 11.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCdn } from '../scripts/build/browser.js';
import { cdnParts, cdnSizeRows, checkCdn, groupSizes, kib } from '../scripts/build/size-report.js';

export async function benchBundleSize(): Promise<Array<{ name: string; value: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'staging-size-'));
  try {
    const report = await buildCdn(join(dir, 'cdn'));
    const problems = checkCdn(report);
    const { entry } = cdnParts(report);
    const rows = cdnSizeRows(report);
    const groups = await groupSizes(entry);
    rows.push({
      name: 'bundle: heaviest parts of the one-tag script (gzip of each minified alone)',
      value: groups.slice(0, 6).map((g) => `${g.group} ${kib(g.gzip)}`).join(', '),
    });
    if (problems.length > 0) rows.push({ name: 'bundle: shape problems', value: problems.join('; ') });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
