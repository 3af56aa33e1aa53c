import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { OptionField } from '../../contract/index.js';
import { TEXT } from './picker-text.js';

/** What a control holds: the checkbox's state, or the text of any other control. */
export type RawOptionValue = string | boolean;
export type OptionValue = string | number | boolean;

/** Prefix of option controls' `name`, so the form's handler tells them from the fixed fields. */
export const OPTION_NAME_PREFIX = 'options.';

export const optionId = (key: string): string => `option-${key}`;

/** What a control shows before the person touches it. */
export function initialRaw(field: OptionField): RawOptionValue {
  switch (field.type) {
    case 'boolean':
      return field.default ?? false;
    case 'enum':
      // Optional enums start on "Default" so the provider's own default applies.
      return field.required ? (field.default ?? '') : '';
    case 'string':
      return field.default ?? '';
    case 'number':
    case 'integer':
      return field.default === undefined ? '' : String(field.default);
  }
}

/**
 * The typed value to send, or undefined to leave the option out (an empty optional field, a
 * "Default" choice), so the server applies its default. Numbers are numbers and booleans
 * booleans: the BFF checks types, not strings that look like them.
 */
export function typedOption(field: OptionField, raw: RawOptionValue | undefined): OptionValue | undefined {
  if (raw === undefined) return undefined;
  switch (field.type) {
    case 'boolean':
      return raw === true;
    case 'enum':
    case 'string':
      return typeof raw === 'string' && raw !== '' ? raw : undefined;
    case 'number':
    case 'integer': {
      if (typeof raw !== 'string' || raw.trim() === '') return undefined;
      const n = Number(raw);
      return Number.isFinite(n) ? n : undefined;
    }
  }
}

/** Keeps a remembered value only while the field still accepts it (a catalog may change). */
export function sanitizeRaw(field: OptionField, raw: RawOptionValue | undefined): RawOptionValue {
  if (raw === undefined) return initialRaw(field);
  if (field.type === 'boolean') return typeof raw === 'boolean' ? raw : initialRaw(field);
  if (typeof raw !== 'string') return initialRaw(field);
  if (field.type === 'enum' && raw !== '' && !field.values.some((v) => v.value === raw)) return initialRaw(field);
  return raw;
}

export interface OptionRenderContext {
  disabled: boolean;
  /** The message to show under the control, when it is invalid and was touched. */
  error: string | undefined;
}

const requiredMark = html`<span class="required" aria-hidden="true">*</span>`;

/** The message under a field, hidden while it has none; `id` is what its control's `aria-describedby` names. */
export const renderFieldError = (id: string, message: string | undefined): TemplateResult =>
  html`<p class="field-error" part="field-error" id=${id} ?hidden=${!message}>${message ?? ''}</p>`;

/** `aria-describedby` of a control: the ids of the descriptions it has now. */
export const describedBy = (...ids: Array<string | false | null | undefined>): string => ids.filter(Boolean).join(' ');

/** One option of the service's schema as a native, labelled form control. */
export function renderOptionField(field: OptionField, raw: RawOptionValue, ctx: OptionRenderContext): TemplateResult {
  const id = optionId(field.key);
  const name = OPTION_NAME_PREFIX + field.key;
  const helpId = field.description ? `${id}-help` : undefined;
  const errorId = `${id}-error`;
  const descriptions = describedBy(helpId, ctx.error && errorId) || undefined;
  const invalid = ctx.error ? 'true' : undefined;
  const help = field.description ? html`<p class="help" id=${helpId!}>${field.description}</p>` : nothing;
  const error = renderFieldError(errorId, ctx.error);

  if (field.type === 'boolean') {
    return html`<div part="option option-boolean" class="field check" data-key=${field.key}>
      <input
        type="checkbox"
        id=${id}
        name=${name}
        .checked=${live(raw === true)}
        ?required=${field.required === true}
        ?disabled=${ctx.disabled}
        aria-describedby=${ifDefined(descriptions)}
        aria-invalid=${ifDefined(invalid)}
      />
      <label for=${id}>${field.label}${field.required ? requiredMark : nothing}</label>
      ${help} ${error}
    </div>`;
  }

  const label = html`<label for=${id}>${field.label}${field.required ? requiredMark : nothing}</label>`;
  const value = typeof raw === 'string' ? raw : '';
  let control: TemplateResult;
  switch (field.type) {
    case 'enum': {
      const defaultLabel = field.default ? TEXT.defaultIs(field.values.find((v) => v.value === field.default)?.label ?? field.default) : TEXT.defaultChoice;
      control = html`<select
        id=${id}
        name=${name}
        ?required=${field.required === true}
        ?disabled=${ctx.disabled}
        aria-describedby=${ifDefined(descriptions)}
        aria-invalid=${ifDefined(invalid)}
      >
        ${field.required
          ? // A placeholder with an empty value is what makes `required` bite on a select.
            html`<option value="" .selected=${live(value === '')} disabled>${TEXT.choose}</option>`
          : html`<option value="" .selected=${live(value === '')}>${defaultLabel}</option>`}
        ${field.values.map((v) => html`<option value=${v.value} .selected=${live(v.value === value)}>${v.label}</option>`)}
      </select>`;
      break;
    }
    case 'string':
      control = html`<input
        type="text"
        id=${id}
        name=${name}
        .value=${live(value)}
        maxlength=${ifDefined(field.max_length)}
        ?required=${field.required === true}
        ?disabled=${ctx.disabled}
        autocomplete="off"
        aria-describedby=${ifDefined(descriptions)}
        aria-invalid=${ifDefined(invalid)}
      />`;
      break;
    case 'number':
    case 'integer':
      control = html`<input
        type="number"
        id=${id}
        name=${name}
        .value=${live(value)}
        min=${ifDefined(field.min)}
        max=${ifDefined(field.max)}
        .step=${String(field.step ?? (field.type === 'integer' ? 1 : 'any'))}
        inputmode=${field.type === 'integer' ? 'numeric' : 'decimal'}
        ?required=${field.required === true}
        ?disabled=${ctx.disabled}
        aria-describedby=${ifDefined(descriptions)}
        aria-invalid=${ifDefined(invalid)}
      />`;
      break;
  }
  return html`<div part="option option-${field.type}" class="field" data-key=${field.key}>${label} ${control} ${help} ${error}</div>`;
}
