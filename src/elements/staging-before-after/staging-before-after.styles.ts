import { css } from 'lit';

/** After `stackStyles` (shared/). */
export const beforeAfterStyles = css`
  :host {
    --_divider: var(--staging-compare-divider-color, #ffffff);
    --_max-h: var(--staging-compare-max-height, 80vh);
  }
  .viewport {
    position: relative;
    width: 100%;
    max-width: calc(var(--_max-h) * var(--_ratio, 1.333));
    margin-inline: auto;
    aspect-ratio: var(--_ratio, 1.333);
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    cursor: ew-resize;
    user-select: none;
    -webkit-user-select: none;
    /* Horizontal drags move the divider; vertical swipes still scroll the page on phones. */
    touch-action: pan-y pinch-zoom;
  }
  .viewport[data-zoomed] {
    touch-action: none;
  }
  .viewport[data-pan] {
    cursor: grab;
  }
  .viewport[data-pan][data-dragging] {
    cursor: grabbing;
  }
  .layer {
    position: absolute;
    inset: 0;
    overflow: hidden;
  }
  .legend {
    margin: 0;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .layer img.changes {
    position: absolute;
    inset: 0;
    opacity: 0.85;
  }
  .layer img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
    transform-origin: center;
    pointer-events: none;
  }
  .tag,
  .badge {
    position: absolute;
    top: var(--_space);
    padding: 2px var(--_space);
    border-radius: 999px;
    font-size: 0.8em;
    line-height: 1.6;
    pointer-events: none;
  }
  .tag {
    background: rgb(0 0 0 / 0.6);
    color: #fff;
  }
  /* Logical sides: right to left, "before" is on the right and the comparison mirrors. */
  .tag-before {
    inset-inline-start: var(--_space);
  }
  .tag-after {
    inset-inline-end: var(--_space);
  }
  /* On the "after" side, away from the divider (which starts in the middle) and its handle. */
  .badge {
    inset-inline-end: var(--_space);
    top: auto;
    bottom: var(--_space);
    background: #93370d;
    color: #fff;
    font-weight: 600;
    white-space: nowrap;
  }
  .divider {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 2px;
    margin-inline-start: -1px;
    background: var(--_divider);
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.25);
    pointer-events: none;
  }
  .handle {
    position: absolute;
    top: 50%;
    left: 50%;
    width: 44px;
    height: 44px;
    transform: translate(-50%, -50%);
    display: grid;
    place-items: center;
    border-radius: 50%;
    background: var(--_divider);
    color: #17191c;
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.4);
    pointer-events: auto;
    cursor: ew-resize;
    touch-action: none;
  }
  .handle:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .handle svg {
    width: 22px;
    height: 22px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .viewport:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  .group {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) / 2);
  }
  .zoom-value {
    min-width: 4.5ch;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }
  .controls button[aria-label] {
    min-width: 44px;
    font-size: 1.2em;
    line-height: 1;
  }
  .controls button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_accent-contrast);
    border-color: var(--_accent);
  }
  .variants {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  .variants legend {
    padding: 0;
    margin-bottom: calc(var(--_space) / 2);
    font-weight: 600;
  }
  .variant-list {
    display: flex;
    gap: var(--_space);
    overflow-x: auto;
    padding: 4px;
  }
  .variant {
    position: relative;
    flex: 0 0 auto;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 4px;
    width: 96px;
    padding: 4px;
    border: 2px solid transparent;
    border-radius: var(--_radius);
    cursor: pointer;
    font-size: 0.85em;
    text-align: center;
  }
  .variant:has(input:checked) {
    border-color: var(--_accent);
    background: var(--_surface-raised);
  }
  .variant:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }
  .variant img {
    width: 84px;
    height: 60px;
    object-fit: cover;
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface-raised);
  }
  .variant-mark {
    color: var(--_warning);
  }
`;
