/**
 * `npm run build`: everything a published package or a CDN needs.
 *
 *   dist/lib/                 ESM library (one file per source module), lit/zod/fabric external, + .d.ts
 *   dist/cdn/staging-widget.js the one-tag script: everything bundled and minified, except
 *                             fabric (dist/cdn/chunks/fabric-[hash].js, loaded on demand) and the
 *                             image-preparation worker (dist/cdn/chunks/prepare-worker-[hash].js)
 *   dist/server/              the BFF compiled to JS (src/server + src/contract), + .d.ts
 *   custom-elements.json      the custom-elements manifest, from the elements' JSDoc
 *
 * Every browser build fails when an output chunk contains server-only code (src/server,
 * better-sqlite3, sharp, Node built-ins).
 *
 * The functions are exported for bench/bundle-size.ts and test/server/bundle-budget.test.ts.
 * Vite runs with `configFile: false`: vite.config.ts holds the Vitest configuration only.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { build, transformWithEsbuild, type InlineConfig, type Plugin, type Rollup } from 'vite';
import { LOADABLE_TAGS } from '../src/elements/element-loaders.js';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const CDN_FILE = 'staging-widget.js';
/**
 * The budget of the one-tag script without fabric (gzip, level 9). Hosts are promised "30 KB"
 * (30,000 bytes); the test holds the script to 25,000 bytes (issue 16's goal, met by loading zod
 * with the first request) so that the gain cannot be lost.
 */
export const CDN_GZIP_BUDGET = 25_000;

/** Packages the library build leaves to the consumer's bundler (peer-style, deduplicated there). */
const LIB_EXTERNAL = /^(?:lit|lit-html|lit-element|@lit\/[^/]+|@lit-labs\/[^/]+|zod|fabric)(?:\/.*)?$/;

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Why a module must never be in a browser chunk, or null when it may be. */
export function serverOnlyReason(id: string): string | null {
  const path = id.replaceAll('\\', '/');
  if (path.includes('/src/server/')) return 'server source (src/server)';
  if (/\/node_modules\/(?:better-sqlite3|sharp|@img\/sharp[^/]*|heic-decode|@hono\/node-server|ioredis|redis)\//.test(path)) {
    return 'server-only package';
  }
  if (/^(?:better-sqlite3|sharp|heic-decode|@hono\/node-server)(?:\/|$)/.test(path)) return 'server-only package';
  if (path.startsWith('node:') || path.includes('__vite-browser-external') || nodeBuiltins.has(path)) return 'Node built-in';
  return null;
}

export interface ModuleSize {
  id: string;
  /** Bytes of the module's code in the chunk as rendered by Rollup, before minification. */
  renderedLength: number;
  /** That rendered code (null when tree-shaken away entirely). */
  code: string | null;
}

export interface ChunkInfo {
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  /** Static imports of other chunks (or externals). */
  imports: string[];
  dynamicImports: string[];
  modules: ModuleSize[];
}

export interface BrowserBuildReport {
  outDir: string;
  chunks: ChunkInfo[];
  /** Files emitted as assets (the worker is one). */
  assets: string[];
  /** The worker bundle's modules (built by Vite in a separate Rollup pass). */
  workerModules: string[];
}

/**
 * Records every chunk's modules and fails the build when one is server-only. Installed in
 * the main build and in the worker build (a separate Rollup pass inside Vite).
 */
function guardPlugin(report: { chunks: ChunkInfo[]; assets: string[]; moduleIds: string[] }, allowExternal?: RegExp): Plugin[] {
  const early: Plugin = {
    name: 'staging:no-server-code-load',
    enforce: 'pre',
    // Fails as soon as a server-only module is loaded (Rollup adds who imported it)...
    load(id) {
      const why = serverOnlyReason(id);
      if (why) this.error(`server-only code reached the browser build: ${relativeId(id)} (${why})`);
      return null;
    },
  };
  const late: Plugin = {
    name: 'staging:no-server-code',
    enforce: 'post',
    // ...and checks every output chunk's modules and external imports once more (after
    // Vite's worker plugin has emitted the worker file).
    generateBundle(_options, bundle) {
      const problems: string[] = [];
      for (const item of Object.values(bundle)) {
        if (item.type === 'asset') {
          report.assets.push(item.fileName);
          continue;
        }
        const modules = Object.entries(item.modules).map(([id, m]) => ({ id, renderedLength: m.renderedLength, code: m.code }));
        for (const id of item.moduleIds) {
          report.moduleIds.push(id);
          const why = serverOnlyReason(id);
          if (why) problems.push(`${item.fileName} contains ${relativeId(id)} (${why})`);
        }
        for (const imp of [...item.imports, ...item.dynamicImports]) {
          if (bundle[imp]) continue; // another chunk of this build
          const why = serverOnlyReason(imp);
          if (why) problems.push(`${item.fileName} imports ${imp} (${why})`);
          else if (allowExternal && !allowExternal.test(imp)) problems.push(`${item.fileName} imports unexpected external ${imp}`);
        }
        report.chunks.push({
          fileName: item.fileName,
          isEntry: item.isEntry,
          isDynamicEntry: item.isDynamicEntry,
          imports: [...item.imports],
          dynamicImports: [...item.dynamicImports],
          modules,
        });
      }
      if (problems.length > 0) {
        this.error(`server-only code reached the browser build:\n  ${problems.join('\n  ')}`);
      }
    },
  };
  return [early, late];
}

