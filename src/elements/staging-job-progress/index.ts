export {
  StagingJobProgress,
  type StagingJobCancelledDetail,
  type StagingJobCompletedDetail,
  type StagingJobFailedDetail,
  type StagingJobStalledDetail,
  type StagingJobUpdatedDetail,
} from './staging-job-progress.js';
export { DEFAULT_JOB_WATCH_TIMING, JobWatchController, type JobWatchCallbacks, type JobWatchMode, type JobWatchTiming } from './job-watch-controller.js';
export {
  forgetAllJobs,
  forgetJob,
  rememberedJobs,
  rememberJob,
  scopeKeyFor,
  REMEMBER_MAX_AGE_MS,
  REMEMBER_MAX_ENTRIES,
  type RememberedJob,
  type RememberJobInput,
} from '../shared/job-memory.js';
export { STATUS_TEXT } from './job-text.js';
