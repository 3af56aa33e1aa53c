import { css } from 'lit';

/** After `panelStyles` and `cardStyles` (shared/). */
export const disclosureStyles = css`
  :host {
    --_qr-size: var(--staging-disclosure-qr-size, 96px);
  }
  .base {
    position: relative;
  }
  .title {
    margin: 0;
    font-weight: 600;
  }
  .note {
    margin: 0;
    color: var(--_muted);
  }
  .warning {
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-inline-start: 4px solid var(--_warning);
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_warning) 12%, var(--_surface));
    color: var(--_text);
  }
  ul {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .label {
    font-size: 0.9em;
    color: var(--_muted);
  }
  .text {
    flex: 1 1 12em;
    min-width: 0;
    margin: 0;
    padding: calc(var(--_space) / 2) var(--_space);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface-raised);
    overflow-wrap: anywhere;
  }
  .original {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
  }
  .original img {
    inline-size: var(--_qr-size);
    block-size: var(--_qr-size);
    background: #ffffff;
    border-radius: calc(var(--_radius) / 2);
  }
  .links {
    display: grid;
    gap: calc(var(--_space) / 2);
    justify-items: start;
  }
  a {
    color: var(--_accent);
  }
  /* The theme's button (font, border, background, pointer, focus ring), smaller. */
  button {
    min-height: 36px;
    padding: 0 calc(var(--_space) * 1.5);
    border-radius: calc(var(--_radius) / 2);
  }
  /* Empty, it takes no room (and stays a live region for the next "Copied"). */
  .status:empty {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .status {
    margin: 0;
    font-size: 0.9em;
    color: var(--_success);
  }
`;
