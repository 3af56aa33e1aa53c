import { fixture as mount, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-widget/staging-widget.js';
import type { StagingWidget } from '../../../src/elements/staging-widget/staging-widget.js';
import { bffUrl, devTokens } from '../support/real-bff.js';

export { bffUrl, devTokens, fixtureFile } from '../support/real-bff.js';

export const inner = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector);

/**
 * A widget on the real BFF with a fresh dev session for `subject`, once `until` renders (by
 * default the upload step's dropzone; a widget resuming a job may skip that step).
 */
export async function mountWidget(subject?: string, session: Record<string, unknown> = {}, until = 'staging-dropzone'): Promise<StagingWidget> {
  const el = await mount<StagingWidget>(html`<staging-widget endpoint=${await bffUrl()} .fetchToken=${await devTokens(subject, session)}></staging-widget>`);
  await waitUntil(() => inner(el, until), `the widget did not render ${until}`, { timeout: 10_000 });
  return el;
}

/** Records every `staging-*` event the host page would see on the tag. */
export function recordEvents(el: Element) {
  const names = ['staging-upload', 'staging-job-created', 'staging-job-updated', 'staging-job-completed', 'staging-job-failed', 'staging-output-selected', 'staging-error'];
  const seen: Array<{ name: string; detail: any; target: EventTarget | null }> = [];
  for (const name of names) el.addEventListener(name, (e) => seen.push({ name, detail: (e as CustomEvent).detail, target: e.target }));
  return seen;
}

export const step = (el: StagingWidget) => inner(el, '[aria-current="step"] [part="step-label"]')?.textContent?.trim();
