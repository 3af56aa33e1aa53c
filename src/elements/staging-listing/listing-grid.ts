import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Job, ServiceConfig } from '../../contract/index.js';
import type { ListingPhoto } from './photo-uploads-controller.js';
import { TEXT } from './listing-text.js';

/** What the grid reads and calls, from `<staging-listing>`. */
export interface GridView {
  photos: readonly ListingPhoto[];
  /** The rooms to choose from (the service's configs); empty when the service has none. */
  rooms: readonly ServiceConfig[];
  /** Choosing (rooms, selection, remove) or following the batch (statuses). */
  phase: 'choose' | 'working';
  /** The job of each photo, by photo key, once the batch exists. */
  jobOf(photo: ListingPhoto): Job | undefined;
  /** Place in the queue of a pending job: 1 for the next to start. */
  queuePosition(job: Job): number | undefined;
  setRoom(key: number, room: string): void;
  setSelected(key: number, selected: boolean): void;
  remove(key: number): void;
  retry(key: number): void;
}

/** The photo's accessible name: its place and file name. */
export const photoName = (photo: ListingPhoto, index: number): string => (photo.file ? TEXT.photoLabel(index + 1, photo.name) : TEXT.photoFallback(index + 1));

/** The file name shows (the place is plain from the grid); a screen reader hears both. */
export function visibleName(photo: ListingPhoto, index: number, name: string) {
  if (!photo.file) return name;
  const place = name.slice(0, name.length - photo.name.length);
  return html`<span class="visually-hidden">${place}</span>${photo.name}`;
}

/** What a photo's line says about its upload (choosing) or its job (working). */
function statusOf(view: GridView, photo: ListingPhoto): { text: string; tone: string; progress: number | null } {
  if (view.phase === 'working') {
    const job = view.jobOf(photo);
    if (!job) return { text: TEXT.waiting, tone: 'muted', progress: null };
    switch (job.status) {
      case 'pending': {
        const n = view.queuePosition(job);
        return { text: n ? TEXT.queued(n) : TEXT.waiting, tone: 'muted', progress: null };
      }
      case 'processing':
      case 'compressing':
        return { text: TEXT.working(Math.round(job.progress * 100)), tone: 'busy', progress: job.progress };
      case 'completed':
        return { text: TEXT.done, tone: 'success', progress: null };
      case 'failed':
        return { text: TEXT.failed, tone: 'danger', progress: null };
      case 'cancelled':
        return { text: TEXT.cancelled, tone: 'muted', progress: null };
    }
  }
  switch (photo.state) {
    case 'preparing':
      return { text: TEXT.preparing, tone: 'busy', progress: null };
    case 'uploading':
      return { text: TEXT.uploading(Math.round(photo.progress * 100)), tone: 'busy', progress: photo.progress };
    case 'ready':
      return { text: TEXT.uploaded, tone: 'success', progress: null };
    case 'refused':
      return { text: photo.message?.() ?? '', tone: 'danger', progress: null };
    case 'failed':
      return { text: `${TEXT.uploadFailed} ${photo.message?.() ?? ''}`, tone: 'danger', progress: null };
  }
}

const iconPhoto = html`<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="1.6" aria-hidden="true"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/></svg>`;

function renderPhoto(view: GridView, photo: ListingPhoto, index: number): TemplateResult {
  const name = photoName(photo, index);
  const id = `photo-${photo.key}`;
  const status = statusOf(view, photo);
  const choosing = view.phase === 'choose';
  const usable = photo.state !== 'refused';
  return html`<li part=${`photo photo-${status.tone}`} class="photo tone-${status.tone}" aria-labelledby=${`${id}-name`} aria-describedby=${`${id}-status`}>
    <div part="thumbnail" class="thumb">
      ${photo.previewUrl ? html`<img src=${photo.previewUrl} alt="" loading="lazy" decoding="async" />` : html`<span class="placeholder">${iconPhoto}</span>`}
      ${choosing && usable && view.rooms.length
        ? html`<input
            part="select-box"
            class="select-box"
            type="checkbox"
            .checked=${live(photo.selected)}
            aria-label=${TEXT.select(name)}
            @change=${(e: Event) => view.setSelected(photo.key, (e.target as HTMLInputElement).checked)}
          />`
        : nothing}
    </div>
    <div class="meta">
      <span part="photo-name" class="name" id=${`${id}-name`} title=${photo.name}>${visibleName(photo, index, name)}</span>
      ${choosing && usable && view.rooms.length
        ? html`<select part="room" class="room" aria-label=${TEXT.roomFor(name)} @change=${(e: Event) => view.setRoom(photo.key, (e.target as HTMLSelectElement).value)}>
            ${view.rooms.map((r) => html`<option value=${r.id} ?selected=${r.id === photo.room}>${r.name}</option>`)}
          </select>`
        : !choosing && view.rooms.length
          ? html`<span part="room" class="room-label">${view.rooms.find((r) => r.id === photo.room)?.name ?? photo.room}</span>`
          : nothing}
      <span part="photo-status" class="status" id=${`${id}-status`}>${status.text}</span>
      ${status.progress !== null ? html`<progress part="photo-progress" max="100" .value=${Math.round(status.progress * 100)} aria-hidden="true"></progress>` : nothing}
      ${choosing
        ? html`<span class="photo-actions">
            ${photo.state === 'failed'
              ? html`<button part="retry-button" type="button" aria-label=${TEXT.tryAgainNamed(name)} @click=${() => view.retry(photo.key)}>${TEXT.tryAgain}</button>`
              : nothing}
            <button part="remove-button" class="quiet" type="button" aria-label=${TEXT.removeNamed(name)} @click=${() => view.remove(photo.key)}>${TEXT.remove}</button>
          </span>`
        : nothing}
    </div>
  </li>`;
}

/** The listing as a labelled list of photos: a thumbnail, a name, its room and its state each. */
export function renderGrid(view: GridView): TemplateResult {
  return html`<ul part="grid" class="grid" role="list" aria-label=${TEXT.photoList}>
    ${repeat(view.photos, (p) => p.key, (p, i) => renderPhoto(view, p, i))}
  </ul>`;
}
