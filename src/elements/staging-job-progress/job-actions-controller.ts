import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Job } from '../../contract/index.js';
import { TEXT } from './job-text.js';

export type JobAction = 'cancel' | 'retry';

export interface JobActionsOptions {
  /**
   * Sends `action` about the job and takes in its answer (the job as it is now); null when
   * there is no client or job to ask about.
   */
  send(action: JobAction): Promise<Job> | null;
  /** The request failed: show and report why. */
  onFailure(action: JobAction, error: unknown): void;
  /** Cancel without the "Cancel this job?" step. */
  skipConfirm(): boolean;
}

/** The host's element with the parts the actions move focus to. */
type Host = ReactiveControllerHost & HTMLElement;

/**
 * Cancel (with its confirmation step) and Retry of `<staging-job-progress>`: one request at a
 * time, the buttons (`render()`), and where focus goes. A button that goes away (the job ended,
 * here or elsewhere) hands focus to the status line rather than let it fall back to the page's
 * start; after a failed request focus returns to the button that was pressed.
 */
export class JobActionsController implements ReactiveController {
  private readonly _host: Host;
  private readonly _options: JobActionsOptions;
  private _confirming = false;
  private _busy: JobAction | null = null;
  private _focusBefore: Element | null = null;

  constructor(host: Host, options: JobActionsOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** Sends `action` unless a request is under way; resolves with the answer, or null when it failed. */
  async request(action: JobAction): Promise<Job | null> {
    if (this._busy) return null;
    this._setBusy(action);
    try {
      const sent = this._options.send(action);
      if (!sent) return null;
      const job = await sent;
      this.closeConfirm();
      return job;
    } catch (error) {
      this._options.onFailure(action, error);
      return null;
    } finally {
      this._setBusy(null);
    }
  }

  /** Leaves the confirmation step (the job ended or is gone). */
  closeConfirm(): void {
    if (!this._confirming) return;
    this._confirming = false;
    this._host.requestUpdate();
  }

  /** Moves focus to Cancel, when it is shown. */
  focusCancel(): void {
    this._part('cancel-button')?.focus();
  }

  hostUpdate(): void {
    this._focusBefore = this._host.shadowRoot?.activeElement ?? null;
  }

  hostUpdated(): void {
    if (this._focusBefore && !this._focusBefore.isConnected) this._part('status')?.focus();
    this._focusBefore = null;
  }

  /**
   * The row of buttons: Cancel (with its confirmation) while the job runs (`canCancel`), Retry
   * when it failed retryably (`canRetry`). Busy buttons are aria-disabled rather than disabled:
   * Chromium drops the focus of a button that becomes disabled, and a keyboard user would land
   * back at the top of the page.
   */
  render(canCancel: boolean, canRetry: boolean): TemplateResult {
    const busy = this._busy !== null ? 'true' : 'false';
    const cancelling = this._busy === 'cancel';
    return html`
      <div part="actions" class="actions">
        ${canCancel && this._confirming
          ? html`<div part="cancel-confirm" class="confirm" role="group" aria-labelledby="confirm-text">
              <p id="confirm-text">${TEXT.confirmCancel}</p>
              <button part="confirm-cancel-button" class="danger" type="button" aria-disabled=${busy} @click=${this._onConfirmCancel}>
                ${cancelling ? TEXT.cancelling : TEXT.yesCancel}
              </button>
              <button part="keep-button" type="button" aria-disabled=${busy} @click=${this._onKeepGoing}>${TEXT.keepGoing}</button>
            </div>`
          : canCancel
            ? html`<button part="cancel-button" type="button" aria-disabled=${busy} @click=${this._onCancelClick}>${cancelling ? TEXT.cancelling : TEXT.cancel}</button>`
            : nothing}
        ${canRetry
          ? html`<button part="retry-button" class="primary" type="button" aria-disabled=${busy} @click=${this._onRetryClick}>
              ${this._busy === 'retry' ? TEXT.retrying : TEXT.retry}
            </button>`
          : nothing}
        <slot name="actions"></slot>
      </div>
    `;
  }

  private readonly _onCancelClick = async (): Promise<void> => {
    if (this._busy) return;
    if (this._options.skipConfirm()) {
      await this._cancelAndRefocus();
      return;
    }
    this._confirming = true;
    this._host.requestUpdate();
    await this._host.updateComplete;
    this._part('confirm-cancel-button')?.focus();
  };

  private readonly _onConfirmCancel = async (): Promise<void> => {
    if (this._busy) return;
    await this._cancelAndRefocus();
  };

  private readonly _onKeepGoing = async (): Promise<void> => {
    if (this._busy) return;
    this.closeConfirm();
    await this._host.updateComplete;
    this.focusCancel();
  };

  private async _cancelAndRefocus(): Promise<void> {
    // On success the focused button goes away and hostUpdated() moves focus to the status.
    const job = await this.request('cancel');
    await this._host.updateComplete;
    if (!this._focusIsOurs()) return;
    if (!job) (this._part('confirm-cancel-button') ?? this._part('cancel-button'))?.focus();
    else if (!this._host.shadowRoot?.activeElement) this._part('status')?.focus();
  }

  private readonly _onRetryClick = async (): Promise<void> => {
    if (this._busy) return;
    const job = await this.request('retry');
    await this._host.updateComplete;
    if (!this._focusIsOurs()) return;
    if (job) (this._part('cancel-button') ?? this._part('status'))?.focus();
    else this._part('retry-button')?.focus();
  };

  /** Focus is inside the host, or nowhere: moving it then takes nothing from the person. */
  private _focusIsOurs(): boolean {
    return !!this._host.shadowRoot?.activeElement || document.activeElement === document.body || document.activeElement === null;
  }

  private _part(name: string): HTMLElement | null {
    return this._host.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
  }

  private _setBusy(value: JobAction | null): void {
    this._busy = value;
    this._host.requestUpdate();
  }
}
