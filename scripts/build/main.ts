/**
 * `npm run build`: everything a published package or a CDN needs, or the steps named on the
 * command line (`npm run build -- cdn server`: lib, cdn, server, openapi, manifest).
 *
 *   ./browser.ts     dist/lib (library) and dist/cdn (one-tag script), with Vite
 *   ./guard.ts       the plugin that fails a browser build holding server-only code
 *   ./steps.ts       declarations, dist/server, dist/openapi.json, custom-elements.json
 *   ./size-report.ts the CDN build's parts, shape checks and sizes (also for the bench and tests)
 */
import { join } from 'node:path';
import { buildCdn, buildLib } from './browser.js';
import { CDN_GZIP_BUDGET, cdnParts, cdnSizeRows, checkCdn, overBudgetDetail, sizeOf } from './size-report.js';
import { buildDeclarations, buildManifest, buildServer, writeOpenApi } from './steps.js';

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
      for (const line of await overBudgetDetail(entry)) process.stderr.write(`  ${line}\n`);
    }
  }
  if (wanted('server')) await step('dist/server (tsc -p tsconfig.server.json)', buildServer);
  if (wanted('openapi')) await step('dist/openapi.json (from the zod contract)', writeOpenApi);
  if (wanted('manifest')) await step('custom-elements.json (cem analyze)', buildManifest);
  process.stderr.write(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
