import { adoptStyles, LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { Task, TaskStatus } from '@lit/task';
import { isTerminal, RESOLUTION_LONG_SIDE } from '../../contract/constants.js';
import type { Catalog, CreateJobRequest, Job, Upload } from '../../contract/index.js';
import { newIdempotencyKey, StagingError, type StagingClient, type TokenResult } from '../../client/index.js';
import { themeStyles } from '../shared/theme.styles.js';
import { emit } from '../shared/events.js';
import { ownClient } from '../shared/client-context.js';
import { errorDetail, isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { LocaleController } from '../shared/locale.js';

/** The host's own words for any string (README, "Languages"). */
export { setStrings, LOCALES } from '../shared/locale.js';
import { scopeKeyFor } from '../shared/job-memory.js';
import { parseServiceList } from '../shared/service-list.js';
import { resumableJob } from './resume.js';
import { bracketsOf, maskMeaningOf } from './selection.js';
import { widgetStyles } from './staging-widget.styles.js';
import { TEXT } from './messages.js';
import '../staging-dropzone/staging-dropzone.js';
import type { StagingDropzone, StagingFileSelectedDetail } from '../staging-dropzone/staging-dropzone.js';
import type { StagingMaskPainter } from '../staging-mask-painter/staging-mask-painter.js';
import type { StagingBracketSet } from '../staging-bracket-set/staging-bracket-set.js';
import type { PickerValue } from '../staging-picker/staging-picker.js';
import type { OutputSelectedDetail } from '../staging-before-after/staging-before-after.js';
import { loadElement, type LoadableTag } from '../element-loaders.js';
import { loadedViews, loadStepViews, renderStep, stepReady, STEPS, visibleSteps, type Step, type StepView } from './steps.js';

export interface UploadEventDetail {
  upload: Upload;
  file: File;
}
export interface JobCreatedDetail {
  job: Job;
}

const SOURCE = 'staging-widget';

/**
 * The one tag: a step-by-step flow from a room photo to an enhanced or restyled result.
 * Composes `staging-dropzone` → `staging-picker` → (`staging-bracket-set`) → (`staging-mask-painter`) →
 * `staging-job-progress` → `staging-before-after`, and talks to your BFF with a short-lived
 * widget token from `token-url` (or the `fetchToken` property). The token stays in memory.
 *
 * Events of the composed elements bubble out of this one (`staging-job-updated`,
 * `staging-job-completed`, `staging-job-failed`, `staging-output-selected`, …), so a host
 * page listens on this tag only.
 *
 * @summary AI virtual staging and photo enhancement in one tag.
 *
 * @fires {CustomEvent<UploadEventDetail>} staging-upload - The photo was uploaded to the BFF: sized for the smallest resolution offered (2K: 2048 px), and once more, larger, when a larger resolution is chosen (the job then uses that one).
 * @fires {CustomEvent<JobCreatedDetail>} staging-job-created - A job was created (once per job, also after an idempotent replay).
 * @fires {CustomEvent<{ job: Job }>} staging-job-updated - Any change of the job (from the progress step).
 * @fires {CustomEvent<{ job: Job }>} staging-job-completed - The job finished with outputs.
 * @fires {CustomEvent<{ job: Job; error: unknown }>} staging-job-failed - The job failed.
 * @fires {CustomEvent<OutputSelectedDetail>} staging-output-selected - The person chose "Use this image": `{ id, url, variantIndex, disclosure }` (from `<staging-before-after>`).
 * @fires {CustomEvent<StagingErrorDetail>} staging-error - A request failed; the widget also shows it. `source` is `staging-widget` and `step` what it was doing: `catalog`, `upload`, `brackets`, `mask`, `job`, `select` or `load` (a step's code). The composed elements' own errors bubble out too, with their tag as `source`.
 *
 * @slot header - Content above the steps, e.g. a title or your logo.
 *
 * @csspart base - The widget's frame.
 * @csspart steps - The list of steps.
 * @csspart step - One step; also `step-current` / `step-done`.
 * @csspart step-label - A step's name.
 * @csspart panel - The current step's content.
 * @csspart heading - The current step's heading.
 * @csspart actions - Buttons under a step.
 * @csspart back-button - Goes back one step.
 * @csspart restart-button - Starts over with a new photo.
 * @csspart error - An error message with its dismiss button.
 * @csspart loading - Shown while the catalog loads.
 * @csspart photo-summary - The chosen photo, shown while configuring.
 * @csspart preview-note - Says a result is only a local preview.
 * @csspart output-note - Says what the engine could not do for this photo (e.g. no lines to straighten by).
 * @csspart retry-button - "Try again" after a failed upload: sends the same photo again.
 * @csspart selection-status - Confirms "Use this image" once the choice is saved.
 * @csspart working-photo - The photo being worked on, with a light sweeping over it while the job runs.
 *
 * @cssproperty --staging-widget-max-width - Maximum width of the widget (960px).
 * @cssproperty --staging-color-accent - Accent colour of buttons and the active step.
 * @cssproperty --staging-color-surface - Background.
 * @cssproperty --staging-color-text - Text colour.
 * @cssproperty --staging-radius - Corner radius.
 * @cssproperty --staging-font-family - Font.
 * @cssproperty --staging-space - Base spacing unit.
 */
@customElement('staging-widget')
export class StagingWidget extends LitElement {
  static override styles = [themeStyles, widgetStyles];

  /**
   * Fetches a step's element. Replaceable so tests can simulate a failed chunk download.
   * @internal
   */
  static stepLoader: (tag: LoadableTag) => Promise<unknown> = loadElement;

  /** Base URL of your BFF, e.g. `https://staging.example.com`. */
  @property() endpoint = '';
  /** Your backend's URL that answers `POST` with `{token, expires_at}` for the signed-in user. */
  @property({ attribute: 'token-url' }) tokenUrl = '';
  /** Overrides `token-url`: any code that produces a widget token. */
  @property({ attribute: false }) fetchToken?: () => Promise<TokenResult>;
  /** Comma-separated service ids to offer (a subset of what the session allows). */
  @property() services = '';
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: 'light' | 'dark';
  /** An API client to use instead of one built from `endpoint` and `token-url`; the composed elements use it too. */
  @property({ attribute: false }) client?: StagingClient;

  @state() private _step: Step = 'upload';
  @state() private _upload: Upload | null = null;
  @state() private _file: File | null = null;
  @state() private _previewUrl = '';
  @state() private _selection: PickerValue | null = null;
  @state() private _job: Job | null = null;
  @state() private _error: StagingErrorDetail | null = null;
  @state() private _busy = false;
  @state() private _hasMask = false;
  @state() private _bracketsUsable = false;
  /** "Use this image": saving the choice, then saved. */
  @state() private _selectionState: 'saving' | 'saved' | null = null;
  /** A step whose element could not be loaded (offline, or the script's chunks are missing). */
  @state() private _stepLoadFailed: Step | null = null;

  @query('staging-dropzone') private _dropzone?: StagingDropzone;
  @query('staging-mask-painter') private _painter?: StagingMaskPainter;
  @query('staging-bracket-set') private _bracketSet?: StagingBracketSet;
  @query('[part="heading"]') private _heading?: HTMLElement;

  /** Hands the widget's client to the elements of its steps (their `ClientController`); made with the later steps' views. */
  private _clientProvider: { setValue(client: StagingClient | undefined): void } | null = null;
  /** The widget's language: its `lang`, or the nearest ancestor's (see `shared/locale.ts`). */
  private readonly _l10n = new LocaleController(this);
  private _stepStylesAdopted = false;
  private _uploadAbort: AbortController | null = null;
  /** The photo whose upload failed, so that "Try again" can send it again. */
  private _failedPhoto: StagingFileSelectedDetail | null = null;
  /**
   * The photo's uploads by long side. The first is sized for the smallest resolution, so a 2K job
   * sends no more than it needs; choosing a larger one starts a larger upload in the background.
   */
  private _uploads = new Map<number, Promise<Upload>>();
  /** The chosen photo's long side before resizing (0 when not known, e.g. a HEIC the server converts). */
  private _originalSide = 0;
  /** The upload for the chosen resolution, once it is there (the bracket set's first shot). */
  @state() private _jobUpload: Upload | null = null;
  /** The other shots of an exposure merge, uploaded (the job's `bracket_upload_ids`). */
  private _bracketIds: string[] = [];
  /** One key per submission, so a retried "Start" never creates a second job. */
  private _submissionKey: string | null = null;
  private _moveFocus = false;
  /** `services` as a list, parsed when it changes (a new array each render would re-render the picker). */
  private _serviceList: string[] | undefined;
  private _prefetchedFor: Step | null = null;
  /** Counts fresh starts: the steps' elements, kept while going back and forth, are new for each. */
  private _run = 0;

  /** The client of this widget: its `client`, or one built from `endpoint` and `token-url` / `fetchToken`. */
  private get _api(): StagingClient | null {
    return ownClient(this);
  }

  /** Where jobs in flight are remembered across reloads: one list per BFF endpoint. */
  private get _scopeKey(): string {
    return scopeKeyFor(this.endpoint);
  }

  private readonly _catalogTask = new Task(this, {
    task: async ([api], { signal }) => {
      if (!api) return null;
      try {
        return await api.getCatalog({ signal });
      } catch (err) {
        if (!signal.aborted) this._fail('catalog', err);
        throw err;
      }
    },
    args: () => [this._api] as const,
  });

  private readonly _resumeTask = new Task(this, {
    task: async ([api], { signal }) => {
      // A job still running when the page was reloaded: pick it up where it is.
      const found = api ? await resumableJob(api, this._scopeKey, signal) : null;
      if (!found) return;
      this._upload = found.upload;
      this._previewUrl = found.upload?.url ?? '';
      this._job = found.job;
      this._go(found.job.status === 'completed' ? 'result' : 'progress');
    },
    args: () => [this._api] as const,
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._uploadAbort?.abort();
    this._revokePreview();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Before the steps render, so that they see the client of this render.
    const views = loadedViews();
    if (views && !this._clientProvider) this._clientProvider = views.provideClient(this);
    this._clientProvider?.setValue(this._api ?? undefined);
    if (changed.has('_step' as keyof StagingWidget)) this._loadStep(this._step);
    if (changed.has('services')) this._serviceList = parseServiceList(this.services || null);
  }

  /** Loads the step's element; `prefetch` loads quietly, without reporting a failure. */
  private _loadStep(step: Step, prefetch = false): void {
    const tag = STEPS[step].tag;
    if (!tag || stepReady(step)) return;
    if (!prefetch && this._stepLoadFailed === step) this._stepLoadFailed = null;
    Promise.all([StagingWidget.stepLoader(tag), loadStepViews()]).then(
      () => {
        if (this._stepLoadFailed === step) this._stepLoadFailed = null;
        if (this._error?.code === 'load_failed' && this._step === step) this._error = null;
        this.requestUpdate();
      },
      () => {
        if (prefetch || this._step !== step) return;
        this._stepLoadFailed = step;
        // The browser's own message names a chunk URL: no help to anyone reading the event.
        this._fail('load', new StagingError({ code: 'load_failed', message: TEXT.loadFailed }));
      },
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The later steps' styles come with their views: adopted next to the widget's own, once.
    const views = loadedViews();
    if (views && !this._stepStylesAdopted) {
      this._stepStylesAdopted = true;
      adoptStyles(this.renderRoot as ShadowRoot, [...StagingWidget.elementStyles, views.stepViewStyles]);
    }
    // The next steps' code comes after the first screen's own requests (the catalog), not with them.
    if (this._prefetchedFor !== this._step && this._catalogTask.status === TaskStatus.COMPLETE) {
      this._prefetchedFor = this._step;
      for (const next of STEPS[this._step].next) this._loadStep(next, true);
    }
    if (changed.has('_step' as keyof StagingWidget) && this._moveFocus) {
      this._moveFocus = false;
      // Moving focus to the new step's heading tells keyboard and screen-reader users where they are.
      this._heading?.focus();
    }
  }

  /** Starts over: forgets the photo, the choices and the job, and cancels the job if it still runs (it would cost credits for nothing). */
  reset(): void {
    const running = this._job && !isTerminal(this._job.status) ? this._job.id : null;
    if (running) this._api?.cancelJob(running).catch(() => {});
    this._uploadAbort?.abort();
    this._revokePreview();
    this._upload = null;
    this._uploads.clear();
    this._jobUpload = null;
    this._file = null;
    this._selection = null;
    this._job = null;
    this._error = null;
    this._hasMask = false;
    this._bracketIds = [];
    this._bracketsUsable = false;
    this._submissionKey = null;
    this._failedPhoto = null;
    this._selectionState = null;
    this._run++;
    this._go('upload');
  }

  private _go(step: Step): void {
    if (step !== this._step) this._moveFocus = true;
    this._step = step;
  }

  private _revokePreview(): void {
    if (this._previewUrl.startsWith('blob:')) URL.revokeObjectURL(this._previewUrl);
    this._previewUrl = '';
  }

  /** Shows a failure (in the person's words, by its code) and tells the host page with `staging-error`. */
  private _fail(step: string, err: unknown): void {
    if (isAbort(err)) return;
    this._error = errorDetail(SOURCE, err, step);
    emit(this, 'staging-error', this._error);
  }

  private readonly _onFileSelected = (e: CustomEvent<StagingFileSelectedDetail>): void => {
    void this._sendPhoto(e.detail);
  };

  private async _sendPhoto(selected: StagingFileSelectedDetail): Promise<void> {
    const api = this._api;
    if (!api) return;
    this._uploadAbort?.abort();
    const abort = (this._uploadAbort = new AbortController());
    this._error = null;
    this._failedPhoto = null;
    const { file, prepared } = selected;
    const dropzone = this._dropzone;
    if (dropzone) dropzone.uploadProgress = 0;
    try {
      const upload = await api.uploadImage(prepared.blob, {
        signal: abort.signal,
        contentType: prepared.type || prepared.blob.type,
        onProgress: (p) => {
          if (dropzone && p.total) dropzone.uploadProgress = p.loaded / p.total;
        },
      });
      this._revokePreview();
      this._previewUrl = URL.createObjectURL(prepared.blob);
      this._upload = upload;
      this._uploads = new Map([[this._dropzone?.maxLongSide ?? 0, Promise.resolve(upload)]]);
      this._originalSide = prepared.passthrough ? 0 : Math.max(prepared.originalWidth, prepared.originalHeight);
      this._jobUpload = null;
      this._file = file;
      emit(this, 'staging-upload', { upload, file });
      this._go('configure');
    } catch (err) {
      if (!abort.signal.aborted) this._failedPhoto = selected;
      this._fail('upload', err);
    } finally {
      if (dropzone) dropzone.uploadProgress = null;
    }
  }

  /**
   * The upload a job at `resolution` uses: the first one when it is large enough (or the photo is
   * no larger), else a copy prepared at the resolution's long side, uploaded once and shared by
   * whoever asks (the background start when the resolution is chosen, then Start).
   */
  private _uploadFor(resolution: keyof typeof RESOLUTION_LONG_SIDE): Promise<Upload> {
    // A job picked up after a reload has only the upload it was made with.
    const [firstSide, first] = this._uploads.entries().next().value ?? [Infinity, Promise.resolve(this._upload!)];
    const side = RESOLUTION_LONG_SIDE[resolution];
    if (side <= firstSide || this._originalSide <= firstSide || !this._file) return first;
    let sized = this._uploads.get(side);
    if (!sized) {
      const { _api: api, _file: file, _uploadAbort: abort } = this;
      const limits = this._catalogTask.value?.upload;
      if (!api || !limits || !abort) return first;
      sized = import('../staging-dropzone/check-file.js').then((m) => m.uploadAtSide(api, file, limits, side, abort.signal));
      this._uploads.set(side, sized);
      sized.then(
        (upload) => emit(this, 'staging-upload', { upload, file }),
        // Not kept when it failed: Start tries once more, and says so if it fails again.
        () => this._uploads.get(side) === sized && this._uploads.delete(side),
      );
    }
    return sized;
  }

  /** The picker's choice changed: a larger resolution's upload starts now, not at Start. */
  private readonly _onSelectionChange = (e: CustomEvent<PickerValue>): void => {
    if (this._uploads.size) this._uploadFor(e.detail.resolution).catch(() => {});
  };

  private readonly _onFileCleared = (): void => {
    this._uploadAbort?.abort();
    this._failedPhoto = null;
    if (this._error?.step === 'upload') this._error = null;
  };

  /** "Use this image": the BFF records the choice and tells the host's backend; the person sees it was saved. */
  private readonly _onOutputSelected = async (e: CustomEvent<OutputSelectedDetail>): Promise<void> => {
    const api = this._api;
    if (!api || !e.detail.id) return;
    this._selectionState = 'saving';
    try {
      await api.selectOutput(e.detail.id);
      this._selectionState = 'saved';
    } catch (err) {
      this._selectionState = null;
      this._fail('select', err);
    }
  };

  private readonly _onPickerSubmit = (e: CustomEvent<PickerValue>): void => {
    this._selection = e.detail;
    this._submissionKey = newIdempotencyKey();
    this._bracketIds = [];
    if (bracketsOf(this._catalogTask.value, e.detail)) void this._openBrackets(e.detail);
    else if (e.detail.wantsMask) this._go('mask');
    else void this._createJob(null);
  };

  /** The shots of a merge must all be the size of the job's photo: its upload comes first. */
  private async _openBrackets(choice: PickerValue): Promise<void> {
    this._busy = true;
    try {
      this._jobUpload = await this._uploadFor(choice.resolution);
      this._go('brackets');
    } catch (err) {
      this._fail('upload', err);
    } finally {
      this._busy = false;
    }
  }

  /** "Merge these shots": uploads the added shots, then paints the windows or starts. */
  private async _submitBrackets(): Promise<void> {
    const api = this._api;
    if (!api || !this._bracketSet) return;
    this._busy = true;
    this._error = null;
    try {
      this._bracketIds = await this._bracketSet.upload(api);
      if (this._selection?.wantsMask) this._go('mask');
      else await this._createJob(null);
    } catch (err) {
      this._fail('brackets', err);
    } finally {
      this._busy = false;
    }
  }

  private async _submitMask(useMask: boolean): Promise<void> {
    const api = this._api;
    if (!api || !this._selection) return;
    this._busy = true;
    this._error = null;
    try {
      let maskId: string | null = null;
      if (useMask && this._painter) {
        const mask = await this._painter.exportMask();
        maskId = (await api.uploadImage(mask, { contentType: 'image/png', purpose: 'mask' })).id;
      }
      await this._createJob(maskId);
    } catch (err) {
      this._fail('mask', err);
    } finally {
      this._busy = false;
    }
  }

  private async _createJob(maskUploadId: string | null): Promise<void> {
    const api = this._api;
    if (!api || !this._upload || !this._selection) return;
    const { wantsMask: _wantsMask, ...choice } = this._selection;
    this._busy = true;
    this._error = null;
    try {
      // Usually uploaded already: it started when the resolution was chosen.
      const upload = await this._uploadFor(choice.resolution);
      const body: CreateJobRequest = { ...choice, upload_id: upload.id };
      if (maskUploadId) body.mask_upload_id = maskUploadId;
      if (this._bracketIds.length) body.bracket_upload_ids = this._bracketIds;
      const job = await api.createJob(body, { idempotencyKey: this._submissionKey ?? undefined });
      this._job = job;
      this._selectionState = null;
      emit(this, 'staging-job-created', { job });
      this._go('progress');
    } catch (err) {
      this._fail('job', err);
    } finally {
      this._busy = false;
    }
  }

  private readonly _onJobCompleted = (e: CustomEvent<{ job: Job }>): void => {
    this._job = e.detail.job;
    this._go('result');
  };

  private readonly _onJobUpdated = (e: CustomEvent<{ job: Job }>): void => {
    this._job = e.detail.job;
  };

  private readonly _onMaskChanged = (e: CustomEvent<{ hasMask: boolean }>): void => {
    this._hasMask = e.detail.hasMask;
  };

  // --- rendering ---------------------------------------------------------------------

  /** What the steps' templates (`steps.ts`) read and call. */
  private _view(catalog: Catalog): StepView {
    return {
      catalog,
      step: this._step,
      busy: this._busy,
      hasMask: this._hasMask,
      wantsMask: !!this._selection?.wantsMask,
      maskMeaning: maskMeaningOf(catalog, this._selection),
      brackets: bracketsOf(catalog, this._selection),
      bracketsUsable: this._bracketsUsable,
      previewUrl: this._previewUrl,
      upload: this._upload,
      jobUpload: this._jobUpload,
      originalSide: this._originalSide,
      file: this._file,
      job: this._job,
      selectionState: this._selectionState,
      services: this._serviceList,
      scopeKey: this._scopeKey,
      loadFailed: this._stepLoadFailed,
      go: (step) => this._go(step),
      reset: () => this.reset(),
      loadStep: (step) => this._loadStep(step),
      submitMask: (useMask) => void this._submitMask(useMask),
      submitBrackets: () => void this._submitBrackets(),
      onBracketsChanged: (e) => (this._bracketsUsable = e.detail.usable),
      onFileSelected: this._onFileSelected,
      onFileCleared: this._onFileCleared,
      onPickerSubmit: this._onPickerSubmit,
      onSelectionChange: this._onSelectionChange,
      onMaskChanged: this._onMaskChanged,
      onJobUpdated: this._onJobUpdated,
      onJobCompleted: this._onJobCompleted,
      onOutputSelected: this._onOutputSelected,
    };
  }

  private _renderSteps(view: StepView) {
    const steps = visibleSteps(view);
    const current = steps.indexOf(this._step);
    return html`<ol part="steps" aria-label=${TEXT.steps}>
      ${steps.map((s, i) => {
        const part = i === current ? 'step step-current' : i < current ? 'step step-done' : 'step';
        return html`<li part=${part} aria-current=${ifDefined(i === current ? 'step' : undefined)}>
          <span part="step-label">${TEXT.labels[s]}</span>${i < current ? html`<span class="visually-hidden">${TEXT.done}</span>` : nothing}
        </li>`;
      })}
    </ol>`;
  }

  private _renderError() {
    const error = this._error;
    if (!error) return nothing;
    const retry = error.step === 'upload' && this._failedPhoto;
    return html`<div part="error" role="alert">
      <p>${errorText(error.code)}${error.requestId ? html` <small>(${TEXT.reference(error.requestId)})</small>` : nothing}</p>
      ${retry ? html`<button part="retry-button" type="button" @click=${() => this._sendPhoto(this._failedPhoto!)}>${TEXT.tryAgain}</button>` : nothing}
      <button type="button" @click=${() => (this._error = null)} aria-label=${TEXT.dismiss}>×</button>
    </div>`;
  }

  private _renderFlow(catalog: Catalog) {
    const view = this._view(catalog);
    return html`${this._renderSteps(view)}${this._renderError()}
      <div part="panel">${keyed(this._run, renderStep(view))}</div>`;
  }

  override render() {
    return html`<section part="base" aria-label=${TEXT.region} lang=${this._l10n.locale} dir=${this._l10n.dir}>
      <slot name="header"></slot>
      ${this._api
        ? this._catalogTask.render({
            pending: () => html`<p part="loading" role="status" aria-busy="true">${TEXT.loading}</p>`,
            error: (err) => html`<div part="error" role="alert">
              <p>${errorText(errorDetail(SOURCE, err).code)}</p>
              <button type="button" @click=${() => this._catalogTask.run()}>${TEXT.tryAgain}</button>
            </div>`,
            complete: (catalog) => (catalog ? this._renderFlow(catalog) : nothing),
          })
        : html`<div part="error" role="alert"><p>This widget needs an <code>endpoint</code> and a <code>token-url</code> (or a <code>fetchToken</code> function).</p></div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-widget': StagingWidget;
  }
  interface HTMLElementEventMap {
    'staging-upload': CustomEvent<UploadEventDetail>;
    'staging-job-created': CustomEvent<JobCreatedDetail>;
  }
}
