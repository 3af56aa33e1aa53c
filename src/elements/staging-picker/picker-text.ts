import { formatNumber, formatPixels, msg, plural, str } from '../shared/locale.js';

/**
 * What the picker says, in one place, read at render time in its locale; in the words of an
 * estate agent or a homeowner rather than the catalog's: "Stage an empty room", not
 * "virtual-staging". Services a catalog adds that are not listed here show the catalog's own
 * name and description.
 */
export const SERVICE_WORDS: Record<string, { title: string; line: string }> = {
  get 'render-enhancement'() {
    return { title: msg('Brighten and sharpen', { id: 'picker.service.render-enhancement.title' }), line: msg('Better light, colour and detail', { id: 'picker.service.render-enhancement.line' }) };
  },
  get 'virtual-staging'() {
    return { title: msg('Stage an empty room', { id: 'picker.service.virtual-staging.title' }), line: msg('Add furniture in a style you choose', { id: 'picker.service.virtual-staging.line' }) };
  },
  get 'design-options'() {
    return { title: msg('Try design ideas', { id: 'picker.service.design-options.title' }), line: msg('Several new looks for the space', { id: 'picker.service.design-options.line' }) };
  },
  get '3d-plans'() {
    return { title: msg('Floor plan to 3D', { id: 'picker.service.3d-plans.title' }), line: msg('A furnished view from a plan', { id: 'picker.service.3d-plans.line' }) };
  },
  get upscale() {
    return { title: msg('Make it bigger', { id: 'picker.service.upscale.title' }), line: msg('More pixels, for print and large screens', { id: 'picker.service.upscale.line' }) };
  },
  get 'hdr-merge'() {
    return { title: msg('Combine dark and bright shots', { id: 'picker.service.hdr-merge.title' }), line: msg('Dark and bright photos of one room, made into one', { id: 'picker.service.hdr-merge.line' }) };
  },
  get straighten() {
    return { title: msg('Straighten', { id: 'picker.service.straighten.title' }), line: msg('Upright walls and a level horizon', { id: 'picker.service.straighten.line' }) };
  },
};

/** The question above a service's presets. */
export const CONFIG_QUESTION: Record<string, string> = {
  get 'render-enhancement'() { return msg('What does the photo show?', { id: 'picker.question.shows' }); },
  get 'virtual-staging'() { return msg('Which room is this?', { id: 'picker.question.room' }); },
  get 'design-options'() { return msg('What does the photo show?', { id: 'picker.question.shows' }); },
  get '3d-plans'() { return msg('What kind of plan is it?', { id: 'picker.question.plan' }); },
  get upscale() { return msg('How much sharpening?', { id: 'picker.question.sharpening' }); },
  get 'hdr-merge'() { return msg('What does the photo show?', { id: 'picker.question.shows' }); },
  get straighten() { return msg('How much straightening?', { id: 'picker.question.straightening' }); },
};

