import { isTerminal } from '../../contract/constants.js';
import type { Job, JobErrorCode, JobStatus } from '../../contract/index.js';
import { errorText } from '../shared/error-text.js';

/** The words shown for each status. */
export const STATUS_TEXT: Readonly<Record<JobStatus, string>> = Object.freeze({
  pending: 'Waiting in queue',
  compressing: 'Preparing your photo',
  processing: 'Processing',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
});

export const NOT_FOUND_TEXT = 'This job no longer exists. It may have expired, or it was started in another session.';
export const STALLED_TEXT = 'This is taking longer than usual…';
export const LIVE_UPDATES_STOPPED = 'Live updates stopped.';

/** Why Cancel or Retry failed, by the error's code (the request's own sentence stays in `staging-error`). */
export function actionFailedText(action: 'cancel' | 'retry', code: string): string {
  if (code === 'invalid_state') return action === 'cancel' ? 'This job has already ended, so it cannot be cancelled.' : 'This job is not waiting to be retried any more.';
  return `${action === 'cancel' ? 'The job could not be cancelled.' : 'The job could not be retried.'} ${errorText(code)}`;
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

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
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
  return { text: `${words}, ${quarter * 25}%.`, milestone: quarter };
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
  if (n === 0) return 'Finished, but no image was returned.';
  return n === 1 ? '1 image ready.' : `${n} images ready.`;
}

/**
 * Said plainly because the local engine cannot generate anything: a person must not believe a
 * colour-graded copy of their photo is a staged room.
 */
export function previewNote(service: string): string {
  const what =
    service === 'virtual-staging'
      ? 'it did not stage the room'
      : service === '3d-plans'
        ? 'it did not build a 3D view'
        : service === 'design-options'
          ? 'it did not redesign the space'
          : 'it did not generate new content';
  return `Local preview — the offline engine returns a colour-graded preview of your photo; ${what}.`;
}

/**
 * What a failed job says to the person, by its error code: never the server's own sentence,
 * which is for the host's developers (it stays in `staging-job-failed`'s `error`). One sentence
 * for every code of the contract (`JOB_ERROR_CODES`); a code this version does not know gets the general one.
 */
const FAILURE_TEXT: Readonly<Record<JobErrorCode, string>> = {
  provider_error: 'The image service had a problem with this photo.',
  provider_unavailable: 'The image service is busy or down right now.',
  processing_failed: 'This photo could not be processed. Try another photo.',
  job_interrupted: 'The server restarted while working on your photo.',
  job_stalled: 'This took far longer than it should and was stopped.',
  insufficient_credits: 'There were not enough credits left to finish this.',
  server_misconfigured: 'The staging service is not set up correctly. Tell the site’s owner.',
  invalid_request: 'The image service could not use these settings. Try other choices.',
  image_too_large: 'This photo is too large for the image service. Try a smaller one.',
  image_unreadable: 'The image service could not read this photo. Try another photo.',
  scope_denied: 'This service is not available on this site’s plan. Choose another.',
  brackets_mismatch: 'These photos are not darker and brighter shots of one view. Take them from one spot, one after another.',
};

export function failureText(error: { code: string; retryable: boolean } | null | undefined): string {
  // By the table itself, not the contract's list: that list lives with the schemas (zod), which this chunk does without.
  const base = error && Object.hasOwn(FAILURE_TEXT, error.code) ? FAILURE_TEXT[error.code as JobErrorCode] : 'This photo could not be finished.';
  return error?.retryable ? `${base} Try again.` : base;
}
