import { css } from 'lit';

/** Frames a `panelStyles` panel as a card (padding, border, radius): list it after `panelStyles`. */
export const cardStyles = css`
  .base {
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;
