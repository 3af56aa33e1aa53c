import { formatBytes, formatNumber, formatPixels, msg, str } from '../shared/locale.js';

/**
 * What the drop area says, read at render time in its locale. The sentences of a refusal are in
 * rejection-messages.ts, which arrives with the file checks when a file is first chosen.
 */
export const TEXT = {
  get label() { return msg('Drag a photo here, or paste one', { id: 'dropzone.label' }); },
  get choose() { return msg('Choose a photo', { id: 'dropzone.choose' }); },
  get camera() { return msg('Take photo', { id: 'dropzone.camera' }); },
  get preparing() { return msg('Preparing photo…', { id: 'dropzone.preparing' }); },
  hint: (types: string, maxBytes: number, base: number) => msg(str`${types} · up to ${formatBytes(maxBytes, base)}`, { id: 'dropzone.hint' }),
  get removed() { return msg('Photo removed.', { id: 'dropzone.removed' }); },
  get readyHeic() { return msg('Photo ready: HEIC, it will be converted when uploaded.', { id: 'dropzone.readyHeic' }); },
  ready: (width: number, height: number) => msg(str`Photo ready: ${formatPixels(width)} × ${formatPixels(height)}`, { id: 'dropzone.ready' }),
  dimensions: (width: number, height: number) => msg(str`${formatPixels(width)} × ${formatPixels(height)} px`, { id: 'dropzone.dimensions' }),
  get heicOnUpload() { return msg('HEIC, converted on upload', { id: 'dropzone.heicOnUpload' }); },
  selected: (name: string) => msg(str`Selected photo: ${name}`, { id: 'dropzone.selected' }),
  selectedHeic: (name: string) => msg(str`Selected photo: ${name} (no preview for HEIC)`, { id: 'dropzone.selectedHeic' }),
  get replace() { return msg('Replace', { id: 'dropzone.replace' }); },
  get replacePhoto() { return msg('Replace photo', { id: 'dropzone.replacePhoto' }); },
  get remove() { return msg('Remove', { id: 'dropzone.remove' }); },
  get removePhoto() { return msg('Remove photo', { id: 'dropzone.removePhoto' }); },
  get uploaded() { return msg('Uploaded', { id: 'dropzone.uploaded' }); },
  uploading: (fraction: number) => msg(str`Uploading… ${formatNumber(fraction, { style: 'percent' })}`, { id: 'dropzone.uploading' }),
  get loadFailed() { return msg('The photo could not be checked: part of this widget did not load. Check the connection and try again.', { id: 'dropzone.loadFailed' }); },
  /** Said when something other than a file (text, a link) is dropped. */
  get notAFile() { return msg('That was not a file. Drag a photo file from your device, or use “Choose a photo”.', { id: 'dropzone.notAFile' }); },
};
