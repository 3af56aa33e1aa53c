import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { StagingError, type StagingClient, type TokenResult } from '../../client/index.js';
import { isTerminal, type Job, type JobError, type JobStatus } from '../../contract/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import '../shared/error-text-more.js';
import { emit } from '../shared/events.js';
import { cardStyles, panelStyles } from '../shared/panel.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { forgetJob, rememberedJobs, scopeKeyFor, trackJob } from '../shared/job-memory.js';
import { actionFailedText, failureText, progressAnnouncement, sameState, TEXT } from './job-text.js';
import { JobActionsController, type JobAction } from './job-actions-controller.js';
import { renderJobState, renderNotFound } from './job-view.js';
import { JobWatchController, type JobWatchMode, type JobWatchTiming } from './job-watch-controller.js';
import { StallClockController } from './stall-clock-controller.js';
import { jobProgressStyles } from './staging-job-progress.styles.js';
import { LocaleController, type Words } from '../shared/locale.js';

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
 * @fires staging-error - A request failed: `step` is `cancel`, `retry`, or `watch` (a job that no longer exists, `code: "not_found"`, or a refused token). `detail: { code, message, source, step, requestId? }`; the element shows its own sentence for the code.
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
  static override styles = [themeStyles, panelStyles, cardStyles, jobProgressStyles];

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

  /** The API client to use; wins over `endpoint`. Inside `<staging-widget>` the widget's own is used when none is set. */
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
  /** A failed request of this element (cancel, retry, a refused token), shown as an alert. */
  @state() private _requestError: Words | null = null;

  // Before the watch: the client (the widget's, through context) must be known when watching starts.
  private readonly _api = new ClientController(this);
  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _l10n = new LocaleController(this);
  private readonly _watch = new JobWatchController(this, {
    client: () => this._api.client,
    jobId: () => this._idToWatch(),
    onJob: (job) => this._receive(job),
    onNotFound: (error) => this._onNotFound(error),
    onFatal: (error) => this._onFatal(error),
    onModeChange: (mode) => this._onModeChange(mode),
  });

  private readonly _actions = new JobActionsController(this, {
    send: (action) => this._send(action),
    onFailure: (action, error) => {
      const detail = errorDetail(SOURCE, error, action);
      this._requestError = () => actionFailedText(action, detail.code);
      emit(this, 'staging-error', detail);
    },
    skipConfirm: () => this.skipCancelConfirm,
  });

  private readonly _clock = new StallClockController(this, {
    running: () => this._running(),
    stallAfter: () => this.stallAfter,
    onStall: (silentForMs) => {
      this._announcer.announce(TEXT.stalledSaid);
      emit(this, 'staging-job-stalled', { jobId: this.jobId!, silentForMs });
    },
  });

  /** What the watch was last started for; a change of either means a fresh start. */
  private _watchingKey: { client: StagingClient | null; id: string | null } | null = null;
  private _milestone = 0;

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
    // The controllers' hostConnected has started watching with the client and id of now.
    super.connectedCallback();
    this._watchingKey = { client: this._api.client, id: this.jobId };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._watchingKey = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('watchTiming')) this._watch.timing = this.watchTiming;
    // A new id drops what was shown: another job, or a not-found or failed request.
    if (changed.has('jobId') && (!this._job || this._job.id !== this.jobId)) this._reset();
    // Compared with the raw id: a job that ended keeps its key, so the controller is not restarted.
    const key = { client: this._api.client, id: this.jobId };
    if (this.isConnected && (key.client !== this._watchingKey?.client || key.id !== this._watchingKey?.id)) {
      this._watchingKey = key;
      this._clock.touch();
      this._watch.restart();
    }
    if ((changed.has('remember') || changed.has('scope') || changed.has('endpoint')) && this._job) trackJob(this._scope(), this._job, this.remember);
    if (changed.has('stallAfter')) this._clock.sync();
    this.status = this._notFound ? 'not-found' : (this._job?.status ?? undefined);
  }

  /**
   * Cancels the job at once (no confirmation step). Resolves with the cancelled job, or null
   * when the request failed (the element then shows why and fires `staging-error`).
   */
  cancel(): Promise<Job | null> {
    return this._actions.request('cancel');
  }

  /**
   * Restarts a failed job and keeps following it. Resolves with the restarted job, or null when
   * the request failed (the element then shows why and fires `staging-error`).
   */
  retry(): Promise<Job | null> {
    return this._actions.request('retry');
  }

  /** Hides the stalled notice and restarts the stall deadline. */
  keepWaiting(): void {
    this._clock.touch();
  }

  // ---------------------------------------------------------------------------------------------
  // Requests and watching

  /** Cancel or retry: one request about the job, whose answer is the job as it is now. */
  private _send(action: JobAction): Promise<Job> | null {
    const client = this._api.client;
    const id = this.jobId;
    if (!client || !id) return null;
    this._requestError = null;
    return (action === 'cancel' ? client.cancelJob(id) : client.retryJob(id)).then((job) => {
      this._receive(job);
      if (!isTerminal(job.status)) {
        // A retried job runs again, and the previous connection ended at its terminal status.
        this._watchingKey = { client, id };
        this._watch.restart();
      }
      return job;
    });
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
    this._actions.closeConfirm();
    this._requestError = null;
    this._milestone = 0;
    this._clock.touch();
  }

  private _receive(job: Job): void {
    if (job.id !== this.jobId) return; // a late answer about a job this element no longer shows
    const prev = this._job?.id === job.id ? this._job : null;
    // Answers can cross: a stream event sent before a cancel may arrive after its answer.
    if (prev && Date.parse(job.updated_at) < Date.parse(prev.updated_at)) return;
    if (prev && sameState(prev, job)) return; // a poll of an unchanged job
    this._job = job;
    this._notFound = false;
    this._clock.touch();
    const statusChanged = prev?.status !== job.status;
    emit(this, 'staging-job-updated', { job });
    const said = progressAnnouncement(job, statusChanged, this._milestone);
    if (said) {
      this._milestone = said.milestone;
      this._announcer.announce(said.text);
    }
    trackJob(this._scope(), job, this.remember);
    if (statusChanged) {
      if (job.status === 'completed') emit(this, 'staging-job-completed', { job });
      else if (job.status === 'failed') emit(this, 'staging-job-failed', { job, error: job.error ?? { code: 'processing_failed', message: 'The job failed.', retryable: false } });
      else if (job.status === 'cancelled') emit(this, 'staging-job-cancelled', { job });
    }
    this._clock.sync();
  }

  private _onNotFound(error: StagingError): void {
    this._notFound = true;
    this._actions.closeConfirm();
    if (this.jobId) forgetJob(this._scope(), this.jobId);
    this._clock.sync();
    // The BFF's 404 says "not found"; the host's developers get what it means here.
    emit(this, 'staging-error', errorDetail(SOURCE, new StagingError({ code: 'not_found', message: 'This job no longer exists. It may have expired, or it was started in another session.', requestId: error.requestId }), 'watch'));
  }

  private _onFatal(error: StagingError): void {
    this._requestError = () => `${TEXT.liveUpdatesStopped} ${errorText(error.code)}`;
    this._clock.sync();
    emit(this, 'staging-error', errorDetail(SOURCE, error, 'watch'));
  }

  private _onModeChange(mode: JobWatchMode): void {
    if (mode === 'stopped' || mode === 'not-found') this._clock.sync();
  }

  private _scope(): string {
    return this.scope || scopeKeyFor(this.endpoint);
  }

  /** Whether the job runs, as far as this element knows: the clock and the stall deadline run only then. */
  private _running(): boolean {
    return this.isConnected && !this._notFound && !!this.jobId && !(this._job && isTerminal(this._job.status)) && this._watch.mode !== 'stopped';
  }

  private _onKeepWaiting = async (): Promise<void> => {
    this.keepWaiting();
    await this.updateComplete;
    this._actions.focusCancel();
  };

  // ---------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): unknown {
    const job = this._job;
    const running = !!job && !isTerminal(job.status);
    return html`
      <div part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir} data-status=${this._notFound ? 'not-found' : (job?.status ?? 'loading')}>
        ${this._notFound
          ? renderNotFound()
          : renderJobState({
              job,
              running,
              connecting: !!this.jobId,
              reconnecting: this._watch.mode === 'reconnecting',
              stalled: this._clock.stalled,
              now: this._clock.now,
              onKeepWaiting: this._onKeepWaiting,
            })}
        <div part="error" class="error" role="alert">${this._errorText(job)}</div>
        ${this._actions.render(running && !this._notFound, job?.status === 'failed' && job.error?.retryable === true)}
        ${this._announcer.render('announcer')}
      </div>
    `;
  }

  private _errorText(job: Job | null): unknown {
    if (this._requestError) return this._requestError();
    if (job?.status === 'failed') return failureText(job.error);
    return nothing;
  }
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
