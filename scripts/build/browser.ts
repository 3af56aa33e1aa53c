/**
 * The two browser builds, with Vite (`configFile: false`: vite.config.ts holds the Vitest
 * configuration only), each guarded against server code by ./guard.ts:
 *
 *   dist/lib/                  ESM library (one file per source module), lit/zod/fabric external
 *   dist/cdn/staging-widget.js the one-tag script: everything bundled and minified, except
 *                              fabric (dist/cdn/chunks/fabric-[hash].js, loaded on demand) and the
 *                              image-preparation worker (dist/cdn/chunks/prepare-worker-[hash].js)
 */
import { join } from 'node:path';
import { minifyHTMLLiterals } from 'minify-literals';
import { minify } from 'terser';
import { build, transformWithEsbuild, type InlineConfig, type Plugin, type Rollup } from 'vite';
import { guardPlugin, newRecord, type BrowserBuildReport, type BuildRecord } from './guard.js';
import { ROOT } from './root.js';

/**
 * The browsers the widget supports (README, "Browser support"): the last two years of Chrome,
 * Edge and Firefox, and Safari and iOS Safari from 16. esbuild lowers syntax newer than these
 * (class static blocks for Safari 16, for instance); APIs newer than them are feature-detected
 * in the code (AbortSignal.any, OffscreenCanvas in a worker).
 */
export const BROWSER_TARGET = ['chrome120', 'edge120', 'firefox121', 'safari16', 'ios16'];

/** Packages the library build leaves to the consumer's bundler (peer-style, deduplicated there). */
const LIB_EXTERNAL = /^(?:lit|lit-html|lit-element|@lit\/[^/]+|@lit-labs\/[^/]+|zod|fabric)(?:\/.*)?$/;

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

/** What both browser builds share: a clean output directory for the supported browsers. */
const browserOutput = (outDir: string) => ({ outDir, emptyOutDir: true, target: BROWSER_TARGET, copyPublicDir: false, reportCompressedSize: false });

/**
 * One guarded browser build into `outDir`: `config` gets the records of the main pass and of the
 * worker pass, for their guard plugins to fill in.
 */
async function guardedBuild(outDir: string, config: (main: BuildRecord, worker: BuildRecord) => InlineConfig): Promise<BrowserBuildReport> {
  const main = newRecord();
  const worker = newRecord();
  await productionBuild({ ...common(), ...config(main, worker) });
  return { outDir, chunks: main.chunks, assets: main.assets, workerModules: worker.moduleIds };
}

/**
 * Full minification of ES output, with terser (two compress passes: some 2 % smaller than esbuild's
 * minifier on these files). Vite's library mode keeps whitespace (and pure annotations) in ES
 * output, for consumers that bundle again; the one-tag script is the final file. Syntax is
 * already lowered to BROWSER_TARGET by the build; terser keeps to ES2020.
 */
function minifyEsPlugin(): Plugin {
  return {
    name: 'staging:minify-es',
    enforce: 'post',
    // In generateBundle, after every renderChunk hook (Vite's own esbuild pass re-adds whitespace).
    async generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        // fabric ships minified already: esbuild's quicker pass is enough for it.
        if (item.name === 'fabric') item.code = (await transformWithEsbuild(item.code, item.fileName, { minify: true, format: 'esm', target: BROWSER_TARGET, legalComments: 'none' })).code;
        else item.code = (await minify(item.code, { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } })).code!;
      }
    },
  };
}

/**
 * Minifies the markup and styles in Lit's `html` and `css` templates of the widget's own sources
 * (whitespace, comments, redundant CSS), which esbuild leaves as they are: strings to it.
 */
function minifyTemplatesPlugin(): Plugin {
  return {
    name: 'staging:minify-templates',
    enforce: 'post',
    async transform(code, id) {
      const path = id.replaceAll('\\', '/');
      if (!path.includes('/src/') || !/\.[cm]?[jt]s$/.test(path)) return null;
      const result = await minifyHTMLLiterals(code, { fileName: path, sourceMap: false });
      return result ? { code: result.code, map: null } : null;
    },
  };
}

