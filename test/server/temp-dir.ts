import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Runs `fn` after the current test, last registered first. */
export const afterThisTest = (fn: () => Promise<void> | void) => cleanups.push(fn);

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'staging-test-'));
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fixture's bytes as a plain Uint8Array (a valid fetch body and sharp input). */
export const fixture = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
