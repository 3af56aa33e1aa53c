import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BatchStreamEvent, StagingClient } from '../../client/index.js';
import { newIdempotencyKey } from '../../client/index.js';
import type { Batch, CreateBatchRequest, Job, JobOutput, Upload } from '../../contract/index.js';
import { forgetBatch, rememberBatch, rememberedBatch } from '../shared/batch-memory.js';
import { StreamWatchController, type WatchMode, type WatchSource } from '../shared/stream-watch-controller.js';
import type { Decision } from './listing-results.js';

/** One kept photo of `staging-outputs-kept`. */
export interface KeptOutput {
  /** The photo's upload (the original) and its place in the listing (1-based). */
  uploadId: string;
  item: number;
  jobId: string;
  /** Its room (the job's config). */
  config: string;
  output: JobOutput;
}

const BATCH_SOURCE: WatchSource<BatchStreamEvent> = {
  stream: (client, id, opts) => client.batchEvents(id, opts),
  read: async (client, id, opts) => {
    const { jobs, ...batch } = await client.getBatch(id, opts);
    return [...jobs.map((job) => ({ type: 'job' as const, job })), { type: 'batch' as const, batch }];
  },
  isEnd: (e) => e.type === 'batch' && e.batch.status !== 'running',
};

export interface BatchControllerOptions {
  client(): StagingClient | null;
  /** Where the batch in flight is remembered (per endpoint). */
  scope(): string;
  /** The batch started, or was found again: follow it. */
  onRunning(): void;
  /** Every job of the batch has ended. */
  onEnded(): void;
  /** The batch is gone (purged, or another subject's). */
  onLost(): void;
  /** A request failed; `step` says which. */
  onError(step: string, error: unknown): void;
  /** Said to screen readers: how many photos are done. */
  onProgress(completed: number): void;
}

/**
 * The listing's batch from Start to the last kept photo: creating it (once per listing, with one
 * Idempotency-Key), remembering it for a reload, following it on its one event stream (with the
 * job stream's reconnection and polling, `StreamWatchController`), redoing one photo as one job,
 * and which photos are kept.
 */
