/**
 * The React 19 and Vue 3 examples (`examples/react`, `examples/vue`) as a host's developers
 * would build them: their own tool chains (Vite with esbuild's JSX; Vite with @vitejs/plugin-vue),
 * type-checked with tsc and vue-tsc against the JSX / template types the package ships, then run
 * in Debian's Chromium against a real BFF process on the local engine. Each example sets
 * `fetchToken` as a property, passes `services` and `lang`, and shows the typed events it hears.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type ElementHandle } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { freePort, spawnBff } from '../../scripts/spawn-bff.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = ['react', 'vue'] as const;
const TYPES = { 'text/html': '.html', 'text/javascript': '.js', 'text/css': '.css' };

let dir: string;
let bff: { url: string; stop: () => Promise<void> } | undefined;
let browser: Browser | undefined;
const servers: Server[] = [];

/** A static server for a built example (loopback only). */
async function serve(root: string): Promise<string> {
  const port = await freePort();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const type = Object.entries(TYPES).find(([, ext]) => ext === extname(file))?.[0] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staging-examples-'));
  for (const name of EXAMPLES) {
    await build({
      configFile: join(ROOT, `examples/${name}/vite.config.ts`),
      logLevel: 'error',
      build: { outDir: join(dir, name), emptyOutDir: true },
    });
  }
  const port = await freePort();
  bff = await spawnBff({
    STAGING_DEV: '1',
    STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
    STAGING_DATA_DIR: join(dir, 'blobs'),
    STAGING_LOCAL_SPEED: '0',
    PORT: String(port),
    STAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
  for (const s of servers) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the framework typings', () => {
  it('type-check the React example with tsc, including a refused mistake in an event detail', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'examples/react/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('type-check the Vue example with vue-tsc, including a refused mistake in an event detail', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', 'examples/vue/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);
});

describe.each(EXAMPLES)('the %s example in Chromium', (name) => {
  it('gets its token through the fetchToken property, keeps services and lang, and hears the typed upload event', async () => {
    const url = `${await serve(join(dir, name))}/?bff=${encodeURIComponent(bff!.url)}`;
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(url, { waitUntil: 'load' });
      const input = (await page.waitForFunction(
        () => {
          const find = (root: Document | ShadowRoot): Element | null => {
            const hit = root.querySelector('input[type="file"]');
            if (hit) return hit;
            for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
            return null;
          };
          return find(document);
        },
        { timeout: 60_000 },
      )) as ElementHandle<HTMLInputElement>;
      const widget = await page.evaluate(() => {
        const w = document.querySelector('staging-widget') as HTMLElement & { services: string; fetchToken?: unknown };
        return { services: w.services, lang: w.getAttribute('lang'), fetchTokenIsProperty: typeof w.fetchToken === 'function', fetchTokenAttribute: w.getAttribute('fetchtoken') };
      });
      expect(widget).toEqual({ services: 'render-enhancement,upscale', lang: 'en', fetchTokenIsProperty: true, fetchTokenAttribute: null });

      await input.uploadFile(join(ROOT, 'test/fixtures/bedroom-furnished.jpg'));
      const line = await page.waitForFunction(
        () => [...document.querySelectorAll('#event-log li')].map((li) => li.textContent ?? '').find((t) => t.startsWith('upload ')) ?? null,
        { timeout: 60_000 },
      );
      // The framework's own state shows the typed detail: the stored upload's id and size.
      expect(await line.jsonValue()).toMatch(/^upload upl_[A-Za-z0-9]+ \d+x\d+$/);
      const log = await page.$$eval('#event-log li', (lis) => lis.map((li) => li.textContent));
      expect(log.filter((l) => l?.startsWith('error'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
