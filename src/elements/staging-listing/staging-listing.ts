import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { RESOLUTION_LONG_SIDE, type Batch, type Job, type Resolution, type Service } from '../../contract/index.js';
import type { StagingClient, TokenResult } from '../../client/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { localiseService } from '../shared/catalog-words.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail, isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { emit } from '../shared/events.js';
import { LocaleController } from '../shared/locale.js';
import { scopeKeyFor } from '../shared/job-memory.js';
import { parseServiceList } from '../shared/service-list.js';
import { themeStyles } from '../shared/theme.styles.js';
import { DEFAULT_UPLOAD_LIMITS } from '../staging-dropzone/validation.js';
import { renderChoices, renderDropArea, renderSelectionBar, renderStartBar, styleFieldOf } from './listing-choices.js';
import { renderGrid } from './listing-grid.js';
import { BatchController, type KeptOutput } from './batch-controller.js';
import { loadGallery, renderResults } from './listing-results.js';
import { TEXT } from './listing-text.js';
import { filesOfDrop, PhotoUploadsController, type ListingPhoto } from './photo-uploads-controller.js';
import { listingStyles } from './staging-listing.styles.js';

export type { KeptOutput } from './batch-controller.js';

export interface OutputsKeptDetail {
  batchId: string;
  outputs: KeptOutput[];
}

export interface BatchCreatedDetail {
  batch: Batch;
}

const SOURCE = 'staging-listing';

/** What a listing usually needs, offered when `services` is not set (and the catalog has them). */
const LISTING_SERVICES = ['virtual-staging', 'render-enhancement', 'straighten'];

/**
 * A whole listing at once: many photos, one style, one batch (`POST /v1/batches`), one progress
 * view, one download.
 *
 * Listing mode is this element of its own rather than a mode of `<staging-widget>`: the
 * widget stays the small first screen of the one-tag script, and this element (with its grid,
 * gallery and batch code) is a chunk loaded on demand, by the autoloader when the tag appears
 * in the page, or with `loadElement('staging-listing')`. It reuses the dropzone's file checks
 * and preparation, the picker's words for services, `<staging-job-progress>` for a redo and
 * `<staging-before-after>` for each result.
 *
 * The flow: drop or choose photos (several, or a folder); each is prepared and uploaded, at most
 * `concurrency` at once, with its own progress, refusal and Try again. Set each photo's room
 * (one by one, or for a selection), one style for all, and see the total cost against the
 * credits left before Start. Start creates one batch; the grid follows it on one event stream
 * (queue places, progress). The results show each photo's before and after with Keep, Leave
 * out and Redo (one job, charged as one), "Download all" (the batch's ZIP), and "Use the kept
 * photos", which records each kept output (`POST /v1/outputs/:id/select`) and fires
 * `staging-outputs-kept`. A reload finds the batch again (sessionStorage, per endpoint).
 *
 * @summary Stage a whole listing: many photos, one style, one progress view, one download.
 *
 * @fires {CustomEvent<BatchCreatedDetail>} staging-batch-created - Start created the batch.
 * @fires {CustomEvent<OutputsKeptDetail>} staging-outputs-kept - "Use the kept photos": every kept output, in listing order, once the BFF has recorded each choice.
 * @fires {CustomEvent<StagingErrorDetail>} staging-error - A request failed; the element shows its own sentence. `source` is `staging-listing`; `step` is `catalog`, `upload`, `batch`, `watch`, `redo`, `select` or `resume`.
 *
 * @slot header - Content above the listing, e.g. a title.
 *
 * @csspart base - The element's frame.
 * @csspart heading - The current phase's heading (focused when the phase changes).
 * @csspart drop-area - Where photos and folders are dropped; holds "Choose photos".
 * @csspart browse-button - "Choose photos" / "Add more photos".
 * @csspart services - The service question (when several are offered); `styles` - the style question.
 * @csspart chip - One choice of those (also `chip-selected`).
 * @csspart selection-bar - Select all, and a room for the selected photos (`room-for-selected`, `apply-button`).
 * @csspart grid - The list of photos; `photo` - one (also `photo-success`, `photo-danger`, `photo-busy`, `photo-muted`).
 * @csspart thumbnail - A photo's thumbnail; `select-box` - its selection checkbox.
 * @csspart photo-name - A photo's name; `room` - its room; `photo-status` - its state; `photo-progress` - its bar.
 * @csspart retry-button - Try again (a failed upload); `remove-button` - Remove.
 * @csspart footer - The bar with the cost and the primary button.
 * @csspart cost - "8 photos · 16 credits" and the credits left; `cost-warning` - not enough credits; `cost-hint` - what Start waits for.
 * @csspart batch-progress - The bar of photos done while the listing is worked on.
 * @csspart start-button - Start; `cancel-button` - "Stop the rest".
 * @csspart results - The gallery; `result` - one photo (also `result-kept`, `result-excluded`).
 * @csspart compare - A result's `<staging-before-after>`; `redo-progress` - a redo's `<staging-job-progress>`.
 * @csspart result-actions - Keep, Leave out and Redo (`keep-button`, `exclude-button`, `redo-button`).
 * @csspart download-all - The "Download all" link; `use-button` - "Use the kept photos"; `restart-button` - "Start a new listing".
 * @csspart error - A failure with its dismiss button; `status` - the polite live region.
 *
 * @cssproperty --staging-listing-max-width - Maximum width (1200px).
 * @cssproperty --staging-listing-thumb-size - Smallest width of a grid cell (160px).
 * @cssproperty --staging-color-accent - Primary button and selection.
 * @cssproperty --staging-color-surface - Background.
 * @cssproperty --staging-color-text - Text.
 * @cssproperty --staging-radius - Corner radius.
 * @cssproperty --staging-space - Base spacing unit.
 */
