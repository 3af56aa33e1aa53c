/**
 * The demo flow in WPE WebKit 2.38 (Debian's cog, driven by WPEWebDriver; its engine is about
 * Safari 16, the oldest Safari the widget supports). A person's steps against `npm start`'s own
 * script (real BFF, local engine): the listing page loads and the widget starts, a fixture photo
 * goes into the file input, a service is picked and started, and the result is shown. Run by
 * `npm run test:browser` (scripts/test-browsers.mjs); alone: `node --import tsx test/e2e/wpe-demo-flow.ts`.
 * Exits non-zero, saying at which step, when the flow does not get through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { startWebDriver } from '../../scripts/engines.mjs';
import { SHADOW_QUERY } from '../../scripts/page-helpers.js';
import { startDemo, type RunningDemo } from '../../scripts/spawn-demo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WPE_DRIVER = process.env.WPE_DRIVER || '/usr/bin/WPEWebDriver';
const COG = process.env.COG_PATH || '/usr/bin/cog';
const PHOTO = join(ROOT, 'test/fixtures/phone-exif-orientation-6.jpg');

type Browser = Awaited<ReturnType<typeof remote>>;

/** Page-side helpers (shadow-DOM query, current step) plus what the host page heard. */
const HELPERS = `${SHADOW_QUERY}
window.__events = [];
for (const name of ['staging-upload', 'staging-job-created', 'staging-job-completed', 'staging-error']) {
  window.addEventListener(name, (e) => window.__events.push(name === 'staging-error' ? name + ': ' + JSON.stringify(e.detail) : name));
}
window.__errors = [];
window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason && e.reason.message || e.reason)));
`;

/** Polls `script` in the page until it returns a truthy value; fails with `what` and the page's errors. */
async function until<T>(browser: Browser, what: string, script: string, timeout: number): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = (await browser.execute(`return (${script});`)) as T;
    if (value) return value;
    if (Date.now() > deadline) {
      const errors = await browser.execute('return (window.__errors || []).concat(window.__events || [])').catch(() => []);
      throw new Error(`${what}: not within ${timeout / 1000} s. Page errors and events: ${JSON.stringify(errors)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A node found through the page's shadow roots, as a WebDriver element (clicks and keys go to it for real). */
async function shadowElement(b: Browser, selector: string): Promise<WebdriverIO.Element> {
  const ref: unknown = await b.execute(`return window.__q(${JSON.stringify(selector)})`);
  if (!ref) throw new Error(`no ${selector} on the page`);
  return b.$(ref as Parameters<Browser['$']>[0]).getElement();
}

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await fn();
  console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'staging-wpe-'));
  let demo: RunningDemo | undefined;
  let driver: Awaited<ReturnType<typeof startWebDriver>> | undefined;
  let browser: Browser | undefined;
  try {
    demo = await startDemo(dir);
    driver = await startWebDriver(WPE_DRIVER);
    browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      logLevel: 'error',
      connectionRetryCount: 0,
      capabilities: {
        // Classic WebDriver: WPEWebDriver 2.38 has no WebDriver BiDi.
        'wdio:enforceWebDriverClassic': true,
        // cog's headless platform: no display server needed.
        'wpe:browserOptions': { binary: COG, args: ['--automation', '--platform=headless'] },
      } as WebdriverIO.Capabilities,
    });
    const b = browser;
    const version = (b.capabilities as { browserVersion?: string }).browserVersion;
    console.log(`WPE WebKit ${version} (cog), demo at ${demo.url}`);

    await step('the listing page loads and the widget starts', async () => {
      await b.url(demo!.url);
      await b.execute(HELPERS);
      await until(b, 'the widget did not start (no "Choose a photo")', `window.__q('[part~="browse-button"]')`, 60_000);
    });

    await step('a photo goes into the drop area (the file input, as the file dialog would)', async () => {
      const input = await shadowElement(b, 'input[type="file"]');
      await input.addValue(PHOTO);
      await until(b, 'the widget did not move on to the Style step', `window.__step() === 'Style' && window.__q('input[name="service"][value="render-enhancement"]')`, 60_000);
    });

    await step('a service is picked and started', async () => {
      await (await shadowElement(b, 'input[name="service"][value="render-enhancement"]')).click();
      await until(b, 'the service was not selected', `window.__q('[part~="service-selected"] input[value="render-enhancement"]') !== null || window.__q('[part~="chosen-service"]') !== null`, 10_000);
      // A card pressed with the pointer folds the cards to its line; Start moves up with it.
      await until(b, 'the cards did not fold', `window.__q('[part~="chosen-service"]') !== null`, 10_000);
      await until(b, 'the submit button stayed disabled', `!window.__q('[part~="submit"]').disabled`, 20_000);
      await (await shadowElement(b, '[part~="submit"]')).click();
    });

    await step('the job runs and the result is shown', async () => {
      await until(b, 'no result step', `window.__step() === 'Result'`, 120_000);
      const shown = await until<{ width: number; height: number }>(
        b,
        'the result image did not load',
        `(() => {
          const ba = window.__q('staging-before-after');
          const imgs = ba ? [...ba.shadowRoot.querySelectorAll('img')] : [];
          const loaded = imgs.filter((i) => i.complete && i.naturalWidth > 0);
          return imgs.length >= 2 && loaded.length === imgs.length && { width: loaded[1].naturalWidth, height: loaded[1].naturalHeight };
        })()`,
        30_000,
      );
      const events: string[] = await b.execute('return window.__events');
      const errors: string[] = await b.execute('return window.__errors');
      for (const name of ['staging-upload', 'staging-job-created', 'staging-job-completed']) {
        if (!events.includes(name)) throw new Error(`the host page never heard ${name}: ${JSON.stringify(events)}`);
      }
      const bad = [...events.filter((e) => e.startsWith('staging-error')), ...errors];
      if (bad.length > 0) throw new Error(`errors on the page: ${JSON.stringify(bad)}`);
      // The photo's pixels are stored 480×800 with EXIF orientation 6: upright it is 800×480,
      // and the result keeps that shape (sideways would be 0.6, not 1.67).
      const ratio = shown.width / shown.height;
      if (Math.abs(ratio - 800 / 480) > 0.02) throw new Error(`the result is ${shown.width}×${shown.height}: not the upright photo's 5:3`);
    });
    console.log('WPE demo flow: passed');
  } finally {
    await browser?.deleteSession().catch(() => undefined);
    await driver?.stop();
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`WPE demo flow: FAILED\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
