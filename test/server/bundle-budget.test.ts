/**
 * The one-tag script's budget and shape: one Vite build of the CDN bundle into a temp dir
 * (the same build as `npm run build`'s dist/cdn), then checks on the emitted files.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CDN_GZIP_BUDGET,
  buildCdn,
  cdnParts,
  checkCdn,
  groupSizes,
  kib,
  serverOnlyReason,
  sizeOf,
  type BrowserBuildReport,
} from '../../scripts/build.js';

let dir: string;
let report: BrowserBuildReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staging-budget-'));
  report = await buildCdn(join(dir, 'cdn'));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const filesOf = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe('the one-tag script (dist/cdn/staging-widget.js)', () => {
  // The product budget (CDN_GZIP_BUDGET, 30 KiB) is not met yet: `npm run bench -- size` reports
  // how far off it is. Until the step elements load lazily, this ratchet keeps the script from
  // growing past what it weighs today; lower it as the bundle shrinks, and replace it with the
  // budget once met.
  const CURRENT_CEILING = 57 * 1024;

  it(`does not grow past ${CURRENT_CEILING / 1024} KiB gzip without fabric (budget ${CDN_GZIP_BUDGET / 1024} KiB: not met yet)`, async () => {
    const { entry } = cdnParts(report);
    const size = sizeOf(join(report.outDir, entry.fileName));
    const heaviest = (await groupSizes(entry))
      .slice(0, 8)
      .map((g) => `${g.group} ${kib(g.gzip)}`)
      .join(', ');
    expect(size.gzip, `${entry.fileName} is ${kib(size.gzip)} gzip; heaviest parts: ${heaviest}`).toBeLessThan(CURRENT_CEILING);
  });

  it('contains no server code', () => {
    const offenders = [...report.chunks.flatMap((c) => c.modules.map((m) => m.id)), ...report.workerModules].filter(
      (id) => serverOnlyReason(id) !== null,
    );
    expect(offenders).toEqual([]);
    for (const file of filesOf(report.outDir)) {
      const text = readFileSync(file, 'utf8');
      for (const needle of ['better-sqlite3', 'sharp', '/src/server/', 'node:']) {
        expect(text.includes(needle), `${file} mentions ${needle}`).toBe(false);
      }
    }
  });

  it('loads fabric from a separate chunk, never statically', () => {
    const { entry, fabric } = cdnParts(report);
    expect(fabric, 'a chunk with fabric').toBeDefined();
    expect(fabric!.fileName).toMatch(/^chunks\/fabric-[\w-]+\.js$/);
    expect(entry.imports).toEqual([]);
    expect(entry.dynamicImports).toContain(fabric!.fileName);
    expect(entry.modules.some((m) => m.id.includes('/node_modules/fabric/'))).toBe(false);
    const code = readFileSync(join(report.outDir, entry.fileName), 'utf8');
    const name = fabric!.fileName.split('/').pop()!;
    // Only in `import("./chunks/fabric-….js")`, not in a static `import … from`.
    expect(code).toContain(`import("./${fabric!.fileName}")`);
    expect(code).not.toMatch(new RegExp(`(?:^|[;}\\s])import\\s*[^(]*?["']\\./chunks/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`));
  });

  it('emits the image-preparation worker and references it', () => {
    expect(checkCdn(report)).toEqual([]);
    const { workerFile } = cdnParts(report);
    expect(workerFile).toMatch(/^chunks\/prepare-worker-[\w-]+\.js$/);
    const worker = readFileSync(join(report.outDir, workerFile!), 'utf8');
    expect(worker).not.toMatch(/^\s*import\s/m); // self-contained
  });
});
