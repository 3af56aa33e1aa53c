import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-before-after/staging-before-after.js';
import type { CompareVariant, StagingBeforeAfter } from '../../../src/elements/staging-before-after/staging-before-after.js';
import { part } from '../support/parts.js';

export { part };

const fixtureUrl = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url).href;

export const BEFORE_URL = fixtureUrl('living-room-render.jpg');
export const VARIANTS: CompareVariant[] = [
  { id: 'out_a1', url: fixtureUrl('bedroom-furnished.jpg'), width: 1600, height: 1067, label: 'Scandinavian', contentType: 'image/jpeg' },
  { id: 'out_b2', url: fixtureUrl('kitchen-render.jpg'), width: 1600, height: 900, localPreview: true, contentType: 'image/png' },
];

export async function compare(options: { variants?: CompareVariant[]; width?: number } = {}): Promise<StagingBeforeAfter> {
  const el = await fixture<StagingBeforeAfter>(
    html`<staging-before-after style=${`width: ${options.width ?? 480}px`} before=${BEFORE_URL} .variants=${options.variants ?? VARIANTS}></staging-before-after>`,
  );
  await waitUntil(() => {
    const imgs = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('[part="before-image"], [part="after-image"]')];
    return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
  }, 'images did not load');
  return el;
}

export const handleOf = (el: StagingBeforeAfter) => part(el, 'handle');

/** Clip of the "after" layer as the left inset percentage. */
export function clipLeft(el: StagingBeforeAfter): number {
  const clip = part(el, 'after').style.clipPath;
  const match = /inset\(0(?:px)? 0(?:px)? 0(?:px)? ([\d.]+)%\)/.exec(clip);
  if (!match) throw new Error(`unexpected clip-path "${clip}"`);
  return Number(match[1]);
}

/**
 * The pan of an image layer, in percent, from its inline `translate()`. WebKit writes
 * `translate(5%, 0%)` back as `translate(5%)` (a missing y is 0), Chromium and Firefox as given.
 */
export function translateOf(img: HTMLElement): { x: number; y: number } {
  const transform = img.style.transform;
  const match = /translate\(([-\d.]+)%(?:,\s*([-\d.]+)%)?\)/.exec(transform);
  if (!match) throw new Error(`no translate() in "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2] ?? 0) };
}
