/**
 * The whole flow in the demo, as a person does it: `npm start`'s own script (the BFF on the
 * local engine + the Vite-served listing page) in a child process, and Debian's Chromium driven
 * through puppeteer-core — once with the keyboard alone, once with the mouse alone. Only real
 * key presses and real pointer events reach the page; the one thing outside it is the
 * operating system's file dialog, which puppeteer answers with a fixture photo.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type FileChooser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { SHADOW_QUERY } from '../../scripts/page-helpers.js';
import { startDemo, type RunningDemo } from '../../scripts/spawn-demo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');

/** Page-side helpers: find nodes through shadow roots, and describe what has focus. */
const PAGE_HELPERS = `${SHADOW_QUERY}
window.__active = () => {
  let el = document.activeElement;
  const hosts = [];
  while (el && el.shadowRoot && el.shadowRoot.activeElement) {
    hosts.push(el.localName);
    el = el.shadowRoot.activeElement;
  }
  if (!el) return null;
  return {
    hosts,
    tag: el.localName,
    part: el.getAttribute('part') || '',
    role: el.getAttribute('role') || '',
    type: el.getAttribute('type') || '',
    name: el.getAttribute('name') || '',
    value: el.value === undefined ? '' : String(el.value),
    text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
    disabled: !!el.disabled,
  };
};
window.__jobs = [];
window.addEventListener('staging-job-created', (e) => window.__jobs.push(e.detail.job));
window.__log = () => [...document.querySelectorAll('#event-log code')].map((c) => c.textContent);
`;

type Active = { hosts: string[]; tag: string; part: string; role: string; type: string; name: string; value: string; text: string; disabled: boolean };

let dir: string;
let demo: RunningDemo | undefined;
let demoUrl: string;
let browser: Browser | undefined;

async function openDemo(downloads: string, viewport: Parameters<Page['setViewport']>[0] = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser!.newPage();
  await page.setViewport(viewport);
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await page.evaluateOnNewDocument(PAGE_HELPERS);
  await page.goto(demoUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as any).__q('[part~="browse-button"]') !== null, { timeout: 60_000 });
  return page;
}

const active = (page: Page) => page.evaluate(() => (window as any).__active() as Active | null);
const eventLog = (page: Page) => page.evaluate(() => (window as any).__log() as string[]);
const untilStep = (page: Page, name: string, timeout = 30_000) =>
  page.waitForFunction((n) => (window as any).__step() === n, { timeout }, name);

/** Presses Tab (or Shift+Tab) until focus is on what `wanted` accepts; fails after `max` presses. */
async function tabTo(page: Page, what: string, wanted: (a: Active) => boolean, max = 60): Promise<Active> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const a = await active(page);
    if (a && wanted(a)) return a;
    seen.push(a ? `${a.hosts.join('>')}>${a.tag}[${a.part || a.name || a.text.slice(0, 20)}]` : 'nothing');
  }
  throw new Error(`Tab never reached ${what}; focus went: ${seen.join(' → ')}`);
}

/**
 * Runs `act` once puppeteer intercepts file dialogs. Asked for at the same moment, the dialog
 * can open before interception is on, and is then lost: a round trip on the page's session
 * first makes sure the interception command has been handled.
 */
async function choosing(page: Page, act: () => Promise<void>): Promise<FileChooser> {
  const chooser = page.waitForFileChooser({ timeout: 10_000 });
  await page.evaluate(() => 0);
  await act();
  return chooser;
}

/** The centre of a node found through shadow roots, scrolled into view, in viewport pixels. */
async function centre(page: Page, selector: string, at = { x: 0.5, y: 0.5 }): Promise<{ x: number; y: number }> {
  await page.waitForFunction((s) => (window as any).__q(s) !== null, { timeout: 30_000 }, selector);
  return page.evaluate(
    (s, p) => {
      const el = (window as any).__q(s) as HTMLElement;
      el.scrollIntoView({ block: 'center' });
      const box = el.getBoundingClientRect();
      return { x: box.left + box.width * p.x, y: box.top + box.height * p.y };
    },
    selector,
    at,
  );
}

