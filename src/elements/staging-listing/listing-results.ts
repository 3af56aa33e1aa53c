import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import type { StagingClient } from '../../client/index.js';
import type { Batch, Job, OutputDisclosure, ServiceConfig } from '../../contract/index.js';
import type { ListingPhoto } from './photo-uploads-controller.js';
import { loadElement } from '../element-loaders.js';
import { TEXT as DISCLOSURE_TEXT } from '../staging-disclosure/disclosure-text.js';
import type { StagingJobCompletedDetail, StagingJobFailedDetail } from '../staging-job-progress/staging-job-progress.js';
import { photoName, visibleName } from './listing-grid.js';
import { TEXT } from './listing-text.js';

export type Decision = 'keep' | 'exclude';

/** The gallery's elements, loaded on demand: the listing fetches them while photos are chosen (`<staging-before-after>` brings `<staging-disclosure>`). */
export function loadGallery(): Promise<unknown> {
  return Promise.all([loadElement('staging-before-after'), loadElement('staging-job-progress')]);
}

export interface ResultItem {
  photo: ListingPhoto;
  /** The photo's current job: its batch job, or the job of its latest redo. */
  job: Job | undefined;
  decision: Decision;
}

/** What the results phase reads and calls, from `<staging-listing>`. */
export interface ResultsView {
  batch: Batch | null;
  items: readonly ResultItem[];
  kept: number;
  rooms: readonly ServiceConfig[];
  client: StagingClient | null;
  previewOnly: boolean;
  /** Whether the service takes instructions (the redo form then asks for them). */
  takesPrompt: boolean;
  /** "Redo costs 2 credits."; null for a free preview. */
  redoCost: string | null;
  busy: boolean;
  /**
   * Whether the listing is wide enough to show the publishing notes open. On a phone they fold to
   * one line ("Before you publish"), so that the first photo shows above the buttons.
   */
  roomy: boolean;
  /** The photo whose redo form is open, by key. */
  redoOpen: number | null;
  openRedo(key: number | null): void;
  decide(key: number, decision: Decision): void;
  /** Redo a photo: another version, with new instructions when `prompt` is given. */
  redo(key: number, prompt?: string): void;
  onRedoEnded(key: number, job: Job): void;
  useKept(): void;
  startOver(): void;
}

const ENDED = ['completed', 'failed', 'cancelled'];
const outputOf = (job: Job | undefined) => (job?.status === 'completed' ? job.outputs[0] : undefined);

function renderCompare(item: ResultItem, name: string, view: ResultsView): TemplateResult {
  const job = item.job;
  if (job && !ENDED.includes(job.status)) {
    // A redo (or a retry) is one job: its own progress element follows it.
    return html`<staging-job-progress
      part="redo-progress"
      job-id=${job.id}
      .client=${view.client ?? undefined}
      skip-cancel-confirm
      @staging-job-completed=${(e: CustomEvent<StagingJobCompletedDetail>) => view.onRedoEnded(item.photo.key, e.detail.job)}
      @staging-job-failed=${(e: CustomEvent<StagingJobFailedDetail>) => view.onRedoEnded(item.photo.key, e.detail.job)}
    ></staging-job-progress>`;
  }
  const output = outputOf(job);
  if (!output) {
    // A photo stopped by "Stop the rest" is not a failure: it says so.
    const why = job?.status === 'cancelled' ? TEXT.cancelled : TEXT.failed;
    return html`<div part="result-failed" class="result-failed">${item.photo.previewUrl ? html`<img src=${item.photo.previewUrl} alt="" />` : nothing}<p>${why}</p></div>`;
  }
  return html`<staging-before-after
    part="compare"
    before=${item.photo.previewUrl ?? ''}
    after=${output.url}
    before-alt=${TEXT.before(name)}
    after-alt=${TEXT.after(name)}
    download-name=${`listing-${item.photo.key}`}
  ></staging-before-after>`;
}

