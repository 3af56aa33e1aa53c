import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { RESOLUTION_LONG_SIDE, type Batch, type Job } from '../../contract/index.js';
import type { StagingClient, TokenResult } from '../../client/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { localiseService } from '../shared/catalog-words.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail, isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { emit } from '../shared/events.js';
import { LocaleController, type Words } from '../shared/locale.js';
import { scopeKeyFor } from '../shared/job-memory.js';
import { themeStyles } from '../shared/theme.styles.js';
import { renderChoices, renderDropArea, renderSelectionBar, renderStartBar, styleFieldOf } from './listing-choices.js';
import { renderGrid } from './listing-grid.js';
import { BatchController, type KeptOutput } from './batch-controller.js';
import { loadGallery, moveRedoFocus, renderResultsPhase } from './listing-results.js';
import { renderWorking } from './listing-working.js';
import { ListingOfferController } from './listing-offer-controller.js';
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
/** From this width (px) the publishing notes show open; below it (a phone) they fold to one line. */
const ROOMY_WIDTH = 600;

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
 * (queue places, progress). The results show what publishing takes (once for all photos, and
 * what differs under each), each photo's before and after with Keep and Leave out (recorded with
 * the BFF: a photo left out is not in the ZIP) and Redo (another version, with what to change;
 * one job, charged as one, which becomes the photo's result in the batch), "Download all" (the
 * batch's ZIP), and "Use the kept photos", which records each kept output
 * (`POST /v1/outputs/:id/select`) and fires `staging-outputs-kept`. A reload finds the batch
 * again (sessionStorage, per endpoint), with its choices.
 *
 * @summary Stage a whole listing: many photos, one style, one progress view, one download.
 *
 * @fires {CustomEvent<BatchCreatedDetail>} staging-batch-created - Start created the batch.
 * @fires {CustomEvent<OutputsKeptDetail>} staging-outputs-kept - "Use the kept photos": every kept output, in listing order, once the BFF has recorded each choice.
 * @fires {CustomEvent<StagingErrorDetail>} staging-error - A request failed; the element shows its own sentence. `source` is `staging-listing`; `step` is `catalog`, `upload`, `batch`, `watch`, `redo`, `decide` (Keep or Leave out), `select` or `resume`.
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
 * @csspart redo-form - Under a result after Redo: what to change (`redo-submit` makes another version, `redo-close` closes it).
 * @csspart stopped-note - After "Stop the rest": how many photos were stopped, and that their credits are back.
 * @csspart publish-notes - What publishing the listing takes (one `<staging-disclosure>` for all photos), open when the listing is 600 px wide or more and folded to its `publish-summary` line below; `result-notes` - a photo's own (`drift-warning`, `original-link`).
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
  @state() private _note: Words | null = null;
  @state() private _error: StagingErrorDetail | null = null;
  @state() private _dragOver = false;
  /** The photo whose redo form is open, by key. */
  @state() private _redoOpen: number | null = null;

  @query('[part="heading"]') private _heading?: HTMLElement;

  private readonly _l10n = new LocaleController(this);
  private readonly _api = new ClientController(this);
  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _offer = new ListingOfferController(this, {
    client: () => this._api.client,
    services: () => this.services,
    chosen: () => this._serviceId,
    choosing: () => this._phase === 'choose',
    onError: (err) => this._fail('catalog', err),
  });
  private readonly _photos = new PhotoUploadsController(this, {
    client: () => this._api.client,
    limits: () => this._offer.limits,
    maxLongSide: () => RESOLUTION_LONG_SIDE[this._offer.resolution],
    concurrency: () => this.concurrency,
    onError: (err) => this._fail('upload', err, false),
  });
  private readonly _batch = new BatchController(this, {
    client: () => this._api.client,
    scope: () => this._scope,
    onRunning: () => this._go('working'),
    onEnded: () => this._go('results'),
    onLost: () => {
      this._note = () => TEXT.notFound;
      this._go('choose');
    },
    onError: (step, err) => this._fail(step, err),
    onProgress: (n) => this._announcer.announce(TEXT.announceDone(n)),
  });
  private _moveFocus = false;
  private _resumeChecked = false;

  private get _scope(): string {
    return scopeKeyFor(this.endpoint);
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
    const service = this._offer.service;
    if (service && service.id !== this._serviceId) this._setService(service.id);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('_phase' as keyof StagingListing) && this._moveFocus) {
      this._moveFocus = false;
      this._heading?.focus();
    }
    if (changed.has('_redoOpen' as keyof StagingListing)) moveRedoFocus(this.renderRoot, this._redoOpen, changed.get('_redoOpen' as keyof StagingListing) as number | null | undefined);
  }

  /** Forgets the listing and starts a new one; a batch still running is stopped (it would cost credits for nothing). */
  reset(): void {
    this._batch.reset();
    this._photos.clear();
    this._note = null;
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
    const service = this._offer.service;
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
    const added = this._photos.add(files, this._offer.service?.configs[0]?.id ?? '', this.maxPhotos);
    this._note = added < files.length ? () => TEXT.tooMany(this.maxPhotos) : null;
    return added;
  }

  private async _start(): Promise<void> {
    const service = this._offer.service;
    const ready = this._photos.photos.filter((p) => p.state === 'ready' && p.upload);
    if (!service || !ready.length) return;
    this._error = null;
    const started = await this._batch.start({
      service: service.id,
      resolution: this._offer.resolution,
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
    this._note = () => TEXT.resumed;
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
    this._note = () => TEXT.usedKept(kept.length);
    this._announcer.announce(this._note());
  }

  // --- rendering: the views are in listing-choices.ts, listing-grid.ts, listing-working.ts and listing-results.ts

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
      rooms: this._offer.service ? localiseService(this._offer.service).configs : [],
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
    const service = this._offer.service;
    if (!service) return html`<p part="error" role="alert">${errorText('scope_denied')}</p>`;
    // Its rooms and styles in the visitor's language (catalog-words.ts).
    const shown = localiseService(service);
    const photos = this._photos.photos;
    const selected = photos.filter((p) => p.selected && p.state !== 'refused');
    return html`<h2 part="heading" tabindex="-1">${TEXT.photosHeading}</h2>
      ${renderChoices({ services: this._offer.services, service: shown, style: this._style, disabled: this._batch.busy, setService: (id) => this._setService(id), setStyle: (v) => (this._style = v) })}
      ${renderDropArea({
        limits: this._offer.limits,
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
        perPhoto: this._offer.perPhoto,
        previewOnly: service.preview_only,
        remaining: this._offer.credits.value?.remaining,
        uploading: this._photos.busy,
        busy: this._batch.busy,
        start: () => void this._start(),
      })}`;
  }

  private _renderResults() {
    const { jobs, decisions } = this._batch;
    const items = this._photos.photos.map((photo) => ({ photo, job: photo.upload ? jobs.get(photo.upload.id) : undefined, decision: (photo.upload && decisions.get(photo.upload.id)) || 'keep' }));
    const idOf = (key: number) => this._photos.photos.find((p) => p.key === key)?.upload?.id;
    const service = this._offer.service;
    return renderResultsPhase({
      batch: this._batch.batch,
      items,
      kept: this._batch.kept(this._uploadIds()).length,
      rooms: service ? localiseService(service).configs : [],
      client: this._api.client,
      previewOnly: !!service?.preview_only,
      takesPrompt: !!service?.inputs.prompt,
      redoCost: service?.preview_only ? null : TEXT.redoCost(TEXT.cost(this._offer.perPhoto)),
      busy: this._batch.busy,
      // Read while rendering: the results re-render with every job update, and a turned phone with them.
      roomy: this.clientWidth >= ROOMY_WIDTH,
      redoOpen: this._redoOpen,
      openRedo: (key) => (this._redoOpen = key),
      decide: (key, d) => {
        const id = idOf(key);
        if (id) void this._batch.decide(id, d);
      },
      redo: (key, prompt) => {
        const id = idOf(key);
        this._redoOpen = null;
        if (id) void this._batch.redo(id, prompt);
      },
      onRedoEnded: (_key, job) => this._batch.setJob(job),
      useKept: () => void this._useKept(),
      startOver: () => this.reset(),
    });
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
      : this._offer.catalog.render({
          pending: () => html`<p role="status" aria-busy="true">${TEXT.loading}</p>`,
          error: () => nothing,
          complete: (catalog) =>
            catalog
              ? this._phase === 'choose'
                ? this._renderChoose()
                : this._phase === 'working'
                  ? renderWorking({ batch: this._batch.batch, grid: this._gridView('working'), mode: this._batch.mode, busy: this._batch.busy, cancel: () => this._batch.cancel() })
                  : this._renderResults()
              : nothing,
        });
    return html`<section part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir} aria-label=${TEXT.region}>
      <slot name="header"></slot>
      ${this._renderError()} ${this._note ? html`<p class="note" role="status">${this._note()}</p>` : nothing} ${body} ${this._announcer.render('status')}
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
