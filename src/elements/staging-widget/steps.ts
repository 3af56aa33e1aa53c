import { html, type TemplateResult } from 'lit';
import { cache } from 'lit/directives/cache.js';
import { RESOLUTION_LONG_SIDE } from '../../contract/constants.js';
import type { Catalog, Job, Upload } from '../../contract/index.js';
import type { StagingFileSelectedDetail } from '../staging-dropzone/staging-dropzone.js';
import type { PickerValue } from '../staging-picker/staging-picker.js';
import type { OutputSelectedDetail } from '../staging-before-after/staging-before-after.js';
import type { LoadableTag } from '../element-loaders.js';
// Real imports (the widget has both already): they tell the template checker (lit-analyzer) where
// each tag comes from, the dropzone directly and the others through the loaders' dynamic imports.
import '../element-loaders.js';
import '../staging-dropzone/staging-dropzone.js';
import { TEXT } from './messages.js';

export type Step = 'upload' | 'configure' | 'brackets' | 'mask' | 'progress' | 'result';

/** What a step's template reads from the widget, and what it may ask the widget to do. */
export interface StepView {
  catalog: Catalog;
  step: Step;
  busy: boolean;
  hasMask: boolean;
  wantsMask: boolean;
  /** What the person paints: the area to change, or the windows to recover (`windows-needed`: the job cannot go without). */
  maskMeaning: 'area' | 'windows' | 'windows-needed';
  /** The chosen service merges several shots of one view (its `inputs.brackets`), or null. */
  brackets: { min: number; max: number } | null;
  bracketsUsable: boolean;
  previewUrl: string;
  /** The first upload of the photo, sized for the smallest resolution. */
  upload: Upload | null;
  /** The upload for the chosen resolution, once the bracket step asked for it. */
  jobUpload: Upload | null;
  /** The photo's long side before resizing; 0 when not known. */
  originalSide: number;
  file: File | null;
  job: Job | null;
  selectionState: 'saving' | 'saved' | null;
  /** The `services` attribute's ids, for the picker; undefined without the attribute. */
  services: string[] | undefined;
  scopeKey: string;
  /** A step whose element could not be loaded. */
  loadFailed: Step | null;
  go(step: Step): void;
  reset(): void;
  loadStep(step: Step): void;
  submitMask(useMask: boolean): void;
  submitBrackets(): void;
  onBracketsChanged(e: CustomEvent<{ usable: boolean }>): void;
  onFileSelected(e: CustomEvent<StagingFileSelectedDetail>): void;
  onFileCleared(): void;
  onPickerSubmit(e: CustomEvent<PickerValue>): void;
  onSelectionChange(e: CustomEvent<PickerValue>): void;
  onMaskChanged(e: CustomEvent<{ hasMask: boolean }>): void;
  onJobUpdated(e: CustomEvent<{ job: Job }>): void;
  onJobCompleted(e: CustomEvent<{ job: Job }>): void;
  onOutputSelected(e: CustomEvent<OutputSelectedDetail>): void;
}

type StepViews = typeof import('./step-views.js');

let views: StepViews | null = null;

/**
 * The later steps' templates and words (`step-views.ts`): not on the first screen, fetched with
 * the first later step's element (the widget loads both before it shows such a step).
 */
/** The later steps' headings, once their views are here (until then a step's heading is its name). */
const headings = () => views?.STEP_TEXT.headings;

/** The later steps' views, once loaded. */
export const loadedViews = (): StepViews | null => views;

export function loadStepViews(): Promise<StepViews> {
  return import('./step-views.js').then((m) => (views = m));
}

/** Everything the widget knows about one step of its flow. */
interface StepSpec {
  /** The element the step shows. Its code is loaded when the step opens, and ahead of time (see `next`). */
  tag?: LoadableTag;
  /** The likely next steps, whose code is fetched while the person is busy with this one (after the catalog). */
  next: Step[];
  /** Whether the step is in the list of steps now; always when absent. */
  shown?: (v: StepView) => boolean;
  heading: (v: StepView) => string;
  /** What the step shows under its heading, once its element and the later steps' views are here. */
  content: (v: StepView, views: StepViews) => unknown;
}

