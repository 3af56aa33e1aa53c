/**
 * `npm run screenshots`: every step and error state of the demo, as a person sees it, for people
 * to look at (not a pixel-diff test). Runs `npm start`'s own script (BFF on the local engine +
 * the listing page) and Debian's Chromium through puppeteer-core, at desktop 1280×800 and phone
 * 360×740 (touch), light and dark, into `screenshots/<size>-<theme>/NN-state.png` (git-ignored).
 *
 * The failed job comes from the local engine's simulated failure on `upscale`
 * (STAGING_LOCAL_FAILURE); the failed upload and the token failure from intercepted requests.
 *
 * The listing element (`demo/agent.html`) is shot in every set as `20-…` to `24-…`.
 * The main steps in other languages too, desktop and phone (light): Arabic (right to left) and
 * German (long words), into `screenshots/locale-<lang>-<size>/`.
 *
 *   npm run screenshots                 # all sets
 *   npm run screenshots -- phone-dark   # one set
 *   npm run screenshots -- listing      # the listing shots only (with set names: of those sets)
 *   npm run screenshots -- locales      # the languages only
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import sharp from 'sharp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { SHADOW_QUERY } from './page-helpers.js';
import { startDemo, type RunningDemo } from './spawn-demo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'screenshots');
const PHOTO = join(ROOT, 'test/fixtures/bedroom-furnished.jpg');

const SETS = [
  { name: 'desktop-light', viewport: { width: 1280, height: 800 }, dark: false },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, dark: true },
  { name: 'phone-light', viewport: { width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, dark: false },
  { name: 'phone-dark', viewport: { width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, dark: true },
] as const;

/** Page-side helpers: `__q` through shadow roots, `__step`, and `__button(text)` in the widget. */
const PAGE_HELPERS = `${SHADOW_QUERY}
window.__button = (text) => [...window.__q('staging-widget').shadowRoot.querySelectorAll('button')].find((b) => new RegExp(text, 'i').test(b.textContent));
`;

type Set = (typeof SETS)[number];

/**
 * A page of the demo. `intercept` fails the requests whose path ends with `path`: through CDP's
 * Fetch domain with a URL pattern, so that no other request waits on a handler (puppeteer's
 * request interception also held the image worker's script now and then, and the photo was never
 * prepared).
 */
async function open(browser: Browser, url: string, set: Pick<Set, 'viewport' | 'dark'>, intercept?: { path: string; as: 'fail' | 'unauthorized' }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(set.viewport);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: set.dark ? 'dark' : 'light' }]);
  await page.evaluateOnNewDocument(PAGE_HELPERS);
  if (intercept) {
    const cdp = await page.createCDPSession();
    cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
      if (intercept.as === 'fail') void cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'InternetDisconnected' });
      else {
        const body = Buffer.from('{"error":"not signed in"}').toString('base64');
        void cdp.send('Fetch.fulfillRequest', { requestId: e.requestId, responseCode: 401, responseHeaders: [{ name: 'Content-Type', value: 'application/json' }], body });
      }
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `*${intercept.path}*`, requestStage: 'Request' }] });
  }
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Scrolls the widget's top to the top of the screen, as a person would, and shoots the viewport. */
/** A screenshot of the page, scrolled to the top of `scrollTo`, or as it is (null: where the element scrolled itself). */
async function shoot(page: Page, dir: string, name: string, scrollTo: string | null = 'staging-widget'): Promise<void> {
  if (scrollTo) await page.evaluate((s) => (window as any).__q(s)?.scrollIntoView({ block: 'start' }), scrollTo);
  // Let images settle: wait for every eager image on the page (through shadow roots) to have loaded.
  // A string, not a function: tsx would wrap a nested named function in a helper the page lacks.
  await page.waitForFunction(ALL_IMAGES_LOADED, { timeout: 15_000, polling: 200 });
  await page.screenshot({ path: join(dir, `${name}.png`) });
  process.stderr.write(`  ${name}\n`);
}

const ALL_IMAGES_LOADED = `(() => {
  const imgs = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el instanceof HTMLImageElement) imgs.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return imgs.every((i) => i.complete || i.loading === 'lazy' || !i.src);
})()`;

