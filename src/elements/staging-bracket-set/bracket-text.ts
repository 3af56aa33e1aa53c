/** What the bracket set says to the person, in one place (ready for localisation). */
export const TEXT = {
  intro: (min: number, max: number) =>
    `Take ${min} to ${max} photos of this view one after another from one spot, some darker and some brighter. They are merged into one evenly lit photo, with the view in the windows and the detail in the shadows.`,
  listLabel: 'Your shots, darker to brighter',
  yourPhoto: 'First photo',
  add: 'Add shots',
  slot: 'Add a shot',
  addMore: 'Add more shots',
  drop: 'or drop them here',
  remove: (name: string) => `Remove ${name}`,
  /** A shot's place in the order; nothing while there is only one. */
  position: (index: number, count: number) =>
    count < 2 ? '' : index === 0 ? 'Darkest' : index === count - 1 ? 'Brightest' : count === 3 ? 'Middle' : `Shot ${index + 1}`,
  reading: 'Reading your shots…',
  uploading: (done: number, count: number) => `Uploading shot ${done} of ${count}…`,
  ready: (count: number) => `Ready: ${count} shots, from darkest to brightest.`,
  tooFew: (missing: number) =>
    missing === 1 ? 'Add 1 more shot of this view, darker or brighter than the others.' : `Add ${missing} more shots of this view: a darker one and a brighter one.`,
  tooMany: (count: number, max: number) => `That is ${count} shots; at most ${max} can be merged. Remove ${count - max}.`,
  otherSize: (name: string, size: string, firstSize: string) =>
    `“${name}” is ${size} pixels and your first photo ${firstSize}: these are not shots of one view from one camera. Remove it, or add shots taken one after another from one spot.`,
  sameBrightness: (a: string, b: string) =>
    `“${a}” and “${b}” are equally bright. Shots for merging are one view taken darker and brighter; remove one of them.`,
} as const;