export const TEXT = {
  get servicesLegend() { return msg('What would you like to do?', { id: 'picker.servicesLegend' }); },
  get chooseService() { return msg('Choose a service', { id: 'picker.chooseService' }); },
  get configFallback() { return msg('Style', { id: 'picker.configFallback' }); },
  /** Above the style gallery. */
  get styleQuestion() { return msg('Pick a style', { id: 'picker.styleQuestion' }); },
  /** The chosen service, folded to one line. */
  get chosenService() { return msg('What to do', { id: 'picker.chosenService' }); },
  get change() { return msg('Change', { id: 'picker.change' }); },
  get changeService() { return msg('Change what to do', { id: 'picker.changeService' }); },
  get previewBadge() { return msg('Preview', { id: 'picker.previewBadge' }); },
  get previewNote() {
    return msg('Here this gives a free colour preview of your photo: nothing is added or removed. Real staging needs the site to connect an AI provider.', { id: 'picker.previewNote' });
  },
  get moreOptions() { return msg('More options', { id: 'picker.moreOptions' }); },
  get resolution() { return msg('Size', { id: 'picker.resolution' }); },
  get instructions() { return msg('Instructions', { id: 'picker.instructions' }); },
  get optional() { return msg('(optional)', { id: 'picker.optional' }); },
  get promptPlaceholder() { return msg('For example: keep the windows, add warm evening light', { id: 'picker.promptPlaceholder' }); },
  get variants() { return msg('How many versions', { id: 'picker.variants' }); },
  get fewerVariants() { return msg('One variant fewer', { id: 'picker.fewerVariants' }); },
  get moreVariants() { return msg('One variant more', { id: 'picker.moreVariants' }); },
  variantsHelp: (min: number, max: number) =>
    msg(str`Alternatives to get, from ${formatNumber(min)} to ${formatNumber(max)}; each one costs its credits.`, { id: 'picker.variantsHelp' }),
  promptCounter: (length: number, max: number) => msg(str`${formatPixels(length)} / ${formatPixels(max)} characters`, { id: 'picker.promptCounter' }),
  get options() { return msg('Scene', { id: 'picker.options' }); },
  get defaultChoice() { return msg('Default', { id: 'picker.defaultChoice' }); },
  defaultIs: (label: string) => msg(str`Default (${label})`, { id: 'picker.defaultIs' }),
  get choose() { return msg('Choose…', { id: 'picker.choose' }); },
  get reference() { return msg('A photo of the look you want', { id: 'picker.reference' }); },
  get referenceHelp() { return msg('It is uploaded as soon as you choose it.', { id: 'picker.referenceHelp' }); },
  get referenceDrop() { return msg('Drop a photo here, or choose one', { id: 'picker.referenceDrop' }); },
  /** In the folded panel's one-line summary. */
  get referenceShort() { return msg('reference photo', { id: 'picker.referenceShort' }); },
  referenceAlt: (name: string) => msg(str`Reference image: ${name}`, { id: 'picker.referenceAlt' }),
  get referenceProgress() { return msg('Reference image upload', { id: 'picker.referenceProgress' }); },
  get referenceRemove() { return msg('Remove reference image', { id: 'picker.referenceRemove' }); },
  get uploaded() { return msg('Uploaded', { id: 'picker.uploaded' }); },
  get notUploaded() { return msg('Not uploaded', { id: 'picker.notUploaded' }); },
  uploading: (percent: number | null) =>
    percent === null ? msg('Uploading…', { id: 'picker.uploading' }) : msg(str`Uploading… ${formatNumber(percent / 100, { style: 'percent' })}`, { id: 'picker.uploadingPercent' }),
  get mask() { return msg('Change only part of the photo', { id: 'picker.mask' }); },
  get maskHelp() { return msg('Next, you paint the part to change; the rest stays as it is.', { id: 'picker.maskHelp' }); },
  /** When the mask marks windows (HDR merge; a "Recover the view" option). */
  get maskWindows() { return msg('Recover the view in the windows', { id: 'picker.maskWindows' }); },
  get maskWindowsHelp() { return msg('Next, you paint over the windows; the rest of the photo is treated as usual.', { id: 'picker.maskWindowsHelp' }); },
  /** When a chosen option needs the painting (its value's `needs_mask`). */
  maskNeeded: (option: string) => msg(str`Next, you paint over the windows: “${option}” needs it.`, { id: 'picker.maskNeeded' }),
  get free() { return msg('Free preview', { id: 'picker.free' }); },
  credits: (n: number) => plural(n, msg('{one}# credit{other}# credits', { id: 'picker.credits' })),
  /** In the folded panel's one-line summary: "2K · 3 versions". */
  versions: (n: number) => plural(n, msg('{one}# version{other}# versions', { id: 'picker.versionsCount' })),
  creditsLeft: (n: number) => plural(n, msg('{one}You have # left.{other}You have # left.', { id: 'picker.creditsLeft' })),
  notEnoughCredits: (variants: boolean) =>
    variants
      ? msg('Not enough credits: choose a lower resolution or fewer variants.', { id: 'picker.notEnoughCreditsVariants' })
      : msg('Not enough credits: choose a lower resolution.', { id: 'picker.notEnoughCredits' }),
  get notEnoughCreditsShort() { return msg('Not enough credits left for this choice.', { id: 'picker.notEnoughCreditsShort' }); },
  get invalidFirst() { return msg('Complete the fields marked as invalid first.', { id: 'picker.invalidFirst' }); },
  /** A field's own error, in the picker's language rather than the browser's (form-validity.ts). */
  get fillIn() { return msg('Fill this in.', { id: 'picker.invalid.fillIn' }); },
  get chooseOne() { return msg('Choose one.', { id: 'picker.invalid.chooseOne' }); },
  atLeast: (min: string) => msg(str`At least ${min}.`, { id: 'picker.invalid.atLeast' }),
  atMost: (max: string) => msg(str`At most ${max}.`, { id: 'picker.invalid.atMost' }),
  get wholeNumber() { return msg('Enter a whole number.', { id: 'picker.invalid.wholeNumber' }); },
  get aNumber() { return msg('Enter a number.', { id: 'picker.invalid.aNumber' }); },
  tooLong: (max: number) => msg(str`At most ${formatNumber(max)} characters.`, { id: 'picker.invalid.tooLong' }),
  sent: (service: string, resolution: string, cost: string) => msg(str`Sent: ${service}, ${resolution}, ${cost}.`, { id: 'picker.sent' }),
  get loadingServices() { return msg('Loading services…', { id: 'picker.loadingServices' }); },
  get noServices() { return msg('No services are available for this session.', { id: 'picker.noServices' }); },
  get notConnected() { return msg('Connect the picker to the staging service to see its services.', { id: 'picker.notConnected' }); },
  get loadInterrupted() { return msg('Loading the services was interrupted.', { id: 'picker.loadInterrupted' }); },
  get loadFailed() { return msg('The services could not be loaded.', { id: 'picker.loadFailed' }); },
  get retry() { return msg('Retry', { id: 'picker.retry' }); },
  get referenceUploading() { return msg('Uploading the reference image…', { id: 'picker.referenceUploading' }); },
  get referenceUploaded() { return msg('Reference image uploaded.', { id: 'picker.referenceUploaded' }); },
  get referenceRemoved() { return msg('Reference image removed.', { id: 'picker.referenceRemoved' }); },
  get referenceWait() { return msg('Wait until the reference image has uploaded.', { id: 'picker.referenceWait' }); },
  get referenceFailed() { return msg('Remove the reference image that failed to upload, or choose another.', { id: 'picker.referenceFailed' }); },
  get start() { return msg('Start', { id: 'picker.start' }); },
};
