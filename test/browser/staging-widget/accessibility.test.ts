import { expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-widget/staging-widget.js';
import { fixtureFile, inner, mountWidget } from './helpers.js';

describe('staging-widget accessibility', () => {
  it('passes axe in the upload step and after a photo is chosen', async () => {
    const el = await mountWidget();
    await expect(el).to.be.accessible();
    let uploaded = false;
    el.addEventListener('staging-upload', () => (uploaded = true));
    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile());
    await waitUntil(() => uploaded && inner(el, 'staging-picker'), 'no configure step', { timeout: 15_000 });
    await waitUntil(() => (inner<any>(el, 'staging-picker')).value !== null, 'picker', { timeout: 10_000 });
    await expect(el).to.be.accessible();
  });

  it('passes axe in its misconfigured state and in dark mode', async () => {
    const bare = await mount(html`<staging-widget></staging-widget>`);
    await expect(bare).to.be.accessible();
    const dark = await mountWidget();
    dark.setAttribute('theme', 'dark');
    await dark.updateComplete;
    await expect(dark).to.be.accessible();
  });

  it('marks the current step for assistive technology', async () => {
    const el = await mountWidget();
    const current = el.shadowRoot!.querySelectorAll('[aria-current="step"]');
    expect(current).to.have.length(1);
    expect(current[0]!.textContent).to.contain('Photo');
  });
});
