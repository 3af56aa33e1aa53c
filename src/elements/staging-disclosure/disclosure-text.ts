import { msg, str } from '../shared/locale.js';

/** What `<staging-disclosure>` says, in one place: read at render time, in the element's locale. */
export const TEXT = {
  get title() { return msg('Before you publish', { id: 'disclosure.title' }); },
  get technical() { return msg('Light, colour and sharpness edits only: no disclosure is needed for this image.', { id: 'disclosure.technical' }); },
  get untold() { return msg('This image was changed with AI. Check what your market asks before you publish it.', { id: 'disclosure.untold' }); },
  get driftWarning() {
    return msg('Check this image before you publish it: part of the room (a window, a door or a wall) may look different from your photo. Compare it with the original.', { id: 'disclosure.driftWarning' });
  },
  burned: (label: string) => msg(str`A “${label}” label is on the image.`, { id: 'disclosure.burned' }),
  showLabel: (label: string) => msg(str`Show “${label}” next to the image.`, { id: 'disclosure.showLabel' }),
  get caption() { return msg('Photo caption', { id: 'disclosure.caption' }); },
  get remarks() { return msg('Listing remarks (start them with this)', { id: 'disclosure.remarks' }); },
  get copy() { return msg('Copy', { id: 'disclosure.copy' }); },
  get copyCaption() { return msg('Copy the caption', { id: 'disclosure.copyCaption' }); },
  get copyRemarks() { return msg('Copy the remarks', { id: 'disclosure.copyRemarks' }); },
  get copyLink() { return msg('Copy link', { id: 'disclosure.copyLink' }); },
  get copyOriginalLink() { return msg('Copy link to the original photo', { id: 'disclosure.copyOriginalLink' }); },
  get copied() { return msg('Copied', { id: 'disclosure.copied' }); },
  get copyFailed() { return msg('Select the text and copy it', { id: 'disclosure.copyFailed' }); },
  get linkOriginal() { return msg('Link the original photo with the listing:', { id: 'disclosure.linkOriginal' }); },
  get placeOriginal() { return msg('Place the original photo right before or after this one.', { id: 'disclosure.placeOriginal' }); },
  get originalPage() { return msg('Original photo page', { id: 'disclosure.originalPage' }); },
  get downloadOriginal() { return msg('Download the original', { id: 'disclosure.downloadOriginal' }); },
  get qrAlt() { return msg('QR code of the original photo page', { id: 'disclosure.qrAlt' }); },
};
