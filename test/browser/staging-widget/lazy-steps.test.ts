import { expect, waitUntil } from '@open-wc/testing';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { fixtureFile, inner, mountWidget, recordEvents, step } from './helpers.js';

// Each test file runs in a page of its own: nothing but the widget (and its dropzone) is
// defined until the widget loads it.
const defined = (tag: string) => customElements.get(tag) !== undefined;

describe('staging-widget loads the elements of later steps on demand', () => {
  it('defines only the first screen, fetches the next step while the person works, and the rest as the flow reaches it', async () => {
    expect(defined('staging-widget')).to.equal(true);
    expect(defined('staging-dropzone')).to.equal(true);
    for (const tag of ['staging-picker', 'staging-mask-painter', 'staging-job-progress', 'staging-before-after']) {
      expect(defined(tag), tag).to.equal(false);
    }

    const el = await mountWidget();
    const events = recordEvents(el);
    // While the photo is being chosen, the style step's code arrives; nothing further yet.
    await waitUntil(() => defined('staging-picker'), 'the picker was not fetched ahead', { timeout: 10_000 });
    expect(defined('staging-job-progress')).to.equal(false);
    expect(defined('staging-before-after')).to.equal(false);

    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('kitchen-render.jpg'));
    await waitUntil(() => step(el) === 'Style', 'no style step', { timeout: 15_000 });
    // On the style step: the two steps that may follow it.
    await waitUntil(() => defined('staging-job-progress') && defined('staging-mask-painter'), 'progress and painter were not fetched ahead', {
      timeout: 10_000,
    });
    expect(defined('staging-before-after')).to.equal(false);

    const picker = await waitUntil(() => inner<StagingPicker>(el, 'staging-picker'), 'no picker').then(() => inner<StagingPicker>(el, 'staging-picker')!);
    await waitUntil(() => picker.value !== null, 'the picker did not load', { timeout: 10_000 });
    picker.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="render-enhancement"]')!.click();
    await picker.updateComplete;
    picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 15_000 });
    await waitUntil(() => defined('staging-before-after'), 'the result step was not fetched ahead', { timeout: 10_000 });
    await waitUntil(() => inner(el, 'staging-before-after'), 'no result step', { timeout: 20_000 });
    expect(step(el)).to.equal('Result');
  });
});
