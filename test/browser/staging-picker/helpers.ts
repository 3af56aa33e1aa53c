import { fixture as mount, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Catalog, OptionField, Service } from '../../../src/contract/index.js';
import '../../../src/elements/staging-picker/staging-picker.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { queryPart } from '../support/parts.js';
import { realClient } from '../support/real-bff.js';

export { part, parts, queryPart } from '../support/parts.js';
export { bffUrl, devTokens, fixtureFile, realClient } from '../support/real-bff.js';

/** A picker on the real BFF's catalog, loaded. `session` is the dev session's body (max_resolution, services, max_credits…). */
export async function mountLoaded(session: Record<string, unknown> = {}): Promise<StagingPicker> {
  const client = await realClient(undefined, session);
  const el = await mount<StagingPicker>(html`<staging-picker .client=${client}></staging-picker>`);
  await waitUntil(() => el.value !== null, 'the catalog did not load', { timeout: 10_000 });
  await el.updateComplete;
  return el;
}

/** A picker given a catalog directly: no fetch. */
export async function mountWithCatalog(catalog: Catalog): Promise<StagingPicker> {
  const el = await mount<StagingPicker>(html`<staging-picker .catalog=${catalog}></staging-picker>`);
  await el.updateComplete;
  return el;
}

/** Whether a part is rendered; a boolean, because a failing assertion on a DOM node is costly to report. */
export function has(el: StagingPicker, name: string): boolean {
  return queryPart(el, name) !== null;
}

export function $<T extends Element = HTMLInputElement>(el: StagingPicker, selector: string): T {
  const node = el.shadowRoot!.querySelector<T>(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  return node;
}

export function serviceRadio(el: StagingPicker, id: string): HTMLInputElement {
  return $(el, `input[name="service"][value="${id}"]`);
}

/** What a person's click on a service card does. */
export async function chooseService(el: StagingPicker, id: string): Promise<void> {
  serviceRadio(el, id).click();
  await el.updateComplete;
}

/** What a person's click on a preset chip does. */
export async function chooseConfig(el: StagingPicker, id: string): Promise<void> {
  $(el, `input[name="config"][value="${id}"]`).click();
  await el.updateComplete;
}

/** Unfolds "More options", as a person does before reaching the size, instructions or reference photo. */
export async function openMore(el: StagingPicker): Promise<void> {
  const details = $<HTMLDetailsElement>(el, '[part~="more-options"]');
  if (!details.open) {
    details.querySelector('summary')!.click();
    await waitUntil(() => details.open, 'More options did not unfold');
  }
  await el.updateComplete;
}

/** Types into a text field or number input as a person would: value, then input and change. */
export async function typeInto(control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): Promise<void> {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

export async function settle(el: StagingPicker): Promise<void> {
  await el.updateComplete;
  await el.updateComplete;
}

export function nextSelection(el: StagingPicker) {
  return oneEvent(el, 'staging-selection-change');
}

const field = (f: OptionField): OptionField => f;

/** One service with an option of every type, and required ones. */
export const everyTypeService: Service = {
  id: 'kitchen-sink',
  name: 'Kitchen Sink',
  description: 'A service with an option of every type.',
  configs: [
    { id: 'a', name: 'Config A', description: 'The first.' },
    { id: 'b', name: 'Config B' },
  ],
  credits: { '2K': 2, '4K': 5 },
  resolutions: ['2K', '4K'],
  inputs: { mask: true, reference_image: true, prompt: true, variants: { min: 1, max: 3 }, location: false },
  options: [
    field({ key: 'style', label: 'Style', description: 'The look.', type: 'enum', values: [{ value: 'modern', label: 'Modern' }, { value: 'rustic', label: 'Rustic' }], default: 'modern' }),
    field({ key: 'room', label: 'Room', type: 'enum', required: true, values: [{ value: 'kitchen', label: 'Kitchen' }, { value: 'hall', label: 'Hall' }] }),
    field({ key: 'caption', label: 'Caption', type: 'string', max_length: 20 }),
    field({ key: 'strength', label: 'Strength', description: 'From 0 to 1.', type: 'number', min: 0, max: 1, step: 0.1, default: 0.5 }),
    field({ key: 'count', label: 'Count', type: 'integer', min: 1, max: 5 }),
    field({ key: 'hdr', label: 'HDR', type: 'boolean', default: false }),
    field({ key: 'title', label: 'Title', type: 'string', required: true }),
  ],
  preview_only: false,
  edit_class: 'material',
};

export const plainService: Service = {
  id: 'plain',
  name: 'Plain',
  description: 'Nothing but a config.',
  configs: [{ id: 'only', name: 'Only' }],
  credits: { '2K': 1 },
  resolutions: ['2K'],
  inputs: { mask: false, reference_image: false, prompt: false, variants: { min: 1, max: 1 }, location: false },
  options: [],
  preview_only: true,
  edit_class: 'technical',
};

export function catalogOf(...services: Service[]): Catalog {
  return {
    provider: 'test',
    services,
    resolutions: ['2K', '4K'],
    max_resolution: '4K',
    upload: { content_types: ['image/jpeg', 'image/png', 'image/webp'], max_bytes: 20_000_000, max_pixels: 40_000_000 },
  };
}
