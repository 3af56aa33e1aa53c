/**
 * What a CDN build holds and weighs: its parts (entry, fabric, worker, chunks loaded on demand),
 * the checks of its shape, and the sizes `npm run build` prints, `npm run bench -- size` reports
 * and test/server/bundle-budget.test.ts holds to the budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { transformWithEsbuild } from 'vite';
import { LOADABLE_TAGS } from '../../src/elements/element-loaders.js';
import { BROWSER_TARGET } from './browser.js';
import type { BrowserBuildReport, ChunkInfo, ModuleSize } from './guard.js';
import { relativeId } from './root.js';

export const CDN_FILE = 'staging-widget.js';
/**
 * The budget of the one-tag script without fabric (gzip, level 9). Hosts are promised "30 KB"
 * (30,000 bytes); the test holds the script to 25,000 bytes (issue 16's goal, met by loading zod
 * with the first request) so that the gain cannot be lost.
 */
export const CDN_GZIP_BUDGET = 25_000;

/**
 * The budget of one photo's whole flow in English: the one-tag script and every file it may load
 * but fabric, the listing element and other languages' strings (gzip, level 9, each file alone,
 * as a browser fetches them). Issue 16's goal is 60 KiB; the build is not there: terser and
 * minified templates took it from 84.9 to 81.3 KiB, then localisation (the messages' ids and the
 * locale controller in every element), the style gallery, the bracket set, the publishing notes
 * and the sized uploads brought it to 93.2 KiB (95,415 bytes in 29 files). Each element's code
 * made plainer, fewer small files, and one decorator helper for all chunks (see
 * `sharedDecoratorHelperPlugin`) brought it to 90.3 KiB (92,477 bytes in 24 files). This holds it
 * there, with 0.7 KiB to spare.
 */
