import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { failedJobClient, frozenClient, mountProgress, nextEvent, part, queryPart, realClient, SLOW, startJob } from './helpers.js';

/** The part name of the focused node inside `el`: comparing strings keeps failure messages small. */
const active = (el: HTMLElement): string | null => el.shadowRoot!.activeElement?.getAttribute('part') ?? null;

describe('staging-job-progress keyboard', () => {
  it('reaches Cancel with Tab, opens the confirmation with Enter and cancels with Space', async () => {
    const client = await realClient();
    const job = await startJob(client, SLOW);
    const el = await mountProgress({ client, job });
    await waitUntil(() => el.job?.status === 'compressing' || el.job?.status === 'processing', 'job never started', { timeout: 10_000, interval: 10 });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal('cancel-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(active(el), 'focus moves to the confirmation').to.equal('confirm-cancel-button');
    const cancelled = nextEvent(el, 'staging-job-cancelled');
    await sendKeys({ press: 'Space' });
    await cancelled;
    await el.updateComplete;
    await el.updateComplete;
    expect(queryPart(el, 'cancel-button')).to.equal(null);
    // The stream's cancelled event can come before the cancel request's answer, which moves focus.
    await waitUntil(() => active(el) === 'status', `focus should stay inside, on the status (is on ${active(el)})`, { timeout: 3000, interval: 10 });
  });

  it('"Keep going" closes the confirmation and returns focus to Cancel', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client) });
    part(el, 'cancel-button').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal('keep-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(queryPart(el, 'cancel-confirm')).to.equal(null);
    expect(active(el)).to.equal('cancel-button');
  });

  it('reaches Retry with Tab and retries with Enter, then focus moves to Cancel', async () => {
    const { client, job } = await failedJobClient(true);
    const el = await mountProgress({ client, jobId: job.id });
    await nextEvent(el, 'staging-job-failed');
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal('retry-button');
    const restarted = nextEvent(el, 'staging-job-updated');
    const completed = nextEvent(el, 'staging-job-completed');
    await sendKeys({ press: 'Enter' });
    expect((await restarted).detail.job.status).to.equal('pending');
    await waitUntil(() => active(el) === 'cancel-button', 'focus never reached Cancel', { timeout: 2000, interval: 10 });
    await completed;
  });

  it('retries with Space too', async () => {
    const { client, job } = await failedJobClient(true);
    const el = await mountProgress({ client, jobId: job.id });
    await nextEvent(el, 'staging-job-failed');
    await el.updateComplete;
    part(el, 'retry-button').focus();
    const completed = nextEvent(el, 'staging-job-completed');
    await sendKeys({ press: 'Space' });
    expect((await completed).detail.job.outputs).to.have.length(1);
  });

  it('"Keep waiting" works from the keyboard', async () => {
    const client = await frozenClient();
    const el = await mountProgress({ client, job: await startJob(client), stallAfter: 150 });
    await nextEvent(el, 'staging-job-stalled');
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal('keep-waiting-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(queryPart(el, 'stalled')).to.equal(null);
    expect(active(el)).to.equal('cancel-button');
  });

  it('cancels at once with Enter when skip-cancel-confirm is set', async () => {
    const client = await realClient();
    const job = await startJob(client, SLOW);
    const el = await mountProgress({ client, job, skipConfirm: true });
    await waitUntil(() => el.job?.status === 'compressing' || el.job?.status === 'processing', 'job never started', { timeout: 10_000, interval: 10 });
    await el.updateComplete;
    part(el, 'cancel-button').focus();
    const cancelled = nextEvent(el, 'staging-job-cancelled');
    await sendKeys({ press: 'Enter' });
    expect((await cancelled).detail.job.status).to.equal('cancelled');
  });
});