const untilStep = (page: Page, name: string) =>
  page.waitForFunction((n) => (window as any).__step() === n, { timeout: 120_000, polling: 200 }, name).catch((err: Error) => {
    throw new Error(`waiting for the step "${name}": ${err.message}`);
  });
const until = (page: Page, selector: string) =>
  page.waitForFunction((s) => (window as any).__q(s) !== null, { timeout: 120_000, polling: 200 }, selector).catch((err: Error) => {
    throw new Error(`waiting for ${selector}: ${err.message}`);
  });

/** Chooses a file through the dropzone's dialog; a dialog that opened before interception was on is tried again. */
async function choosePhoto(page: Page, path = PHOTO): Promise<void> {
  await until(page, '[part~="browse-button"]');
  for (let attempt = 1; ; attempt++) {
    const chooser = page.waitForFileChooser({ timeout: 5_000 });
    await page.evaluate(() => 0);
    await page.evaluate(() => ((window as any).__q('[part~="browse-button"]') as HTMLElement).click());
    try {
      await (await chooser).accept([path]);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function press(page: Page, selector: string): Promise<void> {
  await until(page, selector);
  await page.evaluate((s) => ((window as any).__q(s) as HTMLElement).click(), selector);
}

async function pressButton(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => (window as any).__button(t) && !(window as any).__button(t).disabled, { timeout: 30_000 }, text);
  await page.evaluate((t) => (window as any).__button(t).click(), text);
}

async function shootSet(browser: Browser, url: string, set: Set, scratch: string): Promise<void> {
  const dir = join(OUT, set.name);
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`${set.name}\n`);

  // The happy path: photo → style → area → progress → result → chosen.
  const page = await open(browser, url, set);
  await until(page, '[part~="browse-button"]');
  await shoot(page, dir, '01-photo');

  const notAPhoto = join(scratch, 'notes.txt');
  writeFileSync(notAPhoto, 'not a photo');
  await choosePhoto(page, notAPhoto);
  await page.waitForFunction(() => (window as any).__q('staging-dropzone')?.shadowRoot?.querySelector('[role="alert"]'), { timeout: 10_000 }).catch(() => {});
  await shoot(page, dir, '02-refused-file');

  await choosePhoto(page);
  await untilStep(page, 'Style');
  await until(page, '[part~="submit"]');
  await shoot(page, dir, '03-style');
  // The style step's measures (issue 9): its height, and whether Start is on screen with the
  // widget's top at the top of the screen; first as it opens, then once a service is tapped.
  const measureStep = () =>
    page.evaluate(() => {
      const base = (window as any).__q('staging-widget').shadowRoot.querySelector('[part="base"]') as HTMLElement;
      const start = (window as any).__q('[part~="submit"]') as HTMLElement;
      const b = start.getBoundingClientRect();
      return { height: Math.round(base.getBoundingClientRect().height), startVisible: b.top >= 0 && b.bottom <= innerHeight };
    });
  const opened = await measureStep();
  process.stderr.write(`  style step: ${opened.height} px tall, Start ${opened.startVisible ? 'visible' : 'NOT visible'} without scrolling\n`);
  // A preview-only service with everything unfolded: what 'More options' holds.
  await press(page, 'input[name="service"][value="virtual-staging"]');
  await page.evaluate(() => ((window as any).__q('[part~="more-options"]') as HTMLDetailsElement).setAttribute('open', ''));
  await until(page, '[part~="reference-drop"]');
  await shoot(page, dir, '03b-style-more-options', '[part~="config"]');
  await page.evaluate(() => ((window as any).__q('[part~="more-options"]') as HTMLDetailsElement).removeAttribute('open'));

  // A tap on a card (a real pointer click) folds the cards to its line: the step then fits a screen.
  const card = await page.evaluateHandle(() => (window as any).__q('[part~="service-selected"]') as HTMLElement);
  await (card as unknown as { click(): Promise<void> }).click();
  await until(page, '[part~="chosen-service"]');
  await shoot(page, dir, '03c-style-chosen');
  const chosen = await measureStep();
  process.stderr.write(`  style step once chosen: ${chosen.height} px tall, Start ${chosen.startVisible ? 'visible' : 'NOT visible'} without scrolling\n`);
  writeFileSync(
    join(dir, 'measures.json'),
    `${JSON.stringify({ viewport: set.viewport, styleStepHeight: opened.height, startVisible: opened.startVisible, chosenStepHeight: chosen.height, chosenStartVisible: chosen.startVisible }, null, 2)}\n`,
  );
  await press(page, '[part~="change-service"]');

  await press(page, 'input[name="service"][value="render-enhancement"]');
  await page.waitForFunction(() => (window as any).__q('input[name="mask"]') !== null, { timeout: 30_000, polling: 100 });
  await page.evaluate(() => {
    const mask = (window as any).__q('input[name="mask"]') as HTMLInputElement;
    if (!mask.checked) mask.click();
  });
  // Start, pressed again if a busy machine let the first press land before the form was ready.
  for (let i = 0; i < 5 && (await page.evaluate(() => (window as any).__step())) !== 'Area'; i++) {
    await press(page, '[part~="submit"]');
    await page.waitForFunction(() => (window as any).__step() === 'Area', { timeout: 10_000, polling: 100 }).catch(() => {});
  }
  await untilStep(page, 'Area');
  await page.waitForFunction(() => (window as any).__q('staging-mask-painter')?.ready === true, { timeout: 90_000, polling: 200 });
  await shoot(page, dir, '04-area');

  const stage = await page.evaluate(() => {
    const el = (window as any).__q('[part~="stage"]') as HTMLElement;
    el.scrollIntoView({ block: 'center' });
    const box = el.getBoundingClientRect();
    return { left: box.left, top: box.top, width: box.width, height: box.height };
  });
  const y = stage.top + stage.height * 0.7;
  await page.mouse.move(stage.left + stage.width * 0.2, y);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(stage.left + stage.width * (0.2 + i * 0.05), y, { steps: 2 });
  await page.mouse.up();
  await shoot(page, dir, '05-area-painted', '[part~="stage"]');

  await pressButton(page, 'Start with this area');
  // On a fast machine the job may finish before a shot: then the progress shot shows the result.
  await page.waitForFunction(() => ['Processing', 'Result'].includes((window as any).__step()), { timeout: 60_000, polling: 100 });
  await shoot(page, dir, '06-progress');
  await untilStep(page, 'Result');
  await until(page, '[part~="use-button"]');
  await shoot(page, dir, '07-result');
  await press(page, '[part~="use-button"]');
  await page.waitForFunction(() => /saved/i.test((window as any).__q('[part="selection-status"]')?.textContent ?? ''), { timeout: 15_000 });
  await shoot(page, dir, '08-result-chosen');

  // A material edit (virtual staging, a preview here) under the demo's AB 723 profile: the label
  // on the image, what publishing takes, then "What changed".
  await pressButton(page, 'Try another style');
  await untilStep(page, 'Style');
  await press(page, 'input[name="service"][value="virtual-staging"]');
  await page.evaluate(() => {
    const mask = (window as any).__q('input[name="mask"]') as HTMLInputElement | null;
    if (mask?.checked) mask.click();
  });
  await press(page, '[part~="submit"]');
  await untilStep(page, 'Result');
  await until(page, '[part~="disclosure"]');
  await shoot(page, dir, '07b-staged-result');
  await shoot(page, dir, '07d-before-you-publish', '[part~="disclosure"]');
  await press(page, '[part~="changes-button"]');
  await until(page, '[part~="changes-overlay"]');
  await page.waitForFunction(() => ((window as any).__q('[part~="changes-overlay"]') as HTMLImageElement).complete, { timeout: 30_000, polling: 100 });
  await shoot(page, dir, '07c-what-changed', '[part~="viewport"]');

  // A failed job: the local engine fails every upscale here.
  await pressButton(page, 'Try another style');
  await untilStep(page, 'Style');
  await press(page, 'input[name="service"][value="upscale"]');
  await press(page, '[part~="submit"]');
  await untilStep(page, 'Processing');
  await page.waitForFunction(() => /could not be finished/i.test((window as any).__q('[part="heading"]')?.textContent ?? ''), { timeout: 60_000 });
  await shoot(page, dir, '09-failed-job');
  await page.close();

  // A failed upload: the connection drops as the photo is sent.
  const offline = await open(browser, url, set, { path: '/v1/uploads', as: 'fail' });
  await choosePhoto(offline);
  await until(offline, '[part="retry-button"]').catch(async (err: Error) => {
    // Seen about once in three runs: keep what the person saw, to find out why.
    await offline.screenshot({ path: join(dir, 'failed-upload-without-retry.png') });
    const said = await offline.evaluate(() => (window as any).__q('staging-widget').shadowRoot.querySelector('[part="error"]')?.textContent?.trim() ?? '(no error shown)');
    throw new Error(`${err.message}; the widget says: ${said}; step ${await offline.evaluate(() => (window as any).__step())}`);
  });
  await shoot(offline, dir, '10-failed-upload');
  await offline.close();

  await shootBrackets(browser, url, set, dir, scratch);

  // A token failure: the host's backend says the visitor is signed out.
  const signedOut = await open(browser, url, set, { path: '/staging-token', as: 'unauthorized' });
  await until(signedOut, '[part="error"]');
  await shoot(signedOut, dir, '11-token-failure');
  await signedOut.close();
}

/** Shots of one view at −2, 0 and +2 EV (in linear light), and one of another size, made from the demo photo. */
async function bracketShots(scratch: string): Promise<{ dark: string; middle: string; bright: string; other: string }> {
  // As a camera takes them: the scene scaled in linear light, then clipped (as in test/server/hdr-merge.test.ts).
  const shot = async (name: string, ev: number, width?: number) => {
    const path = join(scratch, name);
    const { data, info } = await sharp(PHOTO).resize(width ? { width } : undefined).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * Math.min(1, (v / 255) ** 2.2 * 2 ** ev) ** (1 / 2.2));
    for (let i = 0; i < data.length; i++) data[i] = lut[data[i]!]!;
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 90 }).toFile(path);
    return path;
  };
  return { dark: await shot('shot-dark.jpg', -2), middle: await shot('shot-middle.jpg', 0), bright: await shot('shot-bright.jpg', 2), other: await shot('other-camera.jpg', 1, 640) };
}

