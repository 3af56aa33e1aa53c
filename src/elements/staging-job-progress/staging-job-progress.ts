import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { StagingError, StagingNetworkError, type StagingClient, type TokenResult } from '../../client/index.js';
import { isTerminal, type Job, type JobError, type JobStatus } from '../../contract/index.js';
import { resolveClient } from '../shared/client-source.js';
import type { StagingErrorDetail } from '../shared/error-event.js';
import { emit } from '../shared/events.js';
import { themeStyles } from '../shared/theme.styles.js';
import { forgetJob, rememberedJobs, rememberJob, scopeKeyFor } from '../shared/job-memory.js';
import { estimateLeft, failureText, formatElapsed, isoDuration, NOT_FOUND_TEXT, outputsSummary, percentOf, previewNote, STALLED_TEXT, STATUS_TEXT } from './job-text.js';
import { JobWatchController, type JobWatchMode, type JobWatchTiming } from './job-watch-controller.js';
import { jobProgressStyles } from './staging-job-progress.styles.js';

export interface StagingJobUpdatedDetail {
  job: Job;
}
export interface StagingJobCompletedDetail {
  job: Job;
}
export interface StagingJobFailedDetail {
  job: Job;
  error: JobError;
}
export interface StagingJobCancelledDetail {
  job: Job;
}
export interface StagingJobStalledDetail {
  jobId: string;
  /** How long nothing has changed, in ms. */
  silentForMs: number;
}

const SOURCE = 'staging-job-progress';

/**
 * Follows one job live: its status in words, a progress bar, the time elapsed, and the outcome.
 * Updates arrive over the BFF's event stream (a streaming fetch, the token in a header); a broken
 * stream is reopened with backoff, and after repeated failures the element polls the job instead,
 * returning to the stream when it can. While the job runs it can be cancelled; a failed job whose
 * error is retryable can be retried in place.
 *
 * With `remember`, a job in flight is kept in sessionStorage (its id only) so that a page reloaded
 * mid-job can show it again: `StagingJobProgress.resume(scope)` lists the ids to recreate.
 *
 * @summary Live status, progress, cancel and retry of one staging job.
 *
 * @fires staging-job-updated - The job changed (status, progress or outputs). `detail: { job }`.
 * @fires staging-job-completed - The job completed. `detail: { job }`; `job.outputs` holds the images.
 * @fires staging-job-failed - The job failed. `detail: { job, error }`; `error.retryable` says whether Retry is offered.
 * @fires staging-job-cancelled - The job was cancelled (here or elsewhere). `detail: { job }`.
 * @fires staging-job-stalled - Nothing changed for `stallAfter` ms while the job runs. `detail: { jobId, silentForMs }`.
 * @fires staging-error - A request failed: cancel, retry, a job that no longer exists (`code: "not_found"`), or a refused token. `detail: { code, message, source, requestId? }`.
 *
 * @slot actions - Extra controls placed after Cancel / Retry (e.g. "View results" once completed).
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The row of status and elapsed time.
 * @csspart status - The status line (icon and words).
 * @csspart status-icon - The dot before the status words.
 * @csspart status-text - The status in words ("Processing").
 * @csspart elapsed - Time since the job was created; the total once it ended.
 * @csspart time-left - Inside `elapsed` while the job runs: "about 0:15 left", extrapolated from the progress.
 * @csspart progress - The block of the progress bar and its label.
 * @csspart progress-label - The bar's label and percentage.
 * @csspart progress-bar - The `<progress>` element.
 * @csspart connection - "Reconnecting…" while the live connection is being restored.
 * @csspart stalled - The "taking longer than usual" notice.
 * @csspart keep-waiting-button - "Keep waiting" in the stalled notice.
 * @csspart summary - The completed job's summary (number of images).
 * @csspart preview-note - The note that the outputs are local previews, not staged results.
 * @csspart error - The failure message (`role="alert"`).
 * @csspart not-found - The message for a job that no longer exists.
 * @csspart actions - The row of buttons.
 * @csspart cancel-button - "Cancel job".
 * @csspart cancel-confirm - The confirmation step of cancelling.
 * @csspart confirm-cancel-button - "Yes, cancel job".
 * @csspart keep-button - "Keep going" (closes the confirmation).
 * @csspart retry-button - "Retry", for a failed job whose error is retryable.
 * @csspart announcer - The visually hidden polite live region.
 *
 * @cssproperty --staging-color-accent - Progress bar, buttons, focus ring.
 * @cssproperty --staging-color-accent-contrast - Text on accent.
 * @cssproperty --staging-color-surface - Background.
 * @cssproperty --staging-color-surface-raised - Button and bar track background.
 * @cssproperty --staging-color-text - Text.
 * @cssproperty --staging-color-muted - Elapsed time and secondary text.
 * @cssproperty --staging-color-border - Borders.
 * @cssproperty --staging-color-danger - Failure text and border.
 * @cssproperty --staging-color-success - The completed status dot.
 * @cssproperty --staging-color-warning - The stalled notice and preview note.
 * @cssproperty --staging-focus-ring - The focus box-shadow.
 * @cssproperty --staging-radius - Corner radius.
 * @cssproperty --staging-space - Base spacing unit.
 * @cssproperty --staging-font-family - Font.
 * @cssproperty --staging-font-size - Base font size.
 * @cssproperty --staging-job-progress-bar-height - Height of the progress bar (default 10px).
 */
