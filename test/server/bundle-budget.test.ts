/**
 * The one-tag script's budget and shape: one Vite build of the CDN bundle into a temp dir
 * (the same build as `npm run build`'s dist/cdn), then checks on the emitted files.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCdn } from '../../scripts/build/browser.js';
import { serverOnlyReason, type BrowserBuildReport } from '../../scripts/build/guard.js';
import { CDN_GZIP_BUDGET, FIRST_SCREEN_ELEMENTS, ON_DEMAND_ELEMENTS, WHOLE_FLOW_GZIP_BUDGET, cdnParts, checkCdn, chunkOf, groupSizes, isCatalogWordsChunk, kib, sizeOf, wholeFlowSize } from '../../scripts/build/size-report.js';

const SRC_PICKER = join(import.meta.dirname, '../../src/elements/staging-picker');

let dir: string;
let report: BrowserBuildReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staging-budget-'));
  report = await buildCdn(join(dir, 'cdn'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const filesOf = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe('the one-tag script (dist/cdn/staging-widget.js)', () => {
  it(`stays within ${CDN_GZIP_BUDGET} bytes gzip: everything the first screen needs, in one file`, async () => {
    const { entry } = cdnParts(report);
    const size = sizeOf(join(report.outDir, entry.fileName));
    const heaviest = (await groupSizes(entry))
      .slice(0, 8)
      .map((g) => `${g.group} ${kib(g.gzip)}`)
      .join(', ');
    expect(size.gzip, `${entry.fileName} is ${size.gzip} bytes gzip; heaviest parts: ${heaviest}`).toBeLessThanOrEqual(CDN_GZIP_BUDGET);
    expect(entry.imports, 'the first screen waits for no other file').toEqual([]);
  });

  it(`keeps the whole flow of one photo (every file but fabric and the listing's) within ${kib(WHOLE_FLOW_GZIP_BUDGET)} gzip`, () => {
    const flow = wholeFlowSize(report);
    const sizes = report.chunks.map((c) => `${c.fileName} ${sizeOf(join(report.outDir, c.fileName)).gzip}`).join(', ');
    expect(flow.gzip, `${flow.gzip} bytes gzip in ${flow.files} files: ${sizes}`).toBeLessThanOrEqual(WHOLE_FLOW_GZIP_BUDGET);
  });

  it("keeps the catalog's words in other languages in a chunk of their own, fetched on demand (an English page does without)", () => {
    const table = report.chunks.filter(isCatalogWordsChunk);
    expect(table.map((c) => c.fileName)).toEqual([expect.stringMatching(/^chunks\/catalog-words-table-[\w-]+\.js$/)]);
    for (const c of report.chunks) expect(c.imports, c.fileName).not.toContain(table[0]!.fileName);
    expect(report.chunks.some((c) => c.dynamicImports.includes(table[0]!.fileName))).toBe(true);
  });

  it('defines the widget and its upload step itself, and loads the other elements on demand', () => {
    const { entry } = cdnParts(report);
    expect(checkCdn(report)).toEqual([]);
    for (const tag of FIRST_SCREEN_ELEMENTS) expect(chunkOf(report, `src/elements/${tag}/${tag}.ts`)?.fileName, tag).toBe(entry.fileName);
    for (const tag of ON_DEMAND_ELEMENTS) {
      const chunk = chunkOf(report, `src/elements/${tag}/${tag}.ts`);
      expect(chunk?.fileName, tag).toMatch(new RegExp(`^chunks/${tag}-[\\w-]+\\.js$`));
      expect(entry.dynamicImports, tag).toContain(chunk!.fileName);
    }
    // The file checks and image tools come with the first chosen file, not with the page.
    expect(chunkOf(report, 'src/client/image/prepare.ts')?.fileName).toMatch(/^chunks\/check-file-[\w-]+\.js$/);
  });

  it("ships the picker's sample pictures as files beside its chunk, referenced from it (not inlined, nothing on the first screen)", () => {
    const { entry } = cdnParts(report);
    const picker = chunkOf(report, 'src/elements/staging-picker/staging-picker.ts')!;
    const pickerCode = readFileSync(join(report.outDir, picker.fileName), 'utf8');
    const samples = readdirSync(join(SRC_PICKER, 'samples')).filter((f) => f.endsWith('.webp'));
    expect(samples.length).toBeGreaterThan(0);
    const emitted = readdirSync(join(report.outDir, 'chunks'));
    for (const sample of samples) {
      const file = emitted.find((f) => f.startsWith(`${sample.replace(/\.webp$/, '')}-`) && f.endsWith('.webp'));
      expect(file, sample).toBeDefined();
      // Resolved against the picker chunk's own URL, which sits in the same folder.
      expect(pickerCode, sample).toContain(`new URL("${file}",import.meta.url)`);
    }
    expect(pickerCode).not.toContain('data:image/webp');
    expect(readFileSync(join(report.outDir, entry.fileName), 'utf8')).not.toMatch(/\.webp/);
  });

  it('carries no zod on the first screen; the response schemas load with the first request, without the BFF-only ones', () => {
    const { entry } = cdnParts(report);
    expect(entry.modules.filter((m) => m.id.includes('/node_modules/zod/') && m.code).map((m) => m.id)).toEqual([]);
    const schemas = chunkOf(report, 'src/client/schemas.ts');
    expect(schemas?.fileName).toMatch(/^chunks\//);
    expect(entry.dynamicImports).toContain(schemas!.fileName);
    // The schemas the client parses answers with are in what that chunk brings…
    const loaded = [schemas!, ...schemas!.imports.map((f) => report.chunks.find((c) => c.fileName === f)!)];
    const code = loaded.map((c) => readFileSync(join(report.outDir, c.fileName), 'utf8')).join('\n');
    expect(code).toContain('next_cursor');
    // …and not the messages unique to CreateSessionRequest's Origin and to ListJobsQuery.
    for (const c of report.chunks) {
      const text = readFileSync(join(report.outDir, c.fileName), 'utf8');
      expect(text, c.fileName).not.toContain('expected an origin');
      expect(text, c.fileName).not.toContain('limit must be 1 to 100');
    }
  });

  it("writes esbuild's decorator helper once, in the one-tag script, for every element's chunk to share", () => {
    const { entry, fabric } = cdnParts(report);
    expect(entry.modules.some((m) => m.id === '\0staging:decorate-class')).toBe(true);
    // The helper's tell, minified: `kind > 1 ? void 0 : kind ? getOwnPropertyDescriptor(…) : target`.
    const helper = /=(\w+)>1\?void 0:\1\?/g;
    const copies = report.chunks
      .filter((c) => c !== fabric)
      .map((c) => [c.fileName, readFileSync(join(report.outDir, c.fileName), 'utf8').match(helper)?.length ?? 0] as const)
      .filter(([, n]) => n > 0);
    expect(copies).toEqual([[entry.fileName, 1]]);
  });

  it('contains no server code', () => {
    const offenders = [...report.chunks.flatMap((c) => c.modules.map((m) => m.id)), ...report.workerModules].filter(
      (id) => serverOnlyReason(id) !== null,
    );
    expect(offenders).toEqual([]);
    for (const file of filesOf(report.outDir)) {
      const text = readFileSync(file, 'utf8');
      // Word-bounded: "sharpen" is a word a person reads; `sharp` the package is not.
      for (const needle of [/better-sqlite3/, /\bsharp\b/, /\/src\/server\//, /\bnode:/]) {
        expect(needle.test(text), `${file} mentions ${needle}`).toBe(false);
      }
    }
  });

  it('loads fabric from a separate chunk, only when the mask painter asks for it', () => {
    const { entry, fabric } = cdnParts(report);
    expect(fabric, 'a chunk with fabric').toBeDefined();
    expect(fabric!.fileName).toMatch(/^chunks\/fabric-[\w-]+\.js$/);
    expect(entry.modules.some((m) => m.id.includes('/node_modules/fabric/'))).toBe(false);
    for (const chunk of report.chunks) expect(chunk.imports, chunk.fileName).not.toContain(fabric!.fileName);
    const painter = chunkOf(report, 'src/elements/staging-mask-painter/staging-mask-painter.ts')!;
    expect(painter.dynamicImports).toContain(fabric!.fileName);
    const code = readFileSync(join(report.outDir, painter.fileName), 'utf8');
    // Only in `import("./fabric-….js")`, not in a static `import … from`.
    const name = fabric!.fileName.split('/').pop()!;
    expect(code).toContain(`import("./${name}")`);
    expect(code).not.toMatch(new RegExp(`(?:^|[;}\\s])import\\s*[^(]*?["']\\./${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`));
  });

  it('emits the image-preparation worker and references it', () => {
    expect(checkCdn(report)).toEqual([]);
    const { workerFile } = cdnParts(report);
    expect(workerFile).toMatch(/^chunks\/prepare-worker-[\w-]+\.js$/);
    const worker = readFileSync(join(report.outDir, workerFile!), 'utf8');
    expect(worker).not.toMatch(/^\s*import\s/m); // self-contained
  });
});