/** The exposure merge: first shot, the service, the other shots (a wrong one first), the merged photo. */
async function shootBrackets(browser: Browser, url: string, set: Set, dir: string, scratch: string): Promise<void> {
  const shots = await bracketShots(scratch);
  const page = await open(browser, url, set);
  await choosePhoto(page, shots.middle);
  await untilStep(page, 'Style');
  await press(page, 'input[name="service"][value="hdr-merge"]');
  await press(page, '[part~="submit"]');
  await untilStep(page, 'Shots');
  await until(page, '[part~="add-button"]');
  await shoot(page, dir, '12-shots-first');
  const add = async (paths: string[]) => {
    const chooser = page.waitForFileChooser({ timeout: 10_000 });
    await page.evaluate(() => ((window as any).__q('[part~="add-button"] input') as HTMLElement).click());
    await (await chooser).accept(paths);
  };
  const status = (pattern: RegExp) =>
    page.waitForFunction((p) => new RegExp(p).test((window as any).__q('[part~="status"]')?.textContent ?? ''), { timeout: 30_000, polling: 200 }, pattern.source).catch(async (err: Error) => {
      await page.screenshot({ path: join(dir, 'failed-shots.png') });
      throw new Error(`the shots' status never matched ${pattern} (it says "${await page.evaluate(() => (window as any).__q('[part~="status"]')?.textContent)}"): ${err.message}`);
    });
  await add([shots.bright, shots.other]);
  await status(/pixels/);
  await shoot(page, dir, '12b-shots-not-usable');
  await page.evaluate(() => ((window as any).__q('[part~="remove-button"][aria-label="Remove other-camera.jpg"]') as HTMLElement).click());
  await add([shots.dark]);
  await status(/^Ready/);
  await shoot(page, dir, '12c-shots-ready');
  await pressButton(page, 'Merge these shots');
  await untilStep(page, 'Result');
  await until(page, '[part~="use-button"]');
  await shoot(page, dir, '13-merged');
  await page.close();
}

