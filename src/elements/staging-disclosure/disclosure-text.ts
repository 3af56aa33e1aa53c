/** What `<staging-disclosure>` says, in one place (ready for localisation). */
export const TEXT = {
  title: 'Before you publish',
  technical: 'Light, colour and sharpness edits only: no disclosure is needed for this image.',
  untold: 'This image was changed with AI. Check what your market asks before you publish it.',
  driftWarning:
    'Check this image before you publish it: part of the room (a window, a door or a wall) may look different from your photo. Compare it with the original.',
  burned: (label: string) => `A “${label}” label is on the image.`,
  showLabel: (label: string) => `Show “${label}” next to the image.`,
  caption: 'Photo caption',
  remarks: 'Listing remarks (start them with this)',
  copy: 'Copy',
  copyCaption: 'Copy the caption',
  copyRemarks: 'Copy the remarks',
  copyLink: 'Copy link',
  copyOriginalLink: 'Copy link to the original photo',
  copied: 'Copied',
  copyFailed: 'Select the text and copy it',
  linkOriginal: 'Link the original photo with the listing:',
  placeOriginal: 'Place the original photo right before or after this one.',
  originalPage: 'Original photo page',
  downloadOriginal: 'Download the original',
  qrAlt: 'QR code of the original photo page',
} as const;
