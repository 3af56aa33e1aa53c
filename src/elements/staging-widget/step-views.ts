import { html, nothing } from 'lit';
import { RESOLUTION_LONG_SIDE, isTerminal } from '../../contract/constants.js';
import { variantsFromOutputs } from '../shared/variants.js';
import { STEP_TEXT } from './step-text.js';
export { STEP_TEXT };
export { stepViewStyles } from './step-views.styles.js';
/** Hands the widget's client to the elements of its later steps: made when those steps' code arrives, so the first screen carries no context provider. */
export { provideClient } from '../shared/client-controller.js';
import { whenLoaded, type StepView } from './steps.js';

/**
 * The later steps' content, under the heading the widget renders (`steps.ts`): loaded with the
 * first later step's element, so the first screen does not carry it.
 */

export function configure(v: StepView): unknown {
  return html`${renderPhotoSummary(v)}
  ${whenLoaded(
    v,
    'configure',
    () => html`<staging-picker
      .catalog=${v.catalog}
      .photo=${photoOf(v)}
      .services=${v.services}
      ?disabled=${v.busy}
      @staging-submit=${v.onPickerSubmit}
      @staging-selection-change=${v.onSelectionChange}
    ></staging-picker>`,
  )}`;
}

/**
 * The photo's size as the largest upload would have it: the first upload is sized for the
 * smallest resolution, but an upscale is offered only targets larger than the photo itself.
 */
function photoOf(v: StepView): { width: number; height: number } | undefined {
  const upload = v.upload;
  const side = upload && Math.max(upload.width, upload.height);
  if (!upload || !side || v.originalSide <= side) return upload ?? undefined;
  const scale = Math.min(v.originalSide, maxSideOf(v)) / side;
  return { width: Math.round(upload.width * scale), height: Math.round(upload.height * scale) };
}

const maxSideOf = (v: StepView): number => Math.max(...v.catalog.resolutions.map((r) => RESOLUTION_LONG_SIDE[r]), RESOLUTION_LONG_SIDE['2K']);

function renderPhotoSummary(v: StepView): unknown {
  if (!v.upload) return nothing;
  return html`<div part="photo-summary">
    ${v.previewUrl ? html`<img src=${v.previewUrl} alt="" />` : nothing}
    <span>${v.file?.name ?? STEP_TEXT.yourPhoto}</span>
    <button part="back-button" class="quiet" type="button" @click=${() => v.go('upload')}>${STEP_TEXT.changePhoto}</button>
  </div>`;
}

export function brackets(v: StepView): unknown {
  // The first shot is the photo's upload at the job's resolution; the others are made its size.
  const photo = v.jobUpload ?? v.upload;
  const first = photo ? { uploadId: photo.id, url: v.previewUrl || photo.url, name: v.file?.name ?? STEP_TEXT.yourPhoto, width: photo.width, height: photo.height } : null;
  const maxSide = first ? Math.max(first.width, first.height) : maxSideOf(v);
  return html`${whenLoaded(
      v,
      'brackets',
      () => html`<staging-bracket-set
        .first=${first}
        .limits=${v.catalog.upload}
        max-long-side=${maxSide}
        min=${v.brackets?.min ?? 3}
        max=${v.brackets?.max ?? 7}
        ?disabled=${v.busy}
        @staging-brackets-changed=${v.onBracketsChanged}
      ></staging-bracket-set>`,
    )}
    <div part="actions">
      <button part="back-button" type="button" @click=${() => v.go('configure')} ?disabled=${v.busy}>${STEP_TEXT.back}</button>
      <button class="primary" type="button" @click=${() => v.submitBrackets()} ?disabled=${v.busy || !v.bracketsUsable}>${STEP_TEXT.mergeShots}</button>
    </div>`;
}

export function mask(v: StepView): unknown {
  return html`${whenLoaded(v, 'mask', () => html`<staging-mask-painter src=${v.previewUrl} @staging-mask-changed=${v.onMaskChanged}></staging-mask-painter>`)}
    <div part="actions">
      <button part="back-button" type="button" @click=${() => v.go(v.brackets ? 'brackets' : 'configure')} ?disabled=${v.busy}>${STEP_TEXT.back}</button>
      ${v.maskMeaning === 'windows-needed'
        ? nothing
        : html`<button type="button" @click=${() => v.submitMask(false)} ?disabled=${v.busy}>${v.maskMeaning === 'windows' ? STEP_TEXT.skipWindows : STEP_TEXT.skipMask}</button>`}
      <button class="primary" type="button" @click=${() => v.submitMask(true)} ?disabled=${v.busy || !v.hasMask}>${STEP_TEXT.startWithMask}</button>
    </div>`;
}

export function progress(v: StepView): unknown {
  const status = v.job?.status;
  const over = status !== undefined && isTerminal(status);
  const photo = v.previewUrl || v.upload?.url;
  return html`${photo ? html`<div part="working-photo" class=${over ? 'working-photo' : 'working-photo running'}><img src=${photo} alt="" /></div>` : nothing}
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
      <button part="restart-button" type="button" @click=${() => v.reset()}>${over ? STEP_TEXT.startAgain : STEP_TEXT.startOver}</button>
    </div>`;
}

export function result(v: StepView): unknown {
  const outputs = v.job?.outputs ?? [];
  const note = outputs.map((o) => o.note?.code).find((code): code is keyof typeof STEP_TEXT.outputNotes => !!code && code in STEP_TEXT.outputNotes);
  return html`${outputs.some((o) => o.local_preview) ? html`<p part="preview-note">${STEP_TEXT.localPreview}</p>` : nothing}
    ${note ? html`<p part="output-note">${STEP_TEXT.outputNotes[note]}</p>` : nothing}
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
    ${v.selectionState ? html`<p part="selection-status" role="status">${v.selectionState === 'saved' ? STEP_TEXT.selected : STEP_TEXT.selecting}</p>` : nothing}
    <div part="actions">
      <button part="back-button" type="button" @click=${() => v.go('configure')}>${STEP_TEXT.anotherStyle}</button>
      <button part="restart-button" type="button" @click=${() => v.reset()}>${STEP_TEXT.startAgain}</button>
    </div>`;
}

