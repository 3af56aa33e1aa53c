import type { ReactiveControllerHost } from 'lit';
import { isTerminal, type Job } from '../../contract/index.js';
import {
  DEFAULT_WATCH_TIMING,
  StreamWatchController,
  type WatchCallbacks,
  type WatchMode,
  type WatchSource,
  type WatchTiming,
} from '../shared/stream-watch-controller.js';

export type JobWatchMode = WatchMode;
export type JobWatchTiming = WatchTiming;
export const DEFAULT_JOB_WATCH_TIMING = DEFAULT_WATCH_TIMING;

export interface JobWatchCallbacks extends Omit<WatchCallbacks<Job>, 'id' | 'onValue'> {
  /** The job to follow now; null while none is set. */
  jobId(): string | null;
  /** Every job read, by stream or poll, including repeats of an unchanged job. */
  onJob(job: Job): void;
}

const JOB_SOURCE: WatchSource<Job> = {
  stream: (client, id, opts) => client.jobEvents(id, opts),
  read: async (client, id, opts) => [await client.getJob(id, opts)],
  isEnd: (job) => isTerminal(job.status),
};

/** Follows one job (`GET /v1/jobs/:id/events`, else `GET /v1/jobs/:id`): see `StreamWatchController`. */
export class JobWatchController extends StreamWatchController<Job> {
  constructor(host: ReactiveControllerHost, callbacks: JobWatchCallbacks, timing: Partial<JobWatchTiming> = {}) {
    const { jobId, onJob, ...rest } = callbacks;
    super(host, JOB_SOURCE, { ...rest, id: jobId, onValue: onJob }, timing);
  }
}
