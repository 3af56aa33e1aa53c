import { css } from 'lit';

/** The dark palette, applied by the system setting or by `theme="dark"`. */
const darkTokens = css`
    --_accent: var(--staging-color-accent, #8fb1ff);
    --_accent-contrast: var(--staging-color-accent-contrast, #0b1220);
    --_surface: var(--staging-color-surface, #16181d);
    --_surface-raised: var(--staging-color-surface-raised, #21252c);
    --_text: var(--staging-color-text, #eef0f3);
    --_muted: var(--staging-color-muted, #b3bac5);
    --_border: var(--staging-color-border, #3d434d);
    --_danger: var(--staging-color-danger, #ff8a80);
    --_success: var(--staging-color-success, #6ee7a8);
    --_warning: var(--staging-color-warning, #fdba74);
`;

/**
 * Design tokens shared by every element. Public knobs are `--staging-*` (inherited, so a
 * host can set them on any ancestor); each element reads the private `--_*` copies that
 * carry the defaults. Dark values apply with `prefers-color-scheme: dark` unless the host
 * pins `theme="light"`, and always with `theme="dark"`.
 */
export const themeStyles = css`
  :host {
    --_accent: var(--staging-color-accent, #1d4ed8);
    --_accent-contrast: var(--staging-color-accent-contrast, #ffffff);
    --_surface: var(--staging-color-surface, #ffffff);
    --_surface-raised: var(--staging-color-surface-raised, #f4f5f7);
    --_text: var(--staging-color-text, #17191c);
    --_muted: var(--staging-color-muted, #4b5360);
    --_border: var(--staging-color-border, #c9ced6);
    --_danger: var(--staging-color-danger, #b42318);
    --_success: var(--staging-color-success, #067647);
    --_warning: var(--staging-color-warning, #93370d);
    --_focus: var(--staging-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 45%, transparent));
    --_radius: var(--staging-radius, 10px);
    --_space: var(--staging-space, 8px);
    --_font: var(--staging-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--staging-font-size, 15px);
    color-scheme: light dark;
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  /* .button: a link or a label that looks like a button (see buttonLikeStyles). */
  button,
  .button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_surface-raised);
    border-radius: calc(var(--_radius) * 0.7);
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
    min-height: 44px;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-contrast);
    border-color: var(--_accent);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
`;

/**
 * `.button`: a link or a label (around a file input) that looks like the theme's buttons, for
 * what must stay a link (a download) or a label (a file dialog). List it after `themeStyles`.
 * Its border, background, padding and size are the theme's button rule (`button, .button`); here
 * what a link or a label needs on top. In the one-tag script it costs a few bytes, a file of its
 * own cost some 275 bytes more in the flow.
 */
export const buttonLikeStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    color: var(--_text);
    text-decoration: none;
  }
  /* A label around a file input: the ring shows when the input has keyboard focus. */
  .button:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }
`;
