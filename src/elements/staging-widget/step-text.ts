import type { OutputNoteCode } from '../../contract/index.js';
import { msg } from '../shared/locale.js';

/**
 * What the widget's later steps say, read at render time in the widget's locale; loaded with
 * them (`step-views.ts`). The first screen's words, the step names and headings among them, are
 * in `messages.ts`.
 */
export const STEP_TEXT = {
  headings: {
    get configure() { return msg('Choose what to do', { id: 'widget.headings.configure' }); },
    get brackets() { return msg('Add the darker and brighter shots', { id: 'widget.headings.brackets' }); },
    get mask() { return msg('Paint the area to change', { id: 'widget.headings.mask' }); },
    get maskWindows() { return msg('Paint over the windows', { id: 'widget.headings.maskWindows' }); },
    get progress() { return msg('Working on your photo', { id: 'widget.headings.progress' }); },
    get failed() { return msg('This photo could not be finished', { id: 'widget.headings.failed' }); },
    get cancelled() { return msg('Cancelled', { id: 'widget.headings.cancelled' }); },
    get result() { return msg('Your result', { id: 'widget.headings.result' }); },
  },
  get yourPhoto() { return msg('Your photo', { id: 'steps.yourPhoto' }); },
  get changePhoto() { return msg('Change photo', { id: 'steps.changePhoto' }); },
  get back() { return msg('Back', { id: 'steps.back' }); },
  get mergeShots() { return msg('Merge these shots', { id: 'steps.mergeShots' }); },
  get skipMask() { return msg('Skip: change the whole photo', { id: 'steps.skipMask' }); },
  get skipWindows() { return msg('Skip: leave the windows as they are', { id: 'steps.skipWindows' }); },
  get startWithMask() { return msg('Start with this area', { id: 'steps.startWithMask' }); },
  get startOver() { return msg('Cancel and start over', { id: 'steps.startOver' }); },
  get startAgain() { return msg('Start over with a new photo', { id: 'steps.startAgain' }); },
  get anotherStyle() { return msg('Try another style', { id: 'steps.anotherStyle' }); },
  /** What an output's note means for the person, by its code (unknown codes say nothing). */
  outputNotes: {
    get no_reliable_lines() { return msg('No clear straight lines (walls, door or window frames) were found, so the photo was not straightened.', { id: 'steps.note.no_reliable_lines' }); },
    get already_straight() { return msg('The photo was already straight: nothing needed correcting.', { id: 'steps.note.already_straight' }); },
    get tilt_too_large() { return msg('The photo leans too far to straighten without distorting or cropping it, so it was left as it was.', { id: 'steps.note.tilt_too_large' }); },
    get partly_straightened() { return msg('The strong tilt was only partly corrected, so the photo does not look stretched. Choose "Full" to correct all of it.', { id: 'steps.note.partly_straightened' }); },
  } satisfies Record<OutputNoteCode, string>,
  get localPreview() { return msg('Local preview: the offline engine graded your photo but cannot add furniture. Connect an AI provider for real staging.', { id: 'steps.localPreview' }); },
  get selected() { return msg('Saved: this is the image you chose. You can still download it or try another style.', { id: 'steps.selected' }); },
  get selecting() { return msg('Saving your choice…', { id: 'steps.selecting' }); },
};