export const WHOLE_FLOW_GZIP_BUDGET = 91 * 1024;

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export function sizeOf(file: string): FileSize {
  const bytes = readFileSync(file);
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

export const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/**
 * The parts of a CDN build: its entry (everything the first screen needs), the fabric chunk,
 * the worker file, and the chunks loaded on demand (the steps after the upload, the file
 * checks, …). Throws when the entry is missing.
 */
export function cdnParts(report: BrowserBuildReport) {
  const entry = report.chunks.find((c) => c.isEntry && c.fileName === CDN_FILE);
  if (!entry) throw new Error(`no ${CDN_FILE} in the CDN build`);
  const fabric = report.chunks.find((c) => c.modules.some((m) => m.id.includes('/node_modules/fabric/')));
  const workerFile =
    report.assets.find((a) => /prepare-worker[^/]*\.js$/.test(a)) ??
    report.chunks.find((c) => /prepare-worker[^/]*\.js$/.test(c.fileName))?.fileName;
  const lazy = report.chunks.filter((c) => c !== entry && c !== fabric && c.fileName !== workerFile);
  return { entry, fabric, workerFile, lazy };
}

/** The chunk that holds a source module (path relative to the root, e.g. `src/elements/x/x.ts`). */
export function chunkOf(report: BrowserBuildReport, sourcePath: string): ChunkInfo | undefined {
  const suffix = `/${sourcePath}`;
  return report.chunks.find((c) => c.modules.some((m) => m.id.replaceAll('\\', '/').endsWith(suffix)));
}

/** Elements the one-tag script itself defines; the others arrive as chunks when needed. */
export const FIRST_SCREEN_ELEMENTS = ['staging-widget', 'staging-dropzone'];
/** The elements the script loads on demand: whatever the loaders list (only their names are read here). */
export const ON_DEMAND_ELEMENTS: readonly string[] = LOADABLE_TAGS;

/** The whole flow's weight: the one-tag script, the chunks it loads on demand and the worker, fabric aside. */
export function wholeFlowSize(report: BrowserBuildReport): { gzip: number; files: number } {
  const { entry, workerFile, lazy } = cdnParts(report);
  // One photo's flow: <staging-listing> is another flow (a whole listing), measured apart.
  const listing = chunkOf(report, 'src/elements/staging-listing/staging-listing.ts');
  // In English: another language's strings, and the catalog's words in it, are fetched only for a page in that language.
  const files = [entry.fileName, ...lazy.filter((c) => c !== listing && !isLocaleChunk(c) && !isCatalogWordsChunk(c)).map((c) => c.fileName), ...(workerFile ? [workerFile] : [])];
  return { gzip: files.reduce((sum, f) => sum + sizeOf(join(report.outDir, f)).gzip, 0), files: files.length };
}

/** Checks the CDN build's shape; returns the problems found (empty when all is well). */
export function checkCdn(report: BrowserBuildReport): string[] {
  const problems: string[] = [];
  const { entry, fabric, workerFile } = cdnParts(report);
  if (entry.imports.length > 0) problems.push(`the entry has static imports (${entry.imports.join(', ')}): the first screen must be one file`);
  for (const tag of FIRST_SCREEN_ELEMENTS) {
    if (chunkOf(report, `src/elements/${tag}/${tag}.ts`) !== entry) problems.push(`${tag} is not in the entry`);
  }
  for (const tag of ON_DEMAND_ELEMENTS) {
    const chunk = chunkOf(report, `src/elements/${tag}/${tag}.ts`);
    if (!chunk) problems.push(`${tag} is missing from the build`);
    else if (chunk === entry) problems.push(`${tag} is bundled into the entry`);
    else if (!entry.dynamicImports.includes(chunk.fileName)) problems.push(`the entry does not load ${chunk.fileName} (${tag}) on demand`);
  }
  if (!fabric) problems.push('no fabric chunk: the mask painter no longer imports fabric dynamically?');
  else {
    if (fabric === entry) problems.push('fabric is bundled into the entry');
    const staticImporters = report.chunks.filter((c) => c.imports.includes(fabric.fileName)).map((c) => c.fileName);
    if (staticImporters.length > 0) problems.push(`${staticImporters.join(', ')} import ${fabric.fileName} statically`);
    if (!report.chunks.some((c) => c.dynamicImports.includes(fabric.fileName))) problems.push(`nothing imports ${fabric.fileName} on demand`);
  }
  if (!workerFile) problems.push('no image-preparation worker file was emitted');
  else {
    const name = workerFile.split('/').pop()!;
    const referenced = report.chunks.some((c) => readFileSync(join(report.outDir, c.fileName), 'utf8').includes(name));
    if (!referenced) problems.push(`no chunk references the worker ${workerFile}`);
  }
  return problems;
}

/** A chunk of one locale's strings (`src/locales/<code>.ts`), fetched only for a page in that language. */
export function isLocaleChunk(chunk: ChunkInfo): boolean {
  return chunk.modules.some((m) => /\/src\/locales\/(?!locale-codes)[\w-]+\.ts$/.test(m.id.replaceAll('\\', '/')));
}

/** The catalog's words in other languages (`catalog-words-table.ts`), fetched with a page's first language other than English. */
export function isCatalogWordsChunk(chunk: ChunkInfo): boolean {
  return chunk.modules.some((m) => m.id.replaceAll('\\', '/').endsWith('/src/elements/shared/catalog-words-table.ts'));
}

/** What a chunk holds, for size reports: the elements it defines, else its name without the hash. */
function chunkLabel(chunk: ChunkInfo): string {
  const tags = [...new Set(chunk.modules.flatMap((m) => /\/src\/elements\/(staging-[\w-]+)\/\1\.ts$/.exec(m.id.replaceAll('\\', '/'))?.[1] ?? []))];
  if (tags.length > 0) return tags.join(' + ');
  return chunk.fileName.replace(/^chunks\//, '').replace(/-[\w-]{8}\.js$/, '');
}

/**
 * The sizes `npm run build` prints and `npm run bench -- size` reports: the entry against the
 * budget, each chunk loaded on demand, and what the whole flow (every step, fabric aside) costs.
 */
export function cdnSizeRows(report: BrowserBuildReport): Array<{ name: string; value: string }> {
  const { entry, fabric, workerFile, lazy } = cdnParts(report);
  const at = (file: string) => sizeOf(join(report.outDir, file));
  const main = at(entry.fileName);
  const over = main.gzip - CDN_GZIP_BUDGET;
  const rows = [
    {
      name: `bundle: one-tag script ${entry.fileName}: the first screen (widget, upload step, client, Lit; zod and the schemas load with the first request) raw / gzip / brotli`,
      value: `${kib(main.raw)} / ${kib(main.gzip)} / ${kib(main.brotli)} (${main.gzip} bytes gzip)`,
    },
    {
      name: `bundle: budget ${CDN_GZIP_BUDGET.toLocaleString('en')} bytes gzip for the one-tag script`,
      value: over <= 0 ? `met (${-over} bytes to spare)` : `NOT met (${over} bytes over)`,
    },
  ];
  const locales = lazy.filter(isLocaleChunk);
  for (const chunk of [...lazy].filter((c) => !isLocaleChunk(c)).sort((a, b) => at(b.fileName).gzip - at(a.fileName).gzip)) {
    rows.push({ name: `bundle: on demand: ${chunkLabel(chunk)} gzip`, value: kib(at(chunk.fileName).gzip) });
  }
  if (locales.length > 0) {
    rows.push({
      name: `bundle: on demand: one locale's strings (${locales.length} chunks, one per language but English) gzip`,
      value: locales
        .map((c) => [chunkLabel(c), at(c.fileName).gzip] as const)
        .sort((x, y) => y[1] - x[1])
        .map(([label, gzip]) => `${label} ${kib(gzip)}`)
        .join(', '),
    });
  }
  if (workerFile) rows.push({ name: 'bundle: on demand: image-preparation worker gzip', value: kib(at(workerFile).gzip) });
  const flow = wholeFlowSize(report);
  rows.push({
    name: `bundle: the whole flow of one photo in English (the script and every on-demand file but fabric, the listing and other languages) gzip; budget ${kib(WHOLE_FLOW_GZIP_BUDGET)}, goal 60 KiB`,
    value: `${kib(flow.gzip)} in ${flow.files} files (${flow.gzip} bytes)`,
  });
  // A page shows one language at a time: another language adds its chunk, once, and the catalog's words.
  const largest = Math.max(0, ...locales.map((c) => at(c.fileName).gzip));
  const catalogWords = lazy.filter(isCatalogWordsChunk).reduce((sum, c) => sum + at(c.fileName).gzip, 0);
  if (largest > 0) {
    rows.push({ name: "bundle: the same in the largest other language (its strings chunk and the catalog's words added)", value: kib(flow.gzip + largest + catalogWords) });
  }
  const listing = chunkOf(report, 'src/elements/staging-listing/staging-listing.ts');
  if (listing) rows.push({ name: 'bundle: <staging-listing> (a whole listing; loaded when used) gzip, on top of the flow', value: kib(at(listing.fileName).gzip) });
  if (fabric) {
    const f = at(fabric.fileName);
    rows.push({ name: 'bundle: fabric chunk (loaded when a mask painter is first shown) raw / gzip', value: `${kib(f.raw)} / ${kib(f.gzip)}` });
  }
  return rows;
}

/** The modules that weigh most in a chunk, heaviest first. */
export function heaviestModules(chunk: ChunkInfo, count = 10): ModuleSize[] {
  return [...chunk.modules].sort((a, b) => b.renderedLength - a.renderedLength).slice(0, count);
}

/** What a module counts as in size reports: a package, or a folder of src. */
export function moduleGroup(id: string): string {
  const path = id.replace(/^\0/, '').replaceAll('\\', '/');
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return pkg[1]!;
  const src = /\/src\/(elements\/[^/]+|client\/image|[^/]+)\//.exec(path);
  if (src) return `src/${src[1]}`;
  return relativeId(path);
}

/**
 * The chunk's weight by group (package or source folder): bytes as rendered by Rollup (before
 * minification), and the gzip size of the group's code minified on its own: an estimate of
 * its share of the bundle (the whole compresses a little better than the sum of its parts).
 */
export async function groupSizes(chunk: ChunkInfo): Promise<Array<{ group: string; rendered: number; gzip: number }>> {
  const groups = new Map<string, string[]>();
  for (const m of chunk.modules) {
    if (!m.code) continue;
    const g = moduleGroup(m.id);
    groups.set(g, [...(groups.get(g) ?? []), m.code]);
  }
  const rows = await Promise.all(
    [...groups].map(async ([group, codes]) => {
      const code = codes.join('\n');
      const min = await transformWithEsbuild(code, 'group.js', { minify: true, format: 'esm', target: BROWSER_TARGET, legalComments: 'none' });
      return { group, rendered: Buffer.byteLength(code), gzip: gzipSync(min.code, { level: 9 }).length };
    }),
  );
  return rows.sort((a, b) => b.gzip - a.gzip);
}

/** What `npm run build` adds when the entry is over budget: where its weight comes from. */
export async function overBudgetDetail(entry: ChunkInfo): Promise<string[]> {
  const lines = ['heaviest modules of the entry (rendered, before minification):'];
  for (const m of heaviestModules(entry)) lines.push(`  ${kib(m.renderedLength).padStart(10)}  ${relativeId(m.id)}`);
  lines.push('by package / source folder (gzip of its code minified alone, rendered):');
  for (const g of (await groupSizes(entry)).slice(0, 12)) lines.push(`  ${kib(g.gzip).padStart(10)} ${kib(g.rendered).padStart(10)}  ${g.group}`);
  return lines;
}
