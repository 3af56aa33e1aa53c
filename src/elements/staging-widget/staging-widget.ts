import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { cache } from 'lit/directives/cache.js';
import { keyed } from 'lit/directives/keyed.js';
import { Task, TaskStatus } from '@lit/task';
import { RESOLUTION_LONG_SIDE, isTerminal } from '../../contract/constants.js';
import type { Catalog, CreateJobRequest, Job, Upload } from '../../contract/index.js';
import { newIdempotencyKey, StagingError, type StagingClient, type TokenResult } from '../../client/index.js';
import { themeStyles } from '../shared/theme.styles.js';
import { emit } from '../shared/events.js';
import { resolveClient } from '../shared/client-source.js';
import type { StagingErrorDetail } from '../shared/error-event.js';
import { widgetStyles } from './staging-widget.styles.js';
import { messageFor, TEXT } from './messages.js';
import '../staging-dropzone/staging-dropzone.js';
import type { StagingDropzone, StagingFileSelectedDetail } from '../staging-dropzone/staging-dropzone.js';
import type { StagingMaskPainter } from '../staging-mask-painter/staging-mask-painter.js';
import type { PickerValue } from '../staging-picker/staging-picker.js';
import { variantsFromOutputs } from '../staging-before-after/variants.js';
import { forgetJob, rememberedJobs, scopeKeyFor } from '../staging-job-progress/job-memory.js';
import { loadElement, type LoadableTag } from '../element-loaders.js';

type Step = 'upload' | 'configure' | 'mask' | 'progress' | 'result';

export interface UploadEventDetail {
  upload: Upload;
  file: File;
}
export interface JobCreatedDetail {
  job: Job;
}

/**
 * The element each step after the first shows. Their code is loaded when the step opens, and
 * the likely next step's while the person is busy with the current one, so the first screen
 * carries only the dropzone.
 */
const STEP_TAGS: Partial<Record<Step, LoadableTag>> = {
  configure: 'staging-picker',
  mask: 'staging-mask-painter',
  progress: 'staging-job-progress',
  result: 'staging-before-after',
};
const NEXT_STEPS: Record<Step, Step[]> = {
  upload: ['configure'],
  configure: ['mask', 'progress'],
  mask: ['progress'],
  progress: ['result'],
  result: [],
};

const STEP_LABELS: Record<Step, string> = {
  upload: 'Photo',
  configure: 'Style',
  mask: 'Area',
  progress: 'Processing',
  result: 'Result',
};

