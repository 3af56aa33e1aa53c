import { html, nothing, svg, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Service } from '../../contract/index.js';
import { SERVICE_WORDS, TEXT } from './picker-text.js';
import { SERVICE_SAMPLES } from './samples.js';

/**
 * Line icons (24 px, stroked) that say what a service does before any word is read, for the
 * services that ship no sample picture (samples.ts): the others show their before/after.
 */
const ICONS: Record<string, TemplateResult> = {
  '3d-plans': svg`<path d="M12 2.5 3.5 7v10l8.5 4.5 8.5-4.5V7z"/><path d="M3.5 7 12 11.5 20.5 7M12 11.5v10"/>`,
};
/** A picture: the icon of a service without its own, and of the reference photo's drop area. */
export const IMAGE_ICON = svg`<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/>`;

export interface ServiceCardsContext {
  services: Service[];
  selected: Service;
  disabled: boolean;
  /** The cards are folded to the chosen one's line, with "Change". */
  folded: boolean;
  /** A card was pressed with a pointer (not moved to with the keyboard): fold the cards. */
  onPick(event: MouseEvent): void;
  /** "Change": unfold the cards. */
  onChange(): void;
}

const wordsOf = (s: Service) => SERVICE_WORDS[s.id] ?? { title: s.name, line: s.description };

/** A service's picture: its sample before/after when one ships, else its line icon. Decorative: the words name the service. */
function picture(s: Service): TemplateResult {
  const sample = SERVICE_SAMPLES[s.id];
  return sample
    ? html`<img part="service-sample" class="sample" src=${sample} alt="" loading="lazy" decoding="async" width="240" height="120" />`
    : html`<svg part="service-icon" class="icon" viewBox="0 0 24 24" aria-hidden="true">${ICONS[s.id] ?? IMAGE_ICON}</svg>`;
}

const previewNote = (s: Service) =>
  s.preview_only ? html`<p part="preview-note" class="preview-note" id=${`svc-${s.id}-note`}>${TEXT.previewNote}</p>` : nothing;

/**
 * The services as large radio cards: a sample picture (or an icon), a title in plain words, one
 * line, a "Preview" badge. Once one is tapped they fold to its line, with "Change".
 */
export function renderServiceCards(ctx: ServiceCardsContext): TemplateResult {
  const { services, selected, disabled } = ctx;
  if (ctx.folded) {
    return html`<div part="chosen-service" class="chosen">
      ${picture(selected)}
      <p class="chosen-name"><span class="visually-hidden">${TEXT.chosenService}: </span>${wordsOf(selected).title}
        ${selected.preview_only ? html`<span part="preview-badge" class="badge">${TEXT.previewBadge}</span>` : nothing}</p>
      <button part="change-service" class="change" type="button" ?disabled=${disabled} aria-label=${TEXT.changeService} @click=${ctx.onChange}>
        ${TEXT.change}
      </button>
      ${previewNote(selected)}
    </div>`;
  }
  return html`<fieldset part="service-list" class="services">
    <legend>${TEXT.servicesLegend}</legend>
    <div class="cards" @click=${ctx.onPick}>
      ${services.map((s) => {
        const on = s.id === selected.id;
        const ids = `svc-${s.id}`;
        const words = wordsOf(s);
        return html`<label part=${on ? 'service service-selected' : 'service'} class="card">
          <input
            class="card-radio"
            type="radio"
            name="service"
            value=${s.id}
            .checked=${live(on)}
            ?disabled=${disabled}
            aria-labelledby=${`${ids}-name`}
            aria-describedby=${`${ids}-desc${s.preview_only ? ` ${ids}-badge` : ''}`}
          />
          ${picture(s)}
          <span part="service-name" class="service-name" id=${`${ids}-name`}>${words.title}</span>
          <span part="service-description" class="service-description" id=${`${ids}-desc`}>${words.line}</span>
          ${s.preview_only ? html`<span part="preview-badge" class="badge" id=${`${ids}-badge`}>${TEXT.previewBadge}</span>` : nothing}
        </label>`;
      })}
    </div>
    ${previewNote(selected)}
  </fieldset>`;
}