/** The flow, in order: one row per step. */
export const STEPS: Readonly<Record<Step, StepSpec>> = {
  upload: { next: ['configure'], heading: () => TEXT.uploadHeading, content: renderUpload },
  configure: { tag: 'staging-picker', next: ['mask', 'progress'], heading: () => headings()?.configure ?? TEXT.labels.configure, content: (v, m) => m.configure(v) },
  brackets: {
    tag: 'staging-bracket-set',
    next: ['mask', 'progress'],
    shown: (v) => v.brackets !== null || v.step === 'brackets',
    heading: () => headings()?.brackets ?? TEXT.labels.brackets,
    content: (v, m) => m.brackets(v),
  },
  mask: { tag: 'staging-mask-painter', next: ['progress'], shown: (v) => v.wantsMask || v.step === 'mask', heading: (v) => (v.maskMeaning === 'area' ? headings()?.mask : headings()?.maskWindows) ?? TEXT.labels.mask, content: (v, m) => m.mask(v) },
  progress: { tag: 'staging-job-progress', next: ['result'], heading: progressHeading, content: (v, m) => m.progress(v) },
  result: { tag: 'staging-before-after', next: [], heading: () => headings()?.result ?? TEXT.labels.result, content: (v, m) => m.result(v) },
};

/** Whether a step can be shown in full: its element is defined and the later steps' views are here. */
export function stepReady(step: Step): boolean {
  const tag = STEPS[step].tag;
  return !tag || (views !== null && customElements.get(tag) !== undefined);
}

/** The step's element once its code is here; until then a loading note (or a way to retry). */
export function whenLoaded(v: StepView, step: Step, content: () => unknown): unknown {
  const tag = STEPS[step].tag;
  return !tag || customElements.get(tag) ? content() : loadingNote(v, step);
}

function loadingNote(v: StepView, step: Step): TemplateResult {
  if (v.loadFailed === step) {
    return html`<div part="loading"><button type="button" @click=${() => v.loadStep(step)}>${TEXT.loadAgain}</button></div>`;
  }
  return html`<p part="loading" role="status" aria-busy="true">${TEXT.loading}</p>`;
}

/** The steps listed above the panel, in order. */
export function visibleSteps(v: StepView): Step[] {
  return (Object.keys(STEPS) as Step[]).filter((s) => STEPS[s].shown?.(v) ?? true);
}

/** The current step: its heading (always, so that focus has somewhere to go), then its content or a loading note. */
export function renderStep(v: StepView): unknown {
  const spec = STEPS[v.step];
  // `cache`: going back and forth keeps each step's elements (a painted mask, a picker's choices).
  return html`<h2 part="heading" tabindex="-1">${spec.heading(v)}</h2>
    ${cache(contentOf(v, spec))}`;
}

function contentOf(v: StepView, spec: StepSpec): unknown {
  return views || !spec.tag ? spec.content(v, views!) : loadingNote(v, v.step);
}

function progressHeading(v: StepView): string {
  const status = v.job?.status;
  const h = headings();
  return (status === 'failed' ? h?.failed : status === 'cancelled' ? h?.cancelled : h?.progress) ?? TEXT.labels.progress;
}

/**
 * The first upload's long side: the smallest resolution's, so that a 2K job sends a 2048 px photo;
 * a larger resolution's copy is uploaded when it is chosen.
 */
export const firstUploadSide = (catalog: Catalog): number => Math.min(...catalog.resolutions.map((r) => RESOLUTION_LONG_SIDE[r]), RESOLUTION_LONG_SIDE['4K']);

function renderUpload(v: StepView): TemplateResult {
  return html`<staging-dropzone
    .limits=${v.catalog.upload}
    max-long-side=${firstUploadSide(v.catalog)}
    ?disabled=${v.busy}
    @staging-file-selected=${v.onFileSelected}
    @staging-file-cleared=${v.onFileCleared}
  ></staging-dropzone>`;
}
