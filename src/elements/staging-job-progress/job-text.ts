import { html, type TemplateResult } from 'lit';
import { isTerminal } from '../../contract/constants.js';
import type { Job, JobErrorCode, JobStatus } from '../../contract/index.js';
import { errorText } from '../shared/error-text.js';
import { formatNumber, msg, plural, str } from '../shared/locale.js';

/** The words shown for each status, in the element's locale. */
export const STATUS_TEXT: Readonly<Record<JobStatus, string>> = {
  get pending() { return msg('Waiting in queue', { id: 'job.status.pending' }); },
  get compressing() { return msg('Preparing your photo', { id: 'job.status.compressing' }); },
  get processing() { return msg('Processing', { id: 'job.status.processing' }); },
  get completed() { return msg('Done', { id: 'job.status.completed' }); },
  get failed() { return msg('Failed', { id: 'job.status.failed' }); },
  get cancelled() { return msg('Cancelled', { id: 'job.status.cancelled' }); },
};

/** Everything else `<staging-job-progress>` says, read at render time. */
export const TEXT = {
  get notFound() { return msg('This job no longer exists. It may have expired, or it was started in another session.', { id: 'job.notFound' }); },
  get notFoundStatus() { return msg('Job not found', { id: 'job.notFoundStatus' }); },
  get stalled() { return msg('This is taking longer than usual…', { id: 'job.stalled' }); },
  get stalledSaid() { return msg('This is taking longer than usual.', { id: 'job.stalledSaid' }); },
  get stalledChoice() { return msg('You can keep waiting or cancel the job.', { id: 'job.stalledChoice' }); },
  get keepWaiting() { return msg('Keep waiting', { id: 'job.keepWaiting' }); },
  get liveUpdatesStopped() { return msg('Live updates stopped.', { id: 'job.liveUpdatesStopped' }); },
  get connecting() { return msg('Connecting…', { id: 'job.connecting' }); },
  get noJob() { return msg('No job', { id: 'job.noJob' }); },
  get reconnecting() { return msg('Connection lost — reconnecting…', { id: 'job.reconnecting' }); },
  progress: (percent: string) => msg(str`Progress ${percent}`, { id: 'job.progress' }),
  /** Around the `<time>` elements of the elapsed time and the time left. */
  elapsed: (time: TemplateResult) => msg(html`Elapsed ${time}`, { id: 'job.elapsed' }),
  took: (time: TemplateResult) => msg(html`Took ${time}`, { id: 'job.took' }),
  left: (time: TemplateResult) => msg(html`about ${time} left`, { id: 'job.left' }),
  get confirmCancel() { return msg('Cancel this job? Its progress will be lost.', { id: 'job.confirmCancel' }); },
  get yesCancel() { return msg('Yes, cancel job', { id: 'job.yesCancel' }); },
  get cancelling() { return msg('Cancelling…', { id: 'job.cancelling' }); },
  get keepGoing() { return msg('Keep going', { id: 'job.keepGoing' }); },
  get cancel() { return msg('Cancel job', { id: 'job.cancel' }); },
  get retrying() { return msg('Retrying…', { id: 'job.retrying' }); },
  get retry() { return msg('Retry', { id: 'job.retry' }); },
};

/** Why Cancel or Retry failed, by the error's code (the request's own sentence stays in `staging-error`). */
export function actionFailedText(action: 'cancel' | 'retry', code: string): string {
  if (code === 'invalid_state')
    return action === 'cancel'
      ? msg('This job has already ended, so it cannot be cancelled.', { id: 'job.cancelEnded' })
      : msg('This job is not waiting to be retried any more.', { id: 'job.retryEnded' });
  const what = action === 'cancel' ? msg('The job could not be cancelled.', { id: 'job.cancelFailed' }) : msg('The job could not be retried.', { id: 'job.retryFailed' });
  return `${what} ${errorText(code)}`;
}

/** Progress as a whole percentage 0–100; a completed job is 100 whatever it reported. */
export function percentOf(job: Pick<Job, 'status' | 'progress'>): number {
  if (job.status === 'completed') return 100;
  const p = Number.isFinite(job.progress) ? job.progress : 0;
  return Math.round(Math.min(1, Math.max(0, p)) * 100);
}

/**
 * Time left, extrapolated from the time taken so far and the progress made, rounded up to 5 s;
 * null until there is enough progress (10 %) for the guess to mean something.
 */
export function estimateLeft(elapsedMs: number, percent: number): number | null {
  if (percent < 10 || percent >= 100 || elapsedMs <= 0) return null;
  const left = (elapsedMs * (100 - percent)) / percent;
  return Math.ceil(left / 5000) * 5000;
}

