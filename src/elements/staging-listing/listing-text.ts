/**
 * What `<staging-listing>` says, in one place (ready for localisation), in an estate agent's
 * words: photos, rooms, a style, credits, Start.
 */
export const TEXT = {
  region: 'Stage a whole listing',
  loading: 'Loading…',
  notConfigured: 'This element needs an endpoint and a token-url (or a fetchToken function).',
  // choosing photos
  photosHeading: 'Your listing’s photos',
  dropLabel: 'Drag photos or a folder here',
  dropHint: (types: string, max: number) => `${types} · up to ${max} photos at once`,
  choosePhotos: 'Choose photos',
  addMore: 'Add more photos',
  photoList: 'Photos of the listing',
  photoLabel: (n: number, name: string) => `Photo ${n}: ${name}`,
  photoFallback: (n: number) => `Photo ${n}`,
  remove: 'Remove',
  removeNamed: (name: string) => `Remove ${name}`,
  tryAgain: 'Try again',
  dismiss: 'Dismiss',
  tryAgainNamed: (name: string) => `Try again: ${name}`,
  preparing: 'Preparing…',
  uploading: (percent: number) => `Uploading… ${percent}%`,
  uploaded: 'Ready',
  uploadFailed: 'Upload failed.',
  checksFailed: 'This photo could not be checked: part of this page did not load. Check the connection and try again.',
  tooMany: (max: number) => `A listing takes up to ${max} photos: the others were left out.`,
  // choices
  serviceLegend: 'What should happen to every photo?',
  styleLegend: 'One style for the whole listing',
  roomFor: (name: string) => `Room for ${name}`,
  select: (name: string) => `Select ${name}`,
  selectAll: 'Select all',
  selectedCount: (n: number) => `${n} selected`,
  setRoomForSelected: 'Room for the selected photos',
  apply: 'Apply',
  // cost and start
  cost: (n: number) => `${n} ${n === 1 ? 'credit' : 'credits'}`,
  costFor: (photos: number, credits: string) => `${photos} ${photos === 1 ? 'photo' : 'photos'} · ${credits}`,
  free: 'Free preview',
  creditsLeft: (n: number) => `You have ${n} left.`,
  notEnoughCredits: (need: number, left: number) => `These photos need ${need} credits and you have ${left}. Remove some photos or choose a smaller size.`,
  waitForUploads: 'Wait until every photo has uploaded, or remove the ones that failed.',
  noPhotos: 'Add photos first.',
  start: 'Start',
  starting: 'Starting…',
  // progress
  workingHeading: 'Working on your listing',
  countsLine: (done: number, total: number) => `${done} of ${total} done`,
  queued: (n: number) => `${ordinal(n)} in line`,
  waiting: 'Waiting',
  working: (percent: number) => `Working… ${percent}%`,
  done: 'Done',
  failed: 'Could not be finished',
  cancelled: 'Cancelled',
  cancelAll: 'Stop the rest',
  reconnecting: 'Connection lost: reconnecting…',
  announceDone: (n: number) => `${n} ${n === 1 ? 'photo is' : 'photos are'} done.`,
  // results
  resultsHeading: 'Your listing is ready',
  resultsSummary: (kept: number, total: number) => `${kept} of ${total} photos kept`,
  keep: 'Keep',
  kept: 'Kept',
  exclude: 'Leave out',
  excluded: 'Left out',
  redo: 'Redo',
  redoNamed: (name: string) => `Redo ${name}`,
  redoing: 'Redoing…',
  redoCost: (credits: string) => `Redo costs ${credits}.`,
  before: (name: string) => `${name}, before`,
  after: (name: string) => `${name}, after`,
  downloadAll: 'Download all (ZIP)',
  useKept: 'Use the kept photos',
  usedKept: (n: number) => `Sent: ${n} ${n === 1 ? 'photo' : 'photos'}.`,
  startOver: 'Start a new listing',
  previewNote: 'These are free colour previews: nothing is added or removed. Real staging needs the site to connect an AI provider.',
  resumed: 'Picked up your listing where it was.',
  notFound: 'This listing is no longer available. Start a new one.',
} as const;

/** "1st", "2nd", "3rd", "4th", "11th", "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
