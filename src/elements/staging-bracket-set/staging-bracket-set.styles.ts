import { css } from 'lit';

export const bracketSetStyles = css`
  :host {
    --_thumb: var(--staging-bracket-thumbnail-size, 112px);
  }
  .base {
    gap: calc(var(--_space) * 1.5);
  }
  /* The sentences around the list; a problem stands out below. */
  .intro,
  .status,
  .refusal {
    margin: 0;
    color: var(--_muted);
  }
  .list {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin: 0;
    padding: var(--_space);
    list-style: none;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  .drag-over .list {
    border-color: var(--_accent);
    border-style: solid;
  }
  .item {
    position: relative;
    display: grid;
    gap: calc(var(--_space) * 0.5);
    inline-size: var(--_thumb);
  }
  /* A shot's picture, and the empty place of one still needed. */
  .thumbnail,
  .slot {
    inline-size: var(--_thumb);
    block-size: calc(var(--_thumb) * 0.7);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
  }
  .thumbnail {
    display: block;
    object-fit: cover;
  }
  .slot {
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 2px;
    min-height: 0;
    padding: 4px;
    border-style: dashed;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .slot span {
    font-size: 1.6em;
    line-height: 1;
  }
  .item-label {
    font-weight: 600;
    font-size: 0.9em;
  }
  .item-name {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
    color: var(--_muted);
    font-size: 0.85em;
  }
  /* Over the thumbnail's corner: small to look at, 44px to tap. */
  .remove-button {
    position: absolute;
    inset-block-start: 0;
    inset-inline-end: 0;
    display: grid;
    place-items: center;
    inline-size: 44px;
    block-size: 44px;
    min-height: 0;
    padding: 0;
    border: none;
    background: transparent;
  }
  .remove-button span {
    display: grid;
    place-items: center;
    inline-size: 26px;
    block-size: 26px;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_surface) 88%, transparent);
    border: 1px solid var(--_border);
    line-height: 1;
  }
  .add {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .add-button {
    font-weight: 600;
  }
  :host([disabled]) .add-button {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .drop-hint {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .status.problem,
  .refusal {
    color: var(--_warning);
    font-weight: 600;
  }
  .status.ready {
    color: var(--_success);
    font-weight: 600;
  }
  @media (max-width: 480px) {
    :host {
      --_thumb: var(--staging-bracket-thumbnail-size, 84px);
    }
  }
`;