@customElement('staging-job-progress')
export class StagingJobProgress extends LitElement {
  static override styles = [themeStyles, jobProgressStyles];

  /**
   * The ids of jobs remembered in flight for `scope` (see the `remember` attribute), oldest
   * first, to recreate an element for each after a reload. `scope` is the element's `scope`
   * attribute, or what `scopeKeyFor(endpoint)` gives.
   */
  static resume(scope: string): string[] {
    return rememberedJobs(scope).map((e) => e.jobId);
  }

  /** The job to follow. */
  @property({ attribute: 'job-id', reflect: true }) jobId: string | null = null;

  /** The client to use; wins over `endpoint` / `token-url` / `fetchToken`. */
  @property({ attribute: false }) client: StagingClient | undefined;

  /** The BFF's base URL, when no `client` is given. */
  @property() endpoint: string | undefined;

  /** The host backend's URL that returns a widget token, when no `client` is given. */
  @property({ attribute: 'token-url' }) tokenUrl: string | undefined;

  /** Returns a widget token; overrides `token-url`. */
  @property({ attribute: false }) fetchToken: (() => Promise<TokenResult>) | undefined;

  /**
   * Show a notice (and fire `staging-job-stalled`) after this many ms without any change while
   * the job runs. 0 turns it off.
   */
  @property({ type: Number, attribute: 'stall-after' }) stallAfter = 120_000;

  /** Keep the job's id in sessionStorage while it runs, so that it can be resumed after a reload. */
  @property({ type: Boolean, reflect: true }) remember = false;

  /** The sessionStorage scope of `remember`; defaults to one derived from `endpoint`. */
  @property() scope: string | undefined;

  /** Cancel without the "Cancel this job?" step. */
  @property({ type: Boolean, attribute: 'skip-cancel-confirm' }) skipCancelConfirm = false;

  /** Reconnect and polling timing; the defaults suit production. */
  @property({ attribute: false }) watchTiming: Partial<JobWatchTiming> = {};

  /** The job's status, reflected for `:host([status=…])` styling. Read-only. */
  @property({ reflect: true }) status: JobStatus | 'not-found' | undefined;

  @state() private _job: Job | null = null;
  @state() private _notFound = false;
  @state() private _stalled = false;
  @state() private _confirming = false;
  @state() private _busy: 'cancel' | 'retry' | null = null;
  /** A failed request of this element (cancel, retry, a refused token), shown as an alert. */
  @state() private _requestError: string | null = null;
  @state() private _announcement = '';
  @state() private _now = Date.now();

