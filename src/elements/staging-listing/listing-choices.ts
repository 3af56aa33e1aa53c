import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { OptionField, Service } from '../../contract/index.js';
import { SERVICE_WORDS } from '../staging-picker/picker-text.js';
import { TEXT } from './listing-text.js';

/** The one style of a listing: the service's `style` option, when it has one. */
export function styleFieldOf(service: Service | undefined): Extract<OptionField, { type: 'enum' }> | undefined {
  const field = service?.options.find((o) => o.key === 'style');
  return field?.type === 'enum' ? field : undefined;
}

export interface ChoicesView {
  services: readonly Service[];
  service: Service;
  style: string;
  disabled: boolean;
  setService(id: string): void;
  setStyle(value: string): void;
}

function chips(name: string, legend: string, part: string, items: Array<{ value: string; label: string }>, current: string, disabled: boolean, pick: (v: string) => void): TemplateResult {
  return html`<fieldset part=${part} class="chips">
    <legend>${legend}</legend>
    ${items.map(
      (i) => html`<label part=${i.value === current ? 'chip chip-selected' : 'chip'} class="chip">
        <input type="radio" name=${name} value=${i.value} .checked=${live(i.value === current)} ?disabled=${disabled} @change=${() => pick(i.value)} />
        <span>${i.label}</span>
      </label>`,
    )}
  </fieldset>`;
}

/** What to do to every photo (when more than one service is offered) and the one style for all. */
export function renderChoices(view: ChoicesView): TemplateResult {
  const style = styleFieldOf(view.service);
  return html`${view.services.length > 1
    ? chips('service', TEXT.serviceLegend, 'services', view.services.map((s) => ({ value: s.id, label: SERVICE_WORDS[s.id]?.title ?? s.name })), view.service.id, view.disabled, view.setService)
    : nothing}
  ${style ? chips('style', TEXT.styleLegend, 'styles', style.values, view.style, view.disabled, view.setStyle) : nothing}`;
}

export interface SelectionView {
  count: number;
  total: number;
  rooms: ReadonlyArray<{ id: string; name: string }>;
  selectAll(on: boolean): void;
  setRoomOfSelected(room: string): void;
}

/** Above the grid: select all, and a room for every selected photo at once. */
export function renderSelectionBar(view: SelectionView): TemplateResult | typeof nothing {
  if (!view.rooms.length || view.total < 2) return nothing;
  return html`<div part="selection-bar" class="selection-bar">
    <label class="select-all">
      <input type="checkbox" .checked=${live(view.count === view.total)} .indeterminate=${view.count > 0 && view.count < view.total} @change=${(e: Event) => view.selectAll((e.target as HTMLInputElement).checked)} />
      ${TEXT.selectAll}
    </label>
    ${view.count
      ? html`<span class="count" role="status">${TEXT.selectedCount(view.count)}</span>
          <select part="room-for-selected" aria-label=${TEXT.setRoomForSelected}>
            ${view.rooms.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
          </select>
          <button
            part="apply-button"
            type="button"
            @click=${(e: Event) => {
              // Applied with a button, not on change: arrow keys on a select fire a change per step.
              const select = (e.target as HTMLElement).parentElement!.querySelector('select')!;
              view.setRoomOfSelected(select.value);
            }}
          >
            ${TEXT.apply}
          </button>`
      : nothing}
  </div>`;
}
