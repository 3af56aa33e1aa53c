import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { Service } from '../../contract/index.js';
import { fieldsFor, maskNeededBy, type Choice } from './choice.js';
import { OPTION_NAME_PREFIX, optionId } from './option-fields.js';
import { CONFIG_QUESTION, TEXT } from './picker-text.js';
import { hasPictures, isGalleryField, renderGallery } from './style-gallery.js';

/** The questions in view under the service: what the photo shows (the preset), the style, and the mask. */

/** The question the photo answers: the service's presets as chips, rooms first. */
export function renderConfig(service: Service, choice: Choice, disabled: boolean): TemplateResult {
  const current = service.configs.find((c) => c.id === choice.config);
  // Rooms first: agents photograph interiors far more often than facades.
  const rank = (scene?: string) => (scene === 'interior' ? 0 : scene === 'exterior' ? 1 : 2);
  const configs = [...service.configs].sort((a, b) => rank(a.scene) - rank(b.scene));
  // Presets that are styles (a provider's "Scandinavian", "Industrial", …) are shown as pictures.
  if (hasPictures(configs.map((c) => c.id))) {
    return renderGallery({
      name: 'config',
      idPrefix: 'config',
      legend: CONFIG_QUESTION[service.id] ?? TEXT.configFallback,
      items: configs.map((c) => ({ value: c.id, label: c.name })),
      selected: choice.config,
      disabled,
      part: 'config',
      choicePart: 'config-choice',
    });
  }
  return html`<fieldset part="config" class="field config" aria-describedby=${ifDefined(current?.description ? 'config-help' : undefined)}>
    <legend>${CONFIG_QUESTION[service.id] ?? TEXT.configFallback}</legend>
    <div class="chips">
      ${configs.map(
        (c) => html`<label part=${c.id === choice.config ? 'config-choice config-choice-selected' : 'config-choice'} class="chip">
          <input type="radio" name="config" id=${`config-${c.id}`} value=${c.id} .checked=${live(c.id === choice.config)} ?disabled=${disabled} />
          <span>${c.name}</span>
        </label>`,
      )}
    </div>
    ${current?.description ? html`<p class="help" id="config-help">${current.description}</p>` : nothing}
  </fieldset>`;
}

/** Whether to paint a mask next, in the words of what the mask means for this choice. */
export function renderMaskToggle(service: Service, choice: Choice, disabled: boolean): TemplateResult {
  // HDR merge's mask, and one a chosen option needs, mark the windows; a needed one cannot be unticked.
  const neededBy = maskNeededBy(service, choice);
  const windows = neededBy !== null || service.inputs.brackets !== undefined;
  const help = neededBy !== null ? TEXT.maskNeeded(neededBy) : windows ? TEXT.maskWindowsHelp : TEXT.maskHelp;
  return html`<div part="mask-toggle" class="field check">
    <input
      type="checkbox"
      id="mask"
      name="mask"
      .checked=${live(choice.wantsMask || neededBy !== null)}
      ?disabled=${disabled || neededBy !== null}
      aria-describedby="mask-help"
    />
    <label for="mask">${windows ? TEXT.maskWindows : TEXT.mask}</label>
    <p class="help" id="mask-help">${help}</p>
  </div>`;
}

/** The service's style option (when the chosen scene has one) as a gallery of pictures; it is not repeated under "More options". */
export function renderStyle(service: Service, choice: Choice, disabled: boolean): TemplateResult | typeof nothing {
  const field = fieldsFor(service, choice).find(isGalleryField);
  if (!field) return nothing;
  const raw = choice.options[field.key];
  return renderGallery({
    name: OPTION_NAME_PREFIX + field.key,
    idPrefix: optionId(field.key),
    legend: TEXT.styleQuestion,
    help: field.description,
    items: field.values.map((v) => ({ value: v.value, label: v.label })),
    selected: typeof raw === 'string' && raw !== '' ? raw : (field.default ?? ''),
    disabled,
    part: 'style-gallery',
    choicePart: 'style-choice',
  });
}