/** `m:ss`, or `h:mm:ss` from an hour on, in the locale's digits. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const two = (n: number) => formatNumber(n, { minimumIntegerDigits: 2 });
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${formatNumber(h)}:${two(m)}:${two(total % 60)}` : `${formatNumber(m)}:${two(total % 60)}`;
}

/** ISO 8601 duration for `<time datetime>`. */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, Math.floor(ms / 1000))}S`;
}

/**
 * What to say to screen readers about a job that changed: its status when that changed, else
 * every quarter of progress (not every tick: progress without a flood). `milestone` is the
 * quarter last said; null when there is nothing to say.
 */
export function progressAnnouncement(job: Job, statusChanged: boolean, milestone: number): { text: string; milestone: number } | null {
  const words = STATUS_TEXT[job.status];
  const quarter = Math.floor(percentOf(job) / 25);
  if (statusChanged) {
    // A failure's message is read by the alert; saying it twice would be noise.
    return { text: job.status === 'completed' ? `${words}. ${outputsSummary(job)}` : `${words}.`, milestone: quarter };
  }
  if (isTerminal(job.status) || quarter <= milestone || quarter >= 4) return null;
  return { text: msg(str`${words}, ${formatNumber(quarter / 4, { style: 'percent' })}.`, { id: 'job.said.progress' }), milestone: quarter };
}

/** Whether two reads of a job show the same thing (a poll of an unchanged job changes nothing). */
export function sameState(a: Job, b: Job): boolean {
  return (
    a.status === b.status &&
    a.progress === b.progress &&
    a.updated_at === b.updated_at &&
    a.outputs.length === b.outputs.length &&
    (a.error?.code ?? null) === (b.error?.code ?? null)
  );
}

export function outputsSummary(job: Pick<Job, 'outputs'>): string {
  const n = job.outputs.length;
  if (n === 0) return msg('Finished, but no image was returned.', { id: 'job.noOutput' });
  return plural(n, msg('{one}# image ready.{other}# images ready.', { id: 'job.outputs' }));
}

/**
 * Said plainly because the local engine cannot generate anything: a person must not believe a
 * colour-graded copy of their photo is a staged room.
 */
export function previewNote(service: string): string {
  return service === 'virtual-staging'
    ? msg('Local preview — the offline engine returns a colour-graded preview of your photo; it did not stage the room.', { id: 'job.preview.staging' })
    : service === '3d-plans'
      ? msg('Local preview — the offline engine returns a colour-graded preview of your photo; it did not build a 3D view.', { id: 'job.preview.3d' })
      : service === 'design-options'
        ? msg('Local preview — the offline engine returns a colour-graded preview of your photo; it did not redesign the space.', { id: 'job.preview.design' })
        : msg('Local preview — the offline engine returns a colour-graded preview of your photo; it did not generate new content.', { id: 'job.preview.other' });
}

/**
 * What a failed job says to the person, by its error code: never the server's own sentence,
 * which is for the host's developers (it stays in `staging-job-failed`'s `error`). One sentence
 * for every code of the contract (`JOB_ERROR_CODES`); a code this version does not know gets the general one.
 */
const FAILURE_TEXT: Readonly<Record<JobErrorCode, string>> = {
  get provider_error() { return msg('The image service had a problem with this photo.', { id: 'job.failure.provider_error' }); },
  get provider_unavailable() { return msg('The image service is busy or down right now.', { id: 'job.failure.provider_unavailable' }); },
  get processing_failed() { return msg('This photo could not be processed. Try another photo.', { id: 'job.failure.processing_failed' }); },
  get job_interrupted() { return msg('The server restarted while working on your photo.', { id: 'job.failure.job_interrupted' }); },
  get job_stalled() { return msg('This took far longer than it should and was stopped.', { id: 'job.failure.job_stalled' }); },
  get insufficient_credits() { return msg('There were not enough credits left to finish this.', { id: 'job.failure.insufficient_credits' }); },
  get server_misconfigured() { return msg('The staging service is not set up correctly. Tell the site’s owner.', { id: 'job.failure.server_misconfigured' }); },
  get invalid_request() { return msg('The image service could not use these settings. Try other choices.', { id: 'job.failure.invalid_request' }); },
  get image_too_large() { return msg('This photo is too large for the image service. Try a smaller one.', { id: 'job.failure.image_too_large' }); },
  get image_unreadable() { return msg('The image service could not read this photo. Try another photo.', { id: 'job.failure.image_unreadable' }); },
  get scope_denied() { return msg('This service is not available on this site’s plan. Choose another.', { id: 'job.failure.scope_denied' }); },
  get brackets_mismatch() {
    return msg('These photos are not darker and brighter shots of one view. Take them from one spot, one after another.', { id: 'job.failure.brackets_mismatch' });
  },
};

export function failureText(error: { code: string; retryable: boolean } | null | undefined): string {
  // By the table itself, not the contract's list: that list lives with the schemas (zod), which this chunk does without.
  const base = error && Object.hasOwn(FAILURE_TEXT, error.code) ? FAILURE_TEXT[error.code as JobErrorCode] : msg('This photo could not be finished.', { id: 'job.failure.unknown' });
  return error?.retryable ? `${base} ${msg('Try again.', { id: 'job.failure.tryAgain' })}` : base;
}
