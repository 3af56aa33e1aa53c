import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { RESOLUTION_LONG_SIDE } from '../../contract/constants.js';
import type { Resolution, Service } from '../../contract/index.js';
import { fieldsFor, PROMPT_MAX, variantsOf, type Choice } from './choice.js';
import { isGalleryField } from './style-gallery.js';
import { describedBy, initialRaw, OPTION_NAME_PREFIX, renderFieldError, renderOptionField } from './option-fields.js';
import { IMAGE_ICON } from './service-cards.js';
import { TEXT } from './picker-text.js';

/** What the folded panel needs from the picker: the choice, its state, and the handlers it calls. */
export interface MoreOptionsContext {
  service: Service;
  choice: Choice;
  /** The resolutions this session and photo may use. */
  resolutions: Resolution[];
  open: boolean;
  errors: ReadonlyMap<string, string>;
  disabled: boolean;
  /** `accept` of the reference image input. */
  accept: string;
  onToggle(open: boolean): void;
  onStep(delta: number): void;
  onReferenceChange(event: Event): void;
  onReferenceRemove(): void;
}

/**
 * "More options", folded by default: size, versions, instructions, scene options and a
 * reference photo, each only where the service takes it. Its summary says what it holds.
 */
export function renderMoreOptions(context: MoreOptionsContext): TemplateResult {
  const { service, choice } = context;
  // The scene's options, but the style: it is asked above, as pictures.
  const ctx = { ...context, fields: fieldsFor(service, choice).filter((f) => !isGalleryField(f)) };
  const { fields } = ctx;
  return html`<details part="more-options" class="more" ?open=${ctx.open} @toggle=${(e: Event) => ctx.onToggle((e.target as HTMLDetailsElement).open)}>
    <summary part="more-options-summary">
      <span class="more-title">${TEXT.moreOptions}</span>
      <span class="muted">${foldedSummary(service, choice)}</span>
    </summary>
    <div class="more-body">
      ${renderResolution(ctx)}
      ${service.inputs.variants.max > 1 ? renderVariants(ctx) : nothing}
      ${service.inputs.prompt ? renderPrompt(ctx) : nothing}
      ${fields.length ? renderOptions(ctx) : nothing}
      ${service.inputs.reference_image ? renderReference(ctx) : nothing}
    </div>
  </details>`;
}

function fieldError(ctx: MoreOptionsContext, name: string, id: string): { error: TemplateResult; invalid: 'true' | undefined; errorId: string | undefined } {
  const message = ctx.errors.get(name);
  return {
    error: renderFieldError(id, message),
    invalid: message ? 'true' : undefined,
    errorId: message ? id : undefined,
  };
}

function renderResolution({ service, choice, resolutions, disabled }: MoreOptionsContext): TemplateResult {
  return html`<fieldset part="resolution" class="resolution">
    <legend>${TEXT.resolution}</legend>
    <div class="chips">
      ${resolutions.map(
        (r) => html`<label part="resolution-choice" class="chip">
          <input type="radio" name="resolution" value=${r} .checked=${live(r === choice.resolution)} required ?disabled=${disabled} />
          <span>${r}</span>
          <span class="muted"
            >${RESOLUTION_LONG_SIDE[r]} px${service.preview_only ? '' : ` · ${TEXT.credits(service.credits[r] ?? 0)}`}</span
          >
        </label>`,
      )}
    </div>
  </fieldset>`;
}

function renderPrompt(ctx: MoreOptionsContext): TemplateResult {
  const { choice, disabled } = ctx;
  const { error, invalid, errorId } = fieldError(ctx, 'prompt', 'prompt-error');
  return html`<div part="prompt" class="field">
    <label for="prompt">${TEXT.instructions} <span class="muted">${TEXT.optional}</span></label>
    <textarea
      id="prompt"
      name="prompt"
      rows="3"
      maxlength=${PROMPT_MAX}
      placeholder=${TEXT.promptPlaceholder}
      .value=${live(choice.prompt)}
      ?disabled=${disabled}
      aria-describedby=${describedBy('prompt-counter', errorId)}
      aria-invalid=${ifDefined(invalid)}
    ></textarea>
    <p part="prompt-counter" class="help counter" id="prompt-counter">${TEXT.promptCounter(choice.prompt.length, PROMPT_MAX)}</p>
    ${error}
  </div>`;
}

