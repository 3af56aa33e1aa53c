/**
 * The one-tag script (`dist/cdn/staging-widget.js`, `<script type="module">`): registers every
 * element and exports the same names as the library entry. fabric.js is not part of it: the
 * mask painter imports it on first show, from its own chunk next to this file.
 */
export * from './index.js';
