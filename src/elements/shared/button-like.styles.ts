/**
 * `.button`: a link or a label (around a file input) that looks like the theme's buttons. It is
 * defined in `theme.styles.ts`, next to the rule of the buttons whose look it shares.
 */
export { buttonLikeStyles } from './theme.styles.js';
