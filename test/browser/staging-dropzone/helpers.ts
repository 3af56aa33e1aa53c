import { fixture as mount, html } from '@open-wc/testing';
import '../../../src/elements/staging-dropzone/staging-dropzone.js';
import type { StagingDropzone } from '../../../src/elements/staging-dropzone/staging-dropzone.js';

export { fixtureFile } from '../image/helpers.js';
export { part, queryPart } from '../support/parts.js';

export async function mountDropzone(): Promise<StagingDropzone> {
  return mount<StagingDropzone>(html`<staging-dropzone></staging-dropzone>`);
}

export function fileInput(el: StagingDropzone): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>('#file-input')!;
}

export function transfer(...files: File[]): DataTransfer {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  return dt;
}

/**
 * A paste event carrying `dt`, as a person's paste of a copied image delivers it. Firefox builds
 * a ClipboardEvent's clipboardData afresh, without the files of the one given: there the event
 * gets `dt` itself as its clipboardData.
 */
export function pasteEvent(dt: DataTransfer, init: EventInit = {}): ClipboardEvent {
  const event = new ClipboardEvent('paste', { clipboardData: dt, ...init });
  if (event.clipboardData?.files.length !== dt.files.length) Object.defineProperty(event, 'clipboardData', { value: dt });
  return event;
}

/** What the browser does after a person picks a file in the dialog. */
export function chooseViaInput(el: StagingDropzone, file: File): void {
  const input = fileInput(el);
  input.files = transfer(file).files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

export function drag(target: Element, type: 'dragenter' | 'dragover' | 'dragleave' | 'drop', dt: DataTransfer): DragEvent {
  const event = new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, composed: true });
  target.dispatchEvent(event);
  return event;
}

/** Keeps a test from opening a real file dialog, and records that one was asked for. */
export function watchPicker(input: HTMLInputElement): { readonly count: number } {
  const state = { count: 0 };
  input.addEventListener('click', (e) => {
    state.count++;
    e.preventDefault();
  });
  return state;
}
