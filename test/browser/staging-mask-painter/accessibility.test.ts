import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { StagingMaskPainter, type FabricModule } from '../../../src/elements/staging-mask-painter/staging-mask-painter.js';
import { PHOTO_URL, line, part, readyPainter, stroke } from './helpers.js';
import { resetMouse } from '../support/commands.js';

describe('staging-mask-painter: accessibility', () => {
  const realLoader = StagingMaskPainter.fabricLoader;
  afterEach(async () => {
    StagingMaskPainter.fabricLoader = realLoader;
    await resetMouse();
  });

  it('is accessible while fabric loads (busy, with a loading notice)', async () => {
    let release!: (m: FabricModule) => void;
    StagingMaskPainter.fabricLoader = () => new Promise<FabricModule>((resolve) => (release = resolve));
    const el = await fixture<StagingMaskPainter>(html`<staging-mask-painter style="width: 360px" src=${PHOTO_URL}></staging-mask-painter>`);
    await waitUntil(() => release !== undefined, 'loader never called');
    expect(part(el, 'stage').getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'loading').getAttribute('role')).to.equal('status');
    expect(part<HTMLButtonElement>(el, 'brush-button').disabled).to.equal(true);
    await expect(el).to.be.accessible();
    release(await realLoader());
    await waitUntil(() => el.ready, 'never ready');
    expect(part(el, 'stage').getAttribute('aria-busy')).to.equal('false');
  });

  it('is accessible when ready and after painting', async () => {
    const el = await readyPainter(360);
    await expect(el).to.be.accessible();
    await stroke(el, line(400, 1200, 480));
    part<HTMLDetailsElement>(el, 'help').open = true;
    await expect(el).to.be.accessible();
  });

  it('shows an accessible error with a working retry when fabric fails to load', async () => {
    StagingMaskPainter.fabricLoader = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const el = await fixture<StagingMaskPainter>(html`<staging-mask-painter style="width: 360px" src=${PHOTO_URL}></staging-mask-painter>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="error"]'), 'no error state');
    const error = part(el, 'error');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain('could not be loaded');
    expect(el.shadowRoot!.querySelector('[part~="loading"]')).to.equal(null);
    await expect(el).to.be.accessible();
    StagingMaskPainter.fabricLoader = realLoader;
    part<HTMLButtonElement>(el, 'retry-button').click();
    await waitUntil(() => el.ready, 'retry did not recover', { timeout: 15000 });
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
  });

  it('shows an error when the photo cannot be loaded', async () => {
    const el = await fixture<StagingMaskPainter>(
      html`<staging-mask-painter style="width: 360px" src="data:image/jpeg;base64,AAAA"></staging-mask-painter>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="error"]'), 'no error state');
    expect(part(el, 'error').textContent).to.contain('photo could not be loaded');
    await expect(el).to.be.accessible();
  });

  it('is accessible and not busy without a photo', async () => {
    const el = await fixture<StagingMaskPainter>(html`<staging-mask-painter style="width: 360px"></staging-mask-painter>`);
    expect(part(el, 'stage').getAttribute('aria-busy')).to.equal('false');
    expect(part(el, 'empty').textContent).to.contain('No photo');
    expect(el.shadowRoot!.querySelector('[part~="loading"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('labels every control and marks toggles with aria-pressed', async () => {
    const el = await readyPainter();
    for (const name of ['brush-button', 'eraser-button', 'undo-button', 'redo-button', 'invert-button', 'clear-button']) {
      expect(part(el, name).textContent.trim(), name).to.not.equal('');
    }
    expect(part(el, 'brush-button').getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'eraser-button').getAttribute('aria-pressed')).to.equal('false');
    const input = part<HTMLInputElement>(el, 'size-input');
    expect(input.labels?.[0]?.textContent).to.equal('Size');
    expect(part<HTMLImageElement>(el, 'image').alt).to.equal('Photo to mask');
  });

  it('announces actions in a polite live region', async () => {
    const el = await readyPainter();
    el.invert();
    await el.updateComplete;
    const status = part(el, 'status');
    expect(status.getAttribute('aria-live')).to.equal('polite');
    expect(status.textContent).to.contain('Mask inverted');
  });

  it('fits a 360 px wide phone without horizontal overflow', async () => {
    const el = await readyPainter(360);
    const base = part(el, 'base');
    expect(base.scrollWidth).to.be.at.most(360);
    for (const button of el.shadowRoot!.querySelectorAll('button')) {
      expect(button.getBoundingClientRect().right, button.textContent ?? '').to.be.at.most(el.getBoundingClientRect().right + 0.5);
    }
  });
});
