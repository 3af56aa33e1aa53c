import { aTimeout, expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '../support/commands.js';
import type { Job } from '../../../src/contract/index.js';
import type { StagingJobProgress } from '../../../src/elements/staging-job-progress/staging-job-progress.js';
import { formatElapsed } from '../../../src/elements/staging-job-progress/job-text.js';
import {
  bffUrl,
  failedJobClient,
  frozenClient,
  isEvents,
  mountProgress,
  nextEvent,
  part,
  queryPart,
  realClient,
  recordEvents,
  silentStream,
  startJob,
  text,
  waitForStatus,
  wrappedClient,
} from './helpers.js';
import { devTokens } from '../support/real-bff.js';

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('staging-job-progress properties', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('renders the seeded `job` at once, without firing events for it', async () => {
    const client = await frozenClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job });
    const seen = recordEvents(el);
    expect(el.jobId).to.equal(job.id);
    expect(el.job).to.equal(job);
    expect(el.status).to.equal('pending');
    expect(el.getAttribute('status')).to.equal('pending');
    expect(text(el, 'status-text')).to.equal('Waiting in queue');
    await aTimeout(50);
    expect(seen).to.have.length(0);
  });

  it('puts each running status in words, with the percentage', async () => {
    const client = await frozenClient();
    const created = await startJob(client);
    const cases: [Job['status'], number, string, string][] = [
      ['pending', 0, 'Waiting in queue', '0%'],
      ['compressing', 0.06, 'Preparing your photo', '6%'],
      ['processing', 0.555, 'Processing', '56%'],
    ];
    for (const [status, progress, words, percent] of cases) {
      const el = await mountProgress({ client, job: { ...created, status, progress } });
      expect(text(el, 'status-text')).to.equal(words);
      expect(text(el, 'progress-label')).to.equal(`Progress ${percent}`);
      expect(el.getAttribute('status')).to.equal(status);
      expect(queryPart(el, 'cancel-button')).not.to.equal(null);
      el.remove();
    }
  });

  it('counts the elapsed time every second while running, and stops its timer when removed', async () => {
    const intervals = new Set<number>();
    const realSet = window.setInterval;
    const realClear = window.clearInterval;
    window.setInterval = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
      const id = realSet(fn, ms, ...rest);
      intervals.add(id);
      return id;
    }) as typeof window.setInterval;
    window.clearInterval = ((id?: number) => {
      if (id !== undefined) intervals.delete(id);
      realClear(id);
    }) as typeof window.clearInterval;
    try {
      const client = await frozenClient();
      const created = await startJob(client);
      const el = await mountProgress({ client, job: { ...created, status: 'processing', progress: 0.3, created_at: ago(65_000) } });
      const first = text(el, 'elapsed');
      // 65 s for 30 %: about 152 s to go, rounded up to 5 s.
      expect(first).to.match(/^Elapsed 1:0[5-6] · about 2:35 left$/);
      expect(part(el, 'elapsed').querySelector('time')!.getAttribute('datetime')).to.match(/^PT6[5-6]S$/);
      await waitUntil(() => text(el, 'elapsed') !== first, 'the clock did not tick', { timeout: 2500, interval: 50 });
      expect(intervals.size).to.be.greaterThan(0);
      el.remove();
      expect(intervals.size, 'no interval left running').to.equal(0);
    } finally {
      window.setInterval = realSet;
      window.clearInterval = realClear;
    }
  });

  it('shows the total time once the job ended, and its timer is gone', async () => {
    const client = await realClient();
    const el = await mountProgress({ client, job: await startJob(client) });
    const { detail } = await nextEvent(el, 'staging-job-completed');
    await el.updateComplete;
    const took = Date.parse(detail.job.updated_at) - Date.parse(detail.job.created_at);
    expect(text(el, 'elapsed')).to.equal(`Took ${formatElapsed(took)}`);
    await aTimeout(1100);
    expect(text(el, 'elapsed')).to.equal(`Took ${formatElapsed(took)}`);
  });

  it('builds its own client from `endpoint` and `fetchToken`', async () => {
    const subject = `progress-${Math.random().toString(36).slice(2)}`;
    const client = await realClient(subject);
    const job = await startJob(client);
    const fetchToken = await devTokens(subject);
    const el = await mount<StagingJobProgress>(html`<staging-job-progress endpoint=${await bffUrl()} .fetchToken=${fetchToken} job-id=${job.id}></staging-job-progress>`);
    const { detail } = await nextEvent(el, 'staging-job-completed');
    expect(detail.job.id).to.equal(job.id);
  });

  it('stays waiting without a client, and starts once one is given', async () => {
    const client = await realClient();
    const job = await startJob(client);
    const el = await mount<StagingJobProgress>(html`<staging-job-progress job-id=${job.id}></staging-job-progress>`);
    expect(text(el, 'status-text')).to.equal('Connecting…');
    expect(el.connection).to.equal('idle');
    const completed = nextEvent(el, 'staging-job-completed');
    el.client = client;
    expect((await completed).detail.job.id).to.equal(job.id);
  });

  it('follows a new job when `job-id` changes', async () => {
    const client = await realClient();
    const first = await startJob(client);
    const el = await mountProgress({ client, job: first });
    await nextEvent(el, 'staging-job-completed');
    const second = await startJob(client, { service: 'upscale', config: 'standard' });
    const seen = recordEvents(el);
    el.jobId = second.id;
    await el.updateComplete;
    expect(text(el, 'status-text')).to.not.equal('Done');
    const { detail } = await nextEvent(el, 'staging-job-completed');
    expect(detail.job.id).to.equal(second.id);
    expect(detail.job.service).to.equal('upscale');
    expect(seen.every((e) => (e.detail as { job: Job }).job.id === second.id)).to.equal(true);
  });

  it('shows a failure that cannot be retried without a Retry button', async () => {
    const { client, job } = await failedJobClient(false);
    const el = await mountProgress({ client, jobId: job.id });
    const { detail } = await nextEvent(el, 'staging-job-failed');
    await el.updateComplete;
    expect(detail.error.retryable).to.equal(false);
    expect(text(el, 'error')).to.equal('The image service had a problem with this photo.');
    expect(queryPart(el, 'retry-button')).to.equal(null);
    expect(queryPart(el, 'cancel-button')).to.equal(null);
  });

  it('never reports a stall with stall-after="0"', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client), stallAfter: 0 });
    const seen = recordEvents(el);
    await aTimeout(400);
    expect(seen.filter((e) => e.name === 'staging-job-stalled')).to.have.length(0);
    expect(queryPart(el, 'stalled')).to.equal(null);
  });

  it('closes its connection when removed, and opens a new one when put back', async () => {
    const signals: AbortSignal[] = [];
    const client = await wrappedClient((url, init, real) => {
      if (!isEvents(url)) return real(url, init);
      signals.push(init!.signal!);
      return Promise.resolve(silentStream(init));
    });
    const el = await mountProgress({ client, job: await startJob(client) });
    await waitUntil(() => signals.length === 1, 'no stream opened', { timeout: 3000 });
    const parent = el.parentElement!;
    el.remove();
    expect(signals[0]!.aborted).to.equal(true);
    expect(el.connection).to.equal('idle');
    await aTimeout(200);
    expect(signals).to.have.length(1);
    parent.append(el);
    await waitUntil(() => signals.length === 2, 'no new stream after reconnecting', { timeout: 3000 });
    expect(signals[1]!.aborted).to.equal(false);
  });

  it('stays usable at 360 px: nothing overflows, buttons keep a 44 px target', async function () {
    // Skipped in WebKitGTK: its MiniBrowser window will not go narrower than about 450 px.
    if (!(await setViewport({ width: 360, height: 640 }))) this.skip();
    const { client, job } = await failedJobClient(true);
    const el = await mountProgress({ client, jobId: job.id });
    await waitForStatus(el, 'failed');
    const base = part(el, 'base');
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    expect(el.getBoundingClientRect().width).to.be.at.most(360);
    expect(part(el, 'retry-button').getBoundingClientRect().height).to.be.at.least(44);

    const frozen = await frozenClient();
    const running = await mountProgress({ client: frozen, job: await startJob(frozen) });
    part(running, 'cancel-button').click();
    await running.updateComplete;
    const runningBase = part(running, 'base');
    expect(runningBase.scrollWidth).to.be.at.most(runningBase.clientWidth);
  });
});
