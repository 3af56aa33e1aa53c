import { css } from 'lit';

/** After `panelStyles` and `fileNameStyles` (shared/). */
export const dropzoneStyles = css`
  .drop-area {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    min-height: var(--staging-dropzone-min-height, 180px);
    padding: calc(var(--_space) * 2.5) calc(var(--_space) * 2);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    text-align: center;
    cursor: pointer;
    transition:
      border-color 120ms ease,
      background-color 120ms ease;
  }
  /* Not dimmed with opacity: the hint text must keep its contrast. */
  :host([disabled]) .drop-area {
    cursor: not-allowed;
    border-style: dotted;
  }
  :host([disabled]) .icon {
    opacity: 0.5;
  }
  .drag-over .drop-area,
  .drag-over .preview {
    border-color: var(--_accent);
    border-style: solid;
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface-raised));
  }
  .icon {
    color: var(--_muted);
    line-height: 0;
  }
  .drag-over .icon {
    color: var(--_accent);
  }
  .label {
    margin: 0;
    font-weight: 600;
  }
  .hint,
  .details,
  .preparing {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--_space);
  }
  /* Camera capture only means something on phones and tablets. */
  .camera {
    display: none;
  }
  @media (pointer: coarse) {
    .camera {
      display: inline-block;
    }
  }
  :host([camera='always']) .camera {
    display: inline-block;
  }
  .preview {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space);
    margin: 0;
    padding: var(--_space);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .thumbnail {
    display: block;
    width: 100%;
    max-height: var(--staging-dropzone-thumbnail-max-height, 320px);
    object-fit: contain;
    border-radius: calc(var(--_radius) * 0.6);
    /* A checkerboard shows which parts of a cut-out are transparent. */
    background: repeating-conic-gradient(var(--_surface-raised) 0% 25%, var(--_surface) 0% 50%) 50% / 16px 16px;
  }
  .placeholder {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_space) / 2);
    min-height: 160px;
    color: var(--_muted);
    font-weight: 600;
  }
  .caption {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .preview .actions {
    justify-content: flex-start;
  }
  .preparing {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
  }
  @media (prefers-reduced-motion: reduce) {
    .drop-area {
      transition: none;
    }
  }
  .progress {
    display: grid;
    gap: calc(var(--_space) / 2);
    font-size: 0.9em;
  }
  .progress progress {
    width: 100%;
    height: 8px;
    accent-color: var(--_accent);
  }
  .error {
    color: var(--_danger);
    border-inline-start: 3px solid var(--_danger);
    padding: calc(var(--_space) / 2) var(--_space);
    background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
    border-radius: 4px;
  }
  .error:empty {
    display: none;
  }
`;
