import { expect, fixture, html } from '@open-wc/testing';
import type { StagingBeforeAfter } from '../../../src/elements/staging-before-after/staging-before-after.js';
import { compare, handleOf, part } from './helpers.js';

describe('staging-before-after: accessibility', () => {
  it('the handle is an ARIA slider with value text', async () => {
    const el = await compare();
    const handle = handleOf(el);
    expect(handle.getAttribute('role')).to.equal('slider');
    expect(handle.tabIndex).to.equal(0);
    expect(handle.getAttribute('aria-valuemin')).to.equal('0');
    expect(handle.getAttribute('aria-valuemax')).to.equal('100');
    expect(handle.getAttribute('aria-valuenow')).to.equal('50');
    expect(handle.getAttribute('aria-valuetext')).to.equal('50% before, 50% after');
    expect(handle.getAttribute('aria-label')).to.equal('Before and after divider');
  });

  it('is accessible with variants', async () => {
    const el = await compare();
    await expect(el).to.be.accessible();
  });

  it('is accessible with the local preview badge, zoomed and in pan mode', async () => {
    const el = await compare();
    el.selectVariant(1);
    el.zoom = 2;
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'pan-button').click();
    await el.updateComplete;
    expect(part(el, 'preview-badge')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('is accessible when empty', async () => {
    const el = await fixture<StagingBeforeAfter>(html`<staging-before-after></staging-before-after>`);
    await expect(el).to.be.accessible();
  });

  it('fits a 360 px wide phone: no horizontal overflow, 44 px targets', async () => {
    const el = await compare({ width: 360 });
    const host = el.getBoundingClientRect();
    for (const control of el.shadowRoot!.querySelectorAll<HTMLElement>('button, a, [role="slider"]')) {
      const rect = control.getBoundingClientRect();
      expect(rect.right, control.textContent ?? '').to.be.at.most(host.right + 0.5);
      expect(rect.height, control.textContent ?? '').to.be.at.least(44);
    }
    expect(part(el, 'base').scrollWidth).to.be.at.most(360);
  });
});