function renderVariants(ctx: MoreOptionsContext): TemplateResult {
  const { service, choice, disabled } = ctx;
  const { min, max } = service.inputs.variants;
  const { error, invalid, errorId } = fieldError(ctx, 'variants', 'variants-error');
  const n = Number(choice.variants);
  return html`<div part="variants" class="field">
    <label for="variants">${TEXT.variants}</label>
    <div class="stepper">
      <button
        part="stepper-button"
        type="button"
        aria-label=${TEXT.fewerVariants}
        aria-controls="variants"
        ?disabled=${disabled || n <= min}
        @click=${() => ctx.onStep(-1)}
      >
        −
      </button>
      <input
        type="number"
        id="variants"
        name="variants"
        inputmode="numeric"
        min=${min}
        max=${max}
        step="1"
        required
        .value=${live(choice.variants)}
        ?disabled=${disabled}
        aria-describedby=${describedBy('variants-help', errorId)}
        aria-invalid=${ifDefined(invalid)}
      />
      <button
        part="stepper-button"
        type="button"
        aria-label=${TEXT.moreVariants}
        aria-controls="variants"
        ?disabled=${disabled || n >= max}
        @click=${() => ctx.onStep(1)}
      >
        +
      </button>
    </div>
    <p class="help" id="variants-help">${TEXT.variantsHelp(min, max)}</p>
    ${error}
  </div>`;
}

function renderOptions({ fields, choice, disabled, errors }: MoreOptionsContext & { fields: Service['options'] }): TemplateResult {
  return html`<fieldset part="options" class="options">
    <legend>${TEXT.options}</legend>
    <div class="option-grid">
      ${fields.map((field) =>
        renderOptionField(field, choice.options[field.key] ?? initialRaw(field), {
          disabled: disabled,
          error: errors.get(OPTION_NAME_PREFIX + field.key),
        }),
      )}
    </div>
  </fieldset>`;
}

function renderReference({ choice, accept, disabled, onReferenceChange, onReferenceRemove }: MoreOptionsContext): TemplateResult {
  const ref = choice.reference;
  const percent = ref?.progress === null || ref?.progress === undefined ? null : Math.round(ref.progress * 100);
  // A drop area, not a bare "Choose File": the input stays (focusable, labelled) under its label.
  const over = (e: DragEvent) => {
    e.preventDefault();
    (e.currentTarget as HTMLElement).toggleAttribute('data-over', e.type === 'dragover');
  };
  const drop = (e: DragEvent) => {
    over(e);
    const input = (e.currentTarget as HTMLElement).querySelector('input');
    const files = e.dataTransfer?.files;
    if (!input || disabled || !files?.length) return;
    input.files = files;
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  };
  return html`<div part="reference" class="field">
    <span class="label" id="reference-label">${TEXT.reference} <span class="muted">${TEXT.optional}</span></span>
    <label part="reference-drop" class="drop" ?hidden=${!!ref} @dragover=${over} @dragleave=${over} @drop=${drop}>
      <input
        class="visually-hidden"
        type="file"
        id="reference"
        name="reference"
        accept=${accept}
        ?disabled=${disabled}
        aria-labelledby="reference-label"
        aria-describedby=${describedBy('reference-help', ref && 'reference-state', ref?.error && 'reference-error')}
        aria-invalid=${ifDefined(ref?.error ? 'true' : undefined)}
        @change=${onReferenceChange}
      />
      <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">${IMAGE_ICON}</svg>
      <span>${TEXT.referenceDrop}</span>
    </label>
    <p class="help" id="reference-help">${TEXT.referenceHelp}</p>
    ${ref
      ? html`<figure part="reference-preview" class="reference-preview">
          ${ref.url ? html`<img part="reference-thumbnail" class="reference-thumbnail" src=${ref.url} alt=${TEXT.referenceAlt(ref.file.name)} />` : nothing}
          <figcaption class="reference-caption">
            <span class="file-name" title=${ref.file.name}>${ref.file.name}</span>
            <span class="help" id="reference-state"
              >${ref.uploadId ? TEXT.uploaded : ref.error ? TEXT.notUploaded : TEXT.uploading(percent)}</span
            >
            ${percent !== null
              ? html`<progress part="reference-progress" max="100" .value=${percent} aria-label=${TEXT.referenceProgress}></progress>`
              : nothing}
          </figcaption>
          <button part="reference-remove" type="button" ?disabled=${disabled} @click=${onReferenceRemove}>${TEXT.referenceRemove}</button>
        </figure>`
      : nothing}
    ${renderFieldError('reference-error', ref?.error?.())}
  </div>`;
}

/** "2K · 1 version · instructions": what the folded panel currently holds. */
export function foldedSummary(service: Service, choice: Choice): string {
  const bits: string[] = [choice.resolution];
  if (service.inputs.variants.max > 1) bits.push(TEXT.versions(variantsOf(service, choice)));
  if (choice.prompt.trim()) bits.push(TEXT.instructions.toLowerCase());
  if (choice.reference) bits.push(TEXT.referenceShort);
  return bits.join(' · ');
}
