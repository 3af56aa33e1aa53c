import { formatPixels, msg, str } from '../shared/locale.js';

/** What the drop area says about a chosen photo and its upload: loaded with the file checks (`check-file.ts`). */
export const PREVIEW_TEXT = {
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
};
