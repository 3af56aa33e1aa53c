import { expect, waitUntil } from '@open-wc/testing';
import {
  failedJobClient,
  frozenClient,
  mountProgress,
  nextEvent,
  part,
  realClient,
  startJob,
  text,
  unknownJobId,
  waitForStatus,
} from './helpers.js';

describe('staging-job-progress accessibility', () => {
  it('passes axe while pending, with a labelled progress bar and a polite live region', async () => {
    const client = await frozenClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job });
    expect(text(el, 'status-text')).to.equal('Waiting in queue');
    const bar = part<HTMLProgressElement>(el, 'progress-bar');
    expect(bar.getAttribute('aria-labelledby')).to.equal('progress-label');
    expect(text(el, 'progress-label')).to.equal('Progress 0%');
    const live = part(el, 'announcer');
    expect(live.getAttribute('role')).to.equal('status');
    expect(live.getAttribute('aria-live')).to.equal('polite');
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });

  it('passes axe while processing', async () => {
    const client = await frozenClient();
    const created = await startJob(client);
    const el = await mountProgress({ client, job: { ...created, status: 'processing', progress: 0.42 } });
    expect(text(el, 'status-text')).to.equal('Processing');
    expect(text(el, 'progress-label')).to.equal('Progress 42%');
    expect(part<HTMLProgressElement>(el, 'progress-bar').value).to.equal(42);
    expect(part(el, 'cancel-button').textContent.trim()).to.equal('Cancel job');
    await expect(el).to.be.accessible();
  });

  it('passes axe with the cancel confirmation open', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client) });
    part(el, 'cancel-button').click();
    await el.updateComplete;
    const group = part(el, 'cancel-confirm');
    expect(group.getAttribute('role')).to.equal('group');
    expect(group.getAttribute('aria-labelledby')).to.equal('confirm-text');
    expect(part(el, 'confirm-cancel-button').textContent.trim()).to.equal('Yes, cancel job');
    expect(part(el, 'keep-button').textContent.trim()).to.equal('Keep going');
    await expect(el).to.be.accessible();
  });

  it('asks for the cancel confirmation in the element\'s language', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client) });
    el.setAttribute('lang', 'fr');
    // The French strings are fetched the first time: slow in WebKitGTK on a busy machine.
    await waitUntil(() => text(el, 'cancel-button') === 'Annuler la tâche', 'the French words did not arrive', { timeout: 10_000 });
    part(el, 'cancel-button').click();
    await el.updateComplete;
    expect(text(el, 'cancel-confirm')).to.contain('Annuler cette tâche ? Sa progression sera perdue.');
    expect(text(el, 'cancel-confirm')).not.to.contain('Cancel this job?');
  });

  it('passes axe when completed with the local-preview note', async function () {
    // A whole job on the local engine: past 20 s in Firefox on a loaded 2-core machine.
    this.timeout(60_000);
    const client = await realClient();
    const el = await mountProgress({ client, job: await startJob(client, { service: 'virtual-staging', config: 'bedroom' }) });
    await nextEvent(el, 'staging-job-completed');
    await el.updateComplete;
    expect(text(el, 'preview-note')).to.contain('Local preview');
    expect(text(el, 'elapsed')).to.match(/^Took \d+:\d\d$/);
    await expect(el).to.be.accessible();
  });

  it('passes axe when failed with Retry offered, the message in an alert', async () => {
    const { client, job } = await failedJobClient(true);
    const el = await mountProgress({ client, jobId: job.id });
    await waitForStatus(el, 'failed');
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    // The person reads words for the code; the provider's sentence stays in the event.
    expect(text(el, 'error')).to.equal('The image service had a problem with this photo. Try again.');
    expect(part(el, 'retry-button').textContent.trim()).to.equal('Retry');
    await expect(el).to.be.accessible();
  });

  it('passes axe when cancelled', async () => {
    const client = await realClient();
    const job = await startJob(client);
    await client.cancelJob(job.id);
    const el = await mountProgress({ client, jobId: job.id });
    await waitForStatus(el, 'cancelled');
    expect(text(el, 'status-text')).to.equal('Cancelled');
    await expect(el).to.be.accessible();
  });

  it('passes axe when stalled', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client), stallAfter: 100 });
    await nextEvent(el, 'staging-job-stalled');
    await el.updateComplete;
    expect(part(el, 'stalled').getAttribute('aria-labelledby')).to.equal('stalled-text');
    expect(part(el, 'keep-waiting-button').textContent.trim()).to.equal('Keep waiting');
    expect(text(el, 'announcer')).to.equal('This is taking longer than usual.');
    await expect(el).to.be.accessible();
  });

  it('passes axe when the job no longer exists', async () => {
    const client = await realClient();
    const el = await mountProgress({ client, jobId: unknownJobId() });
    await waitForStatus(el, 'not-found');
    expect(text(el, 'status-text')).to.equal('Job not found');
    await expect(el).to.be.accessible();
  });

  it('announces status changes and quarter milestones, not every progress tick', async () => {
    const client = await realClient();
    const el = await mountProgress({ client, job: await startJob(client) });
    const said: string[] = [];
    const live = part(el, 'announcer');
    const observer = new MutationObserver(() => {
      const t = live.textContent.trim();
      if (t && said.at(-1) !== t) said.push(t);
    });
    observer.observe(live, { childList: true, characterData: true, subtree: true });
    let updates = 0;
    el.addEventListener('staging-job-updated', () => updates++);
    await nextEvent(el, 'staging-job-completed');
    await el.updateComplete;
    observer.disconnect();
    expect(said).to.include('Processing.');
    expect(said.at(-1)).to.equal('Done. 1 image ready.');
    for (const s of said) expect(s).to.match(/^(Preparing your photo\.|Processing\.|Done\. 1 image ready\.|(Preparing your photo|Processing), (25|50|75)%\.)$/);
    expect(said.length).to.be.lessThan(updates);
  });
});
