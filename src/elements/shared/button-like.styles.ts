import { css } from 'lit';

/**
 * `.button`: a link or a label (around a file input) that looks like the theme's buttons, for
 * what must stay a link (a download) or a label (a file dialog). List it after `themeStyles`.
 */
export const buttonLikeStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_surface-raised);
    color: var(--_text);
    text-decoration: none;
    cursor: pointer;
  }
  /* A label around a file input: the ring shows when the input has keyboard focus. */
  .button:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }
`;
