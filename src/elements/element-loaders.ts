/**
 * Where each element after the upload step lives, imported on first use so a page pays only for
 * what it shows: `<staging-widget>` loads a step's element when the flow reaches it (and the
 * next one while the person is busy with the current), and the one-tag script's autoloader
 * loads a standalone tag when it appears in the page. Bundlers turn each import into its own
 * chunk. (`<staging-dropzone>` is the widget's first screen: always there with the widget.)
 */
const LOADERS = {
  'staging-picker': () => import('./staging-picker/staging-picker.js'),
  'staging-bracket-set': () => import('./staging-bracket-set/staging-bracket-set.js'),
  'staging-mask-painter': () => import('./staging-mask-painter/staging-mask-painter.js'),
  'staging-job-progress': () => import('./staging-job-progress/staging-job-progress.js'),
  'staging-before-after': () => import('./staging-before-after/staging-before-after.js'),
  // Listing mode: its own element, never in the first screen (see its JSDoc).
  'staging-listing': () => import('./staging-listing/staging-listing.js'),
} as const;

export type LoadableTag = keyof typeof LOADERS;

export const LOADABLE_TAGS = Object.keys(LOADERS) as LoadableTag[];

/**
 * Defines `tag` by importing its module and resolves with its class. The browser's module map
 * does the rest: a module is fetched once however often it is asked for, and a failed fetch
 * (offline, say) is tried again on the next call.
 */
export function loadElement(tag: LoadableTag): Promise<CustomElementConstructor> {
  return LOADERS[tag]().then(() => customElements.whenDefined(tag));
}