function relativeId(id: string): string {
  return id.startsWith('/') ? relative(ROOT, id) : id;
}

/** zod's sources carry comments Rollup cannot place; harmless, and noise in every build. */
const onwarn: NonNullable<Rollup.RollupOptions['onwarn']> = (warning, warn) => {
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
  warn(warning);
};

/**
 * Vite derives production mode (Lit's production build through the `production` export
 * condition, no dev-mode warnings) from process.env.NODE_ENV when it is set: Vitest sets it to
 * "test". Builds run with "production", and the caller's value is restored afterwards.
 */
async function productionBuild(config: InlineConfig): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(config);
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

const common = (): InlineConfig => ({
  configFile: false,
  root: ROOT,
  // Emitted files (fabric chunk, worker) are found relative to the importing module's URL.
  base: './',
  logLevel: 'warn',
  publicDir: false,
  // No `process.env.NODE_ENV` checks survive: Lit's production build is picked by export conditions.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  esbuild: { legalComments: 'none' },
});

/** Where a build records what it emitted (the main pass and the worker pass each have one). */
const newRecord = () => ({ chunks: [] as ChunkInfo[], assets: [] as string[], moduleIds: [] as string[] });

/**
 * The browsers the widget supports (README, "Browser support"): the last two years of Chrome,
 * Edge and Firefox, and Safari and iOS Safari from 16. esbuild lowers syntax newer than these
 * (class static blocks for Safari 16, for instance); APIs newer than them are feature-detected
 * in the code (AbortSignal.any, OffscreenCanvas in a worker).
 */
export const BROWSER_TARGET = ['chrome120', 'edge120', 'firefox121', 'safari16', 'ios16'];

/** What both browser builds share: a clean output directory for the supported browsers. */
const browserOutput = (outDir: string) => ({ outDir, emptyOutDir: true, target: BROWSER_TARGET, copyPublicDir: false, reportCompressedSize: false });

/**
 * Full minification of ES output. Vite's library mode keeps whitespace (and pure annotations)
 * in ES output, for consumers that bundle again; the one-tag script is the final file.
 */
function minifyEsPlugin(): Plugin {
  return {
    name: 'staging:minify-es',
    enforce: 'post',
    // In generateBundle, after every renderChunk hook (Vite's own esbuild pass re-adds whitespace).
    async generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        const result = await transformWithEsbuild(item.code, item.fileName, {
          minify: true,
          format: 'esm',
          target: BROWSER_TARGET,
          legalComments: 'none',
          sourcemap: false,
        });
        item.code = result.code;
      }
    },
  };
}

/**
 * The one-tag script: Vite's library mode with one ES entry (no module-preload helper, entry
 * exports kept), fully minified by {@link minifyEsPlugin}. The fabric chunk and the worker
 * are referenced relative to the script's own URL (`import.meta.url`), wherever it is served.
 */