@customElement('staging-listing')
export class StagingListing extends LitElement {
  static override styles = [themeStyles, ...listingStyles];

  /** Base URL of your BFF. */
  @property() endpoint: string | undefined;
  /** Your backend's URL that answers `POST` with `{token, expires_at}`. */
  @property({ attribute: 'token-url' }) tokenUrl: string | undefined;
  /** Overrides `token-url`: any code that produces a widget token. */
  @property({ attribute: false }) fetchToken: (() => Promise<TokenResult>) | undefined;
  /** An API client to use instead of one built from `endpoint` and `token-url`. */
  @property({ attribute: false }) client: StagingClient | undefined;
  /** Comma-separated service ids to offer; unset offers every service that takes single photos. */
  @property() services = '';
  /** Photos prepared and uploaded at once. */
  @property({ type: Number }) concurrency = 3;
  /** Most photos in one listing (the BFF's `STAGING_BATCH_MAX_ITEMS`, default 60). */
  @property({ type: Number, attribute: 'max-photos' }) maxPhotos = 60;
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  @state() private _phase: 'choose' | 'working' | 'results' = 'choose';
  @state() private _serviceId = '';
  @state() private _style = '';
  @state() private _note = '';
  @state() private _error: StagingErrorDetail | null = null;
  @state() private _dragOver = false;

  @query('[part="heading"]') private _heading?: HTMLElement;

  private readonly _l10n = new LocaleController(this);
  private readonly _api = new ClientController(this);
  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _photos = new PhotoUploadsController(this, {
    client: () => this._api.client,
    limits: () => this._catalogTask.value?.upload ?? DEFAULT_UPLOAD_LIMITS,
    maxLongSide: () => RESOLUTION_LONG_SIDE[this._resolution],
    concurrency: () => this.concurrency,
    onError: (err) => this._fail('upload', err, false),
  });
  private readonly _batch = new BatchController(this, {
    client: () => this._api.client,
    scope: () => this._scope,
    onRunning: () => this._go('working'),
    onEnded: () => this._go('results'),
    onLost: () => {
      this._note = TEXT.notFound;
      this._go('choose');
    },
    onError: (step, err) => this._fail(step, err),
    onProgress: (n) => this._announcer.announce(TEXT.announceDone(n)),
  });
  private _moveFocus = false;
  private _resumeChecked = false;

  private readonly _catalogTask = new Task(this, {
    task: async ([client], { signal }) => {
      if (!client) return null;
      try {
        return await client.getCatalog({ signal });
      } catch (err) {
        this._fail('catalog', err);
        throw err;
      }
    },
    args: () => [this._api.client] as const,
  });

