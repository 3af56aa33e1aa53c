import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { OptionField, Service, UploadLimits } from '../../contract/index.js';
import { formatTypeList } from '../staging-dropzone/validation.js';
import type { ListingPhoto } from './photo-uploads-controller.js';
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

export interface DropAreaView {
  limits: UploadLimits;
  /** Photos in the listing so far: with some, the area shrinks to "Add more photos". */
  count: number;
  max: number;
  dragOver: boolean;
  onDragOver(e: DragEvent): void;
  onDragLeave(): void;
  onDrop(e: DragEvent): void;
  add(files: File[]): void;
}

/** Where photos and folders are dropped, with "Choose photos" (several at once) for the file dialog. */
export function renderDropArea(view: DropAreaView): TemplateResult {
  const some = view.count > 0;
  return html`<div part="drop-area" class="drop ${view.dragOver ? 'over' : ''} ${some ? 'compact' : ''}" @dragover=${view.onDragOver} @dragleave=${view.onDragLeave} @drop=${view.onDrop}>
    ${some ? nothing : html`<p class="drop-label">${TEXT.dropLabel}</p>`}
    <button part="browse-button" type="button" class=${some ? '' : 'primary'} @click=${(e: Event) => (e.target as HTMLElement).parentElement!.querySelector('input')!.click()}>
      ${some ? TEXT.addMore : TEXT.choosePhotos}
    </button>
    ${some ? nothing : html`<p class="hint">${TEXT.dropHint(formatTypeList(view.limits), view.max)}</p>`}
    <input
      type="file"
      multiple
      hidden
      accept=${view.limits.content_types.join(',')}
      @change=${(e: Event) => {
        const input = e.target as HTMLInputElement;
        view.add(Array.from(input.files ?? []));
        input.value = '';
      }}
    />
  </div>`;
}

export interface StartBarView {
  photos: readonly ListingPhoto[];
  /** Credits of one photo's job (0 for a free preview). */
  perPhoto: number;
  previewOnly: boolean;
  /** Credits left in the session; null without a limit, undefined while unknown. */
  remaining: number | null | undefined;
  /** Photos are still being prepared or uploaded. */
  uploading: boolean;
  /** Start is being sent. */
  busy: boolean;
  start(): void;
}

/** The total cost against what remains, and Start (bottom right; full width on a phone). */
export function renderStartBar(view: StartBarView): TemplateResult {
  const ready = view.photos.filter((p) => p.state === 'ready').length;
  const cost = ready * view.perPhoto;
  const { remaining } = view;
  const known = remaining !== null && remaining !== undefined;
  const short = known && cost > remaining;
  const waiting = view.uploading || view.photos.some((p) => p.state === 'failed');
  const blocker = !ready ? TEXT.noPhotos : waiting ? TEXT.waitForUploads : short ? TEXT.notEnoughCredits(cost, remaining) : '';
  return html`<div part="footer" class="footer">
    <p part="cost" class="cost" role="status">
      <strong>${TEXT.costFor(ready, view.previewOnly ? TEXT.free : TEXT.cost(cost))}</strong>
      ${known && !view.previewOnly ? html`<span class="muted">${TEXT.creditsLeft(remaining)}</span>` : nothing}
      ${blocker && view.photos.length ? html`<span part=${short ? 'cost-warning' : 'cost-hint'} class=${short ? 'warning' : 'muted'}>${blocker}</span>` : nothing}
    </p>
    <button part="start-button" class="primary" type="button" ?disabled=${!!blocker || view.busy} @click=${view.start}>${view.busy ? TEXT.starting : TEXT.start}</button>
  </div>`;
}