  @query('[part~="cancel-button"]') private _cancelButton!: HTMLButtonElement | null;
  @query('[part~="confirm-cancel-button"]') private _confirmButton!: HTMLButtonElement | null;
  @query('[part~="retry-button"]') private _retryButton!: HTMLButtonElement | null;
  @query('[part~="status"]') private _statusNode!: HTMLElement | null;

  private readonly _watch = new JobWatchController(this, {
    client: () => this._client(),
    jobId: () => this._idToWatch(),
    onJob: (job) => this._receive(job),
    onNotFound: (error) => this._onNotFound(error),
    onFatal: (error) => this._onFatal(error),
    onModeChange: (mode) => this._onModeChange(mode),
  });

  private _clientMemo: { key: unknown[]; client: StagingClient | null } | null = null;
  /** What the controller was last started for; a change of either means a fresh start. */
  private _watchingKey: { client: StagingClient | null; id: string | null } | null = null;
  private _clock: ReturnType<typeof setInterval> | undefined;
  private _stallTimer: ReturnType<typeof setTimeout> | undefined;
  private _lastChangeAt = performance.now();
  private _milestone = 0;
  private _focusBefore: Element | null = null;

  /** The latest state of the job; set it to seed the first render (e.g. with what `createJob` returned). */
  @property({ attribute: false })
  get job(): Job | null {
    return this._job;
  }
  set job(value: Job | null) {
    // Lit wraps this accessor and requests the update itself.
    if (value && value.id !== this.jobId) {
      this._reset();
      this.jobId = value.id;
    }
    // A host that hands back a job it got from our own events may hand back a stale one.
    if (value && this._job?.id === value.id && Date.parse(value.updated_at) < Date.parse(this._job.updated_at)) return;
    this._job = value;
  }

  /** How the element is following the job right now (`streaming`, `polling`, `reconnecting`…). */
  get connection(): JobWatchMode {
    return this._watch.mode;
  }

  override connectedCallback(): void {
    // Before super: the controller's hostConnected starts watching and reads these.
    this._watchingKey = { client: this._client(), id: this.jobId };
    super.connectedCallback();
    this._lastChangeAt = performance.now();
    this._syncTimers();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._watchingKey = null;
    this._stopClock();
    this._clearStall();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this._focusBefore = this.shadowRoot?.activeElement ?? null;
    if (changed.has('watchTiming')) this._watch.timing = this.watchTiming;
    if (changed.has('jobId') && this._job && this._job.id !== this.jobId) this._reset();
    if (changed.has('jobId') && !this._job) this._reset();
    // Compared with the raw id: a job that ended keeps its key, so the controller is not restarted.
    const key = { client: this._client(), id: this.jobId };
    if (this.isConnected && (key.client !== this._watchingKey?.client || key.id !== this._watchingKey?.id)) {
      this._watchingKey = key;
      this._lastChangeAt = performance.now();
      this._watch.restart();
    }
    if ((changed.has('remember') || changed.has('scope') || changed.has('endpoint')) && this._job) this._memory(this._job);
    if (changed.has('stallAfter')) this._armStall();
    this.status = this._notFound ? 'not-found' : (this._job?.status ?? undefined);
  }

  protected override updated(): void {
    // The focused button went away (the job ended, here or elsewhere): keep focus in the element
    // rather than let it fall back to the page's start.
    if (this._focusBefore && !this._focusBefore.isConnected) this._statusNode?.focus();
    this._focusBefore = null;
  }

