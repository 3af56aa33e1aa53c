import { css } from 'lit';

/** A `.spinner` for busy states: text-sized by default; an element may resize or recolour it. */
export const spinnerStyles = css`
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: staging-spin 0.8s linear infinite;
  }
  @keyframes staging-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }
`;
