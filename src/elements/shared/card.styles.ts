/** Frames a `panelStyles` panel as a card: defined in `panel.styles.ts`, next to the panel. */
export { cardStyles } from './panel.styles.js';
