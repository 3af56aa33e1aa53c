import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { Job } from '../../../src/contract/index.js';
import { rememberedJobs } from '../../../src/elements/shared/job-memory.js';
import {
  failedJobClient,
  FAST,
  SLOW,
  frozenClient,
  isEvents,
  isGetJob,
  mountProgress,
  nextEvent,
  part,
  queryPart,
  realClient,
  recordEvents,
  startJob,
  text,
  unknownJobId,
  wrappedClient,
} from './helpers.js';

const RANK = { pending: 0, compressing: 1, processing: 2, completed: 3, failed: 3, cancelled: 3 } as const;

function jobsOf(seen: { name: string; detail: unknown }[], name = 'staging-job-updated'): Job[] {
  return seen.filter((e) => e.name === name).map((e) => (e.detail as { job: Job }).job);
}

describe('staging-job-progress events (real BFF)', () => {
  it('follows a render-enhancement job to completion: ordered statuses, rising progress, one completed event', async () => {
    const client = await realClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job, remember: true, scope: 'events-complete' });
    const seen = recordEvents(el);
    const completed = nextEvent(el, 'staging-job-completed');
    const { detail } = await completed;
    await el.updateComplete;
    await aTimeout(100); // a second completed event would have arrived by now

    const updates = jobsOf(seen);
    expect(updates.length).to.be.greaterThan(2);
    for (let i = 1; i < updates.length; i++) {
      expect(RANK[updates[i]!.status], 'status never goes back').to.be.at.least(RANK[updates[i - 1]!.status]);
      expect(updates[i]!.progress, 'progress never drops').to.be.at.least(updates[i - 1]!.progress);
    }
    expect(updates.some((j) => j.status === 'processing')).to.equal(true);
    expect(updates.at(-1)!.status).to.equal('completed');
    expect(seen.filter((e) => e.name === 'staging-job-completed')).to.have.length(1);
    expect(seen.filter((e) => e.name === 'staging-job-failed' || e.name === 'staging-job-cancelled' || e.name === 'staging-error')).to.have.length(0);
    // The completed event comes after the update that carried the completed job.
    expect(seen.findIndex((e) => e.name === 'staging-job-completed')).to.be.greaterThan(seen.findIndex((e) => e.name === 'staging-job-updated' && (e.detail as { job: Job }).job.status === 'completed'));

    expect(detail.job.id).to.equal(job.id);
    expect(detail.job.outputs).to.have.length(1);
    expect(detail.job.outputs[0]!.local_preview).to.equal(false);
    expect(text(el, 'status-text')).to.equal('Done');
    expect(text(el, 'summary')).to.equal('1 image ready.');
    expect(queryPart(el, 'preview-note')).to.equal(null);
    expect(queryPart(el, 'cancel-button')).to.equal(null);
    expect(part<HTMLProgressElement>(el, 'progress-bar').value).to.equal(100);
    expect(el.job?.status).to.equal('completed');
    expect(rememberedJobs('events-complete')).to.deep.equal([]);
  });

  it('shows the local-preview note for a virtual-staging job', async () => {
    const client = await realClient();
    const job = await startJob(client, { service: 'virtual-staging', config: 'living-room' });
    const el = await mountProgress({ client, job });
    const { detail } = await nextEvent(el, 'staging-job-completed');
    await el.updateComplete;
    expect(detail.job.outputs.every((o) => o.local_preview)).to.equal(true);
    const note = part(el, 'preview-note');
    expect(note.textContent).to.contain('Local preview');
    expect(note.textContent).to.contain('it did not stage the room');
    expect(getComputedStyle(note).display).not.to.equal('none');
  });

  it('cancels a running job from the button, after confirming, with one request', async () => {
    let cancels = 0;
    const client = await wrappedClient((url, init, real) => {
      if (url.endsWith('/cancel')) cancels++;
      return real(url, init);
    });
    const job = await startJob(client, SLOW);
    const el = await mountProgress({ client, job });
    const seen = recordEvents(el);
    await waitUntil(() => el.job?.status === 'compressing' || el.job?.status === 'processing', 'job never started', { timeout: 10_000, interval: 10 });
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'cancel-button').click();
    await el.updateComplete;
    expect(text(el, 'cancel-confirm')).to.contain('Cancel this job?');
    const cancelled = nextEvent(el, 'staging-job-cancelled');
    part<HTMLButtonElement>(el, 'confirm-cancel-button').click();
    await el.updateComplete;
    // Inert while the request runs, so a second click cannot send a second cancel.
    expect(part(el, 'confirm-cancel-button').getAttribute('aria-disabled')).to.equal('true');
    part<HTMLButtonElement>(el, 'confirm-cancel-button').click();
    const { detail } = await cancelled;
    await el.updateComplete;
    await aTimeout(150); // the stream's own cancelled event must not fire a second one
    expect(detail.job.status).to.equal('cancelled');
    expect(seen.filter((e) => e.name === 'staging-job-cancelled')).to.have.length(1);
    expect(seen.filter((e) => e.name === 'staging-job-completed')).to.have.length(0);
    expect(text(el, 'status-text')).to.equal('Cancelled');
    expect(queryPart(el, 'cancel-button')).to.equal(null);
    expect((await client.getJob(job.id)).status).to.equal('cancelled');
    expect(cancels).to.equal(1);
  });

  it('shows a failure with its message, and Retry restarts the job and follows it to completion', async () => {
    const { client, job } = await failedJobClient(true);
    const el = await mountProgress({ client, jobId: job.id });
    const seen = recordEvents(el);
    const failed = await nextEvent(el, 'staging-job-failed');
    await el.updateComplete;
    expect(failed.detail.error).to.deep.equal({ code: 'provider_error', message: 'The provider had an outage. Retry the job.', retryable: true });
    expect(text(el, 'status-text')).to.equal('Failed');
    expect(text(el, 'error')).to.equal('The image service had a problem with this photo. Try again.');
    expect(queryPart(el, 'progress-bar')).to.equal(null);

    const completed = nextEvent(el, 'staging-job-completed');
    part<HTMLButtonElement>(el, 'retry-button').click();
    await el.updateComplete;
    expect(part(el, 'retry-button').getAttribute('aria-disabled')).to.equal('true');
    const { detail } = await completed;
    await el.updateComplete;
    expect(detail.job.outputs).to.have.length(1);
    const statuses = jobsOf(seen).map((j) => j.status);
    expect(statuses[0]).to.equal('failed');
    expect(statuses[1]).to.equal('pending');
    expect(statuses.at(-1)).to.equal('completed');
    expect(seen.filter((e) => e.name === 'staging-job-failed')).to.have.length(1);
    expect(seen.filter((e) => e.name === 'staging-job-completed')).to.have.length(1);
    expect(text(el, 'error')).to.equal('');
  });

  it('fires staging-job-stalled when the stream stays silent, and again after "Keep waiting"', async () => {
    const client = await frozenClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job, stallAfter: 300 });
    expect(queryPart(el, 'stalled')).to.equal(null);
    const first = await nextEvent(el, 'staging-job-stalled');
    await el.updateComplete;
    expect(first.detail.jobId).to.equal(job.id);
    expect(first.detail.silentForMs).to.be.at.least(290);
    expect(text(el, 'stalled')).to.contain('This is taking longer than usual');
    expect(queryPart(el, 'cancel-button'), 'cancelling stays offered').not.to.equal(null);

    const t0 = performance.now();
    part<HTMLButtonElement>(el, 'keep-waiting-button').click();
    await el.updateComplete;
    expect(queryPart(el, 'stalled')).to.equal(null);
    const second = await nextEvent(el, 'staging-job-stalled');
    expect(performance.now() - t0).to.be.at.least(280);
    expect(second.detail.silentForMs).to.be.at.least(290);
  });

  it('falls back to polling when the event stream cannot be opened, and still completes', async () => {
    let streams = 0;
    let polls = 0;
    const client = await wrappedClient((url, init, real) => {
      if (isEvents(url)) {
        streams++;
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      if (isGetJob(url, init)) polls++;
      return real(url, init);
    });
    const job = await startJob(client);
    const el = await mountProgress({ client, job, timing: FAST });
    const modes = new Set<string>();
    const watch = setInterval(() => modes.add(el.connection), 5);
    const { detail } = await nextEvent(el, 'staging-job-completed');
    clearInterval(watch);
    expect(detail.job.outputs).to.have.length(1);
    expect(streams).to.be.greaterThan(0);
    expect(polls).to.be.greaterThan(0);
    expect(modes.has('polling')).to.equal(true);
  });

  it('polls at once when the events answer is not a stream', async () => {
    let streams = 0;
    const client = await wrappedClient(async (url, init, real) => {
      if (!isEvents(url)) return real(url, init);
      streams++;
      const job = await real(url.replace(/\/events$/, ''), init);
      return new Response(await job.text(), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    const job = await startJob(client);
    const el = await mountProgress({ client, job, timing: { ...FAST, reconnectBaseMs: 10_000 } });
    await nextEvent(el, 'staging-job-completed');
    expect(streams).to.equal(1);
  });

  it('reconnects when the stream ends before a terminal status', async () => {
    let streams = 0;
    const client = await wrappedClient(async (url, init, real) => {
      const res = await real(url, init);
      if (!isEvents(url) || ++streams > 1 || !res.body) return res;
      // The first stream is cut after its first event, as a proxy's time limit would.
      const reader = res.body.getReader();
      const first = await reader.read();
      await reader.cancel();
      return new Response(first.value ?? new Uint8Array(), { status: 200, headers: res.headers });
    });
    const job = await startJob(client);
    const el = await mountProgress({ client, job, timing: FAST });
    await nextEvent(el, 'staging-job-completed');
    expect(streams).to.be.at.least(2);
  });

  it('goes back to the stream after polling for a while', async function () {
    // Four 4K variants on the local engine: past 60 s in Firefox at load 20 on 2 cores.
    this.timeout(180_000);
    let streams = 0;
    let answered = 0;
    let polls = 0;
    const client = await wrappedClient(async (url, init, real) => {
      if (isGetJob(url, init)) polls++;
      if (!isEvents(url)) return real(url, init);
      // One stream attempt (with the client's own two retries) fails; later ones work.
      if (++streams <= 3) throw new TypeError('Failed to fetch');
      answered++;
      return real(url, init);
    });
    const job = await startJob(client, SLOW);
    const el = await mountProgress({ client, job, timing: { ...FAST, maxStreamFailures: 1, streamRetryMs: 250 } });
    await nextEvent(el, 'staging-job-completed');
    expect(polls).to.be.greaterThan(0);
    expect(answered).to.be.greaterThan(0);
  });

  it('reconnects at once when the browser comes back online', async () => {
    let streams = 0;
    const client = await wrappedClient((url, init, real) => {
      if (isEvents(url) && ++streams <= 3) return Promise.reject(new TypeError('Failed to fetch'));
      return real(url, init);
    });
    const job = await startJob(client);
    // Without the online event, the next attempt would be 30 s away.
    const el = await mountProgress({ client, job, timing: { reconnectBaseMs: 60_000, reconnectMaxMs: 60_000, maxStreamFailures: 5 } });
    await waitUntil(() => el.connection === 'reconnecting', 'never waited to reconnect', { timeout: 5000, interval: 10 });
    await el.updateComplete;
    expect(text(el, 'connection')).to.contain('reconnecting');
    const completed = nextEvent(el, 'staging-job-completed');
    window.dispatchEvent(new Event('online'));
    await completed;
    expect(streams).to.equal(4);
  });

  it('shows "no longer exists" for an unknown job, fires staging-error once, and does not retry', async () => {
    let streams = 0;
    let polls = 0;
    const client = await wrappedClient((url, init, real) => {
      if (isEvents(url)) streams++;
      if (isGetJob(url, init)) polls++;
      return real(url, init);
    });
    const jobId = unknownJobId();
    const el = await mountProgress({ client, jobId, timing: FAST, stallAfter: 200 });
    const error = await nextEvent(el, 'staging-error');
    // From here on: a slow 404 may come after the 200 ms stall notice, but nothing follows it.
    const seen = recordEvents(el);
    await el.updateComplete;
    expect(error.detail.code).to.equal('not_found');
    expect(error.detail.source).to.equal('staging-job-progress');
    expect(error.detail.message).to.contain('This job no longer exists');
    expect(text(el, 'not-found')).to.contain('This job no longer exists');
    expect(el.status).to.equal('not-found');
    expect(el.connection).to.equal('not-found');
    await aTimeout(500);
    expect(streams).to.equal(1);
    expect(polls).to.equal(0);
    expect(seen.filter((e) => e.name !== 'staging-error'), 'no updates and no stall once it knows').to.have.length(0);
    expect(queryPart(el, 'cancel-button')).to.equal(null);
    // The host clears the id: "no longer exists" was about that job, and goes with it.
    el.jobId = null;
    await el.updateComplete;
    expect(queryPart(el, 'not-found')).to.equal(null);
  });

  it('fires staging-error and shows why when cancelling fails', async () => {
    const client = await frozenClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job, skipConfirm: true });
    const seen = recordEvents(el);
    // The real job finishes while this element, its stream silent, still shows it pending.
    await waitUntil(async () => (await client.getJob(job.id)).status === 'completed', 'the job never completed', { timeout: 10_000, interval: 100 });
    const error = nextEvent(el, 'staging-error');
    part<HTMLButtonElement>(el, 'cancel-button').click();
    const { detail } = await error;
    await el.updateComplete;
    expect(detail.code).to.equal('invalid_state');
    expect(detail.source).to.equal('staging-job-progress');
    expect(detail.requestId).to.be.a('string');
    expect(text(el, 'error')).to.contain('cannot be cancelled');
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    expect(seen.filter((e) => e.name === 'staging-job-cancelled')).to.have.length(0);
    expect(part(el, 'cancel-button').getAttribute('aria-disabled'), 'usable again').to.equal('false');
  });
});
