import { css } from 'lit';

/**
 * An unpainted stack, the outer box of the before/after and the mask painter, whose main child is
 * a picture that paints itself: the host is a block that may shrink below its content's width,
 * and its `.base` (`part="base"`) lays the children out in a column with the standard gap, on the
 * host page's background. List it after `themeStyles`, before the element's own block.
 */
export const stackStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
`;
