import { formatLocale, formatNumber, msg, plural, str } from '../shared/locale.js';

/**
 * What `<staging-listing>` says, in one place, read at render time in its locale (getters and
 * functions calling `msg()`), in an estate agent's words: photos, rooms, a style, credits, Start.
 * Counts are plural messages (`{one}…{other}…`, each language's own forms); numbers go through
 * the shared formatters.
 */
export const TEXT = {
  get region() { return msg('Stage a whole listing', { id: 'listing.region' }); },
  get loading() { return msg('Loading…', { id: 'listing.loading' }); },
  get notConfigured() { return msg('This element needs an endpoint and a token-url (or a fetchToken function).', { id: 'listing.notConfigured' }); },
  // choosing photos
  get photosHeading() { return msg('Your listing’s photos', { id: 'listing.photosHeading' }); },
  get dropLabel() { return msg('Drag photos or a folder here', { id: 'listing.dropLabel' }); },
  dropHint: (types: string, max: number) => {
    const upTo = plural(max, msg('{one}up to # photo at once{other}up to # photos at once', { id: 'listing.dropHintMax' }));
    return msg(str`${types} · ${upTo}`, { id: 'listing.dropHint' });
  },
  get choosePhotos() { return msg('Choose photos', { id: 'listing.choosePhotos' }); },
  get addMore() { return msg('Add more photos', { id: 'listing.addMore' }); },
  get photoList() { return msg('Photos of the listing', { id: 'listing.photoList' }); },
  photoLabel: (n: number, name: string) => msg(str`Photo ${formatNumber(n)}: ${name}`, { id: 'listing.photoLabel' }),
  photoFallback: (n: number) => msg(str`Photo ${formatNumber(n)}`, { id: 'listing.photoFallback' }),
  get remove() { return msg('Remove', { id: 'listing.remove' }); },
  removeNamed: (name: string) => msg(str`Remove ${name}`, { id: 'listing.removeNamed' }),
  get tryAgain() { return msg('Try again', { id: 'listing.tryAgain' }); },
  get dismiss() { return msg('Dismiss', { id: 'listing.dismiss' }); },
  tryAgainNamed: (name: string) => msg(str`Try again: ${name}`, { id: 'listing.tryAgainNamed' }),
  get preparing() { return msg('Preparing…', { id: 'listing.preparing' }); },
  uploading: (percent: number) => msg(str`Uploading… ${formatNumber(percent / 100, { style: 'percent' })}`, { id: 'listing.uploading' }),
  get uploaded() { return msg('Ready', { id: 'listing.uploaded' }); },
  get uploadFailed() { return msg('Upload failed.', { id: 'listing.uploadFailed' }); },
  get checksFailed() { return msg('This photo could not be checked: part of this page did not load. Check the connection and try again.', { id: 'listing.checksFailed' }); },
  tooMany: (max: number) => plural(max, msg('{one}A listing takes up to # photo: the others were left out.{other}A listing takes up to # photos: the others were left out.', { id: 'listing.tooMany' })),
  // choices
  get serviceLegend() { return msg('What should happen to every photo?', { id: 'listing.serviceLegend' }); },
  get styleLegend() { return msg('One style for the whole listing', { id: 'listing.styleLegend' }); },
  roomFor: (name: string) => msg(str`Room for ${name}`, { id: 'listing.roomFor' }),
  select: (name: string) => msg(str`Select ${name}`, { id: 'listing.select' }),
  get selectAll() { return msg('Select all', { id: 'listing.selectAll' }); },
  selectedCount: (n: number) => plural(n, msg('{one}# selected{other}# selected', { id: 'listing.selectedCount' })),
  get setRoomForSelected() { return msg('Room for the selected photos', { id: 'listing.setRoomForSelected' }); },
  get apply() { return msg('Apply', { id: 'listing.apply' }); },
  // cost and start
  cost: (n: number) => plural(n, msg('{one}# credit{other}# credits', { id: 'listing.cost' })),
  /** "3 photos". */
  photos: (n: number) => plural(n, msg('{one}# photo{other}# photos', { id: 'listing.photos' })),
  costFor: (photos: number, credits: string) => msg(str`${TEXT.photos(photos)} · ${credits}`, { id: 'listing.costFor' }),
  get free() { return msg('Free preview', { id: 'listing.free' }); },
  creditsLeft: (n: number) => plural(n, msg('{one}You have # left.{other}You have # left.', { id: 'listing.creditsLeft' })),
  notEnoughCredits: (need: number, left: number) =>
    msg(str`These photos need ${TEXT.cost(need)} and you have ${formatNumber(left)}. Remove some photos or choose a smaller size.`, { id: 'listing.notEnoughCredits' }),
  get waitForUploads() { return msg('Wait until every photo has uploaded, or remove the ones that failed.', { id: 'listing.waitForUploads' }); },
  get noPhotos() { return msg('Add photos first.', { id: 'listing.noPhotos' }); },
  get start() { return msg('Start', { id: 'listing.start' }); },
  get starting() { return msg('Starting…', { id: 'listing.starting' }); },
  // progress
  get workingHeading() { return msg('Working on your listing', { id: 'listing.workingHeading' }); },
  countsLine: (done: number, total: number) => msg(str`${formatNumber(done)} of ${formatNumber(total)} done`, { id: 'listing.countsLine' }),
  /** A place in the queue, by the language's ordinal forms ("3rd in line"; other languages word it their way). */
  queued: (n: number) => ordinal(n, msg('{one}#st in line{two}#nd in line{few}#rd in line{other}#th in line', { id: 'listing.queued' })),
  get waiting() { return msg('Waiting', { id: 'listing.waiting' }); },
  working: (percent: number) => msg(str`Working… ${formatNumber(percent / 100, { style: 'percent' })}`, { id: 'listing.working' }),
  get done() { return msg('Done', { id: 'listing.done' }); },
  get failed() { return msg('Could not be finished', { id: 'listing.failed' }); },
  get cancelled() { return msg('Cancelled', { id: 'listing.cancelled' }); },
  get cancelAll() { return msg('Stop the rest', { id: 'listing.cancelAll' }); },
  get reconnecting() { return msg('Connection lost: reconnecting…', { id: 'listing.reconnecting' }); },
  announceDone: (n: number) => plural(n, msg('{one}# photo is done.{other}# photos are done.', { id: 'listing.announceDone' })),
  // results
  get resultsHeading() { return msg('Your listing is ready', { id: 'listing.resultsHeading' }); },
  resultsSummary: (kept: number, total: number) => msg(str`${formatNumber(kept)} of ${TEXT.photos(total)} kept`, { id: 'listing.resultsSummary' }),
  get keep() { return msg('Keep', { id: 'listing.keep' }); },
  get kept() { return msg('Kept', { id: 'listing.kept' }); },
  get exclude() { return msg('Leave out', { id: 'listing.exclude' }); },
  get excluded() { return msg('Left out', { id: 'listing.excluded' }); },
  get redo() { return msg('Redo', { id: 'listing.redo' }); },
  redoNamed: (name: string) => msg(str`Redo ${name}`, { id: 'listing.redoNamed' }),
  get redoing() { return msg('Redoing…', { id: 'listing.redoing' }); },
  redoCost: (credits: string) => msg(str`Redo costs ${credits}.`, { id: 'listing.redoCost' }),
  /** The redo form under a result. */
  get redoInstructions() { return msg('What to change (optional)', { id: 'listing.redoInstructions' }); },
  get redoPlaceholder() { return msg('For example: lighter sofa, no rug', { id: 'listing.redoPlaceholder' }); },
  get redoSubmit() { return msg('Make another version', { id: 'listing.redoSubmit' }); },
  get redoClose() { return msg('Never mind', { id: 'listing.redoClose' }); },
  /** Above the gallery, with the publishing notes every photo shares. */
  get publishShared() { return msg('These notes apply to every photo of this listing. “Download all” holds the copies to publish.', { id: 'listing.publishShared' }); },
  /** How the originals go with the listing, when the disclosure profile asks (each result links its own). */
  get originalsLinked() { return msg('Link each original photo with the listing: “Original photo” under each result opens its page.', { id: 'listing.originalsLinked' }); },
  get originalsAdjacent() { return msg('Place each original photo right before or after its new version: “Original photo” under each result opens it.', { id: 'listing.originalsAdjacent' }); },
  /** A result's own link to its original's public page (AB 723). */
  get originalPage() { return msg('Original photo', { id: 'listing.originalPage' }); },
  before: (name: string) => msg(str`${name}, before`, { id: 'listing.before' }),
  after: (name: string) => msg(str`${name}, after`, { id: 'listing.after' }),
  get downloadAll() { return msg('Download all (ZIP)', { id: 'listing.downloadAll' }); },
  get useKept() { return msg('Use the kept photos', { id: 'listing.useKept' }); },
  usedKept: (n: number) => plural(n, msg('{one}Sent: # photo.{other}Sent: # photos.', { id: 'listing.usedKept' })),
  get startOver() { return msg('Start a new listing', { id: 'listing.startOver' }); },
  get previewNote() {
    return msg('These are free colour previews: nothing is added or removed. Real staging needs the site to connect an AI provider.', { id: 'listing.previewNote' });
  },
  /** Above the gallery after "Stop the rest". */
  stoppedNote: (n: number) => plural(n, msg('{one}# photo was stopped before it was staged: its credits are back.{other}# photos were stopped before they were staged: their credits are back.', { id: 'listing.stoppedNote' })),
  get resumed() { return msg('Picked up your listing where it was.', { id: 'listing.resumed' }); },
  /** After an error, the request's id for support: "ref. 4f2a…". */
  reference: (id: string) => msg(str`ref. ${id}`, { id: 'listing.reference' }),
  get notFound() { return msg('This listing is no longer available. Start a new one.', { id: 'listing.notFound' }); },
};

/**
 * The form of `n` by the active locale's ordinal rules (`{one}#st…{two}#nd…{few}#rd…{other}#th…`
 * in English; a language without ordinal endings gives one sentence); a missing form reads as `other`.
 */
export function ordinal(n: number, forms: string): string {
  const parts = forms.split(/\{(zero|one|two|few|many|other)\}/);
  const wanted = new Intl.PluralRules(formatLocale(), { type: 'ordinal' }).select(n);
  let chosen = '';
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === wanted || (parts[i] === 'other' && !chosen)) chosen = parts[i + 1]!;
  return chosen.replaceAll('#', formatNumber(n));
}
