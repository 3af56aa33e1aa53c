import { css } from 'lit';
import { stackStyles } from '../shared/stack.styles.js';

/** `stackStyles` (shared/), then the painter's own block. */
export const maskPainterStyles = [
  stackStyles,
  css`
  :host {
    --_mask-color: var(--staging-mask-color, #ff2d78);
    --_mask-opacity: var(--staging-mask-opacity, 0.5);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .group {
    display: flex;
    gap: calc(var(--_space) / 2);
  }
  .toolbar button {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
    padding-inline: var(--_space);
  }
  .toolbar button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_accent-contrast);
    border-color: var(--_accent);
  }
  svg {
    width: 18px;
    height: 18px;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .size {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
    flex: 1 1 160px;
    min-width: 0;
  }
  .size input {
    flex: 1 1 auto;
    min-width: 80px;
    min-height: 44px;
    accent-color: var(--_accent);
  }
  .size output {
    min-width: 4.5ch;
    text-align: end;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
  .stage {
    position: relative;
    width: 100%;
    max-width: calc(var(--staging-mask-max-height, 100000px) * var(--_ratio, 1.5));
    margin-inline: auto;
    aspect-ratio: var(--_ratio, 1.5);
    background: var(--_surface-raised);
    border-radius: var(--_radius);
    overflow: hidden;
    user-select: none;
    -webkit-user-select: none;
  }
  .stage img {
    display: block;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  .overlay {
    position: absolute;
    inset: 0;
    opacity: var(--_mask-opacity);
    /* Phones must not scroll or zoom the page while a finger paints. */
    touch-action: none;
  }
  /* The keyboard brush: a ring of the brush's size, visible on light and dark photos. */
  .cursor {
    position: absolute;
    aspect-ratio: 1;
    min-width: 8px;
    transform: translate(-50%, -50%);
    border-radius: 50%;
    border: 2px solid #fff;
    box-shadow: 0 0 0 2px #000;
    pointer-events: none;
  }
  .notice {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    padding: var(--_space);
    text-align: center;
    background: color-mix(in srgb, var(--_surface) 80%, transparent);
    color: var(--_text);
  }
  .notice.error {
    color: var(--_danger);
    font-weight: 600;
  }
  /* A larger spinner than the shared one: it stands alone while fabric loads. */
  .spinner {
    width: 28px;
    height: 28px;
    border: 3px solid var(--_border);
    border-top-color: var(--_accent);
  }
  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* A touch-only device has no keyboard to take shortcuts from. */
  @media (hover: none) and (pointer: coarse) {
    .help {
      display: none;
    }
  }
  .help {
    color: var(--_muted);
  }
  .help summary {
    cursor: pointer;
    min-height: 44px;
    display: flex;
    align-items: center;
    width: fit-content;
  }
  .help dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
    gap: calc(var(--_space) / 2) var(--_space);
    margin: 0 0 var(--_space);
  }
  .help dl div {
    display: flex;
    gap: var(--_space);
  }
  .help dt {
    min-width: 6ch;
  }
  .help dd {
    margin: 0;
  }
  .help p {
    margin: 0;
  }
  kbd {
    font-family: inherit;
    font-size: 0.85em;
    padding: 0 0.35em;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_surface-raised);
    color: var(--_text);
  }
  @media (max-width: 420px) {
    .toolbar button span {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  }
`,
];
