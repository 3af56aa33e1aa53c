/**
 * The one-tag script under a strict Content-Security-Policy (no 'unsafe-inline', no
 * 'unsafe-eval'): builds the CDN bundle, serves it with a host page from a tiny node:http
 * server on 127.0.0.1 (every response carries the policy), and drives Debian's Chromium
 * headless through puppeteer-core (present in node_modules as a dependency of
 * @web/test-runner-chrome). The page writes the tags alone, as a host page would, and the
 * script's autoloader fetches the elements it does not carry: it renders the dropzone, the
 * before/after slider and the mask painter (fabric loaded), and the picker, job progress and
 * widget in their unconfigured state; prepares a photo in the image worker, and reports every
 * `securitypolicyviolation` event; the console is watched for CSP messages too (workers).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCdn } from '../../scripts/build/browser.js';
import type { BrowserBuildReport } from '../../scripts/build/guard.js';
import { ON_DEMAND_ELEMENTS, cdnParts, chunkOf } from '../../scripts/build/size-report.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data: http://127.0.0.1:*",
  "connect-src 'self' http://127.0.0.1:*",
  "worker-src 'self'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>staging-widget under a strict CSP</title>
  <link rel="stylesheet" href="/page.css">
  <script type="module" src="/page.js"></script>
  <script type="module" src="/cdn/staging-widget.js"></script>
</head>
<body>
  <main id="root"></main>
  <output id="result"></output>
</body>
</html>`;

/** Runs in the page: violations are recorded before the bundle evaluates (this module comes first). */
const PAGE_SCRIPT = `
const violations = [];
const describe = (node) => {
  if (!node || node.nodeType !== 1) return node && node.nodeName ? node.nodeName : null;
  const part = node.getAttribute('part');
  return node.localName + (part ? '[part="' + part + '"]' : '');
};
document.addEventListener('securitypolicyviolation', (e) => {
  const target = e.composedPath()[0];
  const host = target && target.getRootNode && target.getRootNode().host;
  violations.push({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    element: (host ? describe(host) + ' > ' : '') + describe(target),
    source: e.sourceFile,
    line: e.lineNumber,
  });
}, true);
const errors = [];
addEventListener('error', (e) => errors.push(String(e.message || e.error)));
addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + String(e.reason && e.reason.message || e.reason)));

const waitFor = async (what, test, ms = 20000) => {
  const until = performance.now() + ms;
  while (!test()) {
    if (performance.now() > until) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const styleReport = (el) => ({
  tag: el.localName,
  adopted: el.shadowRoot ? el.shadowRoot.adoptedStyleSheets.length : -1,
  styleElements: el.shadowRoot ? el.shadowRoot.querySelectorAll('style').length : -1,
});

async function main() {
  const root = document.getElementById('root');
  // Standalone tags, as a page would write them: the one-tag script defines the widget and the
  // dropzone, and its autoloader fetches the other elements' chunks when they appear.
  const painter = document.createElement('staging-mask-painter');
  painter.src = '/fixtures/living-room-render.jpg';
  painter.style.width = '600px';
  root.append(painter);

  const compare = document.createElement('staging-before-after');
  compare.setAttribute('before', '/fixtures/living-room-render.jpg');
  compare.setAttribute('after', '/fixtures/kitchen-render.jpg');
  root.append(compare);

  const dropzone = document.createElement('staging-dropzone');
  root.append(dropzone);

  // Elements that need a BFF to do anything are rendered in their initial (unconfigured) state.
  const extras = ['staging-picker', 'staging-bracket-set', 'staging-job-progress', 'staging-listing', 'staging-widget'].map((t) => root.appendChild(document.createElement(t)));

  const all = [painter, compare, dropzone, ...extras];
  await waitFor('every element to be defined', () => all.every((el) => el.matches(':defined')));
  await Promise.all([painter, compare, dropzone, ...extras].map((el) => el.updateComplete));
  await waitFor('the mask painter (fabric) to be ready', () => painter.ready === true);
  const canvasPart = painter.shadowRoot.querySelector('[part~="canvas"]') !== null;

  const bytes = await (await fetch('/fixtures/living-room-render.jpg')).blob();
  const selected = new Promise((resolve) => {
    dropzone.addEventListener('staging-file-selected', (e) => resolve({ ok: true, width: e.detail?.prepared?.width ?? e.detail?.width ?? null }), { once: true });
    dropzone.addEventListener('staging-file-rejected', (e) => resolve({ ok: false, code: e.detail?.code ?? null }), { once: true });
  });
  const accepted = await dropzone.selectFile(new File([bytes], 'photo.jpg', { type: 'image/jpeg' }));
  const selection = await Promise.race([selected, new Promise((r) => setTimeout(() => r({ ok: null }), 15000))]);
  await dropzone.updateComplete;
  // Let any late violation report arrive (they are queued as tasks).
  await new Promise((r) => setTimeout(r, 300));

  return {
    violations,
    errors,
    painterReady: painter.ready,
    canvasPart,
    accepted,
    selection,
    styles: [painter, compare, dropzone, ...extras].map(styleReport),
    documentStyleElements: document.querySelectorAll('style').length,
  };
}

window.__cspResult = main().catch((e) => ({ fatal: String(e && e.stack || e), violations, errors }));
`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

