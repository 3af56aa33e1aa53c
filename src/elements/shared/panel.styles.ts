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
