import { html, nothing, svg, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Service } from '../../contract/index.js';
import { SERVICE_WORDS, TEXT } from './picker-text.js';
import { SERVICE_SAMPLES } from './samples.js';

/** Line icons (24 px, stroked) that say what each service does before any word is read. */
const ICONS: Record<string, TemplateResult> = {
  'render-enhancement': svg`<circle cx="12" cy="12" r="4"/><path d="M12 2.5v2.5M12 19v2.5M2.5 12H5M19 12h2.5M5.3 5.3l1.8 1.8M16.9 16.9l1.8 1.8M5.3 18.7l1.8-1.8M16.9 7.1l1.8-1.8"/>`,
  'virtual-staging': svg`<path d="M5 11V8a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v3"/><path d="M3 12.5a1.5 1.5 0 0 1 3 0V15h12v-2.5a1.5 1.5 0 0 1 3 0V18H3z"/><path d="M5 18v2M19 18v2"/>`,
  'design-options': svg`<path d="m12 3 9 5-9 5-9-5z"/><path d="m3 12.5 9 5 9-5"/><path d="m3 16.5 9 5 9-5"/>`,
  '3d-plans': svg`<path d="M12 2.5 3.5 7v10l8.5 4.5 8.5-4.5V7z"/><path d="M3.5 7 12 11.5 20.5 7M12 11.5v10"/>`,
  upscale: svg`<path d="M14 3h7v7M10 21H3v-7M21 3l-7.5 7.5M3 21l7.5-7.5"/>`,
  // A frame whose sides converge, made upright.
  straighten: svg`<path d="M2.5 19.5 4.5 4.5h4l2 15z"/><path d="M12 12h3.5m-1.5-1.8 1.8 1.8-1.8 1.8"/><rect x="17" y="4.5" width="4.5" height="15" rx="0.5"/>`,
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