  /**
   * Cancels the job at once (no confirmation step). Resolves with the cancelled job, or null
   * when the request failed (the element then shows why and fires `staging-error`).
   */
  async cancel(): Promise<Job | null> {
    const client = this._client();
    const id = this.jobId;
    if (!client || !id || this._busy) return null;
    this._busy = 'cancel';
    this._requestError = null;
    try {
      const job = await client.cancelJob(id);
      this._confirming = false;
      this._receive(job);
      return job;
    } catch (error) {
      this._requestFailed(error, 'The job could not be cancelled.');
      return null;
    } finally {
      this._busy = null;
    }
  }

  /**
   * Restarts a failed job and keeps following it. Resolves with the restarted job, or null when
   * the request failed (the element then shows why and fires `staging-error`).
   */
  async retry(): Promise<Job | null> {
    const client = this._client();
    const id = this.jobId;
    if (!client || !id || this._busy) return null;
    this._busy = 'retry';
    this._requestError = null;
    try {
      const job = await client.retryJob(id);
      this._receive(job);
      // The previous connection ended at the terminal status; follow the new attempt.
      this._watchingKey = { client, id };
      this._watch.restart();
      return job;
    } catch (error) {
      this._requestFailed(error, 'The job could not be retried.');
      return null;
    } finally {
      this._busy = null;
    }
  }

  /** Hides the stalled notice and restarts the stall deadline. */
  keepWaiting(): void {
    this._stalled = false;
    this._lastChangeAt = performance.now();
    this._armStall();
  }

  // ---------------------------------------------------------------------------------------------
  // Watching

  private _client(): StagingClient | null {
    const key = [this.client, this.endpoint, this.tokenUrl, this.fetchToken];
    if (this._clientMemo && key.every((v, i) => v === this._clientMemo!.key[i])) return this._clientMemo.client;
    // resolveClient builds a new client (and token manager) for a fetchToken: build it once.
    const client = resolveClient({ client: this.client, endpoint: this.endpoint, tokenUrl: this.tokenUrl, fetchToken: this.fetchToken });
    this._clientMemo = { key, client };
    return client;
  }

  /** Null when there is nothing left to watch: no id, a job known to be over, or gone. */
  private _idToWatch(): string | null {
    const id = this.jobId;
    if (!id || this._notFound) return null;
    if (this._job?.id === id && isTerminal(this._job.status)) return null;
    return id;
  }

  private _reset(): void {
    this._job = null;
    this._notFound = false;
    this._stalled = false;
    this._confirming = false;
    this._requestError = null;
    this._milestone = 0;
    this._lastChangeAt = performance.now();
  }

  private _receive(job: Job): void {
    if (job.id !== this.jobId) return; // a late answer about a job this element no longer shows
    const prev = this._job?.id === job.id ? this._job : null;
    // Answers can cross: a stream event sent before a cancel may arrive after its answer.
    if (prev && Date.parse(job.updated_at) < Date.parse(prev.updated_at)) return;
    if (prev && sameState(prev, job)) return; // a poll of an unchanged job
    this._job = job;
    this._notFound = false;
    this._stalled = false;
    this._lastChangeAt = performance.now();
    const statusChanged = prev?.status !== job.status;
    emit(this, 'staging-job-updated', { job });
    this._announce(job, statusChanged);
    this._memory(job);
    if (statusChanged) {
      if (job.status === 'completed') emit(this, 'staging-job-completed', { job });
      else if (job.status === 'failed') emit(this, 'staging-job-failed', { job, error: job.error ?? { code: 'failed', message: 'The job failed.', retryable: false } });
      else if (job.status === 'cancelled') emit(this, 'staging-job-cancelled', { job });
    }
    this._syncTimers();
  }

  private _onNotFound(error: StagingError): void {
    this._notFound = true;
    this._stalled = false;
    this._confirming = false;
    if (this.jobId) forgetJob(this._scope(), this.jobId);
    this._syncTimers();
    this._emitError({ code: 'not_found', message: NOT_FOUND_TEXT, source: SOURCE, ...requestIdOf(error) });
  }

