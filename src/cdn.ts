/**
 * The one-tag script (`dist/cdn/staging-widget.js`, `<script type="module">`).
 *
 * It carries what the first screen needs: `<staging-widget>` with its upload step
 * (`<staging-dropzone>`), the client and the contract. Every other element is a chunk next to
 * this file (`chunks/`), fetched when the widget reaches its step, or when such a tag appears
 * in the page: the autoloader below watches the document, so `<staging-picker>` alone works
 * with this one script. fabric.js is a chunk of its own, fetched when a mask painter first shows.
 *
 * For a class that is not in this file: `const Picker = await loadElement('staging-picker')`.
 * The library entry (`staging-widget` on npm) exports every class directly.
 */
import { autoloadElements } from './elements/autoloader.js';

export type * from './contract/index.js';
export * from './client/core.js';
export type * from './client/index.js';
export * from './elements/staging-dropzone/index.js';
export * from './elements/staging-widget/staging-widget.js';
export { loadElement, LOADABLE_TAGS, type LoadableTag } from './elements/element-loaders.js';
export { autoloadElements };

autoloadElements(document);
