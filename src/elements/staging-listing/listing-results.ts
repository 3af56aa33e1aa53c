import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { StagingClient } from '../../client/index.js';
import type { Job, ServiceConfig } from '../../contract/index.js';
import type { ListingPhoto } from './photo-uploads-controller.js';
import { loadElement } from '../element-loaders.js';
import type { StagingJobCompletedDetail, StagingJobFailedDetail } from '../staging-job-progress/staging-job-progress.js';
import { photoName, visibleName } from './listing-grid.js';
import { TEXT } from './listing-text.js';

export type Decision = 'keep' | 'exclude';

/** The gallery's elements, loaded on demand: the listing fetches them while photos are chosen. */
export function loadGallery(): Promise<unknown> {
  return Promise.all([loadElement('staging-before-after'), loadElement('staging-job-progress')]);
}

export interface ResultItem {
  photo: ListingPhoto;
  /** The photo's current job: its batch job, or the job of its latest redo. */
  job: Job | undefined;
  decision: Decision;
}

/** What the gallery reads and calls, from `<staging-listing>`. */
export interface ResultsView {
  items: readonly ResultItem[];
  rooms: readonly ServiceConfig[];
  client: StagingClient | null;
  /** "Redo costs 2 credits." or the free preview's words. */
  redoCost: string;
  busy: boolean;
  decide(key: number, decision: Decision): void;
  redo(key: number): void;
  onRedoEnded(key: number, job: Job): void;
}

function renderCompare(item: ResultItem, name: string, view: ResultsView): TemplateResult {
  const job = item.job;
  if (job && !['completed', 'failed', 'cancelled'].includes(job.status)) {
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
  const output = job?.status === 'completed' ? job.outputs[0] : undefined;
  if (!output) return html`<div part="result-failed" class="result-failed">${item.photo.previewUrl ? html`<img src=${item.photo.previewUrl} alt="" />` : nothing}<p>${TEXT.failed}</p></div>`;
  return html`<staging-before-after
    part="compare"
    before=${item.photo.previewUrl ?? ''}
    after=${output.url}
    before-alt=${TEXT.before(name)}
    after-alt=${TEXT.after(name)}
    download-name=${`listing-${item.photo.key}`}
  ></staging-before-after>`;
}

function renderResult(view: ResultsView, item: ResultItem, index: number): TemplateResult {
  const name = photoName(item.photo, index);
  const id = `result-${item.photo.key}`;
  const job = item.job;
  const done = job?.status === 'completed';
  const running = !!job && !['completed', 'failed', 'cancelled'].includes(job.status);
  const room = view.rooms.find((r) => r.id === (job?.config ?? item.photo.room))?.name;
  const kept = done && item.decision === 'keep';
  return html`<li part=${`result${kept ? ' result-kept' : ''}${done && !kept ? ' result-excluded' : ''}`} class="result ${done && !kept ? 'excluded' : ''}" aria-labelledby=${`${id}-name`}>
    ${renderCompare(item, name, view)}
    <div class="meta">
      <span part="photo-name" class="name" id=${`${id}-name`} title=${item.photo.name}>${visibleName(item.photo, index, name)}</span>
      ${room ? html`<span part="room" class="room-label">${room}</span>` : nothing}
    </div>
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
        : html`<button part="redo-button" type="button" aria-label=${TEXT.redoNamed(name)} title=${view.redoCost} ?disabled=${view.busy} @click=${() => view.redo(item.photo.key)}>
            ${done ? TEXT.redo : TEXT.tryAgain}
          </button>`}
    </div>
  </li>`;
}

/** The finished listing: each photo's before and after, and what to do with it. */
export function renderResults(view: ResultsView): TemplateResult {
  return html`<ul part="results" class="results" role="list" aria-label=${TEXT.photoList}>
    ${repeat(view.items, (i) => i.photo.key, (item, i) => renderResult(view, item, i))}
  </ul>`;
}
