import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { $, mountLoaded, openMore, part, serviceRadio, settle } from './helpers.js';

/** Names the focused node, so a failure reads "service=upscale" rather than dumping a DOM node. */
const active = (el: Element): string => describeNode(el.shadowRoot!.activeElement);
const describeNode = (n: Element | null): string =>
  !n ? 'nothing' : n instanceof HTMLInputElement ? `${n.name}=${n.value}` : (n.getAttribute('part') ?? n.tagName.toLowerCase());

describe('staging-picker keyboard', () => {
  it('reaches the chosen service with Tab, as a native radio group does', async () => {
    const el = await mountLoaded();
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal(describeNode(serviceRadio(el, 'render-enhancement')));
  });

  it('moves between services with the arrow keys, each move a selection', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'render-enhancement').focus();

    let changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowDown' });
    expect((await changed).detail.service).to.equal('virtual-staging');
    expect(active(el)).to.equal(describeNode(serviceRadio(el, 'virtual-staging')));

    changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowRight' });
    expect((await changed).detail.service).to.equal('design-options');
    await settle(el);
    expect(part(el, 'service-selected').textContent).to.contain('Try design ideas');

    changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowUp' });
    expect((await changed).detail.service).to.equal('virtual-staging');
    expect(el.value!.service).to.equal('virtual-staging');
  });

  it('selects a service with the arrow keys and submits with Enter', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'render-enhancement').focus();
    await sendKeys({ press: 'ArrowDown' }); // virtual-staging
    await sendKeys({ press: 'ArrowDown' }); // design-options
    await sendKeys({ press: 'ArrowDown' }); // 3d-plans
    await sendKeys({ press: 'ArrowDown' }); // upscale
    await settle(el);
    expect(active(el)).to.equal(describeNode(serviceRadio(el, 'upscale')));

    const submitted = oneEvent(el, 'staging-submit');
    await sendKeys({ press: 'Enter' });
    const { detail } = await submitted;
    expect(detail).to.deep.equal({ service: 'upscale', config: 'standard', resolution: '2K', wantsMask: false });
  });

  it('reaches Start with Tab from the last field and submits with Enter', async () => {
    const el = await mountLoaded({ services: ['upscale'] });
    await openMore(el);
    $(el, 'input[name="resolution"][value="4K"]').focus();
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal(describeNode(part(el, 'submit')));
    const submitted = oneEvent(el, 'staging-submit');
    await sendKeys({ press: 'Enter' });
    expect((await submitted).detail.service).to.equal('upscale');
  });

  it('changes the resolution with the arrow keys, and the cost follows', async () => {
    const el = await mountLoaded();
    await openMore(el);
    $(el, 'input[name="resolution"][value="2K"]').focus();
    const changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowRight' });
    expect((await changed).detail.resolution).to.equal('4K');
    await settle(el);
    expect(part(el, 'cost').textContent).to.contain('3 credits');
  });

  it('steps the variants with the arrow keys of the number field', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'design-options').click();
    await settle(el);
    await openMore(el);
    $(el, '#variants').focus();
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await settle(el);
    expect(el.value!.variants).to.equal(3);
    // The local engine only previews design options: three versions are still free.
    expect(part(el, 'cost').textContent).to.contain('Free preview');
  });

  it('toggles "Change only part of the photo" with Space', async () => {
    const el = await mountLoaded();
    $(el, '#mask').focus();
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(el.value!.wantsMask).to.equal(true);
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(el.value!.wantsMask).to.equal(false);
  });

  it('operates the variants stepper buttons with Enter', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'design-options').click();
    await settle(el);
    await openMore(el);
    const [fewer, more] = Array.from(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="stepper-button"]'));
    expect(fewer!.disabled, 'nothing below the minimum').to.equal(true);
    more!.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(el.value!.variants).to.equal(2);
    expect(fewer!.disabled).to.equal(false);
  });
});