  private _onFatal(error: StagingError): void {
    this._requestError = `Live updates stopped: ${error.message}`;
    this._stalled = false;
    this._syncTimers();
    this._emitError({ code: error.code, message: error.message, source: SOURCE, ...requestIdOf(error) });
  }

  private _onModeChange(mode: JobWatchMode): void {
    if (mode === 'stopped' || mode === 'not-found') this._syncTimers();
  }

  private _requestFailed(error: unknown, fallback: string): void {
    const e = error instanceof StagingError ? error : new StagingNetworkError(fallback, error);
    this._requestError = e.message || fallback;
    this._emitError({ code: e.code, message: this._requestError, source: SOURCE, ...requestIdOf(e) });
  }

  private _emitError(detail: StagingErrorDetail): void {
    emit(this, 'staging-error', detail);
  }

  private _scope(): string {
    return this.scope || scopeKeyFor(this.endpoint);
  }

  private _memory(job: Job): void {
    if (isTerminal(job.status)) {
      // Forgotten even without `remember`: the attribute may have been removed mid-job.
      forgetJob(this._scope(), job.id);
    } else if (this.remember) {
      rememberJob(this._scope(), { jobId: job.id, created_at: job.created_at, service: job.service, config: job.config });
    }
  }

  private _announce(job: Job, statusChanged: boolean): void {
    const words = STATUS_TEXT[job.status];
    if (statusChanged) {
      this._milestone = Math.floor(percentOf(job) / 25);
      if (job.status === 'completed') this._announcement = `${words}. ${outputsSummary(job)}`;
      // The failure message itself is read by the alert; saying it twice would be noise.
      else this._announcement = `${words}.`;
      return;
    }
    if (isTerminal(job.status)) return;
    // Every quarter, not every tick: a screen reader user hears progress without a flood.
    const milestone = Math.floor(percentOf(job) / 25);
    if (milestone > this._milestone && milestone < 4) {
      this._milestone = milestone;
      this._announcement = `${words}, ${milestone * 25}%.`;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Timers: the elapsed clock and the stall deadline run only while a job runs and the element is connected.

  private _running(): boolean {
    return this.isConnected && !this._notFound && !!this.jobId && !(this._job && isTerminal(this._job.status)) && this._watch.mode !== 'stopped';
  }

  private _syncTimers(): void {
    if (this._running()) {
      if (this._clock === undefined) {
        this._now = Date.now();
        this._clock = setInterval(() => (this._now = Date.now()), 1000);
      }
      // Re-armed on every change: the deadline counts from the latest one.
      if (!this._stalled) this._armStall();
    } else {
      this._stopClock();
      this._clearStall();
      this._stalled = false;
    }
  }

  private _stopClock(): void {
    clearInterval(this._clock);
    this._clock = undefined;
  }

  private _clearStall(): void {
    clearTimeout(this._stallTimer);
    this._stallTimer = undefined;
  }

  private _armStall(): void {
    this._clearStall();
    if (!this._running() || !(this.stallAfter > 0) || !Number.isFinite(this.stallAfter)) return;
    const due = this._lastChangeAt + this.stallAfter - performance.now();
    this._stallTimer = setTimeout(() => {
      this._stallTimer = undefined;
      if (!this._running() || !this.jobId) return;
      const silentFor = performance.now() - this._lastChangeAt;
      if (silentFor < this.stallAfter) return this._armStall(); // something arrived meanwhile
      this._stalled = true;
      this._announcement = STALLED_TEXT.replace('…', '.');
      emit(this, 'staging-job-stalled', { jobId: this.jobId, silentForMs: Math.round(silentFor) });
    }, Math.max(0, due));
  }

  // ---------------------------------------------------------------------------------------------
  // Interaction

  // Busy buttons are aria-disabled rather than disabled: Chromium drops the focus of a button
  // that becomes disabled, and a keyboard user would land back at the top of the page.
  private _onCancelClick = async (): Promise<void> => {
    if (this._busy) return;
    if (this.skipCancelConfirm) {
      await this._cancelAndRefocus();
      return;
    }
    this._confirming = true;
    await this.updateComplete;
    this._confirmButton?.focus();
  };

  private _onConfirmCancel = async (): Promise<void> => {
    if (this._busy) return;
    await this._cancelAndRefocus();
  };

  private _onKeepGoing = async (): Promise<void> => {
    if (this._busy) return;
    this._confirming = false;
    await this.updateComplete;
    this._cancelButton?.focus();
  };

  private async _cancelAndRefocus(): Promise<void> {
    // On success the focused button goes away and updated() moves focus to the status.
    const job = await this.cancel();
    await this.updateComplete;
    if (!this._focusIsOurs()) return;
    if (!job) (this._confirmButton ?? this._cancelButton)?.focus();
    else if (!this.shadowRoot?.activeElement) this._statusNode?.focus();
  }

  /** Focus is inside this element, or nowhere: moving it then takes nothing from the person. */
  private _focusIsOurs(): boolean {
    return !!this.shadowRoot?.activeElement || document.activeElement === document.body || document.activeElement === null;
  }

  private _onRetryClick = async (): Promise<void> => {
    if (this._busy) return;
    const job = await this.retry();
    await this.updateComplete;
    if (!this._focusIsOurs()) return;
    if (job) (this._cancelButton ?? this._statusNode)?.focus();
    else this._retryButton?.focus();
  };

  private _onKeepWaiting = async (): Promise<void> => {
    this.keepWaiting();
    await this.updateComplete;
    this._cancelButton?.focus();
  };

  // ---------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): unknown {
    const job = this._job;
    const running = !!job && !isTerminal(job.status);
    return html`
      <div part="base" class="base" data-status=${this._notFound ? 'not-found' : (job?.status ?? 'loading')}>
        ${this._notFound ? this._renderNotFound() : this._renderJob(job, running)}
        <div part="error" class="error" role="alert">${this._errorText(job)}</div>
        ${this._renderActions(job, running)}
        <div part="announcer" class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
      </div>
    `;
  }

  private _renderNotFound(): unknown {
    return html`
      <p part="status" class="status" tabindex="-1">
        <span part="status-icon" class="dot" aria-hidden="true"></span>
        <span part="status-text" class="status-text">Job not found</span>
      </p>
      <p part="not-found" class="not-found">${NOT_FOUND_TEXT}</p>
    `;
  }

  private _renderJob(job: Job | null, running: boolean): unknown {
    const words = job ? STATUS_TEXT[job.status] : this.jobId ? 'Connecting…' : 'No job';
    const percent = job ? percentOf(job) : 0;
    const showBar = !job || running || job.status === 'completed';
    const mode = this._watch.mode;
    return html`
      <div part="header" class="header">
        <p part="status" class="status" tabindex="-1">
          <span part="status-icon" class=${running ? 'dot live' : 'dot'} aria-hidden="true"></span>
          <span part="status-text" class="status-text">${words}</span>
        </p>
        ${job ? this._renderElapsed(job, running) : nothing}
      </div>
      ${showBar
        ? html`<div part="progress" class="progress">
            <span part="progress-label" class="progress-label" id="progress-label">Progress <span class="percent">${percent}%</span></span>
            <progress part="progress-bar" aria-labelledby="progress-label" max="100" .value=${percent}></progress>
          </div>`
        : nothing}
      ${running && mode === 'reconnecting' ? html`<p part="connection" class="connection">Connection lost — reconnecting…</p>` : nothing}
      ${running && this._stalled
        ? html`<div part="stalled" class="stalled" role="group" aria-labelledby="stalled-text">
            <p id="stalled-text">${STALLED_TEXT} You can keep waiting or cancel the job.</p>
            <button part="keep-waiting-button" type="button" @click=${this._onKeepWaiting}>Keep waiting</button>
          </div>`
        : nothing}
      ${job?.status === 'completed' ? this._renderCompleted(job) : nothing}
    `;
  }

  private _renderElapsed(job: Job, running: boolean): unknown {
    const created = Date.parse(job.created_at);
    const end = running ? this._now : Date.parse(job.updated_at);
    // A client clock behind the server's would show a negative time.
    const ms = Number.isFinite(created) && Number.isFinite(end) ? Math.max(0, end - created) : 0;
    const left = running ? estimateLeft(ms, percentOf(job)) : null;
    return html`<p part="elapsed" class="elapsed">
      ${running ? 'Elapsed' : 'Took'} <time datetime=${isoDuration(ms)}>${formatElapsed(ms)}</time>${left !== null
        ? html`<span part="time-left"> · about <time datetime=${isoDuration(left)}>${formatElapsed(left)}</time> left</span>`
        : nothing}
    </p>`;
  }

  private _renderCompleted(job: Job): unknown {
    const preview = job.outputs.some((o) => o.local_preview);
    return html`
      <p part="summary" class="summary">${outputsSummary(job)}</p>
      ${preview ? html`<p part="preview-note" class="preview-note">${previewNote(job.service)}</p>` : nothing}
    `;
  }

  private _errorText(job: Job | null): unknown {
    if (this._requestError) return this._requestError;
    if (job?.status === 'failed') return failureText(job.error);
    return nothing;
  }

  private _renderActions(job: Job | null, running: boolean): unknown {
    const canRetry = job?.status === 'failed' && job.error?.retryable === true;
    const canCancel = running && !this._notFound;
    return html`
      <div part="actions" class="actions">
        ${canCancel && this._confirming
          ? html`<div part="cancel-confirm" class="confirm" role="group" aria-labelledby="confirm-text">
              <p id="confirm-text">Cancel this job? Its progress will be lost.</p>
              <button part="confirm-cancel-button" class="danger" type="button" aria-disabled=${this._busy !== null ? 'true' : 'false'} @click=${this._onConfirmCancel}>
                ${this._busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel job'}
              </button>
              <button part="keep-button" type="button" aria-disabled=${this._busy !== null ? 'true' : 'false'} @click=${this._onKeepGoing}>Keep going</button>
            </div>`
          : canCancel
            ? html`<button part="cancel-button" type="button" aria-disabled=${this._busy !== null ? 'true' : 'false'} @click=${this._onCancelClick}>
                ${this._busy === 'cancel' ? 'Cancelling…' : 'Cancel job'}
              </button>`
            : nothing}
        ${canRetry
          ? html`<button part="retry-button" class="primary" type="button" aria-disabled=${this._busy !== null ? 'true' : 'false'} @click=${this._onRetryClick}>
              ${this._busy === 'retry' ? 'Retrying…' : 'Retry'}
            </button>`
          : nothing}
        <slot name="actions"></slot>
      </div>
    `;
  }
}

function sameState(a: Job, b: Job): boolean {
  return (
    a.status === b.status &&
    a.progress === b.progress &&
    a.updated_at === b.updated_at &&
    a.outputs.length === b.outputs.length &&
    (a.error?.code ?? null) === (b.error?.code ?? null)
  );
}

function requestIdOf(error: StagingError): { requestId?: string } {
  return error.requestId ? { requestId: error.requestId } : {};
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-job-progress': StagingJobProgress;
  }
  interface HTMLElementEventMap {
    'staging-job-updated': CustomEvent<StagingJobUpdatedDetail>;
    'staging-job-completed': CustomEvent<StagingJobCompletedDetail>;
    'staging-job-failed': CustomEvent<StagingJobFailedDetail>;
    'staging-job-cancelled': CustomEvent<StagingJobCancelledDetail>;
    'staging-job-stalled': CustomEvent<StagingJobStalledDetail>;
  }
}
