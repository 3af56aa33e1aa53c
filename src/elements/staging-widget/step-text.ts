import type { OutputNoteCode } from '../../contract/index.js';

/**
 * What the widget's later steps say (ready for localisation), loaded with them (`step-views.ts`);
 * the first screen's words, the step names and headings among them, are in `messages.ts`.
 */
export const STEP_TEXT = {
  yourPhoto: 'Your photo',
  changePhoto: 'Change photo',
  back: 'Back',
  mergeShots: 'Merge these shots',
  skipMask: 'Skip: change the whole photo',
  skipWindows: 'Skip: leave the windows as they are',
  startWithMask: 'Start with this area',
  startOver: 'Cancel and start over',
  startAgain: 'Start over with a new photo',
  anotherStyle: 'Try another style',
  /** What an output's note means for the person, by its code (unknown codes say nothing). */
  outputNotes: {
    no_reliable_lines: 'No clear straight lines (walls, door or window frames) were found, so the photo was not straightened.',
    already_straight: 'The photo was already straight: nothing needed correcting.',
    tilt_too_large: 'The photo leans too far to straighten without distorting or cropping it, so it was left as it was.',
    partly_straightened: 'The strong tilt was only partly corrected, so the photo does not look stretched. Choose "Full" to correct all of it.',
  } satisfies Record<OutputNoteCode, string>,
  localPreview: 'Local preview: the offline engine graded your photo but cannot add furniture. Connect an AI provider for real staging.',
  selected: 'Saved: this is the image you chose. You can still download it or try another style.',
  selecting: 'Saving your choice…',
} as const;
