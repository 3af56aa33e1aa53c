import { formatNumber, msg, plural, str } from '../shared/locale.js';

/** What the bracket set says to the person, in one place, read at render time in its locale. */
export const TEXT = {
  intro: (min: number, max: number) =>
    msg(
      str`Take ${formatNumber(min)} to ${formatNumber(max)} photos of this view one after another from one spot, some darker and some brighter. They are merged into one evenly lit photo, with the view in the windows and the detail in the shadows.`,
      { id: 'brackets.intro' },
    ),
  get listLabel() { return msg('Your shots, darker to brighter', { id: 'brackets.listLabel' }); },
  get yourPhoto() { return msg('First photo', { id: 'brackets.yourPhoto' }); },
  get add() { return msg('Add shots', { id: 'brackets.add' }); },
  get slot() { return msg('Add a shot', { id: 'brackets.slot' }); },
  get addMore() { return msg('Add more shots', { id: 'brackets.addMore' }); },
  get drop() { return msg('or drop them here', { id: 'brackets.drop' }); },
  remove: (name: string) => msg(str`Remove ${name}`, { id: 'brackets.remove' }),
  /** A shot's place in the order; nothing while there is only one. */
  position: (index: number, count: number) =>
    count < 2
      ? ''
      : index === 0
        ? msg('Darkest', { id: 'brackets.darkest' })
        : index === count - 1
          ? msg('Brightest', { id: 'brackets.brightest' })
          : count === 3
            ? msg('Middle', { id: 'brackets.middle' })
            : msg(str`Shot ${formatNumber(index + 1)}`, { id: 'brackets.shot' }),
  get reading() { return msg('Reading your shots…', { id: 'brackets.reading' }); },
  uploading: (done: number, count: number) => msg(str`Uploading shot ${formatNumber(done)} of ${formatNumber(count)}…`, { id: 'brackets.uploading' }),
  ready: (count: number) => plural(count, msg('{one}Ready: # shot.{other}Ready: # shots, from darkest to brightest.', { id: 'brackets.ready' })),
  tooFew: (missing: number) =>
    plural(
      missing,
      msg('{one}Add # more shot of this view, darker or brighter than the others.{other}Add # more shots of this view: a darker one and a brighter one.', { id: 'brackets.tooFew' }),
    ),
  tooMany: (count: number, max: number) =>
    msg(str`That is ${formatNumber(count)} shots; at most ${formatNumber(max)} can be merged. Remove ${formatNumber(count - max)}.`, { id: 'brackets.tooMany' }),
  otherSize: (name: string, size: string, firstSize: string) =>
    msg(
      str`“${name}” is ${size} pixels and your first photo ${firstSize}: these are not shots of one view from one camera. Remove it, or add shots taken one after another from one spot.`,
      { id: 'brackets.otherSize' },
    ),
  sameBrightness: (a: string, b: string) =>
    msg(str`“${a}” and “${b}” are equally bright. Shots for merging are one view taken darker and brighter; remove one of them.`, { id: 'brackets.sameBrightness' }),
};
