import { css } from 'lit';

/** After `panelStyles` and `cardStyles` (shared/). */
export const jobProgressStyles = css`
  p {
    margin: 0;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: calc(var(--_space) * 0.5) var(--_space);
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    font-weight: 600;
    border-radius: calc(var(--_radius) * 0.5);
  }
  .dot {
    flex: none;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .dot.live {
    background: var(--_accent);
  }
  [data-status='completed'] .dot {
    background: var(--_success);
  }
  [data-status='failed'] .dot,
  [data-status='not-found'] .dot {
    background: var(--_danger);
  }
  .elapsed,
  .connection,
  .progress-label {
    color: var(--_muted);
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
  }
  .progress {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  progress {
    appearance: none;
    width: 100%;
    height: var(--staging-job-progress-bar-height, 10px);
    border: 0;
    border-radius: 999px;
    overflow: hidden;
    background: var(--_surface-raised);
  }
  progress::-webkit-progress-bar {
    background: var(--_surface-raised);
    border-radius: 999px;
  }
  progress::-webkit-progress-value {
    background: var(--_accent);
    border-radius: 999px;
  }
  progress::-moz-progress-bar {
    background: var(--_accent);
    border-radius: 999px;
  }
  .stalled,
  .preview-note {
    padding: var(--_space);
    border-inline-start: 4px solid var(--_warning);
    border-radius: calc(var(--_radius) * 0.5);
    background: color-mix(in srgb, var(--_warning) 10%, var(--_surface));
  }
  .stalled {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .stalled p {
    flex: 1 1 14em;
  }
  .summary {
    font-weight: 600;
  }
  .error:empty {
    display: none;
  }
  .error,
  .not-found {
    color: var(--_danger);
  }
  .error {
    padding: var(--_space);
    border-inline-start: 4px solid var(--_danger);
    border-radius: calc(var(--_radius) * 0.5);
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .confirm p {
    flex: 1 1 100%;
  }
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: progress;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_surface);
  }
  /* On a 360 px phone, full-width buttons are easier to hit than a cramped row. */
  @media (max-width: 420px) {
    .actions > button,
    .confirm > button,
    .stalled > button {
      flex: 1 1 auto;
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    .dot.live {
      animation: pulse 1.6s ease-in-out infinite;
    }
    progress::-webkit-progress-value {
      transition: width 300ms ease;
    }
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
`;