/** A listing's photos: six rooms of the fixtures. */
const LISTING_PHOTOS = [
  'living-room-render.jpg',
  'bedroom-furnished.jpg',
  'kitchen-render.jpg',
  'dining-open-plan-furnished.jpg',
  'living-room-fireplace-1600.jpg',
  'house-exterior-suburban.jpg',
].map((f) => join(ROOT, 'test/fixtures', f));

/** Text of every photo's status line in the listing, through its shadow root. */
const LISTING_STATUSES = `[...window.__q('staging-listing').shadowRoot.querySelectorAll('[part="photo-status"]')].map((s) => s.textContent.trim())`;

/** `<staging-listing>` on the agents' page: empty, the grid with rooms, progress, results. */
async function shootListing(browser: Browser, url: string, set: Set): Promise<void> {
  const dir = join(OUT, set.name);
  mkdirSync(dir, { recursive: true });
  const page = await open(browser, `${url}agent.html`, set);
  await until(page, '[part="drop-area"]');
  await shoot(page, dir, '20-listing-empty', 'staging-listing');
  const chooser = page.waitForFileChooser({ timeout: 10_000 });
  await press(page, '[part="browse-button"]');
  await (await chooser).accept(LISTING_PHOTOS);
  await page.waitForFunction(`${LISTING_STATUSES}.filter((s) => s === 'Ready').length === ${LISTING_PHOTOS.length}`, { timeout: 60_000, polling: 200 });
  // Rooms as an agent would set them; two photos selected, to show the room for a selection.
  await page.evaluate(`(() => {
    const root = window.__q('staging-listing').shadowRoot;
    const rooms = [...root.querySelectorAll('select[part="room"]')];
    ['living-room', 'bedroom', 'kitchen', 'dining-room', 'living-room', 'living-room'].forEach((r, i) => {
      rooms[i].value = r;
      rooms[i].dispatchEvent(new Event('change'));
    });
    for (const i of [4, 5]) root.querySelectorAll('[part="select-box"]')[i].click();
  })()`);
  await shoot(page, dir, '21-listing-grid', 'staging-listing');
  await page.evaluate(`window.__q('[part="footer"]').scrollIntoView({ block: 'end' })`);
  await page.screenshot({ path: join(dir, '22-listing-start.png') });
  process.stderr.write('  22-listing-start\n');
  await press(page, '[part="start-button"]');
  await page.waitForFunction(`${LISTING_STATUSES}.some((s) => / in line$/.test(s)) && ${LISTING_STATUSES}.some((s) => /^Working/.test(s))`, { timeout: 60_000, polling: 50 });
  await shoot(page, dir, '23-listing-progress', 'staging-listing');
  await until(page, '[part="results"]');
  await page.evaluate(`window.__q('staging-listing').shadowRoot.querySelectorAll('[part="exclude-button"]')[2].click()`);
  await shoot(page, dir, '24-listing-results', 'staging-listing');
  // Redo's form under the first photo: what to change, its cost, "Make another version".
  await page.evaluate(`window.__q('staging-listing').shadowRoot.querySelectorAll('[part="redo-button"]')[0].click()`);
  await until(page, '[part="redo-form"]');
  // Where the listing scrolled it: the whole form above the sticky footer.
  await shoot(page, dir, '25-listing-redo', null);
  await page.close();
}

