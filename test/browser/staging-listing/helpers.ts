import { fixture as mount, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-listing/staging-listing.js';
import type { StagingClient } from '../../../src/client/index.js';
import type { StagingListing } from '../../../src/elements/staging-listing/staging-listing.js';
import { bffUrl, devTokens } from '../support/real-bff.js';

export { fixtureFile } from '../support/real-bff.js';

export const inner = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
export const all = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

/** Four photos of a listing from the fixtures: three rooms and an outside view. */
export const LISTING = ['living-room-render.jpg', 'bedroom-furnished.jpg', 'kitchen-render.jpg', 'dining-open-plan-furnished.jpg'];

/** A listing element on the real BFF with a fresh dev session, once its first screen shows. */
export async function mountListing(opts: { subject?: string; session?: Record<string, unknown>; client?: StagingClient; services?: string } = {}): Promise<StagingListing> {
  const el = opts.client
    ? await mount<StagingListing>(html`<staging-listing .client=${opts.client} services=${opts.services ?? ''}></staging-listing>`)
    : await mount<StagingListing>(
        html`<staging-listing endpoint=${await bffUrl()} .fetchToken=${await devTokens(opts.subject, opts.session)} services=${opts.services ?? ''}></staging-listing>`,
      );
  await waitUntil(() => inner(el, '[part="drop-area"], [part="grid"], [part="results"]'), 'the listing did not render', { timeout: 10_000 });
  return el;
}

/** The text of each photo's status line, in order. */
export const statuses = (el: Element) => all(el, '[part="photo-status"]').map((s) => s.textContent.trim());

/** Records the listing's events as the host page sees them. */
export function recordEvents(el: Element) {
  const seen: Array<{ name: string; detail: any }> = [];
  for (const name of ['staging-batch-created', 'staging-outputs-kept', 'staging-error']) el.addEventListener(name, (e) => seen.push({ name, detail: (e as CustomEvent).detail }));
  return seen;
}

/** Every photo uploaded and Start enabled. */
export async function allReady(el: Element, n: number): Promise<void> {
  await waitUntil(() => statuses(el).filter((s) => s === 'Ready').length === n, `not all ${n} photos became ready: ${statuses(el).join(' | ')}`, { timeout: 30_000 });
}
