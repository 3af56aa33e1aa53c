import { css } from 'lit';
import { buttonLikeStyles } from '../shared/theme.styles.js';

const own = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .base {
    max-inline-size: var(--staging-listing-max-width, 1200px);
    display: grid;
    gap: calc(var(--_space) * 2);
    padding: calc(var(--_space) * 2);
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
  }
  /* Focus moves to a phase's heading to tell screen readers where they are; it is not a control. */
  [part='heading']:focus,
  [part='heading']:focus-visible {
    outline: none;
    box-shadow: none;
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--_muted);
  }
  .note {
    font-size: 0.92em;
  }
  .summary {
    color: var(--_muted);
  }
  button.quiet {
    border-color: transparent;
    background: transparent;
    color: var(--_accent);
  }
  .button {
    font-weight: 500;
  }

  /* the questions: chips in a row that wraps */
  .chips {
    border: 0;
    margin: 0;
    padding: 0;
    /* A fieldset is at least as wide as its content by default: a row of chips would widen the page. */
    min-inline-size: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .chips legend {
    font-weight: 600;
    padding: 0;
    margin-block-end: var(--_space);
  }
  .chip {
    position: relative;
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding-inline: calc(var(--_space) * 1.75);
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface-raised);
    cursor: pointer;
  }
  .chip input {
    position: absolute;
    inset: 0;
    opacity: 0;
    margin: 0;
    cursor: pointer;
  }
  .chip:has(input:checked) {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-contrast);
    font-weight: 600;
  }
  .chip:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }

  /* the drop area */
  .drop {
    display: grid;
    justify-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 4) calc(var(--_space) * 2);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    text-align: center;
  }
  .drop.compact {
    display: flex;
    justify-content: flex-start;
    padding: var(--_space);
    border-width: 1px;
  }
  .drop.over {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface));
  }
  .drop-label {
    font-weight: 600;
    font-size: 1.1em;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9em;
  }

  .selection-bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
  }
  .select-all {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    min-height: 44px;
  }
  .select-all input,
  .select-box {
    inline-size: 20px;
    block-size: 20px;
    accent-color: var(--_accent);
  }
  select {
    min-height: 40px;
    padding-inline: var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
  }

  /* the grid of photos */
  .grid,
  .results {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 1.5);
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--staging-listing-thumb-size, 180px)), 1fr));
  }
  .results {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr));
  }
  .photo,
  .result {
    display: grid;
    align-content: start;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    overflow: hidden;
    min-inline-size: 0;
  }
  .photo.tone-danger {
    border-color: var(--_danger);
  }
  .thumb {
    position: relative;
    aspect-ratio: 4 / 3;
    background: var(--_border);
  }
  .thumb img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    display: block;
  }
  .tone-busy .thumb img {
    opacity: 0.75;
  }
  .placeholder {
    display: grid;
    place-items: center;
    block-size: 100%;
    color: var(--_muted);
  }
  .select-box {
    position: absolute;
    inset-block-start: var(--_space);
    inset-inline-start: var(--_space);
    margin: 0;
  }
  .meta {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space);
    min-inline-size: 0;
  }
  .name {
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .room {
    inline-size: 100%;
  }
  .room-label {
    color: var(--_muted);
    font-size: 0.92em;
  }
  .status {
    font-size: 0.9em;
    color: var(--_muted);
  }
  .tone-success .status {
    color: var(--_success);
    font-weight: 600;
  }
  .tone-danger .status {
    color: var(--_danger);
  }
  .tone-busy .status {
    color: var(--_text);
  }
  progress {
    inline-size: 100%;
    block-size: 6px;
    accent-color: var(--_accent);
  }
  .photo-actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    justify-content: flex-end;
  }
  .photo-actions button {
    min-height: 36px;
    padding-block: calc(var(--_space) * 0.25);
  }

  /* results */
  .result.excluded staging-before-after,
  .result.excluded .meta {
    opacity: 0.5;
  }
  staging-before-after::part(controls),
  staging-before-after::part(disclosure) {
    display: none;
  }
  staging-before-after {
    --staging-compare-max-height: 320px;
  }
  .result-failed {
    display: grid;
    place-items: center;
    aspect-ratio: 4 / 3;
    color: var(--_danger);
  }
  .result-failed img {
    grid-area: 1 / 1;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    opacity: 0.35;
  }
  .result-failed p {
    grid-area: 1 / 1;
    font-weight: 600;
  }
  .result-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    padding: 0 var(--_space) var(--_space);
  }
  .result-actions button[aria-pressed='true'] {
    background: color-mix(in srgb, var(--_accent) 16%, var(--_surface));
    border-color: var(--_accent);
    font-weight: 600;
  }
  .result-actions [part~='redo-button'] {
    margin-inline-start: auto;
  }
  /* Redo's form under a result, and a result's own publishing notes */
  .redo-form,
  .result-notes {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    padding: 0 var(--_space) var(--_space);
  }
  .redo-form {
    border-block-start: 1px solid var(--_border);
    padding-block-start: var(--_space);
  }
  .redo-form label {
    font-weight: 600;
  }
  .redo-form textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    padding: calc(var(--_space) * 0.5);
    resize: vertical;
  }
  .redo-form p,
  .result-notes p {
    margin: 0;
  }
  .redo-form .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .result-notes .warning {
    font-size: 0.875em;
  }
  .result-notes a {
    color: var(--_accent);
    justify-self: start;
  }
  /* What publishing takes, once above the gallery */
  /* A <details>: spaced by margins, since a grid's gap would keep a gap under the folded summary. */
  .publish-notes > :not(summary) {
    margin-block: calc(var(--_space) * 0.5) 0;
  }
  .publish-notes > summary {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding-inline-start: calc(var(--_space) * 0.25);
    min-block-size: 44px;
    font-weight: 600;
    cursor: pointer;
    border-radius: calc(var(--_radius) * 0.5);
    list-style: none;
  }
  .publish-notes > summary::-webkit-details-marker {
    display: none;
  }
  /* The chevron: points along the reading direction when folded, down when open. */
  .publish-notes > summary::before {
    content: '';
    inline-size: 0.5em;
    block-size: 0.5em;
    border-block-end: 2px solid currentColor;
    border-inline-end: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s;
  }
  [dir='rtl'] .publish-notes > summary::before {
    transform: rotate(135deg);
  }
  .publish-notes[open] > summary::before {
    transform: rotate(45deg);
  }
  .publish-notes > summary:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
  /* The summary is the notice's title: the notice does not say it twice. */
  .publish-notes staging-disclosure::part(title) {
    display: none;
  }

  /* the bar with the primary button: bottom right, always in view */
  .footer {
    position: sticky;
    inset-block-end: 0;
    z-index: 1;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--_space) calc(var(--_space) * 1.5);
    padding-block: calc(var(--_space) * 1.5);
    border-block-start: 1px solid var(--_border);
    background: var(--_surface);
  }
  .cost {
    margin-inline-end: auto;
    display: grid;
    gap: 2px;
  }
  .warning {
    color: var(--_danger);
  }
  .error {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    color: var(--_danger);
  }
  .error p {
    flex: 1;
  }
  @container (max-width: 520px) {
    /* A question's chips stay on one row that scrolls sideways, so the photos show on the first screen. */
    .chips {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: none;
      margin-inline: calc(var(--_space) * -1.5);
      padding-inline: calc(var(--_space) * 1.5);
      padding-block-end: 2px;
    }
    .chip {
      flex: none;
    }
    .base {
      padding: calc(var(--_space) * 1.5);
    }
    .grid {
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: var(--_space);
    }
    .footer > button.primary,
    .footer > .button {
      inline-size: 100%;
      justify-content: center;
    }
    .cost {
      inline-size: 100%;
    }
  }
`;

export const listingStyles = [buttonLikeStyles, own];