export class BatchController implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _opts: BatchControllerOptions;
  private _following = false;
  private _key = newIdempotencyKey();
  /** The batch as last read. */
  batch: Batch | null = null;
  /** Each photo's current job, by upload id: its batch job, or its latest redo. */
  jobs = new Map<string, Job>();
  decisions = new Map<string, Decision>();
  busy = false;

  private readonly _watch: StreamWatchController<BatchStreamEvent>;

  constructor(host: ReactiveControllerHost, opts: BatchControllerOptions) {
    this._host = host;
    this._opts = opts;
    host.addController(this);
    this._watch = new StreamWatchController<BatchStreamEvent>(host, BATCH_SOURCE, {
      client: () => opts.client(),
      id: () => (this._following ? (this.batch?.id ?? null) : null),
      onValue: (e) => this._receive(e),
      onNotFound: () => this._lost(),
      onFatal: (err) => opts.onError('watch', err),
    });
  }

  /** How the stream is doing: `reconnecting` and `polling` are worth a word to the person. */
  get mode(): WatchMode {
    return this._watch.mode;
  }

  hostConnected(): void {}

  /** Start: one batch for the listing. A repeat of the same Start (a double click, a retry) gets the same batch. */
  async start(body: CreateBatchRequest): Promise<boolean> {
    const client = this._opts.client();
    if (!client) return false;
    this._setBusy(true);
    try {
      const { jobs, ...batch } = await client.createBatch(body, { idempotencyKey: this._key });
      this.batch = batch;
      this.jobs = new Map(jobs.map((j) => [j.upload_id, j]));
      rememberBatch(this._opts.scope(), batch.id);
      this._follow();
      return true;
    } catch (err) {
      this._opts.onError('batch', err);
      return false;
    } finally {
      this._setBusy(false);
    }
  }

  /**
   * The batch remembered from before a reload, with each photo's upload (for its thumbnail), or
   * null when there is none. A batch the BFF no longer knows is forgotten.
   */
  async resume(): Promise<Array<{ upload: Upload | null; room: string }> | null> {
    const client = this._opts.client();
    const id = rememberedBatch(this._opts.scope());
    if (!client || !id) return null;
    try {
      const { jobs, ...batch } = await client.getBatch(id);
      const uploads = await Promise.all(jobs.map((j) => client.getUpload(j.upload_id).catch(() => null)));
      this.batch = batch;
      this.jobs = new Map(jobs.map((j) => [j.upload_id, j]));
      this.decisions = new Map(batch.items.filter((i) => i.excluded).map((i) => [i.upload_id, 'exclude' as const]));
      if (batch.status === 'running') this._follow();
      else this._opts.onEnded();
      return jobs.map((j, i) => ({ upload: uploads[i] ?? null, room: j.config }));
    } catch (err) {
      if ((err as { status?: number }).status === 404) forgetBatch(this._opts.scope());
      else this._opts.onError('resume', err);
      return null;
    }
  }

  /** Stops what has not finished ("Stop the rest"); its credits are released. */
  cancel(): void {
    const id = this.batch?.id;
    if (id) this._opts.client()?.cancelBatch(id).catch((err: unknown) => this._opts.onError('batch', err));
  }

  /** Forgets the listing (a new one starts); a batch still running is stopped, it would cost credits for nothing. */
  reset(): void {
    if (this.batch?.status === 'running') this.cancel();
    forgetBatch(this._opts.scope());
    this._following = false;
    this._watch.restart();
    this.batch = null;
    this.jobs = new Map();
    this.decisions = new Map();
    this._key = newIdempotencyKey();
    this._host.requestUpdate();
  }

  /** The photo's place in the batch (the BFF's item index, from 0), or -1. */
  private _index(uploadId: string): number {
    return this.batch?.items.findIndex((i) => i.upload_id === uploadId) ?? -1;
  }

  /**
   * Redo: the photo again as one job, charged as one, as another version and with new
   * instructions when `prompt` is given ('' goes back to the room's own). The BFF makes it the
   * photo's job in the batch, so "Download all" holds the new result. A failed photo too.
   */
  async redo(uploadId: string, prompt?: string): Promise<void> {
    const client = this._opts.client();
    const batch = this.batch;
    const index = this._index(uploadId);
    if (!client || !batch || index < 0) return;
    this._setBusy(true);
    try {
      this.setJob(await client.redoBatchItem(batch.id, index, { new_variant: true, ...(prompt === undefined ? {} : { prompt }) }));
    } catch (err) {
      this._opts.onError('redo', err);
    } finally {
      this._setBusy(false);
    }
  }

  setJob(job: Job): void {
    this.jobs = new Map(this.jobs).set(job.upload_id, job);
    this._host.requestUpdate();
  }

  /**
   * Keep or Leave out, shown at once and recorded with the BFF (a photo left out is not in the
   * ZIP); put back as it was if the BFF refuses.
   */
  async decide(uploadId: string, decision: Decision): Promise<void> {
    const before = this.decisions.get(uploadId) ?? 'keep';
    if (before === decision) return;
    this.decisions = new Map(this.decisions).set(uploadId, decision);
    this._host.requestUpdate();
    const client = this._opts.client();
    const batch = this.batch;
    const index = this._index(uploadId);
    if (!client || !batch || index < 0) return;
    try {
      const { jobs: _jobs, ...updated } = await client.setBatchItem(batch.id, index, { excluded: decision === 'exclude' });
      this.batch = updated;
    } catch (err) {
      this.decisions = new Map(this.decisions).set(uploadId, before);
      this._opts.onError('decide', err);
    } finally {
      this._host.requestUpdate();
    }
  }

  /**
   * Place in line of a pending job: 1 for the next to start. The BFF's `queue_position` when it
   * gives one; otherwise counted among this listing's waiting photos.
   */
  queuePosition(job: Job): number | undefined {
    if (job.status !== 'pending' || !this.batch) return undefined;
    if (job.queue_position) return job.queue_position;
    const waiting = this.batch.items.filter((i) => this.jobs.get(i.upload_id)?.status === 'pending').map((i) => i.upload_id);
    const n = waiting.indexOf(job.upload_id);
    return n < 0 ? undefined : n + 1;
  }

  /** The outputs kept, in listing order: finished photos not left out. */
  kept(uploadIds: readonly string[]): KeptOutput[] {
    const out: KeptOutput[] = [];
    uploadIds.forEach((id, i) => {
      const job = this.jobs.get(id);
      const output = job?.status === 'completed' ? job.outputs[0] : undefined;
      if (job && output && this.decisions.get(id) !== 'exclude') out.push({ uploadId: id, item: i + 1, jobId: job.id, config: job.config, output });
    });
    return out;
  }

  /** Records each kept output with the BFF (which tells the host's backend), four at a time. */
  async select(kept: readonly KeptOutput[]): Promise<boolean> {
    const client = this._opts.client();
    if (!client) return false;
    this._setBusy(true);
    try {
      for (let i = 0; i < kept.length; i += 4) await Promise.all(kept.slice(i, i + 4).map((k) => client.selectOutput(k.output.id)));
      return true;
    } catch (err) {
      this._opts.onError('select', err);
      return false;
    } finally {
      this._setBusy(false);
    }
  }

  private _follow(): void {
    this._following = true;
    this._watch.restart();
    this._opts.onRunning();
  }

  private _setBusy(busy: boolean): void {
    this.busy = busy;
    this._host.requestUpdate();
  }

  private _receive(e: BatchStreamEvent): void {
    if (e.type === 'job') return this.setJob(e.job);
    const before = this.batch?.counts.completed ?? 0;
    this.batch = e.batch;
    this._host.requestUpdate();
    if (e.batch.counts.completed !== before) this._opts.onProgress(e.batch.counts.completed);
    if (e.batch.status !== 'running') {
      this._following = false;
      this._opts.onEnded();
    }
  }

  private _lost(): void {
    forgetBatch(this._opts.scope());
    this._following = false;
    this.batch = null;
    this._opts.onLost();
  }
}
