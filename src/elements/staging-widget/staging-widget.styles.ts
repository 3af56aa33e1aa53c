import { css } from 'lit';

export const widgetStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    --_max-width: var(--staging-widget-max-width, 960px);
  }
  [part='base'] {
    max-width: var(--_max-width);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 2);
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  [part='steps'] {
    display: flex;
    gap: var(--_space);
    list-style: none;
    margin: 0;
    padding: 0;
    counter-reset: step;
    flex-wrap: wrap;
  }
  [part~='step'] {
    counter-increment: step;
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 0.5);
    color: var(--_muted);
    font-size: 0.9em;
  }
  [part~='step']::before {
    content: counter(step);
    display: inline-grid;
    place-items: center;
    width: 1.6em;
    height: 1.6em;
    border-radius: 50%;
    border: 1px solid var(--_border);
    font-size: 0.85em;
  }
  [part~='step-current'] {
    color: var(--_text);
    font-weight: 600;
  }
  [part~='step-current']::before {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-contrast);
  }
  [part~='step-done']::before {
    content: '✓';
    color: var(--_success);
    border-color: var(--_success);
  }
  [part='panel'] {
    display: grid;
    /* One column no wider than the widget: a long file name is cut with an ellipsis, not the page. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 1.5);
  }
  [part='heading'] {
    margin: 0;
    font-size: 1.15em;
  }
  /* Focus moves to a step's heading to tell screen readers where they are; it is not a control. */
  [part='heading']:focus,
  [part='heading']:focus-visible {
    outline: none;
    box-shadow: none;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    justify-content: flex-end;
  }
  /* The message, its dismiss button in the corner, and Try again (when there is one) under it. */
  [part='error'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: var(--_space);
    align-items: center;
    border: 1px solid var(--_danger);
    color: var(--_danger);
    border-radius: calc(var(--_radius) * 0.7);
    padding: var(--_space) calc(var(--_space) * 1.5);
  }
  [part='error'] p {
    margin: 0;
    grid-column: 1;
    grid-row: 1;
  }
  [part='error'] > button[aria-label] {
    grid-column: 2;
    grid-row: 1;
  }
  [part='error'] > [part='retry-button'] {
    grid-column: 1;
    grid-row: 2;
    justify-self: start;
  }
  /* One way to stop a running job in the flow: the step's "Cancel and start over". */
  staging-job-progress::part(cancel-button) {
    display: none;
  }
  [part='working-photo'] {
    position: relative;
    overflow: hidden;
    border-radius: var(--_radius);
    max-height: 40vh;
    display: grid;
    place-items: center;
    background: var(--_surface-raised);
  }
  [part='working-photo'] img {
    display: block;
    max-width: 100%;
    max-height: 40vh;
    object-fit: contain;
  }
  /* While the job runs, a band of light sweeps across the photo: something is happening to it. */
  .working-photo.running::after {
    content: '';
    position: absolute;
    inset: 0;
    background: linear-gradient(100deg, transparent 30%, rgb(255 255 255 / 0.35) 50%, transparent 70%);
    transform: translateX(-100%);
    animation: staging-sweep 1.8s ease-in-out infinite;
  }
  [dir='rtl'] .working-photo.running::after {
    animation-direction: reverse;
  }
  @keyframes staging-sweep {
    to {
      transform: translateX(100%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .working-photo.running::after {
      animation: none;
      transform: none;
      background: rgb(255 255 255 / 0.15);
    }
  }
  [part='selection-status'] {
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-inline-start: 3px solid var(--_accent, currentColor);
    background: var(--_surface-raised);
  }
  [part='loading'] {
    color: var(--_muted);
  }
  [part='preview-note'],
  [part='output-note'] {
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-inline-start: 3px solid var(--_warning);
    background: var(--_surface-raised);
    color: var(--_text);
  }
  [part='photo-summary'] {
    display: flex;
    gap: var(--_space);
    align-items: center;
    color: var(--_muted);
  }
  [part='photo-summary'] img {
    width: 48px;
    height: 36px;
    object-fit: cover;
    border-radius: calc(var(--_radius) * 0.5);
  }
  [part='photo-summary'] span {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /* A quiet text button: secondary navigation, not a competing action. */
  button.quiet {
    border: 0;
    background: none;
    min-height: 44px;
    padding-inline: var(--_space);
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 0.2em;
    white-space: nowrap;
  }
  @container (max-width: 420px) {
    [part='base'] {
      padding: var(--_space);
    }
    /* On a phone, each action is a full-width button, in the same order on every step. */
    [part='actions'] {
      flex-direction: column;
      align-items: stretch;
    }
    [part~='step'] [part='step-label'] {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    [part~='step-current'] [part='step-label'] {
      position: static;
      width: auto;
      height: auto;
      clip: auto;
    }
  }
`;