  private readonly _creditsTask = new Task(this, {
    task: async ([client], { signal }) => (client ? client.getCredits({ signal }) : null),
    args: () => [this._api.client, this._phase === 'choose'] as const,
  });

  private get _scope(): string {
    return scopeKeyFor(this.endpoint);
  }

  private get _services(): Service[] {
    const wanted = parseServiceList(this.services || null);
    // One photo per job: no exposure sets, no upscaling (it needs a target larger than each photo).
    const usable = (this._catalogTask.value?.services ?? []).filter((s) => !s.inputs.brackets && !s.upscales_to_resolution);
    if (wanted) return usable.filter((s) => wanted.includes(s.id));
    const usual = usable.filter((s) => LISTING_SERVICES.includes(s.id));
    return usual.length ? usual : usable;
  }

  private get _service(): Service | undefined {
    const all = this._services;
    return all.find((s) => s.id === this._serviceId) ?? all.find((s) => s.id === 'virtual-staging') ?? all[0];
  }

  private get _resolution(): Resolution {
    const res = this._service?.resolutions ?? [];
    return res.includes('2K') ? '2K' : (res[0] ?? '2K');
  }

  private get _perPhoto(): number {
    const s = this._service;
    return !s || s.preview_only ? 0 : (s.credits[this._resolution] ?? 0);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The gallery's pieces, fetched while the person chooses photos.
    loadGallery().catch(() => {});
  }

