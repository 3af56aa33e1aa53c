/**
 * The test-runner commands the browser suite uses, working in every engine it runs in
 * (scripts/harness-commands.mjs serves them): Chromium and Firefox through puppeteer, WebKitGTK
 * through WebDriver. The mouse commands of @web/test-runner-commands work in all three already.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { Media, SendKeysPayload, Viewport } from '@web/test-runner-commands';

export { resetMouse, sendMouse } from '@web/test-runner-commands';

/** Presses, holds or releases a key, or types text; key names as in puppeteer ('Space', 'Shift', 'ArrowRight'). */
export async function sendKeys(payload: SendKeysPayload): Promise<void> {
  await executeServerCommand('staging-send-keys', payload);
}

/**
 * Sizes the page's layout viewport (WebDriver: by resizing the window around it). False when
 * the engine's window cannot get that small (WebKitGTK's MiniBrowser): skip the test there.
 */
export async function setViewport(viewport: Viewport): Promise<boolean> {
  return executeServerCommand<boolean, Viewport>('staging-set-viewport', viewport);
}

/**
 * Overrides `prefers-color-scheme` (and reduced motion). False where the engine's automation
 * protocol has no such override (WebDriver, and WebDriver BiDi in Firefox): skip the test there.
 */
export async function emulateMedia(media: Pick<Media, 'colorScheme' | 'reducedMotion'>): Promise<boolean> {
  return executeServerCommand<boolean, typeof media>('staging-emulate-media', media);
}

/** The engine the test runs in, as the runner names its launcher ('Chrome', 'Firefox', 'WebKit'). */
export async function engineName(): Promise<string> {
  return (await executeServerCommand<{ name: string }, undefined>('staging-engine')).name;
}