/** Under a result: Redo as another version, with what to change when the service takes instructions. */
function renderRedoForm(view: ResultsView, item: ResultItem, id: string): TemplateResult {
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const prompt = (e.currentTarget as HTMLFormElement).querySelector('textarea')?.value.trim();
    view.redo(item.photo.key, view.takesPrompt ? (prompt ?? '') : undefined);
  };
  return html`<form part="redo-form" class="redo-form" @submit=${submit}>
    ${view.takesPrompt
      ? html`<label for=${`${id}-prompt`}>${TEXT.redoInstructions}</label>
          <textarea id=${`${id}-prompt`} rows="2" maxlength="2000" placeholder=${TEXT.redoPlaceholder} .value=${item.job?.prompt ?? ''}></textarea>`
      : nothing}
    ${view.redoCost ? html`<p class="muted">${view.redoCost}</p>` : nothing}
    <div class="row">
      <button part="redo-submit" class="primary" type="submit" ?disabled=${view.busy}>${TEXT.redoSubmit}</button>
      <button part="redo-close" class="quiet" type="button" @click=${() => view.openRedo(null)}>${TEXT.redoClose}</button>
    </div>
  </form>`;
}

/**
 * Focus for the redo form (after a render): opened, its first field takes focus and the whole
 * form scrolls into view above the sticky footer (on a phone the footer would hide it); closed,
 * focus goes back to that photo's Redo button, where there is one.
 */
export function moveRedoFocus(root: ParentNode, open: number | null, before: number | null | undefined): void {
  if (open !== null) {
    const form = root.querySelector<HTMLElement>('[part="redo-form"]');
    if (!form) return;
    const footer = root.querySelector<HTMLElement>('[part="footer"]');
    form.style.scrollMarginBlockEnd = `${(footer?.offsetHeight ?? 0) + 8}px`;
    form.querySelector<HTMLElement>('textarea, button')?.focus({ preventScroll: true });
    form.scrollIntoView({ block: 'nearest' });
  } else if (before != null) {
    root.querySelector(`#result-${before}-name`)?.closest('li')?.querySelector<HTMLElement>('[part="redo-button"]')?.focus();
  }
}

/** A result's own publishing notes: a warning when the room may have changed, and its original's page. */
function renderOwnNotes(disclosure: OutputDisclosure | undefined, previewOnly: boolean): TemplateResult | typeof nothing {
  // A free preview under no disclosure profile is not for publishing: the preview note says so.
  if (!disclosure || (previewOnly && !disclosure.required)) return nothing;
  const drift = disclosure.structure_drift?.flagged;
  if (!drift && !disclosure.original_page_url) return nothing;
  return html`<div part="result-notes" class="result-notes">
    ${drift ? html`<p part="drift-warning" class="warning">${DISCLOSURE_TEXT.driftWarning}</p>` : nothing}
    ${disclosure.original_page_url ? html`<a part="original-link" href=${disclosure.original_page_url} target="_blank" rel="noopener">${TEXT.originalPage}</a>` : nothing}
  </div>`;
}

function renderResult(view: ResultsView, item: ResultItem, index: number): TemplateResult {
  const name = photoName(item.photo, index);
  const id = `result-${item.photo.key}`;
  const job = item.job;
  const done = job?.status === 'completed';
  const running = !!job && !ENDED.includes(job.status);
  const room = view.rooms.find((r) => r.id === (job?.config ?? item.photo.room))?.name;
  const kept = done && item.decision === 'keep';
  const open = view.redoOpen === item.photo.key && !running;
  return html`<li part=${`result${kept ? ' result-kept' : ''}${done && !kept ? ' result-excluded' : ''}`} class="result ${done && !kept ? 'excluded' : ''}" aria-labelledby=${`${id}-name`}>
    ${renderCompare(item, name, view)}
    <div class="meta">
      <span part="photo-name" class="name" id=${`${id}-name`} title=${item.photo.name}>${visibleName(item.photo, index, name)}</span>
      ${room ? html`<span part="room" class="room-label">${room}</span>` : nothing}
    </div>
    ${renderOwnNotes(outputOf(job)?.disclosure, view.previewOnly)}
    <div part="result-actions" class="result-actions" role="group" aria-labelledby=${`${id}-name`}>
      ${done
        ? html`<button part="keep-button" type="button" aria-pressed=${kept ? 'true' : 'false'} @click=${() => view.decide(item.photo.key, 'keep')}>
              ${kept ? TEXT.kept : TEXT.keep}
            </button>
            <button part="exclude-button" type="button" aria-pressed=${kept ? 'false' : 'true'} @click=${() => view.decide(item.photo.key, 'exclude')}>
              ${kept ? TEXT.exclude : TEXT.excluded}
            </button>`
        : nothing}
      ${running
        ? html`<span class="status">${TEXT.redoing}</span>`
        : done
          ? html`<button part="redo-button" type="button" aria-label=${TEXT.redoNamed(name)} aria-expanded=${open ? 'true' : 'false'} title=${ifDefined(view.redoCost ?? undefined)} ?disabled=${view.busy} @click=${() => view.openRedo(open ? null : item.photo.key)}>
              ${TEXT.redo}
            </button>`
          : html`<button part="redo-button" type="button" aria-label=${TEXT.redoNamed(name)} title=${ifDefined(view.redoCost ?? undefined)} ?disabled=${view.busy} @click=${() => view.redo(item.photo.key)}>${TEXT.tryAgain}</button>`}
    </div>
    ${open ? renderRedoForm(view, item, id) : nothing}
  </li>`;
}

