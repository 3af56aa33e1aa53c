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
  [part='loading'] {
    color: var(--_muted);
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
