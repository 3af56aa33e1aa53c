/** `plural(n, forms)`: defined in `locale.ts`, with the other formats of the active locale. */
export { plural } from './locale.js';
