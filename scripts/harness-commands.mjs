// Test-runner commands that work in every engine of the suite (test/browser/support/commands.ts
// calls them). @web/test-runner-commands' own versions throw where a launcher lacks a command:
// WebDriver has no viewport call and no key down/up, and puppeteer's Firefox mode has no media
// emulation and no 'Space' key name. Each command here does the same thing another way, or
// answers `false` when the engine truly cannot, so the test can skip and say why.

/** WebDriver's code points for the named keys the tests press (W3C WebDriver, "Keyboard actions"). */
const WEBDRIVER_KEYS = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  Space: ' ',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  Meta: '\uE03D',
};

function webdriverKey(name) {
  if (name in WEBDRIVER_KEYS) return WEBDRIVER_KEYS[name];
  if ([...name].length === 1) return name;
  throw new Error(`no WebDriver code for key "${name}"`);
}

/** puppeteer's key names, except the one its WebDriver BiDi (Firefox) keyboard does not know. */
const puppeteerKey = (name) => (name === 'Space' ? ' ' : name);

/** For the WebDriver launcher (one driver for the whole run at concurrency 1). */
function driverOf(session) {
  const driver = session.browser.driver;
  if (!driver) throw new Error('the WebDriver session has not started');
  return driver;
}

async function keysWebDriver(driver, payload) {
  const actions = [];
  if ('type' in payload) for (const ch of payload.type) actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
  else if ('press' in payload) actions.push({ type: 'keyDown', value: webdriverKey(payload.press) }, { type: 'keyUp', value: webdriverKey(payload.press) });
  else if ('down' in payload) actions.push({ type: 'keyDown', value: webdriverKey(payload.down) });
  else if ('up' in payload) actions.push({ type: 'keyUp', value: webdriverKey(payload.up) });
  // The input state (a held Shift) lasts across calls until released with keyUp, as in puppeteer.
  await driver.performActions([{ type: 'key', id: 'staging-keyboard', actions }]);
}

async function keysPuppeteer(page, payload) {
  if ('type' in payload) await page.keyboard.type(payload.type);
  else if ('press' in payload) await page.keyboard.press(puppeteerKey(payload.press));
  else if ('down' in payload) await page.keyboard.down(puppeteerKey(payload.down));
  else if ('up' in payload) await page.keyboard.up(puppeteerKey(payload.up));
}

/**
 * Sizes the window so that the page's layout viewport is `width` × `height`. False when the
 * window will not go that small (WebKitGTK's MiniBrowser stops at about 450 px wide).
 */
async function viewportWebDriver(driver, { width, height }) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [innerW, innerH] = await driver.execute('return [innerWidth, innerHeight]');
    if (innerW === width && innerH === height) return true;
    const rect = await driver.getWindowRect();
    await driver.setWindowRect(null, null, rect.width + width - innerW, rect.height + height - innerH);
  }
  const [innerW, innerH] = await driver.execute('return [innerWidth, innerHeight]');
  return innerW === width && innerH === height;
}

export function harnessCommands() {
  return {
    name: 'staging-harness-commands',
    async executeCommand({ command, payload, session }) {
      const { type } = session.browser;
      const isFirefox = session.browser.name === 'Firefox';
      switch (command) {
        case 'staging-send-keys':
          if (type === 'webdriver') await keysWebDriver(driverOf(session), payload);
          else await keysPuppeteer(session.browser.getPage(session.id), payload);
          return true;
        case 'staging-set-viewport':
          if (type === 'webdriver') return viewportWebDriver(driverOf(session), payload);
          await session.browser.getPage(session.id).setViewport(payload);
          return true;
        case 'staging-emulate-media': {
          // Only Chromium's DevTools protocol can override prefers-color-scheme; WebDriver and
          // WebDriver BiDi (Firefox 153) have no such command. `false`: the caller skips.
          if (type === 'webdriver' || isFirefox) return false;
          const features = [];
          if (payload.colorScheme) features.push({ name: 'prefers-color-scheme', value: payload.colorScheme });
          if (payload.reducedMotion) features.push({ name: 'prefers-reduced-motion', value: payload.reducedMotion });
          await session.browser.getPage(session.id).emulateMediaFeatures(features);
          return true;
        }
        case 'staging-engine':
          return { name: session.browser.name, type };
        default:
          return undefined;
      }
    },
  };
}
