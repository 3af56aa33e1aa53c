import { expect, waitUntil } from '@open-wc/testing';
import { StagingWidget } from '../../../src/elements/staging-widget/staging-widget.js';
import { fixtureFile, inner, mountWidget, recordEvents, step } from './helpers.js';

// A page of its own, so the picker is not defined yet and must come through the loader.
describe('staging-widget when a step cannot be loaded', () => {
  const realLoader = StagingWidget.stepLoader;
  afterEach(() => {
    StagingWidget.stepLoader = realLoader;
  });

  it('says so in words, fires staging-error, and loads the step on "Try loading again"', async () => {
    let failures = 0;
    StagingWidget.stepLoader = async (tag) => {
      if (tag === 'staging-picker' && failures < 2) {
        failures++;
        throw new TypeError('Failed to fetch dynamically imported module: https://cdn.example/chunks/staging-picker-x.js');
      }
      return realLoader(tag);
    };
    const el = await mountWidget();
    const events = recordEvents(el);
    // The prefetch while the photo is chosen fails quietly…
    await waitUntil(() => failures === 1, 'the picker was not fetched ahead', { timeout: 10_000 });
    expect(events.filter((e) => e.name === 'staging-error')).to.have.length(0);

    // …opening the step fails in sight.
    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('kitchen-render.jpg'));
    await waitUntil(() => step(el) === 'Style', 'no style step', { timeout: 15_000 });
    await waitUntil(() => events.some((e) => e.name === 'staging-error'), 'no staging-error', { timeout: 5_000 });
    const error = events.find((e) => e.name === 'staging-error')!.detail;
    expect(error.code).to.equal('load_failed');
    expect(error).to.include({ source: 'staging-widget', step: 'load' });
    expect(error.message).to.not.contain('https://');
    await el.updateComplete;
    expect(inner(el, '[part="error"]')!.textContent).to.contain('could not be loaded');
    expect(inner(el, 'staging-picker') === null).to.equal(true);
    await expect(el).to.be.accessible();

    const retry = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent.includes('Try loading again'))!;
    retry.click();
    await waitUntil(() => inner(el, 'staging-picker'), 'the step did not load on retry', { timeout: 10_000 });
    expect(failures).to.equal(2);
    await el.updateComplete;
    expect(inner(el, '[part="error"]') === null, 'the error went away with the problem').to.equal(true);
    expect(customElements.get('staging-picker')).to.not.equal(undefined);
  });
});