export async function buildCdn(outDir = join(ROOT, 'dist/cdn'), entry = join(ROOT, 'src/cdn.ts')): Promise<BrowserBuildReport> {
  const report = newRecord();
  const worker = newRecord();
  await productionBuild({
    ...common(),
    build: {
      ...browserOutput(outDir),
      minify: 'esbuild',
      sourcemap: false,
      lib: { entry: { 'staging-widget': entry }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      rollupOptions: {
        onwarn,
        // The lazily loaded elements import Lit, the client and the shared helpers from the entry
        // itself; with 'strict' Rollup would move all of that into a chunk behind a facade entry.
        preserveEntrySignatures: 'allow-extension',
        output: {
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: 'chunks/[name]-[hash][extname]',
          // All of fabric in one lazily loaded chunk, named so it is easy to spot.
          manualChunks: (id) => (id.replaceAll('\\', '/').includes('/node_modules/fabric/') ? 'fabric' : undefined),
        },
      },
    },
    worker: {
      format: 'es',
      plugins: () => [minifyEsPlugin(), ...guardPlugin(worker)],
      rollupOptions: { output: { entryFileNames: 'chunks/[name]-[hash].js', chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
    plugins: [minifyEsPlugin(), ...guardPlugin(report)],
  });
  return { outDir, chunks: report.chunks, assets: report.assets, workerModules: worker.moduleIds };
}

/**
 * The library: one ES module per source module under dist/lib (so `staging-widget/contract`
 * maps to dist/lib/contract/index.js), lit, zod and fabric left as bare imports.
 */
export async function buildLib(outDir = join(ROOT, 'dist/lib')): Promise<BrowserBuildReport> {
  const report = newRecord();
  const worker = newRecord();
  await productionBuild({
    ...common(),
    build: {
      ...browserOutput(outDir),
      minify: false,
      sourcemap: true,
      // The contract is an entry too, so its barrel module survives as dist/lib/contract/index.js
      // (the "./contract" export); Rollup would otherwise fold pure re-export modules away.
      lib: {
        entry: { index: join(ROOT, 'src/index.ts'), 'contract/index': join(ROOT, 'src/contract/index.ts'), 'client/index': join(ROOT, 'src/client/index.ts') },
        formats: ['es'],
      },
      rollupOptions: {
        external: (id) => LIB_EXTERNAL.test(id),
        onwarn,
        output: {
          preserveModules: true,
          preserveModulesRoot: join(ROOT, 'src'),
          entryFileNames: '[name].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
        },
      },
    },
    worker: {
      format: 'es',
      plugins: () => guardPlugin(worker),
      rollupOptions: { output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: 'assets/[name]-[hash].js' } },
    },
    plugins: guardPlugin(report, LIB_EXTERNAL),
  });
  return { outDir, chunks: report.chunks, assets: report.assets, workerModules: worker.moduleIds };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

/** Declarations of the library (src/index.ts, contract, client, elements) into dist/lib. */
export const buildDeclarations = () => run(bin('tsc'), ['-p', 'tsconfig.build.json']);

/** The OpenAPI 3.1 document of HTTP API v1, the same one the BFF serves at /v1/openapi.json. */
async function writeOpenApi(): Promise<void> {
  const { buildOpenApi } = await import('../src/server/openapi.js');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/openapi.json'), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
}

/** The BFF and the contract compiled to dist/server/{server,contract}. */
export const buildServer = () => {
  rmSync(join(ROOT, 'dist/server'), { recursive: true, force: true });
  return run(bin('tsc'), ['-p', 'tsconfig.server.json']);
};

/** custom-elements.json (config: custom-elements-manifest.config.mjs, which leaves package.json alone). */
export async function buildManifest(): Promise<void> {
  const pkgBefore = readFileSync(join(ROOT, 'package.json'), 'utf8');
  await run(bin('cem'), ['analyze', '--quiet']);
  if (readFileSync(join(ROOT, 'package.json'), 'utf8') !== pkgBefore) {
    throw new Error('the custom-elements analyzer rewrote package.json: check custom-elements-manifest.config.mjs (packagejson: false)');
  }
}

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
  let later = 0;
  for (const chunk of [...lazy].sort((a, b) => at(b.fileName).gzip - at(a.fileName).gzip)) {
    const size = at(chunk.fileName);
    later += size.gzip;
    rows.push({ name: `bundle: on demand: ${chunkLabel(chunk)} gzip`, value: kib(size.gzip) });
  }
  const worker = workerFile ? at(workerFile) : null;
  if (worker) rows.push({ name: 'bundle: on demand: image-preparation worker gzip', value: kib(worker.gzip) });
  rows.push({
    name: 'bundle: the whole flow (the script and every on-demand file but fabric) gzip',
    value: `${kib(main.gzip + later + (worker?.gzip ?? 0))} in ${1 + lazy.length + (worker ? 1 : 0)} files`,
  });
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

export const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = (step: string) => only.length === 0 || only.includes(step);
  const started = performance.now();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    process.stderr.write(`build: ${name}…\n`);
    const result = await fn();
    process.stderr.write(`build: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    return result;
  };

  if (wanted('lib')) {
    const lib = await step('dist/lib (vite, library)', () => buildLib());
    // Every dist/lib file that package.json's exports point at.
    for (const file of ['index.js', 'contract/index.js', 'elements/staging-widget/staging-widget.js']) {
      if (!lib.chunks.some((c) => c.fileName === file)) throw new Error(`dist/lib/${file} was not emitted`);
    }
    await step('dist/lib declarations (tsc -p tsconfig.build.json)', buildDeclarations);
  }
  if (wanted('cdn')) {
    const cdn = await step('dist/cdn (vite, one-tag script)', () => buildCdn());
    const problems = checkCdn(cdn);
    if (problems.length > 0) throw new Error(`the CDN build is not as expected:\n  ${problems.join('\n  ')}`);
    for (const row of cdnSizeRows(cdn)) process.stderr.write(`  ${row.name}: ${row.value}\n`);
    const { entry } = cdnParts(cdn);
    if (sizeOf(join(cdn.outDir, entry.fileName)).gzip > CDN_GZIP_BUDGET) {
      process.stderr.write('  heaviest modules of the entry (rendered, before minification):\n');
      for (const m of heaviestModules(entry)) process.stderr.write(`    ${kib(m.renderedLength).padStart(10)}  ${relativeId(m.id)}\n`);
      process.stderr.write('  by package / source folder (gzip of its code minified alone, rendered):\n');
      for (const g of (await groupSizes(entry)).slice(0, 12)) {
        process.stderr.write(`    ${kib(g.gzip).padStart(10)} ${kib(g.rendered).padStart(10)}  ${g.group}\n`);
      }
    }
  }
  if (wanted('server')) await step('dist/server (tsc -p tsconfig.server.json)', buildServer);
  if (wanted('openapi')) await step('dist/openapi.json (from the zod contract)', writeOpenApi);
  if (wanted('manifest')) await step('custom-elements.json (cem analyze)', buildManifest);
  process.stderr.write(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
