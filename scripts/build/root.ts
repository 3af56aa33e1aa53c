import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, which every build reads from and writes under. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A module id as the build messages show it: relative to the root when it is a path. */
export function relativeId(id: string): string {
  return id.startsWith('/') ? relative(ROOT, id) : id;
}
