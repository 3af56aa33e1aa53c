/**
 * Server-side rendering frameworks (Next.js, Nuxt) import a page's modules in Node, where there
 * is no DOM. Importing the package there must not throw: the built library (`staging-widget`, the
 * same files as dist/lib) and its `staging-widget/widget` entry are imported in a fresh Node process
 * that has no `window`, `document` or `customElements` of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildLib } from '../../scripts/build/browser.js';
import { ROOT } from '../../scripts/build/root.js';

// Inside the project, so the library's external imports (lit, zod) resolve from node_modules.
const dir = join(ROOT, 'node_modules', '.tmp', `ssr-lib-${process.pid}`);

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await buildLib(dir);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function importInBareNode(file: string) {
  const script = `
    if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('this Node has a DOM');
    const m = await import(${JSON.stringify(pathToFileURL(file).href)});
    console.log(JSON.stringify(Object.keys(m).sort()));
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

it('importing the library entry in Node without a DOM does not throw', () => {
  const run = importInBareNode(join(dir, 'index.js'));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const names = JSON.parse(run.stdout) as string[];
  expect(names).toEqual(expect.arrayContaining(['StagingWidget', 'StagingPicker', 'StagingClient', 'Job']));
}, 60_000);

it('importing staging-widget/widget in Node without a DOM does not throw', () => {
  const run = importInBareNode(join(dir, 'elements/staging-widget/staging-widget.js'));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toContain('StagingWidget');
}, 60_000);
