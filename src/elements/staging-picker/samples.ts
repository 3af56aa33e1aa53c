/**
 * The sample pictures that ship with the picker (samples/, made by scripts/picker-samples.ts;
 * licences in samples/LICENSE.md). Each URL is written out in full so that bundlers find the
 * file and ship it beside the script; `?no-inline` keeps Vite's library builds from inlining it
 * as base64, so nothing is fetched before an `<img loading="lazy">` shows it.
 */

/** A before/after of what each service does, by service id. */
export const SERVICE_SAMPLES: Readonly<Record<string, string>> = {
  'render-enhancement': new URL('./samples/render-enhancement.webp?no-inline', import.meta.url).href,
  'virtual-staging': new URL('./samples/virtual-staging.webp?no-inline', import.meta.url).href,
  'design-options': new URL('./samples/design-options.webp?no-inline', import.meta.url).href,
  upscale: new URL('./samples/upscale.webp?no-inline', import.meta.url).href,
  straighten: new URL('./samples/straighten.webp?no-inline', import.meta.url).href,
};

/** A room in each style, by style value (a `style` option's values, or configs that are styles). */
export const STYLE_SAMPLES: Readonly<Record<string, string>> = {
  modern: new URL('./samples/style-modern.webp?no-inline', import.meta.url).href,
  scandinavian: new URL('./samples/style-scandinavian.webp?no-inline', import.meta.url).href,
  minimalist: new URL('./samples/style-minimalist.webp?no-inline', import.meta.url).href,
  traditional: new URL('./samples/style-traditional.webp?no-inline', import.meta.url).href,
  industrial: new URL('./samples/style-industrial.webp?no-inline', import.meta.url).href,
  luxury: new URL('./samples/style-luxury.webp?no-inline', import.meta.url).href,
};
