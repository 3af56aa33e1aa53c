import { css } from 'lit';
import { fileNameStyles } from '../shared/file-name.styles.js';
import { panelStyles } from '../shared/panel.styles.js';

/** `panelStyles` and `fileNameStyles` (shared/), then the picker's own block. */
export const pickerStyles = [
  panelStyles,
  fileNameStyles,
  css`
  :host {
    /* Narrow layouts follow the element's own width, not the viewport's: it may sit in a sidebar. */
    container-type: inline-size;
  }
  /* The panel, its form and the chosen service's questions: a wider gap than a panel's. */
  .base,
  .form,
  .settings {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  .form {
    margin: 0;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: calc(var(--_space) * 0.75);
  }
  legend,
  .field > label,
  .field > .label {
    font-weight: 600;
  }
  .help,
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .help {
    margin: 0;
  }
  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
    min-width: 0;
  }
  select,
  textarea,
  input[type='text'],
  input[type='number'] {
    /* Explicit: inside "More options" these inherit from the <details> element's internal slot, which is content-box. */
    box-sizing: border-box;
    width: 100%;
    min-height: 44px;
    padding: calc(var(--_space) * 0.75) var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_surface);
  }
  textarea {
    resize: vertical;
    min-height: 5em;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  input[type='radio'],
  input[type='checkbox'] {
    accent-color: var(--_accent);
    width: 1.15em;
    height: 1.15em;
    margin: 0.15em 0 0;
    flex: none;
  }
  :disabled {
    cursor: not-allowed;
  }

  /* Service cards: an icon, a title and a line; as many columns as fit, two on a phone. */
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--staging-picker-card-min-width, 8rem)), 1fr));
    gap: var(--_space);
  }
  .card {
    position: relative;
    display: grid;
    align-content: start;
    gap: calc(var(--_space) / 2);
    padding: calc(var(--_space) * 1.25);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    cursor: pointer;
  }
  /* The radio stays in the form and the accessibility tree; the card shows its state. */
  .card-radio {
    position: absolute;
    inset-block-start: calc(var(--_space) * 1.25);
    inset-inline-end: calc(var(--_space) * 1.25);
    margin: 0;
  }
  /* A card, chip, swatch or drop area shows its radio's or file input's state and focus ring. */
  .card:has(input:checked),
  .chip:has(input:checked) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface-raised));
  }
  .card:has(input:focus-visible),
  .chip:has(input:focus-visible),
  .swatch:has(input:focus-visible),
  .drop:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }
  .card input:focus-visible,
  .chip input:focus-visible {
    box-shadow: none;
  }
  :host([disabled]) .card,
  :host([disabled]) .swatch {
    cursor: not-allowed;
  }
  /* Line icons: the services' and the drop area's. */
  .icon,
  .drop-icon {
    fill: none;
    stroke-width: 1.6;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .icon {
    width: 28px;
    height: 28px;
    stroke: var(--_accent);
  }
  /* German and Dutch compounds ("Einrichtungsideen") are wider than a card on a laptop: break them
     (with a hyphen where the browser knows the language's rules) instead of spilling out. */
  .service-name,
  .service-description {
    overflow-wrap: anywhere;
    hyphens: auto;
  }
  .service-name {
    font-weight: 600;
    line-height: 1.25;
  }
  .service-description {
    color: var(--_muted);
    font-size: 0.875em;
    line-height: 1.3;
  }
  .badge {
    justify-self: start;
    padding: 0 0.5em;
    border-radius: 999px;
    font-size: 0.75em;
    font-weight: 600;
    color: var(--_warning);
    border: 1px solid currentColor;
  }
  .preview-note {
    margin: var(--_space) 0 0;
    color: var(--_text);
    font-size: 0.9em;
    border-inline-start: 3px solid var(--_warning);
    padding-inline-start: calc(var(--_space) * 0.75);
  }
  /* The pictures: a card's sample (before on the left, after on the right) and a style swatch. */
  .sample,
  .swatch-picture {
    display: block;
    width: 100%;
    height: auto;
    aspect-ratio: 2 / 1;
    object-fit: cover;
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_border);
  }
  .card:has(.sample) .card-radio {
    inset-block-start: calc(var(--_space) * 1.6);
    inset-inline-end: calc(var(--_space) * 1.6);
    box-shadow: 0 0 0 2px var(--_surface-raised);
    border-radius: 50%;
  }
  @container (max-width: 420px) {
    .cards {
      grid-template-columns: 1fr 1fr;
    }
    .card {
      padding: var(--_space);
    }
    .service-description {
      display: none;
    }
  }

  /* The chosen service, folded to one line with "Change". */
  .chosen {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    align-items: center;
    gap: calc(var(--_space) / 2) var(--_space);
  }
  .chosen > .sample,
  .chosen > .icon {
    width: 4rem;
  }
  .chosen-name {
    margin: 0;
    font-weight: 600;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 0.5em;
  }
  .chosen > .preview-note {
    grid-column: 1 / -1;
    margin: 0;
  }

  /* The style gallery: pictures with a word under each; one sideways-scrolling row on a phone. */
  .swatches {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(5.5rem, 1fr));
    gap: var(--_space);
  }
  .swatch {
    position: relative;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    justify-items: center;
    gap: calc(var(--_space) / 3);
    box-sizing: border-box;
    min-width: 0;
    padding: 2px;
    border: 2px solid transparent;
    border-radius: var(--_radius);
    cursor: pointer;
    text-align: center;
  }
  .swatch-radio {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
    margin: 0;
  }
  .swatch-picture {
    aspect-ratio: 4 / 3;
  }
  .swatch-fallback {
    display: grid;
    place-items: center;
    font-size: 1.5em;
    font-weight: 600;
    color: #fff;
    background: linear-gradient(135deg, hsl(var(--_hue) 45% 62%), hsl(var(--_hue) 40% 38%));
  }
  .swatch-label {
    max-width: 100%;
    font-size: 0.8125em;
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  .swatch:has(input:checked) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface));
  }
  .swatch:has(input:checked) .swatch-label {
    font-weight: 600;
  }
  /* A tick on the chosen picture, so the choice does not rest on colour alone. */
  .swatch:has(input:checked)::after {
    content: '✓' / '';
    position: absolute;
    inset-block-start: 6px;
    inset-inline-end: 6px;
    display: grid;
    place-items: center;
    width: 1.4em;
    height: 1.4em;
    border-radius: 50%;
    font-size: 0.8em;
    font-weight: 700;
    color: var(--_accent-contrast);
    background: var(--_accent);
  }
  @container (max-width: 420px) {
    .settings {
      gap: calc(var(--_space) * 1.5);
    }
    .swatches {
      display: flex;
      overflow-x: auto;
      scroll-snap-type: x proximity;
      padding-block-end: calc(var(--_space) / 2);
    }
    .swatch {
      flex: none;
      width: 6.25rem;
      scroll-snap-align: start;
    }
  }

  /* More options: folded by default, its summary says what it holds. */
  .more {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
  }
  .more > summary {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 var(--_space);
    min-height: 44px;
    padding: 0 var(--_space);
    cursor: pointer;
    list-style: none;
  }
  .more > summary::-webkit-details-marker {
    display: none;
  }
  .more > summary::before {
    content: '';
    width: 0.5em;
    height: 0.5em;
    border-block-end: 2px solid currentColor;
    border-inline-end: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s;
  }
  [dir='rtl'] .more > summary::before {
    transform: rotate(135deg);
  }
  .more[open] > summary::before {
    transform: rotate(45deg);
  }
  .more > summary:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
    border-radius: inherit;
  }
  .more-title {
    font-weight: 600;
  }
  .more-body {
    display: grid;
    gap: calc(var(--_space) * 2);
    padding: var(--_space) var(--_space) calc(var(--_space) * 1.5);
  }
  .config .chips {
    gap: calc(var(--_space) * 0.75);
  }
  .config .chip {
    border-radius: 999px;
    max-width: 100%;
  }
  .config .chip span {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  /* On a phone the presets are one row that scrolls sideways. */
  @container (max-width: 420px) {
    .config .chips {
      flex-wrap: nowrap;
      overflow-x: auto;
      padding-block-end: calc(var(--_space) / 2);
    }
    .config .chip {
      flex: none;
      padding-inline: var(--_space);
    }
    .config .chip span {
      overflow-wrap: normal;
      white-space: nowrap;
    }
  }

  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) * 0.75);
    min-height: 44px;
    padding: calc(var(--_space) / 2) calc(var(--_space) * 1.25);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_surface-raised);
    cursor: pointer;
  }

  .stepper {
    display: flex;
    gap: calc(var(--_space) / 2);
    align-items: stretch;
    max-width: 14rem;
  }
  .stepper button {
    min-width: 44px;
    padding: 0;
    font-weight: 600;
  }
  .stepper input {
    text-align: center;
  }

  .options .option-grid {
    display: grid;
    align-items: start;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
    gap: calc(var(--_space) * 1.5);
  }
  .check {
    grid-template-columns: auto minmax(0, 1fr);
    align-items: start;
    column-gap: var(--_space);
  }
  .check > .help,
  .check > .field-error {
    grid-column: 2;
  }
  .drop {
    display: flex;
    align-items: center;
    gap: var(--_space);
    min-height: 56px;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    color: var(--_muted);
    cursor: pointer;
  }
  .drop[hidden] {
    display: none;
  }
  .drop:hover,
  .drop[data-over] {
    border-color: var(--_accent);
    color: var(--_text);
  }
  .drop-icon {
    width: 24px;
    height: 24px;
    flex: none;
    stroke: currentColor;
  }
  .reference-preview {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: var(--_space);
    align-items: center;
    margin: 0;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .reference-thumbnail {
    width: 72px;
    height: 72px;
    object-fit: cover;
    border-radius: calc(var(--_radius) * 0.6);
  }
  .reference-caption {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .reference-preview progress {
    width: 100%;
    height: 8px;
    accent-color: var(--_accent);
  }
  .reference-preview button {
    grid-column: 1 / -1;
    justify-self: start;
  }

  .field-error,
  .load-error,
  .cost-warning {
    color: var(--_danger);
  }
  .field-error {
    margin: 0;
    font-size: 0.9em;
  }
  .load-error {
    display: grid;
    gap: var(--_space);
    justify-items: start;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-inline-start: 3px solid var(--_danger);
    border-radius: 4px;
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
  }
  .load-error p,
  .empty,
  .loading {
    margin: 0;
  }
  .empty,
  .loading {
    color: var(--_muted);
  }
  .loading {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
  }

  /* Cost and Start stay in view while the page scrolls past a long form. */
  .summary {
    position: sticky;
    inset-block-end: 0;
    z-index: 1;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space) calc(var(--_space) * 2);
    padding-block: var(--_space);
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  .cost {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.4em;
    flex: 1 1 12rem;
  }
  .cost-amount {
    font-weight: 600;
  }
  .cost-warning,
  .submit-hint {
    flex-basis: 100%;
  }
  .submit {
    min-width: 8rem;
    font-weight: 600;
  }
  @container (max-width: 420px) {
    .submit {
      flex: 1 1 100%;
    }
  }
`,
];
