import { expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { all, allReady, fixtureFile, inner, LISTING, mountListing, recordEvents, statuses } from './helpers.js';

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

  it('redoes one photo as one job, followed by its own progress, and the new output is the one kept', async () => {
    const el = await mountListing();
    const events = recordEvents(el);
    el.addFiles([await fixtureFile(LISTING[0]), await fixtureFile(LISTING[1])]);
    await allReady(el, 2);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="results"]'), 'no results', { timeout: 60_000 });
    const batchJobs = events.find((e) => e.name === 'staging-batch-created')!.detail.batch.items.map((i: any) => i.job_id);
    all<HTMLButtonElement>(el, '[part="redo-button"]')[1]!.click();
    await waitUntil(() => inner(el, 'staging-job-progress'), 'the redo is not followed', { timeout: 10_000 });
    await waitUntil(() => !inner(el, 'staging-job-progress') && all(el, 'staging-before-after').length === 2, 'the redo did not finish', { timeout: 60_000 });
    inner<HTMLButtonElement>(el, '[part="use-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-outputs-kept'), 'no kept event', { timeout: 10_000 });
    const jobs = events.find((e) => e.name === 'staging-outputs-kept')!.detail.outputs.map((k: any) => k.jobId);
    expect(jobs[0]).to.equal(batchJobs[0]);
    expect(jobs[1]).to.not.equal(batchJobs[1]);
    expect(jobs[1]).to.match(/^job_/);
  });
});