  protected override willUpdate(): void {
    const client = this._api.client;
    if (client && !this._resumeChecked) {
      this._resumeChecked = true;
      void this._resume();
    }
    const service = this._service;
    if (service && service.id !== this._serviceId) this._setService(service.id);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('_phase' as keyof StagingListing) && this._moveFocus) {
      this._moveFocus = false;
      this._heading?.focus();
    }
  }

  /** Forgets the listing and starts a new one; a batch still running is stopped (it would cost credits for nothing). */
  reset(): void {
    this._batch.reset();
    this._photos.clear();
    this._note = '';
    this._error = null;
    this._go('choose');
  }

  private _go(phase: StagingListing['_phase']): void {
    if (phase !== this._phase) this._moveFocus = true;
    this._phase = phase;
  }

  private _fail(step: string, err: unknown, show = true): void {
    if (isAbort(err)) return;
    const detail = errorDetail(SOURCE, err, step);
    if (show) this._error = detail;
    emit(this, 'staging-error', detail);
  }

  private _setService(id: string): void {
    this._serviceId = id;
    const service = this._service;
    this._style = styleFieldOf(service)?.default ?? styleFieldOf(service)?.values[0]?.value ?? '';
    const rooms = service?.configs ?? [];
    // Rooms of another service mean nothing here: every photo takes the new service's first.
    this._photos.updateAll((p) => (rooms.some((r) => r.id === p.room) ? {} : { room: rooms[0]?.id ?? '' }));
  }

  /**
   * Adds photos as if they had been dropped: each is checked, prepared and uploaded. Returns how
   * many were taken (a listing holds at most `maxPhotos`).
   */
  addFiles(files: readonly File[]): number {
    if (this._phase !== 'choose') return 0;
    const added = this._photos.add(files, this._service?.configs[0]?.id ?? '', this.maxPhotos);
    this._note = added < files.length ? TEXT.tooMany(this.maxPhotos) : '';
    return added;
  }

  private async _start(): Promise<void> {
    const service = this._service;
    const ready = this._photos.photos.filter((p) => p.state === 'ready' && p.upload);
    if (!service || !ready.length) return;
    this._error = null;
    const started = await this._batch.start({
      service: service.id,
      resolution: this._resolution,
      ...(this._style ? { options: { style: this._style } } : {}),
      items: ready.map((p) => ({ upload_id: p.upload!.id, ...(p.room ? { config: p.room } : {}) })),
    });
    if (!started || !this._batch.batch) return;
    // Refused photos are not part of the listing: they leave the grid with Start.
    for (const p of this._photos.photos) if (p.state !== 'ready') this._photos.remove(p.key);
    emit(this, 'staging-batch-created', { batch: this._batch.batch });
  }

  private async _resume(): Promise<void> {
    const found = await this._batch.resume();
    const batch = this._batch.batch;
    if (!found || !batch) return;
    this._photos.restore(found.map((p, i) => ({ name: TEXT.photoFallback(i + 1), ...p })));
    this._serviceId = batch.service;
    this._style = typeof batch.options.style === 'string' ? batch.options.style : '';
    this._note = TEXT.resumed;
  }

  private _uploadIds(): string[] {
    return this._photos.photos.map((p) => p.upload?.id ?? '');
  }

  /** "Use the kept photos": the BFF records each choice (and tells the host's backend), then the page hears of them all. */
  private async _useKept(): Promise<void> {
    const batch = this._batch.batch;
    const kept = this._batch.kept(this._uploadIds());
    this._error = null;
    if (!batch || !(await this._batch.select(kept))) return;
    emit(this, 'staging-outputs-kept', { batchId: batch.id, outputs: kept });
    this._note = TEXT.usedKept(kept.length);
    this._announcer.announce(this._note);
  }

  // --- rendering: the views are in listing-grid.ts, listing-choices.ts and listing-results.ts

  private readonly _onDrop = async (e: DragEvent): Promise<void> => {
    e.preventDefault();
    this._dragOver = false;
    if (e.dataTransfer) this.addFiles(await filesOfDrop(e.dataTransfer));
  };

  private readonly _onDragOver = (e: DragEvent): void => {
    if (!Array.from(e.dataTransfer?.types ?? []).includes('Files')) return;
    e.preventDefault();
    this._dragOver = true;
  };

  private _gridView(phase: 'choose' | 'working') {
    return {
      photos: this._photos.photos,
      rooms: this._service ? localiseService(this._service).configs : [],
      phase,
      jobOf: (p: ListingPhoto) => (p.upload ? this._batch.jobs.get(p.upload.id) : undefined),
      queuePosition: (j: Job) => this._batch.queuePosition(j),
      setRoom: (key: number, room: string) => this._photos.update(key, { room }),
      setSelected: (key: number, selected: boolean) => this._photos.update(key, { selected }),
      remove: (key: number) => this._photos.remove(key),
      retry: (key: number) => this._photos.retry(key),
    };
  }

  private _renderChoose() {
    const service = this._service;
    if (!service) return html`<p part="error" role="alert">${errorText('scope_denied')}</p>`;
    // Its rooms and styles in the visitor's language (catalog-words.ts).
    const shown = localiseService(service);
    const photos = this._photos.photos;
    const selected = photos.filter((p) => p.selected && p.state !== 'refused');
    return html`<h2 part="heading" tabindex="-1">${TEXT.photosHeading}</h2>
      ${renderChoices({ services: this._services, service: shown, style: this._style, disabled: this._batch.busy, setService: (id) => this._setService(id), setStyle: (v) => (this._style = v) })}
      ${renderDropArea({
        limits: this._catalogTask.value?.upload ?? DEFAULT_UPLOAD_LIMITS,
        count: photos.length,
        max: this.maxPhotos,
        dragOver: this._dragOver,
        onDragOver: this._onDragOver,
        onDragLeave: () => (this._dragOver = false),
        onDrop: this._onDrop,
        add: (files) => this.addFiles(files),
      })}
      ${renderSelectionBar({
        count: selected.length,
        total: photos.filter((p) => p.state !== 'refused').length,
        rooms: shown.configs,
        selectAll: (on) => this._photos.updateAll((p) => ({ selected: on && p.state !== 'refused' })),
        setRoomOfSelected: (room) => this._photos.updateAll((p) => (p.selected ? { room, selected: false } : {})),
      })}
      ${photos.length ? renderGrid(this._gridView('choose')) : nothing} ${service.preview_only ? html`<p class="muted note">${TEXT.previewNote}</p>` : nothing}
      ${renderStartBar({
        photos,
        perPhoto: this._perPhoto,
        previewOnly: service.preview_only,
        remaining: this._creditsTask.value?.remaining,
        uploading: this._photos.busy,
        busy: this._batch.busy,
        start: () => void this._start(),
      })}`;
  }

  private _renderWorking() {
    const b = this._batch.batch;
    const total = b?.items.length ?? 0;
    const ended = b ? b.counts.completed + b.counts.failed + b.counts.cancelled : 0;
    const mode = this._batch.mode;
    return html`<h2 part="heading" tabindex="-1">${TEXT.workingHeading}</h2>
      <p class="summary">${TEXT.countsLine(ended, total)} ${mode === 'reconnecting' || mode === 'polling' ? html`<span class="muted">· ${TEXT.reconnecting}</span>` : nothing}</p>
      <progress part="batch-progress" max=${total || 1} .value=${ended} aria-label=${TEXT.countsLine(ended, total)}></progress>
      ${renderGrid(this._gridView('working'))}
      <div part="footer" class="footer">
        <button part="cancel-button" type="button" ?disabled=${this._batch.busy} @click=${() => this._batch.cancel()}>${TEXT.cancelAll}</button>
      </div>`;
  }

  private _renderResults() {
    const b = this._batch.batch;
    const { jobs, decisions } = this._batch;
    const items = this._photos.photos.map((photo) => ({ photo, job: photo.upload ? jobs.get(photo.upload.id) : undefined, decision: (photo.upload && decisions.get(photo.upload.id)) || 'keep' }));
    const kept = this._batch.kept(this._uploadIds()).length;
    const idOf = (key: number) => this._photos.photos.find((p) => p.key === key)?.upload?.id;
    const service = this._service;
    return html`<div class="top">
        <h2 part="heading" tabindex="-1">${TEXT.resultsHeading}</h2>
        <button part="restart-button" class="quiet" type="button" @click=${() => this.reset()}>${TEXT.startOver}</button>
      </div>
      <p class="summary">${TEXT.resultsSummary(kept, items.length)}</p>
      ${service?.preview_only ? html`<p class="muted note">${TEXT.previewNote}</p>` : nothing}
      ${renderResults({
        items,
        rooms: service ? localiseService(service).configs : [],
        client: this._api.client,
        redoCost: TEXT.redoCost(service?.preview_only ? TEXT.free : TEXT.cost(this._perPhoto)),
        busy: this._batch.busy,
        decide: (key, d) => {
          const id = idOf(key);
          if (id) this._batch.decide(id, d);
        },
        redo: (key) => {
          const id = idOf(key);
          if (id) void this._batch.redo(id);
        },
        onRedoEnded: (_key, job) => this._batch.setJob(job),
      })}
      <div part="footer" class="footer">
        ${b?.archive_url ? html`<a part="download-all" class="button" href=${b.archive_url} download>${TEXT.downloadAll}</a>` : nothing}
        <button part="use-button" class="primary" type="button" ?disabled=${this._batch.busy || !kept} @click=${() => void this._useKept()}>${TEXT.useKept}</button>
      </div>`;
  }

  private _renderError() {
    const e = this._error;
    if (!e) return nothing;
    return html`<div part="error" class="error" role="alert">
      <p>${errorText(e.code)}${e.requestId ? html` <small>(${TEXT.reference(e.requestId)})</small>` : nothing}</p>
      <button type="button" class="quiet" aria-label=${TEXT.dismiss} @click=${() => (this._error = null)}>×</button>
    </div>`;
  }

  override render() {
    const body = !this._api.client
      ? html`<p part="error" role="alert">${TEXT.notConfigured}</p>`
      : this._catalogTask.render({
          pending: () => html`<p role="status" aria-busy="true">${TEXT.loading}</p>`,
          error: () => nothing,
          complete: (catalog) =>
            catalog ? (this._phase === 'choose' ? this._renderChoose() : this._phase === 'working' ? this._renderWorking() : this._renderResults()) : nothing,
        });
    return html`<section part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir} aria-label=${TEXT.region}>
      <slot name="header"></slot>
      ${this._renderError()} ${this._note ? html`<p class="note" role="status">${this._note}</p>` : nothing} ${body} ${this._announcer.render('status')}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-listing': StagingListing;
  }
  interface HTMLElementEventMap {
    'staging-batch-created': CustomEvent<BatchCreatedDetail>;
    'staging-outputs-kept': CustomEvent<OutputsKeptDetail>;
  }
}
