import { html, nothing, type TemplateResult } from 'lit';
import type { Job } from '../../contract/index.js';
import { formatNumber } from '../shared/locale.js';
import { estimateLeft, formatElapsed, isoDuration, outputsSummary, percentOf, previewNote, STATUS_TEXT, TEXT } from './job-text.js';

// Parts of `<staging-job-progress>`'s template that need nothing but their arguments.

export interface JobStateView {
  /** The job as last known; null until the first answer. */
  job: Job | null;
  /** The job has not ended. */
  running: boolean;
  /** There is a job id to follow (without a job yet: "Connecting…", else "No job"). */
  connecting: boolean;
  /** The live connection is being restored. */
  reconnecting: boolean;
  /** Nothing changed for the stall time while the job ran. */
  stalled: boolean;
  /** `Date.now()` of the clock's last tick, for the elapsed time. */
  now: number;
  onKeepWaiting(): void;
}

/** The job's state: status line and elapsed time, progress bar, connection and stall notices, and the outcome. */
export function renderJobState(v: JobStateView): TemplateResult {
  const { job, running } = v;
  const words = job ? STATUS_TEXT[job.status] : v.connecting ? TEXT.connecting : TEXT.noJob;
  const percent = job ? percentOf(job) : 0;
  const showBar = !job || running || job.status === 'completed';
  return html`
    <div part="header" class="header">
      ${renderStatus(words, running)}
      ${job ? renderElapsed(job, running, v.now) : nothing}
    </div>
    ${showBar
      ? html`<div part="progress" class="progress">
          <span part="progress-label" class="progress-label" id="progress-label">${TEXT.progress(formatNumber(percent / 100, { style: 'percent' }))}</span>
          <progress part="progress-bar" aria-labelledby="progress-label" max="100" .value=${percent}></progress>
        </div>`
      : nothing}
    ${running && v.reconnecting ? html`<p part="connection" class="connection">${TEXT.reconnecting}</p>` : nothing}
    ${running && v.stalled
      ? html`<div part="stalled" class="stalled" role="group" aria-labelledby="stalled-text">
          <p id="stalled-text">${TEXT.stalled} ${TEXT.stalledChoice}</p>
          <button part="keep-waiting-button" type="button" @click=${v.onKeepWaiting}>${TEXT.keepWaiting}</button>
        </div>`
      : nothing}
    ${job?.status === 'completed' ? renderCompleted(job) : nothing}
  `;
}

export function renderNotFound(): TemplateResult {
  return html`
    ${renderStatus(TEXT.notFoundStatus, false)}
    <p part="not-found" class="not-found">${TEXT.notFound}</p>
  `;
}

/** The status line: a dot (pulsing while `live`) and the status in words. Focus lands here when a focused button goes away. */
function renderStatus(words: string, live: boolean): TemplateResult {
  return html`<p part="status" class="status" tabindex="-1">
    <span part="status-icon" class=${live ? 'dot live' : 'dot'} aria-hidden="true"></span>
    <span part="status-text" class="status-text">${words}</span>
  </p>`;
}

/** Time since the job was created (`now` while it runs), with a guess of the time left; the total once it ended. */
export function renderElapsed(job: Job, running: boolean, now: number): TemplateResult {
  const created = Date.parse(job.created_at);
  const end = running ? now : Date.parse(job.updated_at);
  // A client clock behind the server's would show a negative time.
  const ms = Number.isFinite(created) && Number.isFinite(end) ? Math.max(0, end - created) : 0;
  const left = running ? estimateLeft(ms, percentOf(job)) : null;
  return html`<p part="elapsed" class="elapsed">
    ${running ? TEXT.elapsed(renderTime(ms)) : TEXT.took(renderTime(ms))}${left !== null ? html`<span part="time-left"> · ${TEXT.left(renderTime(left))}</span>` : nothing}
  </p>`;
}

/** A duration as `m:ss` in a `<time>` that gives it to machines too. */
function renderTime(ms: number): TemplateResult {
  return html`<time datetime=${isoDuration(ms)}>${formatElapsed(ms)}</time>`;
}

export function renderCompleted(job: Job): TemplateResult {
  const preview = job.outputs.some((o) => o.local_preview);
  return html`
    <p part="summary" class="summary">${outputsSummary(job)}</p>
    ${preview ? html`<p part="preview-note" class="preview-note">${previewNote(job.service)}</p>` : nothing}
  `;
}
