import { css } from 'lit';

/**
 * The outer boxes the elements share. Each element's `.base` is its one wrapper (`part="base"`);
 * these blocks give it its layout and paint, and the element's own styles add the rest.
 * List them after `themeStyles` and before the element's own block, which may override them.
 */

/** The host is a block that may shrink below its content's width inside a flex or grid parent. */
const host = css`
  :host {
    display: block;
    min-width: 0;
  }
`;

/**
 * A painted panel: `.base` stacks its children on a grid with the standard gap, on the surface
 * colour. Painted, because the text colours follow the colour scheme, not the host page's
 * background.
 */
export const panelStyles = css`
  ${host}
  .base {
    display: grid;
    gap: var(--_space);
    background: var(--_surface);
    color: var(--_text);
  }
`;

/** A painted panel framed as a card (padding, border, radius): add after `panelStyles`. */
export const cardStyles = css`
  .base {
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;

/**
 * An unpainted stack: `.base` lays its children out in a column with the standard gap, on the
 * host page's background (for elements whose main child is a picture that paints itself).
 */
export const stackStyles = css`
  ${host}
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
`;
