import { css } from 'lit';

/**
 * The widget's styles for its later steps (`step-views.ts`): they arrive with those steps, and the
 * widget adopts them next to its own (`staging-widget.styles.ts`), so the first screen does not
 * carry them.
 */
export const stepViewStyles = css`
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
`;
