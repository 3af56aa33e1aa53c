import { html, nothing, type TemplateResult } from 'lit';
import { RESOLUTION_LONG_SIDE, isTerminal } from '../../contract/constants.js';
import type { Catalog, Job, Upload } from '../../contract/index.js';
import type { StagingFileSelectedDetail } from '../staging-dropzone/staging-dropzone.js';
import type { PickerValue } from '../staging-picker/staging-picker.js';
import type { OutputSelectedDetail } from '../staging-before-after/staging-before-after.js';
import type { LoadableTag } from '../element-loaders.js';
// Real imports (the widget has both already): they tell the template checker (lit-analyzer) where
// each tag comes from, the dropzone directly and the others through the loaders' dynamic imports.
import '../element-loaders.js';
import '../staging-dropzone/staging-dropzone.js';
import { variantsFromOutputs } from '../shared/variants.js';
import { TEXT } from './messages.js';

export type Step = 'upload' | 'configure' | 'mask' | 'progress' | 'result';

/** What a step's template reads from the widget, and what it may ask the widget to do. */
export interface StepView {
  catalog: Catalog;
  step: Step;
  busy: boolean;
  hasMask: boolean;
  wantsMask: boolean;
  previewUrl: string;
  upload: Upload | null;
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
  onFileSelected(e: CustomEvent<StagingFileSelectedDetail>): void;
  onFileCleared(): void;
  onPickerSubmit(e: CustomEvent<PickerValue>): void;
  onMaskChanged(e: CustomEvent<{ hasMask: boolean }>): void;
  onJobUpdated(e: CustomEvent<{ job: Job }>): void;
  onJobCompleted(e: CustomEvent<{ job: Job }>): void;
  onOutputSelected(e: CustomEvent<OutputSelectedDetail>): void;
}

/** Everything the widget knows about one step of its flow. */
interface StepSpec {
  /** The element the step shows. Its code is loaded when the step opens, and ahead of time (see `next`). */
  tag?: LoadableTag;
  /** The likely next steps, whose code is fetched while the person is busy with this one (after the catalog). */
  next: Step[];
  /** Whether the step is in the list of steps now; always when absent. */
  shown?: (v: StepView) => boolean;
  render: (v: StepView) => unknown;
}

/** The flow, in order: one row per step. */
export const STEPS: Readonly<Record<Step, StepSpec>> = {
  upload: { next: ['configure'], render: renderUpload },
  configure: { tag: 'staging-picker', next: ['mask', 'progress'], render: renderConfigure },
  mask: { tag: 'staging-mask-painter', next: ['progress'], shown: (v) => v.wantsMask || v.step === 'mask', render: renderMask },
  progress: { tag: 'staging-job-progress', next: ['result'], render: renderProgress },
  result: { tag: 'staging-before-after', next: [], render: renderResult },
};

/** The steps listed above the panel, in order. */
export function visibleSteps(v: StepView): Step[] {
  return (Object.keys(STEPS) as Step[]).filter((s) => STEPS[s].shown?.(v) ?? true);
}

const heading = (text: string): TemplateResult => html`<h2 part="heading" tabindex="-1">${text}</h2>`;

/** The step's element once its code is here; until then a loading note (or a way to retry). */
function whenLoaded(v: StepView, step: Step, content: () => unknown): unknown {
  const tag = STEPS[step].tag;
  if (!tag || customElements.get(tag)) return content();
  if (v.loadFailed === step) {
    return html`<div part="loading"><button type="button" @click=${() => v.loadStep(step)}>${TEXT.loadAgain}</button></div>`;
  }
  return html`<p part="loading" role="status" aria-busy="true">${TEXT.loading}</p>`;
}

function renderUpload(v: StepView): unknown {
  const maxSide = Math.max(...v.catalog.resolutions.map((r) => RESOLUTION_LONG_SIDE[r]), RESOLUTION_LONG_SIDE['2K']);
  return html`${heading(TEXT.headings.upload)}
    <staging-dropzone
      .limits=${v.catalog.upload}
      max-long-side=${maxSide}
      ?disabled=${v.busy}
      @staging-file-selected=${v.onFileSelected}
      @staging-file-cleared=${v.onFileCleared}
    ></staging-dropzone>`;
}

