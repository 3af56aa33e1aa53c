import { formatBytes, formatNumber, msg, str } from '../shared/locale.js';

/**
 * What the empty drop area says, read at render time in its locale. What it says about a chosen
 * photo (`preview-text.ts`) and the sentences of a refusal (`rejection-messages.ts`) arrive with
 * the file checks, when a file is first chosen.
 */
export const TEXT = {
  get label() { return msg('Drag a photo here, or paste one', { id: 'dropzone.label' }); },
  get choose() { return msg('Choose a photo', { id: 'dropzone.choose' }); },
  get camera() { return msg('Take photo', { id: 'dropzone.camera' }); },
  get preparing() { return msg('Preparing photo…', { id: 'dropzone.preparing' }); },
  hint: (types: string, maxBytes: number, base: number) => msg(str`${types} · up to ${formatBytes(maxBytes, base)}`, { id: 'dropzone.hint' }),
  get uploaded() { return msg('Uploaded', { id: 'dropzone.uploaded' }); },
  uploading: (fraction: number) => msg(str`Uploading… ${formatNumber(fraction, { style: 'percent' })}`, { id: 'dropzone.uploading' }),
  get loadFailed() { return msg('The photo could not be checked: part of this widget did not load. Check the connection and try again.', { id: 'dropzone.loadFailed' }); },
  /** Said when something other than a file (text, a link) is dropped. */
  get notAFile() { return msg('That was not a file. Drag a photo file from your device, or use “Choose a photo”.', { id: 'dropzone.notAFile' }); },
};
