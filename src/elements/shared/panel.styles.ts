import { css } from 'lit';

/**
 * A painted panel, the outer box of the dropzone, the job progress and the disclosure: the host
 * is a block that may shrink below its content's width inside a flex or grid parent, and its
 * `.base` (`part="base"`) stacks the children on a grid with the standard gap, on the surface
 * colour. Painted, because the text colours follow the colour scheme, not the host page's
 * background. List it after `themeStyles`, before the element's own block; `cardStyles` frames it.
 */
export const panelStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .base {
    display: grid;
    gap: var(--_space);
    background: var(--_surface);
    color: var(--_text);
  }
`;

/**
 * Frames a `panelStyles` panel as a card (padding, border, radius): list it after `panelStyles`.
 * Here, with the panel: in the one-tag script it costs a few bytes, a file of its own cost some
 * 150 bytes more in the flow.
 */
export const cardStyles = css`
  .base {
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;
