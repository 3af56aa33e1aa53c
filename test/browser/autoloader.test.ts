import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { autoloadElements } from '../../src/elements/autoloader.js';
import { LOADABLE_TAGS, loadElement } from '../../src/elements/element-loaders.js';

// A page of its own: none of the on-demand elements is defined when this file starts.
describe('autoloadElements (the one-tag script runs it on the document)', () => {
  it('starts with every on-demand element undefined', () => {
    for (const tag of LOADABLE_TAGS) expect(customElements.get(tag), tag).to.equal(undefined);
  });

  it('defines the staging tags already in the root, and leaves other undefined tags alone', async () => {
    const root = await fixture<HTMLDivElement>(html`<div><staging-job-progress></staging-job-progress><other-thing></other-thing></div>`);
    const stop = autoloadElements(root);
    try {
      await waitUntil(() => root.querySelector('staging-job-progress')!.matches(':defined'), 'staging-job-progress was not defined', { timeout: 10_000 });
      expect(root.querySelector('other-thing')!.matches(':defined')).to.equal(false);
      expect(customElements.get('staging-before-after')).to.equal(undefined);
    } finally {
      stop();
    }
  });

  it('defines tags added later, nested ones too, until stopped', async () => {
    const root = await fixture<HTMLDivElement>(html`<div></div>`);
    const stop = autoloadElements(root);
    const section = document.createElement('section');
    section.innerHTML = '<p><staging-before-after></staging-before-after></p>';
    root.append(section);
    await waitUntil(() => root.querySelector('staging-before-after')!.matches(':defined'), 'a nested tag added later was not defined', {
      timeout: 10_000,
    });
    stop();
    root.append(document.createElement('staging-picker'));
    // Give an observer that is still listening every chance to act.
    await new Promise((r) => setTimeout(r, 500));
    expect(customElements.get('staging-picker')).to.equal(undefined);
  });

  it('loadElement resolves with the class, once, however often it is asked', async () => {
    const [a, b] = await Promise.all([loadElement('staging-picker'), loadElement('staging-picker')]);
    expect(a === b).to.equal(true);
    expect(a === customElements.get('staging-picker')).to.equal(true);
  });
});