/**
 * Every `msg()` of the widget names its id (`{ id: 'widget.region' }`, the ids of xliff/*.xlf),
 * so @lit/localize's hashing of a message's text into an id (fnv1a64) is dead code in the
 * browser builds: this stands in for it, and a `msg()` without an id fails loudly.
 */
function msgIdsOnlyPlugin(): Plugin {
  const stub = '\0staging:msg-id-generation';
  return {
    name: 'staging:msg-ids-only',
    enforce: 'pre',
    resolveId(source, importer) {
      return source.endsWith('/id-generation.js') && importer?.replaceAll('\\', '/').includes('/@lit/localize/') ? stub : null;
    },
    load(id) {
      return id === stub ? 'export const generateMsgId = () => { throw new Error("msg() needs an id"); };' : null;
    },
  };
}

/**
 * esbuild writes its `@decorator` helper (`__decorateClass`, for TypeScript's experimental
 * decorators) into every module that uses decorators, so each element's chunk carried a copy:
 * this replaces each copy with an import of one module holding it, which Rollup places in the
 * one-tag script (the widget uses decorators) for the chunks to share. A module whose helpers
 * differ from the usual three lines is left as it is.
 */
function sharedDecoratorHelperPlugin(): Plugin {
  const id = '\0staging:decorate-class';
  const inline = /^(?:"use strict";\n)?var __defProp = Object\.defineProperty;\nvar __getOwnPropDesc = Object\.getOwnPropertyDescriptor;\nvar (__decorateClass = \(decorators, target, key, kind\) => \{\n[^]*?\n\};)\n/;
  let helper = '';
  return {
    name: 'staging:shared-decorator-helper',
    enforce: 'post',
    resolveId: (source) => (source === id ? id : null),
    load: (source) => (source === id ? `const __defProp = Object.defineProperty;\nconst __getOwnPropDesc = Object.getOwnPropertyDescriptor;\nexport const ${helper}\n` : null),
    transform(code, moduleId) {
      if (!moduleId.replaceAll('\\', '/').includes('/src/')) return null;
      const m = inline.exec(code);
      if (!m) return null;
      const rest = code.slice(m[0].length);
      // Another helper of the module (a class field's, say) may use these two names too.
      if (rest.includes('__defProp') || rest.includes('__getOwnPropDesc')) return null;
      if (helper && helper !== m[1]) return null;
      helper = m[1]!;
      return { code: `import { __decorateClass } from ${JSON.stringify(id)};\n${rest}`, map: null };
    },
  };
}

/**
 * The one-tag script: Vite's library mode with one ES entry (no module-preload helper, entry
 * exports kept), fully minified by {@link minifyEsPlugin}. The fabric chunk and the worker
 * are referenced relative to the script's own URL (`import.meta.url`), wherever it is served.
 */
export function buildCdn(outDir = join(ROOT, 'dist/cdn'), entry = join(ROOT, 'src/cdn.ts')): Promise<BrowserBuildReport> {
  return guardedBuild(outDir, (report, worker) => ({
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
      plugins: () => [minifyTemplatesPlugin(), minifyEsPlugin(), ...guardPlugin(worker)],
      rollupOptions: { output: { entryFileNames: 'chunks/[name]-[hash].js', chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
    plugins: [msgIdsOnlyPlugin(), sharedDecoratorHelperPlugin(), minifyTemplatesPlugin(), minifyEsPlugin(), ...guardPlugin(report)],
  }));
}

/**
 * The library: one ES module per source module under dist/lib (so `staging-widget/contract`
 * maps to dist/lib/contract/index.js), lit, zod and fabric left as bare imports.
 */
export function buildLib(outDir = join(ROOT, 'dist/lib')): Promise<BrowserBuildReport> {
  return guardedBuild(outDir, (report, worker) => ({
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
  }));
}
