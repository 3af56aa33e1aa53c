import { expect, waitUntil } from '@open-wc/testing';
import type { StagingBracketSet } from '../../../src/elements/staging-bracket-set/staging-bracket-set.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { bracketFiles } from '../staging-bracket-set/helpers.js';
import { inner, mountWidget, recordEvents, step } from './helpers.js';

describe('staging-widget: merging bracketed shots (real BFF, local engine)', () => {
  it('first shot → "Combine dark and bright shots" → the other shots, darkest first → one merged photo', async function () {
    // Three 6-megapixel-class shots merged by OpenCV: minutes on a heavily loaded machine.
    this.timeout(180_000);
    const el = await mountWidget();
    const events = recordEvents(el);
    const [dark, middle, bright] = await bracketFiles('living-room-render.jpg', [-2, 0, 2]);

    await inner<any>(el, 'staging-dropzone')!.selectFile(middle);
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 15_000 });
    const first = events.find((e) => e.name === 'staging-upload')!.detail.upload;

    await waitUntil(() => inner<StagingPicker>(el, 'staging-picker')?.value, 'the picker did not load', { timeout: 10_000 });
    const picker = inner<StagingPicker>(el, 'staging-picker')!;
    const hdr = picker.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="hdr-merge"]');
    expect(hdr, 'the picker offers the merge').to.exist;
    hdr!.click();
    await picker.updateComplete;
    picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();

    await waitUntil(() => inner<StagingBracketSet>(el, 'staging-bracket-set'), 'no shots step', { timeout: 10_000 });
    expect(step(el)).to.equal('Shots');
    const merge = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="actions"] button.primary')].find((b) => b.textContent.includes('Merge'))!;
    expect(merge().disabled, 'nothing to merge yet').to.equal(true);

    const set = inner<StagingBracketSet>(el, 'staging-bracket-set')!;
    await set.addFiles([bright!, dark!]);
    await waitUntil(() => !merge().disabled, 'the set did not become usable', { timeout: 10_000 });
    merge().click();

    await waitUntil(() => events.some((e) => e.name === 'staging-job-completed' || e.name === 'staging-job-failed'), 'the merge did not finish', { timeout: 170_000 });
    const created = events.find((e) => e.name === 'staging-job-created')!.detail.job;
    expect(created.service).to.equal('hdr-merge');
    expect(created.upload_id).to.equal(first.id);
    expect(created.bracket_upload_ids).to.have.length(2);
    expect(events.some((e) => e.name === 'staging-job-completed'), 'the merge completed').to.equal(true);
    await waitUntil(() => inner(el, 'staging-before-after'), 'no result step', { timeout: 5_000 });
  });
});