/** A tapped service card folds the cards to its line (with "Change"), so that the next questions fit the screen. */
const untilFolded = (page: Page) => page.waitForFunction(() => (window as any).__q('[part~="chosen-service"]') !== null, { timeout: 10_000 });

async function click(page: Page, selector: string): Promise<void> {
  const { x, y } = await centre(page, selector);
  await page.mouse.click(x, y);
}

/** How far the page or the widget's frame is wider than the screen, in CSS pixels (0: not at all). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const base = (window as any).__q('[part="base"]') as HTMLElement;
    return Math.max(document.documentElement.scrollWidth - innerWidth, base.scrollWidth - base.clientWidth);
  });

async function tap(page: Page, selector: string): Promise<void> {
  const { x, y } = await centre(page, selector);
  await page.touchscreen.tap(x, y);
}

async function waitForDownload(downloads: string): Promise<{ name: string; bytes: number }> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const done = readdirSync(downloads).filter((f) => !f.endsWith('.crdownload'));
    if (done.length > 0) return { name: done[0]!, bytes: statSync(join(downloads, done[0]!)).size };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no file was downloaded');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staging-demo-'));
  demo = await startDemo(dir);
  demoUrl = demo.url;
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir: join(dir, 'profile'), args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the demo (npm start), the whole flow', () => {
  it('with the keyboard alone: photo, style, mask, progress, comparison, download, "use this image"', async () => {
    const downloads = mkdtempSync(join(dir, 'keyboard-downloads-'));
    const page = await openDemo(downloads);

    // Photo: Tab to "Choose a photo", Enter opens the file dialog.
    await tabTo(page, '"Choose a photo"', (a) => a.part.includes('browse-button'));
    const chooser = await choosing(page, () => page.keyboard.press('Enter'));
    await chooser.accept([join(FIXTURES, 'phone-exif-orientation-6.jpg')]);
    await untilStep(page, 'Style');
    // Focus follows the flow to the new step's heading.
    expect((await active(page))?.part).toBe('heading');

    // Style: the service radios take arrow keys, the mask checkbox Space, the submit Enter.
    await page.waitForFunction(() => (window as any).__q('input[name="service"]') !== null, { timeout: 20_000 });
    let a = await tabTo(page, 'a service', (x) => x.name === 'service');
    for (let i = 0; i < 8 && a.value !== 'render-enhancement'; i++) {
      await page.keyboard.press('ArrowDown');
      a = (await active(page))!;
    }
    expect(a.value).toBe('render-enhancement');
    await tabTo(page, 'the mask checkbox', (x) => x.name === 'mask');
    await page.keyboard.press('Space');
    await tabTo(page, 'the submit button', (x) => x.part.includes('submit') && !x.disabled);
    await page.keyboard.press('Enter');

    // Area: the photo takes focus; arrows move the brush, Space held while moving paints.
    await untilStep(page, 'Area');
    await page.waitForFunction(() => (window as any).__q('staging-mask-painter')?.ready === true, { timeout: 30_000 });
    await tabTo(page, 'the photo in the mask painter', (x) => x.hosts.includes('staging-mask-painter') && x.role === 'application');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.down('Space');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.up('Space');
    await tabTo(page, '"Start with this area"', (x) => /Start with this area/.test(x.text) && !x.disabled);
    await page.keyboard.press('Enter');

    // Processing, then the result.
    await untilStep(page, 'Result', 90_000);
    expect((await active(page))?.part).toBe('heading');
    const slider = await tabTo(page, 'the comparison slider', (x) => x.role === 'slider');
    expect(slider.hosts).toContain('staging-before-after');
    const before = await page.evaluate(() => Number((window as any).__q('[role="slider"]').getAttribute('aria-valuenow')));
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    const after = await page.evaluate(() => Number((window as any).__q('[role="slider"]').getAttribute('aria-valuenow')));
    expect(before).toBe(50);
    expect(after).toBe(0);

    await tabTo(page, 'Download', (x) => x.part.includes('download-button'));
    await page.keyboard.press('Enter');
    const file = await waitForDownload(downloads);
    expect(file.name).toMatch(/^staged-photo.*\.(jpg|jpeg|webp|png)$/);
    expect(file.bytes).toBeGreaterThan(10_000);

    await tabTo(page, '"Use this image"', (x) => x.part.includes('use-button'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as any).__log().includes('staging-output-selected'), { timeout: 5_000 });
    const jobs = await page.evaluate(() => (window as any).__jobs as Array<{ mask_upload_id?: string; service: string }>);
    expect(jobs.map((j) => j.service)).toEqual(['render-enhancement']);
    expect(jobs[0]!.mask_upload_id).toMatch(/^upl_/);
    const log = await eventLog(page);
    for (const name of ['staging-upload', 'staging-job-created', 'staging-job-updated', 'staging-job-completed']) expect(log, name).toContain(name);
    expect(log).not.toContain('staging-error');
    await page.close();
  }, 180_000);

  it('with the mouse alone: photo, style, a painted mask, progress, comparison, download, "use this image"', async () => {
    const downloads = mkdtempSync(join(dir, 'mouse-downloads-'));
    const page = await openDemo(downloads);

    const { x: bx, y: by } = await centre(page, '[part~="browse-button"]');
    const chooser = await choosing(page, () => page.mouse.click(bx, by));
    await chooser.accept([join(FIXTURES, 'bedroom-furnished.jpg')]);
    await untilStep(page, 'Style');

    await click(page, 'input[name="service"][value="render-enhancement"]');
    // A card pressed with the mouse folds the cards to its line; the questions under it move up.
    await untilFolded(page);
    await click(page, 'label[for="mask"]');
    expect(await page.evaluate(() => (window as any).__q('input[name="mask"]').checked)).toBe(true);
    await click(page, '[part~="submit"]');

    await untilStep(page, 'Area');
    await page.waitForFunction(() => (window as any).__q('staging-mask-painter')?.ready === true, { timeout: 30_000 });
    // A stroke across the middle of the photo.
    await centre(page, '[part~="stage"]');
    const stage = await page.evaluate(() => {
      const box = ((window as any).__q('[part~="stage"]') as HTMLElement).getBoundingClientRect();
      return { left: box.left, top: box.top, width: box.width, height: box.height };
    });
    const y = stage.top + stage.height * 0.5;
    await page.mouse.move(stage.left + stage.width * 0.3, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(stage.left + stage.width * (0.3 + i * 0.04), y, { steps: 2 });
    await page.mouse.up();
    await page.waitForFunction(
      () => [...(window as any).__q('staging-widget').shadowRoot.querySelectorAll('button')].some((b: HTMLButtonElement) => /Start with this area/.test(b.textContent) && !b.disabled),
      { timeout: 10_000 },
    );
    const start = await page.evaluate(() => {
      const b = [...(window as any).__q('staging-widget').shadowRoot.querySelectorAll('button')].find((x: HTMLButtonElement) => /Start with this area/.test(x.textContent)) as HTMLElement;
      b.scrollIntoView({ block: 'center' });
      const box = b.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    });
    await page.mouse.click(start.x, start.y);

    await untilStep(page, 'Result', 90_000);
    // Drag the divider to a quarter from the left.
    const handle = await centre(page, '[part="handle"]');
    const viewport = await page.evaluate(() => {
      const box = ((window as any).__q('[part="viewport"]') as HTMLElement).getBoundingClientRect();
      return { left: box.left, width: box.width };
    });
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(viewport.left + viewport.width * 0.25, handle.y, { steps: 8 });
    await page.mouse.up();
    const position = await page.evaluate(() => Number((window as any).__q('[role="slider"]').getAttribute('aria-valuenow')));
    expect(position).toBeGreaterThanOrEqual(22);
    expect(position).toBeLessThanOrEqual(28);

    await click(page, '[part~="download-button"]');
    const file = await waitForDownload(downloads);
    expect(file.bytes).toBeGreaterThan(10_000);
    await click(page, '[part~="use-button"]');
    await page.waitForFunction(() => (window as any).__log().includes('staging-output-selected'), { timeout: 5_000 });
    const log = await eventLog(page);
    expect(log).toContain('staging-job-completed');
    expect(log).not.toContain('staging-error');
    // The job was created with the painted mask.
    const jobs = await page.evaluate(() => (window as any).__jobs as Array<{ mask_upload_id?: string }>);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.mask_upload_id).toMatch(/^upl_/);
    await page.close();
  }, 180_000);

  it('on a 360 px phone with touch: every step fits the screen, and taps and a finger do the whole flow', async () => {
    const page = await openDemo(mkdtempSync(join(dir, 'phone-downloads-')), { width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const widths: Record<string, number> = { Photo: await overflow(page) };
    // A touch screen offers the camera next to the file browser.
    await page.waitForFunction(() => (window as any).__q('[part~="camera-button"]') !== null, { timeout: 10_000 });
    const browse = await centre(page, '[part~="browse-button"]');
    const chooser = await choosing(page, () => page.touchscreen.tap(browse.x, browse.y));
    await chooser.accept([join(FIXTURES, 'phone-exif-orientation-6.jpg')]);
    await untilStep(page, 'Style');
    await page.waitForFunction(() => (window as any).__q('input[name="service"]') !== null, { timeout: 20_000 });
    widths.Style = await overflow(page);

    await tap(page, 'input[name="service"][value="render-enhancement"]');
    await untilFolded(page);
    widths.StyleChosen = await overflow(page);
    await tap(page, 'label[for="mask"]');
    await tap(page, '[part~="submit"]');
    await untilStep(page, 'Area');
    await page.waitForFunction(() => (window as any).__q('staging-mask-painter')?.ready === true, { timeout: 30_000 });
    widths.Area = await overflow(page);
    // A phone gets the one-line hint, and no keyboard-shortcut help it has no keyboard for.
    const painterText = await page.evaluate(() => {
      const root = (window as any).__q('staging-mask-painter').shadowRoot as ShadowRoot;
      const shown = (p: string) => getComputedStyle(root.querySelector(`[part~="${p}"]`)!).display !== 'none';
      return { hint: shown('hint'), help: shown('help') };
    });
    expect(painterText).toEqual({ hint: true, help: false });

    // One finger across the photo.
    await centre(page, '[part~="stage"]');
    const stage = await page.evaluate(() => {
      const box = ((window as any).__q('[part~="stage"]') as HTMLElement).getBoundingClientRect();
      return { left: box.left, top: box.top, width: box.width, height: box.height };
    });
    const y = stage.top + stage.height / 2;
    const finger = await page.touchscreen.touchStart(stage.left + stage.width * 0.2, y);
    for (let i = 1; i <= 10; i++) await finger.move(stage.left + stage.width * (0.2 + i * 0.05), y);
    await finger.end();
    // A hand takes a moment to move from the photo to the button. Without it, Chrome took the
    // tap that followed the drag at once as part of the same gesture: no click (seen here).
    await new Promise((r) => setTimeout(r, 600));
    await page.waitForFunction(() => (window as any).__q('staging-mask-painter').hasMask === true, { timeout: 10_000 });
    const start = await page.evaluate(() => {
      const b = [...(window as any).__q('staging-widget').shadowRoot.querySelectorAll('button')].find((x: HTMLButtonElement) => /Start with this area/.test(x.textContent)) as HTMLButtonElement;
      b.scrollIntoView({ block: 'center' });
      const box = b.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2, disabled: b.disabled };
    });
    expect(start.disabled).toBe(false);
    await page.touchscreen.tap(start.x, start.y);

    await untilStep(page, 'Result', 90_000);
    await page.waitForFunction(() => (window as any).__q('[role="slider"]') !== null, { timeout: 10_000 });
    widths.Result = await overflow(page);
    await tap(page, '[part~="use-button"]');
    await page.waitForFunction(() => (window as any).__log().includes('staging-output-selected'), { timeout: 5_000 });
    const jobs = await page.evaluate(() => (window as any).__jobs as Array<{ mask_upload_id?: string }>);
    expect(jobs[0]!.mask_upload_id).toMatch(/^upl_/);
    expect(widths).toEqual({ Photo: 0, Style: 0, StyleChosen: 0, Area: 0, Result: 0 });
    await page.close();
  }, 180_000);
});
