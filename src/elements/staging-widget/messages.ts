/**
 * What the widget says to the person in front of it, in one place (ready for localisation).
 * What it says about a failure comes from the shared table by error code (`shared/error-text.ts`).
 */
export const TEXT = {
  region: 'Virtual staging',
  steps: 'Steps',
  done: ' (done)',
  labels: {
    upload: 'Photo',
    configure: 'Style',
    mask: 'Area',
    progress: 'Processing',
    result: 'Result',
  },
  headings: {
    upload: 'Add a photo of the room',
    configure: 'Choose what to do',
    mask: 'Paint the area to change',
    progress: 'Working on your photo',
    failed: 'This photo could not be finished',
    cancelled: 'Cancelled',
    result: 'Your result',
  },
  loading: 'Loading…',
  loadAgain: 'Try loading again',
  tryAgain: 'Try again',
  yourPhoto: 'Your photo',
  changePhoto: 'Change photo',
  dismiss: 'Dismiss the error',
  back: 'Back',
  skipMask: 'Skip: change the whole photo',
  startWithMask: 'Start with this area',
  startOver: 'Cancel and start over',
  startAgain: 'Start over with a new photo',
  anotherStyle: 'Try another style',
  localPreview: 'Local preview: the offline engine graded your photo but cannot add furniture. Connect an AI provider for real staging.',
  selected: 'Saved: this is the image you chose. You can still download it or try another style.',
  selecting: 'Saving your choice…',
  /** What a step's code that could not be fetched says in `staging-error` (the browser's own names a chunk URL). */
  loadFailed: 'This step could not be loaded. Check the connection and try again.',
} as const;
