/**
 * The library entry of `staging-widget`: the contract (zod schemas and types of HTTP API v1),
 * the browser client, and every element class. Importing this module registers the tags.
 *
 * One line per element. To add one: `export * from './elements/<tag>/<tag>.js';`
 * (if two elements export the same name, TypeScript reports TS2308: re-export that element's
 * names explicitly instead).
 */
export * from './contract/index.js';
export * from './client/index.js';
export * from './client/image/index.js';

export * from './elements/staging-dropzone/index.js';
export * from './elements/staging-mask-painter/staging-mask-painter.js';
export * from './elements/staging-before-after/staging-before-after.js';
export * from './elements/staging-picker/index.js';
export * from './elements/staging-bracket-set/staging-bracket-set.js';
export * from './elements/staging-job-progress/index.js';
export * from './elements/staging-widget/staging-widget.js';
export * from './elements/staging-listing/staging-listing.js';
export { loadElement, LOADABLE_TAGS, type LoadableTag } from './elements/element-loaders.js';
export { autoloadElements } from './elements/autoloader.js';
