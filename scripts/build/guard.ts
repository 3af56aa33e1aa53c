/**
 * The server-code guard: a Vite/Rollup plugin pair, installed in every browser build (and in its
 * worker pass), that fails the build when an output chunk holds server-only code (src/server,
 * better-sqlite3, sharp, Node built-ins), and records what each chunk holds for the size report.
 */
import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';
import { relativeId } from './root.js';

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

/** Where a build pass records what it emitted (the main pass and the worker pass each have one). */
export interface BuildRecord {
  chunks: ChunkInfo[];
  assets: string[];
  moduleIds: string[];
}

export const newRecord = (): BuildRecord => ({ chunks: [], assets: [], moduleIds: [] });

/**
 * Records every chunk's modules and fails the build when one is server-only. Installed in
 * the main build and in the worker build (a separate Rollup pass inside Vite).
 */
export function guardPlugin(report: BuildRecord, allowExternal?: RegExp): Plugin[] {
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