/**
 * The one tag: a step-by-step flow from a room photo to an enhanced or restyled result.
 * Composes `staging-dropzone` → `staging-picker` → (`staging-mask-painter`) →
 * `staging-job-progress` → `staging-before-after`, and talks to your BFF with a short-lived
 * widget token from `token-url` (or the `fetchToken` property). The token stays in memory.
 *
 * Events of the composed elements bubble out of this one (`staging-job-updated`,
 * `staging-job-completed`, `staging-job-failed`, `staging-output-selected`, …), so a host
 * page listens on this tag only.
 *
 * @summary AI virtual staging and photo enhancement in one tag.
 *
 * @fires {CustomEvent<UploadEventDetail>} staging-upload - The photo was uploaded to the BFF.
 * @fires {CustomEvent<JobCreatedDetail>} staging-job-created - A job was created (once per job, also after an idempotent replay).
 * @fires {CustomEvent<{ job: Job }>} staging-job-updated - Any change of the job (from the progress step).
 * @fires {CustomEvent<{ job: Job }>} staging-job-completed - The job finished with outputs.
 * @fires {CustomEvent<{ job: Job; error: unknown }>} staging-job-failed - The job failed.
 * @fires {CustomEvent<{ id: string; url: string; variantIndex: number }>} staging-output-selected - The person chose "Use this image".
 * @fires {CustomEvent<StagingErrorDetail>} staging-error - A request failed (upload, job creation, catalog); the widget also shows it.
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
  /** An API client to use instead of one built from `endpoint` and `token-url`. */
  @property({ attribute: false }) client?: StagingClient;

  @state() private step: Step = 'upload';
  @state() private upload: Upload | null = null;
  @state() private file: File | null = null;
  @state() private previewUrl = '';
  @state() private selection: PickerValue | null = null;
  @state() private job: Job | null = null;
  @state() private error: StagingErrorDetail | null = null;
  @state() private busy = false;
  @state() private hasMask = false;
  /** "Use this image": saving the choice, then saved. */
  @state() private selectionState: 'saving' | 'saved' | null = null;
  /** A step whose element could not be loaded (offline, or the script's chunks are missing). */
  @state() private stepLoadFailed: Step | null = null;

  @query('staging-dropzone') private dropzone?: StagingDropzone;
  @query('staging-mask-painter') private painter?: StagingMaskPainter;
  @query('[part="heading"]') private heading?: HTMLElement;

  private uploadAbort: AbortController | null = null;
  /** The photo whose upload failed, so that "Try again" can send it again. */
  private failedPhoto: StagingFileSelectedDetail | null = null;
  /** One key per submission, so a retried "Start" never creates a second job. */
  private submissionKey: string | null = null;
  private moveFocus = false;
  private prefetchedFor: Step | null = null;
  /** Counts fresh starts: the steps' elements, kept while going back and forth, are new for each. */
  private run = 0;

  private get api(): StagingClient | null {
    return resolveClient({ client: this.client, endpoint: this.endpoint, tokenUrl: this.tokenUrl, fetchToken: this.fetchToken });
  }

  /** Where jobs in flight are remembered across reloads: one list per BFF endpoint. */
  private get scopeKey(): string {
    return scopeKeyFor(this.endpoint);
  }

  private catalogTask = new Task(this, {
    task: async ([api], { signal }) => {
      if (!api) return null;
      try {
        return await api.getCatalog({ signal });
      } catch (err) {
        if (!signal.aborted) this.fail('catalog', err);
        throw err;
      }
    },
    args: () => [this.api] as const,
  });

  private resumeTask = new Task(this, {
    task: async ([api], { signal }) => {
      if (!api) return;
      // A job still running when the page was reloaded: pick it up where it is.
      for (const remembered of rememberedJobs(this.scopeKey)) {
        try {
          const job = await api.getJob(remembered.jobId, { signal });
          if (isTerminal(job.status) && job.status !== 'completed') {
            forgetJob(this.scopeKey, job.id);
            continue;
          }
          this.upload = await api.getUpload(job.upload_id, { signal }).catch(() => null);
          this.previewUrl = this.upload?.url ?? '';
          this.job = job;
          this.go(job.status === 'completed' ? 'result' : 'progress');
          return;
        } catch {
          if (signal.aborted) return;
          forgetJob(this.scopeKey, remembered.jobId);
        }
      }
    },
    args: () => [this.api] as const,
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.uploadAbort?.abort();
    this.revokePreview();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('step' as keyof StagingWidget)) this.loadStep(this.step);
  }

  /** Loads the step's element; `prefetch` loads quietly, without reporting a failure. */
  private loadStep(step: Step, prefetch = false): void {
    const tag = STEP_TAGS[step];
    if (!tag || customElements.get(tag)) return;
    if (!prefetch && this.stepLoadFailed === step) this.stepLoadFailed = null;
    StagingWidget.stepLoader(tag).then(
      () => {
        if (this.stepLoadFailed === step) this.stepLoadFailed = null;
        if (this.error?.code === 'load_failed' && this.step === step) this.error = null;
        this.requestUpdate();
      },
      () => {
        if (prefetch || this.step !== step) return;
        this.stepLoadFailed = step;
        // The browser's own message names a chunk URL: no help to the person in front of it.
        this.error = { code: 'load_failed', message: 'This step could not be loaded. Check the connection and try again.', source: 'load' };
        emit(this, 'staging-error', this.error);
      },
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The next steps' code comes after the first screen's own requests (the catalog), not with them.
    if (this.prefetchedFor !== this.step && this.catalogTask.status === TaskStatus.COMPLETE) {
      this.prefetchedFor = this.step;
      for (const next of NEXT_STEPS[this.step]) this.loadStep(next, true);
    }
    if (changed.has('step' as keyof StagingWidget) && this.moveFocus) {
      this.moveFocus = false;
      // Moving focus to the new step's heading tells keyboard and screen-reader users where they are.
      this.heading?.focus();
    }
  }

  /** Starts over: forgets the photo, the choices and the job, and cancels the job if it still runs (it would cost credits for nothing). */
  reset(): void {
    const running = this.job && !isTerminal(this.job.status) ? this.job.id : null;
    if (running) this.api?.cancelJob(running).catch(() => {});
    this.uploadAbort?.abort();
    this.revokePreview();
    this.upload = null;
    this.file = null;
    this.selection = null;
    this.job = null;
    this.error = null;
    this.hasMask = false;
    this.submissionKey = null;
    this.failedPhoto = null;
    this.selectionState = null;
    this.run++;
    this.go('upload');
  }

  private go(step: Step): void {
    if (step !== this.step) this.moveFocus = true;
    this.step = step;
  }

  private revokePreview(): void {
    if (this.previewUrl.startsWith('blob:')) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
  }

  private fail(source: string, err: unknown): void {
    if (err instanceof DOMException && err.name === 'AbortError') return;
    if (err instanceof StagingError && err.code === 'aborted') return;
    const detail: StagingErrorDetail =
      err instanceof StagingError
        ? { code: err.code, message: err.message, source, requestId: err.requestId }
        : { code: 'unexpected', message: err instanceof Error ? err.message : 'Something went wrong.', source };
    this.error = detail;
    emit(this, 'staging-error', detail);
  }

  private onFileSelected(e: CustomEvent<StagingFileSelectedDetail>): void {
    void this.sendPhoto(e.detail);
  }

  private async sendPhoto(selected: StagingFileSelectedDetail): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.uploadAbort?.abort();
    const abort = (this.uploadAbort = new AbortController());
    this.error = null;
    this.failedPhoto = null;
    const { file, prepared } = selected;
    const dropzone = this.dropzone;
    if (dropzone) dropzone.uploadProgress = 0;
    try {
      const upload = await api.uploadImage(prepared.blob, {
        signal: abort.signal,
        contentType: prepared.type || prepared.blob.type,
        onProgress: (p) => {
          if (dropzone && p.total) dropzone.uploadProgress = p.loaded / p.total;
        },
      });
      this.revokePreview();
      this.previewUrl = URL.createObjectURL(prepared.blob);
      this.upload = upload;
      this.file = file;
      emit(this, 'staging-upload', { upload, file });
      this.go('configure');
    } catch (err) {
      if (!abort.signal.aborted) this.failedPhoto = selected;
      this.fail('upload', err);
    } finally {
      if (dropzone) dropzone.uploadProgress = null;
    }
  }

  private onFileCleared(): void {
    this.uploadAbort?.abort();
    this.failedPhoto = null;
    if (this.error?.source === 'upload') this.error = null;
  }

  /** "Use this image": the BFF records the choice and tells the host's backend; the person sees it was saved. */
  private async onOutputSelected(e: CustomEvent<{ id: string }>): Promise<void> {
    const api = this.api;
    if (!api || !e.detail.id) return;
    this.selectionState = 'saving';
    try {
      await api.selectOutput(e.detail.id);
      this.selectionState = 'saved';
    } catch (err) {
      this.selectionState = null;
      this.fail('select', err);
    }
  }

  private onPickerSubmit(e: CustomEvent<PickerValue>): void {
    this.selection = e.detail;
    this.submissionKey = newIdempotencyKey();
    if (e.detail.wantsMask) {
      this.go('mask');
      return;
    }
    void this.createJob(null);
  }

  private async submitMask(useMask: boolean): Promise<void> {
    const api = this.api;
    if (!api || !this.selection) return;
    this.busy = true;
    this.error = null;
    try {
      let maskId: string | null = null;
      if (useMask && this.painter) {
        const mask = await this.painter.exportMask();
        maskId = (await api.uploadImage(mask, { contentType: 'image/png', purpose: 'mask' })).id;
      }
      await this.createJob(maskId);
    } catch (err) {
      this.fail('mask', err);
    } finally {
      this.busy = false;
    }
  }

  private async createJob(maskUploadId: string | null): Promise<void> {
    const api = this.api;
    if (!api || !this.upload || !this.selection) return;
    const { wantsMask: _wantsMask, ...choice } = this.selection;
    const body: CreateJobRequest = { ...choice, upload_id: this.upload.id };
    if (maskUploadId) body.mask_upload_id = maskUploadId;
    this.busy = true;
    this.error = null;
    try {
      const job = await api.createJob(body, { idempotencyKey: this.submissionKey ?? undefined });
      this.job = job;
      this.selectionState = null;
      emit(this, 'staging-job-created', { job });
      this.go('progress');
    } catch (err) {
      this.fail('job', err);
    } finally {
      this.busy = false;
    }
  }

  private onJobCompleted(e: CustomEvent<{ job: Job }>): void {
    this.job = e.detail.job;
    this.go('result');
  }

  private onJobUpdated(e: CustomEvent<{ job: Job }>): void {
    this.job = e.detail.job;
  }

  // --- rendering ---------------------------------------------------------------------

  private get visibleSteps(): Step[] {
    const wantsMask = this.selection?.wantsMask || this.step === 'mask';
    return (['upload', 'configure', 'mask', 'progress', 'result'] as Step[]).filter((s) => s !== 'mask' || wantsMask);
  }

  private renderSteps() {
    const steps = this.visibleSteps;
    const current = steps.indexOf(this.step);
    return html`<ol part="steps" aria-label="Steps">
      ${steps.map((s, i) => {
        const state = i === current ? 'step step-current' : i < current ? 'step step-done' : 'step';
        return html`<li part=${state} aria-current=${i === current ? 'step' : nothing}>
          <span part="step-label">${STEP_LABELS[s]}</span>${i < current ? html`<span class="visually-hidden"> (done)</span>` : nothing}
        </li>`;
      })}
    </ol>`;
  }

  private renderError() {
    if (!this.error) return nothing;
    const retry = this.error.source === 'upload' && this.failedPhoto;
    return html`<div part="error" role="alert">
      <p>${messageFor(this.error)}${this.error.requestId ? html` <small>(ref. ${this.error.requestId})</small>` : nothing}</p>
      ${retry ? html`<button part="retry-button" type="button" @click=${() => this.sendPhoto(this.failedPhoto!)}>${TEXT.tryAgain}</button>` : nothing}
      <button type="button" @click=${() => (this.error = null)} aria-label=${TEXT.dismiss}>×</button>
    </div>`;
  }

  /** The step's element once its code is here; until then a loading note (or a way to retry). */
  private whenLoaded(step: Step, content: () => unknown) {
    const tag = STEP_TAGS[step];
    if (!tag || customElements.get(tag)) return content();
    if (this.stepLoadFailed === step) {
      return html`<div part="loading"><button type="button" @click=${() => this.loadStep(step)}>Try loading again</button></div>`;
    }
    return html`<p part="loading" role="status" aria-busy="true">Loading…</p>`;
  }

  private renderStep(catalog: Catalog) {
    const api = this.api!;
    switch (this.step) {
      case 'upload': {
        const maxSide = Math.max(...catalog.resolutions.map((r) => RESOLUTION_LONG_SIDE[r]), RESOLUTION_LONG_SIDE['2K']);
        return html`<h2 part="heading" tabindex="-1">${TEXT.headings.upload}</h2>
          <staging-dropzone
            .limits=${catalog.upload}
            max-long-side=${maxSide}
            ?disabled=${this.busy}
            @staging-file-selected=${this.onFileSelected}
            @staging-file-cleared=${this.onFileCleared}
          ></staging-dropzone>`;
      }
      case 'configure':
        return html`<h2 part="heading" tabindex="-1">${TEXT.headings.configure}</h2>
          ${this.renderPhotoSummary()}
          ${this.whenLoaded(
            'configure',
            () => html`<staging-picker
              .client=${api}
              .catalog=${catalog}
              .photo=${this.upload ?? undefined}
              services=${this.services || nothing}
              ?disabled=${this.busy}
              @staging-submit=${this.onPickerSubmit}
            ></staging-picker>`,
          )}`;
      case 'mask':
        return html`<h2 part="heading" tabindex="-1">${TEXT.headings.mask}</h2>
          ${this.whenLoaded(
            'mask',
            () =>
              html`<staging-mask-painter
                src=${this.previewUrl}
                @staging-mask-changed=${(e: CustomEvent<{ hasMask: boolean }>) => (this.hasMask = e.detail.hasMask)}
              ></staging-mask-painter>`,
          )}
          <div part="actions">
            <button part="back-button" type="button" @click=${() => this.go('configure')} ?disabled=${this.busy}>Back</button>
            <button type="button" @click=${() => this.submitMask(false)} ?disabled=${this.busy}>Skip: change the whole photo</button>
            <button class="primary" type="button" @click=${() => this.submitMask(true)} ?disabled=${this.busy || !this.hasMask}>Start with this area</button>
          </div>`;
      case 'progress': {
        const status = this.job?.status;
        const heading = status === 'failed' ? TEXT.headings.failed : status === 'cancelled' ? TEXT.headings.cancelled : TEXT.headings.progress;
        const over = status !== undefined && isTerminal(status);
        const photo = this.previewUrl || this.upload?.url;
        return html`<h2 part="heading" tabindex="-1">${heading}</h2>
          ${photo ? html`<div part="working-photo" class=${over ? 'working-photo' : 'working-photo running'}><img src=${photo} alt="" /></div>` : nothing}
          ${this.whenLoaded(
            'progress',
            () => html`<staging-job-progress
              .client=${api}
              job-id=${this.job!.id}
              .job=${this.job}
              remember
              scope=${this.scopeKey}
              @staging-job-updated=${this.onJobUpdated}
              @staging-job-completed=${this.onJobCompleted}
            ></staging-job-progress>`,
          )}
          <div part="actions">
            <button part="restart-button" type="button" @click=${() => this.reset()}>${over ? 'Start over with a new photo' : TEXT.startOver}</button>
          </div>`;
      }
      case 'result': {
        const outputs = this.job?.outputs ?? [];
        const preview = outputs.some((o) => o.local_preview);
        return html`<h2 part="heading" tabindex="-1">${TEXT.headings.result}</h2>
          ${preview
            ? html`<p part="preview-note">
                Local preview: the offline engine graded your photo but cannot add furniture. Connect an AI provider for real staging.
              </p>`
            : nothing}
          ${this.whenLoaded(
            'result',
            () =>
              html`<staging-before-after
                before=${this.upload?.url ?? this.previewUrl}
                .variants=${variantsFromOutputs(outputs)}
                @staging-output-selected=${this.onOutputSelected}
              ></staging-before-after>`,
          )}
          ${this.selectionState
            ? html`<p part="selection-status" role="status">${this.selectionState === 'saved' ? TEXT.selected : TEXT.selecting}</p>`
            : nothing}
          <div part="actions">
            <button part="back-button" type="button" @click=${() => this.go('configure')}>Try another style</button>
            <button part="restart-button" type="button" @click=${() => this.reset()}>Start over with a new photo</button>
          </div>`;
      }
    }
  }

  private renderPhotoSummary() {
    if (!this.upload) return nothing;
    return html`<div part="photo-summary">
      ${this.previewUrl ? html`<img src=${this.previewUrl} alt="" />` : nothing}
      <span>${this.file?.name ?? TEXT.yourPhoto}</span>
      <button part="back-button" class="quiet" type="button" @click=${() => this.go('upload')}>${TEXT.changePhoto}</button>
    </div>`;
  }

  override render() {
    const configured = this.api !== null;
    return html`<section part="base" aria-label="Virtual staging">
      <slot name="header"></slot>
      ${configured
        ? this.catalogTask.render({
            pending: () => html`<p part="loading" role="status" aria-busy="true">Loading…</p>`,
            error: (err) => html`<div part="error" role="alert">
              <p>${messageFor(err instanceof StagingError ? err : { code: 'unexpected' })}</p>
              <button type="button" @click=${() => this.catalogTask.run()}>${TEXT.tryAgain}</button>
            </div>`,
            complete: (catalog) =>
              catalog
                ? html`${this.renderSteps()}${this.renderError()}
                    <div part="panel">${keyed(this.run, html`${cache(this.renderStep(catalog))}`)}</div>`
                : nothing,
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
