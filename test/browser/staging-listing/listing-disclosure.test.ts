/**
 * What publishing a listing takes, in its results, under the AB 723 disclosure profile (the real
 * BFF labels each output): said once above the gallery, with each photo's own original under it.
 * Adapted from the listing-ui helper's test to this element's parts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { realClient } from '../support/real-bff.js';
import { all, allReady, fixtureFile, inner, LISTING, mountListing, recordEvents } from './helpers.js';

describe('<staging-listing> publishing notes in the results (real BFF, AB 723 profile)', () => {
  it('says once above the gallery what every photo needs, and links each photo’s own original under it', async () => {
    const client = await realClient(undefined, { disclosure_profile: 'ca-ab723' });
    const el = await mountListing({ client });
    el.style.width = '800px';
    const events = recordEvents(el);
    el.addFiles(await Promise.all(LISTING.slice(0, 3).map((n) => fixtureFile(n))));
    await allReady(el, 3);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="results"]'), 'the listing did not reach its results', { timeout: 60_000 });
    const { jobs } = await client.getBatch(events.find((e) => e.name === 'staging-batch-created')!.detail.batch.id);
    const disclosures = jobs.map((j) => j.outputs[0]!.disclosure);
    expect(disclosures.every((d) => d.edit_class === 'material' && d.burned_in && d.original === 'link')).to.equal(true);

    // One notice for all: the label (burned in), the caption to copy, where the originals go.
    await waitUntil(() => inner(el, '[part="publish-notes"] staging-disclosure')?.shadowRoot?.querySelector('[part="caption"]'), 'no shared notice');
    expect(all(el, 'staging-disclosure')).to.have.length(1);
    // Room enough: the notes show open, under one title (the summary's, not the notice's too).
    expect(inner<HTMLDetailsElement>(el, '[part="publish-notes"]')!.open).to.equal(true);
    expect(inner(el, '[part="publish-summary"]')!.textContent.trim()).to.equal('Before you publish');
    const noticeTitle = inner(el, '[part="publish-notes"] staging-disclosure')!.shadowRoot!.querySelector('[part="title"]')!;
    expect(getComputedStyle(noticeTitle).display).to.equal('none');
    const notice = inner(el, '[part="publish-notes"] staging-disclosure')!.shadowRoot!;
    expect(notice.textContent).to.contain('A “Digitally altered image” label is on the image.');
    expect(notice.querySelector('[part="caption"]')!.textContent).to.equal(disclosures[0]!.caption);
    // One photo's original page is not everyone's: it is not in the shared notice.
    expect(notice.querySelector('[part="original"]')).to.equal(null);
    const noticeText = inner(el, '[part="publish-notes"]')!.textContent;
    expect(noticeText).to.contain('Link each original photo with the listing');
    expect(noticeText).to.contain('“Download all” holds the copies to publish');

    // Under each photo, only its own: the link to its original's page.
    const results = all(el, '[part~="result"]');
    expect(results.map((r) => r.querySelector<HTMLAnchorElement>('[part="original-link"]')?.href)).to.deep.equal(disclosures.map((d) => d.original_page_url));
    expect(results.every((r) => !r.querySelector('[part="result-notes"]')!.textContent.includes('Digitally altered image'))).to.equal(true);
  });

  it('fits a phone: the notice folds to one line, opens on a tap, and each photo’s notes stay inside 360 px', async () => {
    const client = await realClient(undefined, { disclosure_profile: 'ca-ab723' });
    const el = await mountListing({ client });
    el.style.display = 'block';
    el.style.width = '360px';
    el.addFiles([await fixtureFile(LISTING[0])]);
    await allReady(el, 1);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => inner(el, '[part="result-notes"]'), 'no results', { timeout: 60_000 });
    await waitUntil(() => inner(el, '[part="publish-notes"] staging-disclosure')?.shadowRoot?.querySelector('[part="caption"]'), 'no shared notice');
    // Folded: one line, so that the first photo shows above the sticky buttons.
    const notes = inner<HTMLDetailsElement>(el, '[part="publish-notes"]')!;
    const summary = inner<HTMLElement>(el, '[part="publish-summary"]')!;
    expect(notes.open).to.equal(false);
    expect(notes.getBoundingClientRect().height).to.be.at.most(summary.getBoundingClientRect().height + 1);
    // A tap opens it, and the next render (a job update) does not fold it again.
    summary.click();
    await waitUntil(() => notes.open, 'the notes did not open');
    el.requestUpdate();
    await el.updateComplete;
    expect(notes.open).to.equal(true);
    expect(notes.getBoundingClientRect().height).to.be.above(summary.getBoundingClientRect().height + 100);
    const right = el.getBoundingClientRect().right;
    for (const part of ['publish-notes', 'result-notes']) expect(inner(el, `[part="${part}"]`)!.getBoundingClientRect().right, part).to.be.at.most(right + 0.5);
  });
});
