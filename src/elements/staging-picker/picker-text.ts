/**
 * What the picker says, in one place (ready for localisation), in the words of an estate agent
 * or a homeowner rather than the catalog's: "Stage an empty room", not "virtual-staging".
 * Services a catalog adds that are not listed here show the catalog's own name and description.
 */
export const SERVICE_WORDS: Record<string, { title: string; line: string }> = {
  'render-enhancement': { title: 'Brighten and sharpen', line: 'Better light, colour and detail' },
  'virtual-staging': { title: 'Stage an empty room', line: 'Add furniture in a style you choose' },
  'design-options': { title: 'Try design ideas', line: 'Several new looks for the space' },
  '3d-plans': { title: 'Floor plan to 3D', line: 'A furnished view from a plan' },
  upscale: { title: 'Make it bigger', line: 'More pixels, for print and large screens' },
  'hdr-merge': { title: 'Combine dark and bright shots', line: 'Dark and bright photos of one room, made into one' },
  straighten: { title: 'Straighten', line: 'Upright walls and a level horizon' },
};

/** The question above a service's presets. */
export const CONFIG_QUESTION: Record<string, string> = {
  'render-enhancement': 'What does the photo show?',
  'virtual-staging': 'Which room is this?',
  'design-options': 'What does the photo show?',
  '3d-plans': 'What kind of plan is it?',
  upscale: 'How much sharpening?',
  'hdr-merge': 'What does the photo show?',
  straighten: 'How much straightening?',
};

export const TEXT = {
  servicesLegend: 'What would you like to do?',
  configFallback: 'Style',
  /** Above the style gallery. */
  styleQuestion: 'Pick a style',
  /** The chosen service, folded to one line. */
  chosenService: 'What to do',
  change: 'Change',
  changeService: 'Change what to do',
  previewBadge: 'Preview',
  previewNote:
    'Here this gives a free colour preview of your photo: nothing is added or removed. Real staging needs the site to connect an AI provider.',
  moreOptions: 'More options',
  resolution: 'Size',
  instructions: 'Instructions',
  optional: '(optional)',
  promptPlaceholder: 'For example: keep the windows, add warm evening light',
  variants: 'How many versions',
  options: 'Scene',
  reference: 'A photo of the look you want',
  referenceHelp: 'It is uploaded as soon as you choose it.',
  referenceDrop: 'Drop a photo here, or choose one',
  /** In the folded panel's one-line summary. */
  referenceShort: 'reference photo',
  mask: 'Change only part of the photo',
  maskHelp: 'Next, you paint the part to change; the rest stays as it is.',
  /** When the mask marks windows (HDR merge; a "Recover the view" option). */
  maskWindows: 'Recover the view in the windows',
  maskWindowsHelp: 'Next, you paint over the windows; the rest of the photo is treated as usual.',
  /** When a chosen option needs the painting (its value's `needs_mask`). */
  maskNeeded: (option: string) => `Next, you paint over the windows: “${option}” needs it.`,
  free: 'Free preview',
  credits: (n: number) => `${n} ${n === 1 ? 'credit' : 'credits'}`,
  creditsLeft: (n: number) => `You have ${n} left.`,
  notEnoughCredits: (variants: boolean) => `Not enough credits: choose a lower resolution${variants ? ' or fewer variants' : ''}.`,
  notEnoughCreditsShort: 'Not enough credits left for this choice.',
  invalidFirst: 'Complete the fields marked as invalid first.',
  sent: (service: string, resolution: string, cost: string) => `Sent: ${service}, ${resolution}, ${cost}.`,
  loadingServices: 'Loading services…',
  noServices: 'No services are available for this session.',
  notConnected: 'Connect the picker to the staging service to see its services.',
  loadInterrupted: 'Loading the services was interrupted.',
  loadFailed: 'The services could not be loaded.',
  retry: 'Retry',
  referenceUploading: 'Uploading the reference image…',
  referenceUploaded: 'Reference image uploaded.',
  referenceRemoved: 'Reference image removed.',
  referenceWait: 'Wait until the reference image has uploaded.',
  referenceFailed: 'Remove the reference image that failed to upload, or choose another.',
  start: 'Start',
} as const;
