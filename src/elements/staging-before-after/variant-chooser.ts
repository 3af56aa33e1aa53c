import { html, nothing, type TemplateResult } from 'lit';
import type { CompareVariant } from '../shared/variants.js';
import { TEXT } from './compare-text.js';

/**
 * The variant chooser of `<staging-before-after>`: a radio group of thumbnails (parts
 * `variants`, `variants-label`, `variant`, `variant-thumbnail`), `selected` checked.
 */
export function renderVariantChooser(variants: readonly CompareVariant[], selected: number, onSelect: (index: number) => void): TemplateResult {
  return html`
    <fieldset part="variants" class="variants">
      <legend part="variants-label">${TEXT.variants}</legend>
      <div class="variant-list">
        ${variants.map(
          (variant, index) => html`
            <label part="variant" class="variant">
              <input class="visually-hidden" type="radio" name="variant" .value=${String(index)} .checked=${index === selected} @change=${() => onSelect(index)} />
              <img part="variant-thumbnail" src=${variant.url} alt="" loading="lazy" draggable="false" />
              <span class="variant-text">
                ${variant.label ?? TEXT.variant(index + 1)}${variant.localPreview ? html`<span class="variant-mark">${TEXT.localPreviewMark}</span>` : nothing}
              </span>
            </label>
          `,
        )}
      </div>
    </fieldset>
  `;
}