const args = process.argv.slice(2);
const listingOnly = args.includes('listing');
const localesOnly = args.includes('locales');
const only = args.filter((a) => a !== 'listing' && a !== 'locales');

const LOCALE_SETS = ['ar', 'de'].flatMap((lang) => [SETS[0], SETS[2]].map((set) => ({ ...set, lang, name: `locale-${lang}-${set.name.split('-')[0]}` })));

/** The widget's index of the current step (its names are in the page's language). */
const stepIndex = (page: Page) =>
  page.evaluate(() => [...(window as any).__q('staging-widget').shadowRoot.querySelectorAll('[part~="step"]')].findIndex((li: Element) => li.getAttribute('aria-current') === 'step'));
const untilStepIndex = (page: Page, index: number) =>
  page.waitForFunction((i) => [...(window as any).__q('staging-widget').shadowRoot.querySelectorAll('[part~="step"]')].findIndex((li: Element) => li.getAttribute('aria-current') === 'step') === i, { timeout: 120_000, polling: 200 }, index);

/** The main steps in another language: the page's `lang` set as a host site would, the widget following it. */
async function shootLocale(browser: Browser, url: string, set: (typeof LOCALE_SETS)[number], scratch: string): Promise<void> {
  const dir = join(OUT, set.name);
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`${set.name}\n`);
  const page = await open(browser, url, set);
  await page.evaluate((lang) => (document.documentElement.lang = lang), set.lang);
  await until(page, '[part~="browse-button"]');
  await page.waitForFunction(() => (window as any).__q('[part="heading"]')?.textContent !== 'Add a photo of the room', { timeout: 15_000, polling: 100 });
  await shoot(page, dir, '01-photo');
  const notAPhoto = join(scratch, 'notes.txt');
  writeFileSync(notAPhoto, 'not a photo');
  await choosePhoto(page, notAPhoto);
  await page.waitForFunction(() => (window as any).__q('staging-dropzone')?.shadowRoot?.querySelector('[role="alert"]')?.textContent, { timeout: 10_000 }).catch(() => {});
  await shoot(page, dir, '02-refused-file');
  await choosePhoto(page);
  await untilStepIndex(page, 1);
  await until(page, '[part~="submit"]');
  await shoot(page, dir, '03-style');
  await press(page, 'input[name="service"][value="render-enhancement"]');
  await page.waitForFunction(() => (window as any).__q('input[name="mask"]') !== null, { timeout: 30_000, polling: 100 });
  await page.evaluate(() => {
    const mask = (window as any).__q('input[name="mask"]') as HTMLInputElement;
    if (!mask.checked) mask.click();
  });
  for (let i = 0; i < 5 && (await stepIndex(page)) !== 2; i++) {
    await press(page, '[part~="submit"]');
    await untilStepIndex(page, 2).catch(() => {});
  }
  await page.waitForFunction(() => (window as any).__q('staging-mask-painter')?.ready === true, { timeout: 90_000, polling: 200 });
  await shoot(page, dir, '04-area');
  // "Skip: change the whole photo", whatever its words: the area step's non-primary, non-back button.
  await page.evaluate(() => ((window as any).__q('staging-widget').shadowRoot.querySelector('[part="actions"] button:not(.primary):not([part~="back-button"])') as HTMLElement).click());
  await page.waitForFunction(() => (window as any).__q('[part~="status-text"]') || (window as any).__q('[part~="use-button"]'), { timeout: 60_000, polling: 100 });
  await shoot(page, dir, '06-progress');
  await until(page, '[part~="use-button"]');
  await shoot(page, dir, '07-result');
  await page.close();
}

const scratch = mkdtempSync(join(tmpdir(), 'staging-shots-'));
let demo: RunningDemo | undefined;
let browser: Browser | undefined;
try {
  demo = await startDemo(scratch, { STAGING_LOCAL_SPEED: '0.5', STAGING_LOCAL_FAILURE: 'processing:always:upscale' });
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir: join(scratch, 'profile'), args: CHROMIUM_ARGS });
  for (const set of SETS) {
    if (only.length && !only.includes(set.name)) continue;
    if (!listingOnly && !localesOnly) await shootSet(browser, demo.url, set, scratch);
    if (!localesOnly) await shootListing(browser, demo.url, set);
  }
  for (const set of LOCALE_SETS) if (!listingOnly && (only.length === 0 || localesOnly || only.includes(set.name))) await shootLocale(browser, demo.url, set, scratch);
  console.log(`Screenshots in ${OUT}`);
} finally {
  await browser?.close();
  await demo?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