function serve(cdnDir: string, requests: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': STRICT_CSP, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const fromDir = (base: string, rel: string) => {
      const file = normalize(join(base, rel));
      if (!file.startsWith(base.endsWith(sep) ? base : base + sep) || !existsSync(file)) return send(404, 'text/plain', 'not found');
      send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    };
    if (path === '/') return send(200, TYPES['.html']!, PAGE);
    if (path === '/page.js') return send(200, TYPES['.js']!, PAGE_SCRIPT);
    if (path === '/page.css') return send(200, TYPES['.css']!, 'body { font-family: sans-serif; margin: 0; }');
    if (path.startsWith('/cdn/')) return fromDir(cdnDir, path.slice('/cdn/'.length));
    if (path.startsWith('/fixtures/')) return fromDir(FIXTURES, path.slice('/fixtures/'.length));
    send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface PageResult {
  fatal?: string;
  violations: Array<{ directive: string; blocked: string; element: string | null; source: string; line: number }>;
  errors: string[];
  painterReady?: boolean;
  canvasPart?: boolean;
  accepted?: boolean;
  selection?: { ok: boolean | null };
  styles?: Array<{ tag: string; adopted: number; styleElements: number }>;
  documentStyleElements?: number;
}

let dir: string;
let report: BrowserBuildReport;
let server: Server | undefined;
let browser: Browser | undefined;
const requests: string[] = [];
const consoleCsp: string[] = [];
let result: PageResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staging-csp-'));
  report = await buildCdn(join(dir, 'cdn'));
  server = await serve(report.outDir, requests);
  const { port } = server.address() as AddressInfo;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir: join(dir, 'profile'),
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 900 });
  const onConsole = (text: string) => {
    if (/content security policy/i.test(text)) consoleCsp.push(text);
  };
  page.on('console', (m) => onConsole(m.text()));
  page.on('pageerror', (e) => onConsole(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('workercreated', (w) => w.on('console', (m) => onConsole(`worker: ${m.text()}`)));
  await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
  await page.waitForFunction('window.__cspResult !== undefined', { timeout: 20_000 });
  result = (await page.evaluate('window.__cspResult')) as PageResult;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the one-tag script under a strict CSP', () => {
  it('runs the page script to the end without errors', () => {
    expect(result.fatal).toBeUndefined();
    expect(result.errors).toEqual([]);
  });

  it('renders the elements without a single violation', () => {
    expect(result.violations).toEqual([]);
    expect(consoleCsp).toEqual([]);
  });

  it('fetches the chunk of each standalone element through the autoloader', () => {
    for (const tag of ON_DEMAND_ELEMENTS) {
      const chunk = chunkOf(report, `src/elements/${tag}/${tag}.ts`);
      expect(requests, tag).toContain(`/cdn/${chunk!.fileName}`);
    }
  });

  it('loads fabric from its chunk and the mask painter becomes ready', () => {
    const { fabric } = cdnParts(report);
    expect(requests).toContain(`/cdn/${fabric!.fileName}`);
    expect(result.painterReady).toBe(true);
    expect(result.canvasPart).toBe(true);
  });

  it('prepares a photo, fetching the image worker from the CDN directory', () => {
    const { workerFile } = cdnParts(report);
    expect(result.accepted).toBe(true);
    expect(result.selection?.ok).toBe(true);
    expect(requests).toContain(`/cdn/${workerFile}`);
  });

  it('styles shadow roots with constructable stylesheets, never <style> elements (no nonce needed)', () => {
    expect(result.styles!.length).toBeGreaterThanOrEqual(3);
    for (const s of result.styles!) {
      expect(s.adopted, s.tag).toBeGreaterThan(0);
      expect(s.styleElements, s.tag).toBe(0);
    }
    expect(result.documentStyleElements).toBe(0);
  });
});
