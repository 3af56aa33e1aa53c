import { expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { all, allReady, fixtureFile, inner, LISTING, mountListing, recordEvents, statuses } from './helpers.js';
import { realClient } from '../support/real-bff.js';

/** The element focused inside the listing's shadow root. */
const focused = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

/** Presses Tab (or Shift+Tab) until `match` holds for the focused element, as a keyboard user would. */
async function tabTo(el: Element, match: (f: HTMLElement) => boolean, what: string, back = false): Promise<HTMLElement> {
  for (let i = 0; i < 80; i++) {
    const f = focused(el);
    if (f && match(f)) return f;
    if (back) {
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
    } else await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${what}; focus is on ${focused(el)?.outerHTML.slice(0, 120)}`);
}

const part = (name: string) => (f: HTMLElement) => (f.getAttribute('part') ?? '').split(' ').includes(name);

describe('<staging-listing>: keyboard, screen readers and axe', () => {
  it('runs a whole listing with the keyboard alone: rooms, a selection, the style, Start, Leave out, Use the kept photos', async () => {
    const el = await mountListing();
    const events = recordEvents(el);
    // The photos come from the system's file dialog, which is not the page's to drive.
    el.addFiles(await Promise.all(LISTING.slice(0, 3).map((n) => fixtureFile(n))));
    await allReady(el, 3);
    el.focus();
    inner<HTMLElement>(el, '[part="heading"]')!.focus();

    // The style: Tab into the group, arrows move the choice.
    await tabTo(el, (f) => f instanceof HTMLInputElement && f.name === 'style', 'the style choice');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(all<HTMLInputElement>(el, '[part="styles"] input').find((i) => i.checked)!.value).to.equal('minimalist');

    // Photo 2's room with the arrow keys on its select.
    await tabTo(el, (f) => f instanceof HTMLSelectElement && f.getAttribute('aria-label')!.includes('Photo 2'), "photo 2's room");
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(all<HTMLSelectElement>(el, 'select[part="room"]')[1]!.value).to.equal('bedroom');

    // Photo 3 selected with Space, then a room for the selection.
    await tabTo(el, (f) => f.getAttribute('aria-label') === `Select Photo 3: ${LISTING[2]}`, "photo 3's box");
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    await tabTo(el, part('room-for-selected'), 'the room for the selection', true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await tabTo(el, part('apply-button'), 'Apply');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(all<HTMLSelectElement>(el, 'select[part="room"]').map((s) => s.value)).to.deep.equal(['living-room', 'bedroom', 'kitchen']);

    await tabTo(el, part('start-button'), 'Start');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => inner(el, '[part="results"]'), 'no results', { timeout: 60_000 });
    expect(events.find((e) => e.name === 'staging-batch-created')!.detail.batch.options).to.deep.equal({ style: 'minimalist' });
    // Focus went to the results' heading: the next Tab starts there.
    expect(part('heading')(focused(el)!)).to.equal(true);

    await tabTo(el, (f) => part('exclude-button')(f) && f.closest('li')!.getAttribute('aria-labelledby') === all(el, '[part~="result"]')[1]!.getAttribute('aria-labelledby'), "photo 2's Leave out");
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(focused(el)!.getAttribute('aria-pressed')).to.equal('true');
    await tabTo(el, part('use-button'), 'Use the kept photos');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => events.some((e) => e.name === 'staging-outputs-kept'), 'no kept event', { timeout: 10_000 });
    expect(events.find((e) => e.name === 'staging-outputs-kept')!.detail.outputs.map((k: any) => k.item)).to.deep.equal([1, 3]);
  });

  it('passes axe while choosing, while working and in the results, light and dark; every photo has a name', async () => {
    const bare = await mount(html`<staging-listing></staging-listing>`);
    await expect(bare).to.be.accessible();
    const el = await mountListing();
    await expect(el).to.be.accessible();
    el.addFiles([await fixtureFile(LISTING[0]), new File(['not a photo'], 'notes.txt', { type: 'text/plain' }), await fixtureFile(LISTING[1])]);
    await allReady(el, 2);
    await waitUntil(() => !statuses(el).includes('Preparing…'), 'still preparing');
    await expect(el).to.be.accessible();
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    el.removeAttribute('theme');
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="batch-progress"]'), 'not working', { timeout: 10_000 });
    await expect(el).to.be.accessible();
    await waitUntil(() => inner(el, '[part="results"]'), 'no results', { timeout: 60_000 });
    await waitUntil(() => all(el, 'staging-before-after').every((c) => c.shadowRoot), 'the comparisons did not render');
    await expect(el).to.be.accessible();
    for (const li of all(el, '[part~="result"]')) expect(inner(el, `#${li.getAttribute('aria-labelledby')}`)!.textContent).to.match(/^Photo \d: /);
    // Progress is said without moving focus.
    expect(inner(el, '[part="status"]')!.getAttribute('aria-live')).to.equal('polite');
  });

  it('redoes one photo with what to change, as one job that becomes its result in the batch; the publishing notes are said once', async () => {
    const client = await realClient(undefined, { max_credits: 40 });
    const el = await mountListing({ client, services: 'render-enhancement' });
    // A phone's width: the results are taller than the page, and the footer sticks to its bottom.
    el.style.width = '360px';
    const events = recordEvents(el);
    el.addFiles([await fixtureFile(LISTING[0]), await fixtureFile(LISTING[1])]);
    await allReady(el, 2);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="results"]'), 'no results', { timeout: 60_000 });
    // What publishing takes: once for the listing, not under each photo.
    expect(all(el, '[part="publish-notes"] staging-disclosure')).to.have.length(1);
    expect(all(el, 'staging-disclosure')).to.have.length(1);
    const batch = events.find((e) => e.name === 'staging-batch-created')!.detail.batch;

    // Redo opens a small form under the photo: what to change, its cost, "Make another version".
    const redo = all<HTMLButtonElement>(el, '[part="redo-button"]')[1]!;
    redo.click();
    await el.updateComplete;
    expect(redo.getAttribute('aria-expanded')).to.equal('true');
    let form = inner(el, '[part="redo-form"]')!;
    expect(form.textContent).to.contain('Redo costs 2 credits.');
    // It takes focus, and shows whole above the sticky footer (which hid it on a phone).
    expect(el.shadowRoot!.activeElement === form.querySelector('textarea'), 'the form’s field has focus').to.equal(true);
    await waitUntil(() => form.getBoundingClientRect().bottom <= inner(el, '[part="footer"]')!.getBoundingClientRect().top + 1, 'the form is under the footer');
    expect(form.getBoundingClientRect().top).to.be.at.least(0);
    // "Never mind" closes it and gives focus back to Redo; Redo opens it again.
    form.querySelector<HTMLButtonElement>('[part="redo-close"]')!.click();
    await el.updateComplete;
    expect(inner(el, '[part="redo-form"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement === redo, 'Redo has focus again').to.equal(true);
    redo.click();
    await el.updateComplete;
    form = inner(el, '[part="redo-form"]')!;
    form.querySelector('textarea')!.value = 'warmer light, keep the rug';
    form.querySelector<HTMLButtonElement>('[part="redo-submit"]')!.click();
    await waitUntil(() => inner(el, 'staging-job-progress'), 'the redo is not followed', { timeout: 10_000 });
    await waitUntil(() => !inner(el, 'staging-job-progress') && all(el, 'staging-before-after').length === 2, 'the redo did not finish', { timeout: 60_000 });
    expect(inner(el, '[part="redo-form"]')).to.equal(null);

    // The BFF made it the photo's job in the batch (so the ZIP holds it), with the new instructions.
    const after = await client.getBatch(batch.id);
    const item = after.items[1]!;
    expect(item.job_id).to.not.equal(batch.items[1].job_id);
    expect(item.previous_job_ids).to.deep.equal([batch.items[1].job_id]);
    expect((await client.getJob(item.job_id)).prompt).to.equal('warmer light, keep the rug');
    expect(after.items[0]!.job_id).to.equal(batch.items[0].job_id);

    inner<HTMLButtonElement>(el, '[part="use-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-outputs-kept'), 'no kept event', { timeout: 10_000 });
    const jobs = events.find((e) => e.name === 'staging-outputs-kept')!.detail.outputs.map((k: any) => k.jobId);
    expect(jobs).to.deep.equal([batch.items[0].job_id, item.job_id]);
  });

  it('"Stop the rest" cancels what has not finished, gives its credits back and says which photos were not done', async () => {
    const client = await realClient(undefined, { max_credits: 20 });
    const el = await mountListing({ client, services: 'render-enhancement' });
    const events = recordEvents(el);
    el.addFiles(await Promise.all(LISTING.map((n) => fixtureFile(n))));
    await allReady(el, 4);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="cancel-button"]'), 'the listing did not start', { timeout: 10_000 });
    // At most three of a session's jobs run at once: the fourth is still waiting now.
    inner<HTMLButtonElement>(el, '[part="cancel-button"]')!.click();
    await waitUntil(() => inner(el, '[part="results"]'), 'the stopped listing did not reach its results', { timeout: 60_000 });

    const batch = await client.getBatch(events.find((e) => e.name === 'staging-batch-created')!.detail.batch.id);
    expect(batch.status).to.equal('cancelled');
    expect(batch.counts.cancelled).to.be.greaterThan(0);
    // Only finished photos are charged (2 credits each at 2K): the others' credits came back.
    expect((await client.getCredits()).remaining).to.equal(20 - 2 * batch.counts.completed);
    // Each photo not done says so, with Try again; the finished ones show their result.
    expect(all(el, '[part="result-failed"]')).to.have.length(batch.counts.cancelled + batch.counts.failed);
    // A stopped photo says Cancelled (it did not fail), and one note says how many and that their credits are back.
    expect(all(el, '[part="result-failed"] p').filter((p) => p.textContent === 'Cancelled')).to.have.length(batch.counts.cancelled);
    const n = batch.counts.cancelled;
    expect(inner(el, '[part="stopped-note"]')!.textContent).to.equal(n === 1 ? '1 photo was stopped before it was staged: its credits are back.' : `${n} photos were stopped before they were staged: their credits are back.`);
    expect(all(el, 'staging-before-after')).to.have.length(batch.counts.completed);
    expect(events.filter((e) => e.name === 'staging-error')).to.deep.equal([]);
  });
});