function renderConfigure(v: StepView): unknown {
  return html`${heading(TEXT.headings.configure)} ${renderPhotoSummary(v)}
  ${whenLoaded(
    v,
    'configure',
    () => html`<staging-picker
      .catalog=${v.catalog}
      .photo=${v.upload ?? undefined}
      .services=${v.services}
      ?disabled=${v.busy}
      @staging-submit=${v.onPickerSubmit}
    ></staging-picker>`,
  )}`;
}

function renderPhotoSummary(v: StepView): unknown {
  if (!v.upload) return nothing;
  return html`<div part="photo-summary">
    ${v.previewUrl ? html`<img src=${v.previewUrl} alt="" />` : nothing}
    <span>${v.file?.name ?? TEXT.yourPhoto}</span>
    <button part="back-button" class="quiet" type="button" @click=${() => v.go('upload')}>${TEXT.changePhoto}</button>
  </div>`;
}

function renderMask(v: StepView): unknown {
  return html`${heading(TEXT.headings.mask)}
    ${whenLoaded(v, 'mask', () => html`<staging-mask-painter src=${v.previewUrl} @staging-mask-changed=${v.onMaskChanged}></staging-mask-painter>`)}
    <div part="actions">
      <button part="back-button" type="button" @click=${() => v.go('configure')} ?disabled=${v.busy}>${TEXT.back}</button>
      <button type="button" @click=${() => v.submitMask(false)} ?disabled=${v.busy}>${TEXT.skipMask}</button>
      <button class="primary" type="button" @click=${() => v.submitMask(true)} ?disabled=${v.busy || !v.hasMask}>${TEXT.startWithMask}</button>
    </div>`;
}

function renderProgress(v: StepView): unknown {
  const status = v.job?.status;
  const text = status === 'failed' ? TEXT.headings.failed : status === 'cancelled' ? TEXT.headings.cancelled : TEXT.headings.progress;
  const over = status !== undefined && isTerminal(status);
  const photo = v.previewUrl || v.upload?.url;
  return html`${heading(text)}
    ${photo ? html`<div part="working-photo" class=${over ? 'working-photo' : 'working-photo running'}><img src=${photo} alt="" /></div>` : nothing}
    ${whenLoaded(
      v,
      'progress',
      () => html`<staging-job-progress
        job-id=${v.job!.id}
        .job=${v.job}
        remember
        scope=${v.scopeKey}
        @staging-job-updated=${v.onJobUpdated}
        @staging-job-completed=${v.onJobCompleted}
      ></staging-job-progress>`,
    )}
    <div part="actions">
      <button part="restart-button" type="button" @click=${() => v.reset()}>${over ? TEXT.startAgain : TEXT.startOver}</button>
    </div>`;
}

function renderResult(v: StepView): unknown {
  const outputs = v.job?.outputs ?? [];
  return html`${heading(TEXT.headings.result)}
    ${outputs.some((o) => o.local_preview) ? html`<p part="preview-note">${TEXT.localPreview}</p>` : nothing}
    ${whenLoaded(
      v,
      'result',
      () =>
        html`<staging-before-after
          before=${v.upload?.url ?? v.previewUrl}
          .variants=${variantsFromOutputs(outputs)}
          @staging-output-selected=${v.onOutputSelected}
        ></staging-before-after>`,
    )}
    ${v.selectionState ? html`<p part="selection-status" role="status">${v.selectionState === 'saved' ? TEXT.selected : TEXT.selecting}</p>` : nothing}
    <div part="actions">
      <button part="back-button" type="button" @click=${() => v.go('configure')}>${TEXT.anotherStyle}</button>
      <button part="restart-button" type="button" @click=${() => v.reset()}>${TEXT.startAgain}</button>
    </div>`;
}
