import { ProviderJobError } from '../types.js';
import { DEFAULT_DEADLINE_MS, type RemoteProviderSettings } from './settings.js';

/** How long an adapter follows one job: the settings' deadline, or the shared default. */
export const deadlineOf = (settings: Pick<RemoteProviderSettings, 'deadlineMs'>): number => settings.deadlineMs ?? DEFAULT_DEADLINE_MS;

/** The one error for a job its provider did not finish within the deadline. */
export function stalledError(label: string, deadlineMs: number): ProviderJobError {
  const within = deadlineMs < 120_000 ? `${Math.max(1, Math.round(deadlineMs / 1000))} seconds` : `${Math.round(deadlineMs / 60_000)} minutes`;
  return new ProviderJobError('job_stalled', `${label} did not finish the photo within ${within}. Retry the job.`, true);
}

/**
 * The provider state an adapter saved with the job (`ctx.saveState`), when it names the
 * provider's job under `idField`: a restarted BFF then resumes tracking instead of submitting
 * (and paying) again.
 */
export function savedState<K extends string>(state: unknown, idField: K): ({ [P in K]: string } & Record<string, unknown>) | null {
  if (typeof state !== 'object' || state === null) return null;
  const id = (state as Record<string, unknown>)[idField];
  return typeof id === 'string' && id.length > 0 ? (state as { [P in K]: string } & Record<string, unknown>) : null;
}
