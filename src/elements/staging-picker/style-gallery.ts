import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { OptionField } from '../../contract/index.js';
import { cssProps } from '../shared/css-props.js';
import { STYLE_SAMPLES } from './samples.js';

/** One choice of a gallery: its form value and the words under its picture. */
export interface GalleryItem {
  value: string;
  label: string;
}

export interface GalleryContext {
  /** The radios' `name` (the form's handler reads it). */
  name: string;
  /** Prefix of each radio's id (`${idPrefix}-${value}`), and the fieldset's id. */
  idPrefix: string;
  legend: string;
  /** A line of help, read with the choice (the legend and pictures already say it on screen). */
  help?: string;
  items: GalleryItem[];
  selected: string;
  disabled: boolean;
  /** The fieldset's part and each swatch's part (also `${choicePart}-selected`). */
  part: string;
  choicePart: string;
}

/** Hues for the colour swatch of a style without a picture, so that it still reads as itself. */
const FALLBACK_HUES: Record<string, number> = { coastal: 200, bohemian: 18, 'mid-century': 38, rustic: 28 };

function hueOf(value: string): number {
  const known = FALLBACK_HUES[value];
  if (known !== undefined) return known;
  let h = 0;
  for (const c of value) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

/** Whether an option is asked as a gallery of pictures (a style), not inside "More options". */
export function isGalleryField(field: OptionField): field is Extract<OptionField, { type: 'enum' }> {
  return field.type === 'enum' && field.key === 'style';
}

/** Whether most of these values have a picture: then a gallery says more than chips of words. */
export function hasPictures(values: string[]): boolean {
  return values.length > 1 && values.filter((v) => v in STYLE_SAMPLES).length * 2 >= values.length;
}

/**
 * A visual choice: a radio group of swatches, each a small picture (loaded lazily, decorative:
 * the word under it names it) or, without one, a colour swatch with the word's initial. Native
 * radios, so Tab reaches the chosen one and the arrow keys move the choice.
 */
export function renderGallery(ctx: GalleryContext): TemplateResult {
  const helpId = ctx.help ? `${ctx.idPrefix}-help` : undefined;
  return html`<fieldset part=${ctx.part} class="field gallery" id=${ctx.idPrefix} aria-describedby=${ifDefined(helpId)}>
    <legend>${ctx.legend}</legend>
    ${ctx.help ? html`<p class="visually-hidden" id=${helpId!}>${ctx.help}</p>` : nothing}
    <div class="swatches">
      ${ctx.items.map((item) => {
        const on = item.value === ctx.selected;
        const picture = STYLE_SAMPLES[item.value];
        return html`<label part=${on ? `${ctx.choicePart} ${ctx.choicePart}-selected` : ctx.choicePart} class="swatch">
          <input
            class="swatch-radio"
            type="radio"
            name=${ctx.name}
            id=${`${ctx.idPrefix}-${item.value}`}
            value=${item.value}
            .checked=${live(on)}
            ?disabled=${ctx.disabled}
          />
          ${picture
            ? html`<img class="swatch-picture" src=${picture} alt="" loading="lazy" decoding="async" width="120" height="90" />`
            : html`<span class="swatch-picture swatch-fallback" aria-hidden="true" ${cssProps({ '--_hue': String(hueOf(item.value)) })}
                >${item.label.charAt(0)}</span
              >`}
          <span class="swatch-label">${item.label}</span>
        </label>`;
      })}
    </div>
  </fieldset>`;
}