/**
 * What publishing takes, once for the whole listing: the notes every photo shares (label,
 * caption, remarks) in one `<staging-disclosure>`, and how the originals go with it. What differs
 * per photo (its original's page, a room that may have changed) is under that photo.
 */
function renderSharedNotes(items: readonly ResultItem[], previewOnly: boolean, roomy: boolean): TemplateResult | typeof nothing {
  const d = items.map((i) => outputOf(i.job)?.disclosure).find((x) => x);
  if (!d || (previewOnly && !d.required)) return nothing;
  const shared: OutputDisclosure = { ...d, original_page_url: null, original_image_url: null, qr_url: null, structure_drift: null };
  const originals = d.original_page_url ? (d.original === 'adjacent' ? TEXT.originalsAdjacent : d.original === 'link' ? TEXT.originalsLinked : null) : null;
  // Open where there is room; folded on a phone. `?open` only changes with the width, so a
  // person's own opening or closing stays.
  return html`<details part="publish-notes" class="publish-notes" ?open=${roomy}>
    <summary part="publish-summary">${DISCLOSURE_TEXT.title}</summary>
    <staging-disclosure .disclosure=${shared}></staging-disclosure>
    ${d.edit_class === 'technical' ? nothing : html`<p class="muted">${TEXT.publishShared}${originals ? html` ${originals}` : nothing}</p>`}
  </details>`;
}

/** The finished listing: the publishing notes, each photo's before and after and what to do with it, the download and the primary button. */
export function renderResultsPhase(view: ResultsView): TemplateResult {
  const b = view.batch;
  const stopped = view.items.filter((i) => i.job?.status === 'cancelled').length;
  return html`<div class="top">
      <h2 part="heading" tabindex="-1">${TEXT.resultsHeading}</h2>
      <button part="restart-button" class="quiet" type="button" @click=${view.startOver}>${TEXT.startOver}</button>
    </div>
    <p class="summary">${TEXT.resultsSummary(view.kept, view.items.length)}</p>
    ${stopped ? html`<p part="stopped-note" class="note" role="status">${TEXT.stoppedNote(stopped)}</p>` : nothing}
    ${view.previewOnly ? html`<p class="muted note">${TEXT.previewNote}</p>` : nothing} ${renderSharedNotes(view.items, view.previewOnly, view.roomy)}
    <ul part="results" class="results" role="list" aria-label=${TEXT.photoList}>
      ${repeat(view.items, (i) => i.photo.key, (item, i) => renderResult(view, item, i))}
    </ul>
    <div part="footer" class="footer">
      ${b?.archive_url ? html`<a part="download-all" class="button" href=${b.archive_url} download>${TEXT.downloadAll}</a>` : nothing}
      <button part="use-button" class="primary" type="button" ?disabled=${view.busy || !view.kept} @click=${view.useKept}>${TEXT.useKept}</button>
    </div>`;
}
