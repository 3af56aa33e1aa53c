import { msg, str } from '../shared/locale.js';

/**
 * What the widget's first screen says to the person in front of it: the steps, their headings and
 * the upload step, read at render time in the widget's locale. The later steps' words are in
 * `step-text.ts`, which loads with them; what the widget says about a failure comes from the
 * shared table by error code (`shared/error-text.ts`).
 */
export const TEXT = {
  get region() { return msg('Virtual staging', { id: 'widget.region' }); },
  get steps() { return msg('Steps', { id: 'widget.steps' }); },
  get done() { return msg(' (done)', { id: 'widget.done' }); },
  labels: {
    get upload() { return msg('Photo', { id: 'widget.labels.upload' }); },
    get configure() { return msg('Style', { id: 'widget.labels.configure' }); },
    get brackets() { return msg('Shots', { id: 'widget.labels.brackets' }); },
    get mask() { return msg('Area', { id: 'widget.labels.mask' }); },
    get progress() { return msg('Processing', { id: 'widget.labels.progress' }); },
    get result() { return msg('Result', { id: 'widget.labels.result' }); },
  },
  /** The first step's heading; the later steps' are in `step-text.ts`, which comes with them. */
  get uploadHeading() { return msg('Add a photo of the room', { id: 'widget.headings.upload' }); },
  get loading() { return msg('Loading…', { id: 'widget.loading' }); },
  get loadAgain() { return msg('Try loading again', { id: 'widget.loadAgain' }); },
  get tryAgain() { return msg('Try again', { id: 'widget.tryAgain' }); },
  get dismiss() { return msg('Dismiss the error', { id: 'widget.dismiss' }); },
  /** The request's reference, for the site's support. */
  reference: (id: string) => msg(str`ref. ${id}`, { id: 'widget.reference' }),
  /** What a step's code that could not be fetched says in `staging-error`: for the host's developers, in English (the person reads `error.load_failed`). */
  loadFailed: 'This step could not be loaded. Check the connection and try again.',
};
