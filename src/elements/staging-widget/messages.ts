/**
 * What the widget's first screen says to the person in front of it: the steps, their headings and
 * the upload step (ready for localisation). The later steps' words are in `step-text.ts`, which
 * loads with them; what the widget says about a failure comes from the shared table by error code
 * (`shared/error-text.ts`).
 */
export const TEXT = {
  region: 'Virtual staging',
  steps: 'Steps',
  done: ' (done)',
  labels: {
    upload: 'Photo',
    configure: 'Style',
    brackets: 'Shots',
    mask: 'Area',
    progress: 'Processing',
    result: 'Result',
  },
  headings: {
    upload: 'Add a photo of the room',
    configure: 'Choose what to do',
    brackets: 'Add the darker and brighter shots',
    mask: 'Paint the area to change',
    maskWindows: 'Paint over the windows',
    progress: 'Working on your photo',
    failed: 'This photo could not be finished',
    cancelled: 'Cancelled',
    result: 'Your result',
  },
  loading: 'Loading…',
  loadAgain: 'Try loading again',
  tryAgain: 'Try again',
  dismiss: 'Dismiss the error',
  /** What a step's code that could not be fetched says in `staging-error` (the browser's own names a chunk URL). */
  loadFailed: 'This step could not be loaded. Check the connection and try again.',
} as const;
