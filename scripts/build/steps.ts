/**
 * The build steps that are not Vite's: tsc for the library's declarations and for the BFF,
 * the custom-elements analyzer for the manifest, and the OpenAPI document from the contract.
 *
 *   dist/lib/**.d.ts      declarations of the library
 *   dist/server/          the BFF compiled to JS (src/server + src/contract), + .d.ts
 *   dist/openapi.json     HTTP API v1, as the BFF serves it
 *   custom-elements.json  the custom-elements manifest, from the elements' JSDoc
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './root.js';

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
export async function writeOpenApi(): Promise<void> {
  const { buildOpenApi } = await import('../../src/server/openapi.js');
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
