// The browser engines the test suite runs in, all from Debian packages (never a tool's own
// download): Chromium (`chromium`), Firefox ESR (`firefox-esr`, driven by puppeteer-core over
// WebDriver BiDi) and WebKitGTK (`webkit2gtk-driver`: WebKitWebDriver starts its MiniBrowser,
// under an Xvfb display of our own). `STAGING_BROWSERS=chromium,firefox,webkit` picks them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as puppeteer from 'puppeteer-core';
import { chromeLauncher } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { freePort } from './spawn-bff.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** The Xvfb screen, and so the largest window, of the WebKitGTK runs. */
export const WINDOW = { width: 1280, height: 1024 };

/** The engines named in `value` (comma separated), checked against {@link ENGINES}. */
export function parseEngines(value) {
  const names = String(value || 'chromium')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !ENGINES.includes(n));
  if (unknown.length) throw new Error(`STAGING_BROWSERS: unknown engine(s) ${unknown.join(', ')}; known: ${ENGINES.join(', ')}`);
  return [...new Set(names)];
}

/** Waits for a child's stderr/stdout line matching `re`; rejects when it exits first or after `ms`. */
function waitForLine(child, stream, re, ms, what) {
  return new Promise((resolve, reject) => {
    let log = '';
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${ms} ms:\n${log}`)), ms);
    const onExit = (code) => fail(new Error(`${what} exited with code ${code}:\n${log}`));
    function fail(error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      reject(error);
    }
    lines.on('line', (line) => {
      log += `${line}\n`;
      const m = re.exec(line);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      resolve(m);
    });
    child.once('exit', onExit);
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** An X display of our own (Xvfb picks a free number and says which), for WebKitGTK's windows. */
export async function startXvfb() {
  const child = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', `${WINDOW.width}x${WINDOW.height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [, display] = await waitForLine(child, child.stdout, /^(\d+)$/, 15_000, 'Xvfb');
  return { display: `:${display}`, stop: () => stopChild(child) };
}

/**
 * A WebDriver server (WebKitWebDriver or WPEWebDriver) on a free loopback port. Given a host
 * and port, webdriverio talks to it and never fetches a driver of its own.
 */
export async function startWebDriver(binary, env = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: install it from Debian (see .ci/run)`);
  const port = await freePort();
  const child = spawn(binary, [`--port=${port}`, '--host=local'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  child.stderr.resume();
  // The driver prints nothing once it listens: poll its status endpoint.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${binary} exited with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${binary} did not answer on port ${port} within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, stop: () => stopChild(child) };
}

/**
 * webdriverLauncher for WebKitGTK that brings its own Xvfb and WebKitWebDriver and stops
 * them with the run. The commands WebDriver lacks (viewport, colour scheme, key down/up) are
 * served by the test harness's own plugin (scripts/harness-commands.mjs) through `driver`.
 */
class WebKitLauncher extends WebdriverLauncher {
  constructor() {
    super({
      hostname: '127.0.0.1',
      port: 0,
      logLevel: 'error',
      connectionRetryCount: 0,
      capabilities: {
        // Classic WebDriver: WebKitWebDriver refuses the BiDi capability (webSocketUrl) webdriverio asks for.
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
      },
    });
  }

  async initialize(config, testFiles) {
    this.xvfb = await startXvfb();
    this.webdriver = await startWebDriver(WEBKIT_DRIVER, { DISPLAY: this.xvfb.display, GDK_BACKEND: 'x11' });
    this.options.port = this.webdriver.port;
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }

  async stop() {
    await super.stop();
    await this.webdriver?.stop();
    await this.xvfb?.stop();
  }
}

/** The test-runner launcher for one engine. */
export function launcherFor(engine) {
  switch (engine) {
    case 'chromium':
      return chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } });
    case 'firefox':
      // chromeLauncher with a puppeteer of our choosing is what @web/test-runner-puppeteer does;
      // puppeteer-core never downloads a browser, and its Firefox mode speaks WebDriver BiDi.
      return chromeLauncher({
        puppeteer,
        launchOptions: {
          browser: 'firefox',
          executablePath: FIREFOX_PATH,
          headless: true,
          extraPrefsFirefox: {
            // No network beyond the test server: no update, telemetry or remote-settings calls.
            'app.update.enabled': false,
            'browser.shell.checkDefaultBrowser': false,
            'datareporting.policy.dataSubmissionEnabled': false,
            'toolkit.telemetry.enabled': false,
          },
        },
      });
    case 'webkit':
      return new WebKitLauncher();
    default:
      throw new Error(`unknown engine ${engine}`);
  }
}
