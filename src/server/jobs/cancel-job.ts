import type { BffDeps } from '../routes/deps.js';
import type { JobRecord } from '../store/types.js';
import { nowIso } from '../ids.js';

/**
 * Cancels a job that has not finished: releases its credits, stops its work and tells its
 * listeners. Null when it had already ended (the caller decides whether that is an error).
 */
export async function cancelJob(d: Pick<BffDeps, 'store' | 'runner'>, job: JobRecord): Promise<JobRecord | null> {
  const cancelled = await d.store.updateJob(job.id, { status: 'cancelled', creditsCharged: 0, updatedAt: nowIso() }, ['pending', 'compressing', 'processing']);
  if (!cancelled) return null;
  d.runner.abort(job.id);
  await d.runner.publish(cancelled);
  return cancelled;
}
