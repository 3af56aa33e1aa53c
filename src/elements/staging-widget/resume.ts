import { isTerminal } from '../../contract/constants.js';
import type { Job, Upload } from '../../contract/index.js';
import type { StagingClient } from '../../client/index.js';
import { forgetJob, rememberedJobs } from '../shared/job-memory.js';

/**
 * A job still running (or finished) when the page was reloaded, with its photo: the first of the
 * remembered jobs that the BFF still has. Jobs that failed, were cancelled or are gone are
 * forgotten on the way.
 */
export async function resumableJob(api: StagingClient, scopeKey: string, signal: AbortSignal): Promise<{ job: Job; upload: Upload | null } | null> {
  for (const remembered of rememberedJobs(scopeKey)) {
    try {
      const job = await api.getJob(remembered.jobId, { signal });
      if (isTerminal(job.status) && job.status !== 'completed') {
        forgetJob(scopeKey, job.id);
        continue;
      }
      const upload = await api.getUpload(job.upload_id, { signal }).catch(() => null);
      return { job, upload };
    } catch {
      if (signal.aborted) return null;
      forgetJob(scopeKey, remembered.jobId);
    }
  }
  return null;
}
