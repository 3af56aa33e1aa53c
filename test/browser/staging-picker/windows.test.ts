import { expect } from '@open-wc/testing';
import { $, chooseService, mountLoaded, openMore, part } from './helpers.js';

describe('staging-picker: painting the windows', () => {
  it('"Recover the view" needs the windows painted: the mask choice says so, is ticked and stays ticked', async () => {
    const el = await mountLoaded();
    await chooseService(el, 'render-enhancement');
    expect(part(el, 'mask-toggle').querySelector('label')!.textContent).to.equal('Change only part of the photo');

    await openMore(el);
    const windows = $<HTMLSelectElement>(el, '#option-windows');
    windows.value = 'pull';
    windows.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;

    const toggle = part(el, 'mask-toggle');
    expect(toggle.querySelector('label')!.textContent).to.equal('Recover the view in the windows');
    expect(toggle.querySelector('.help')!.textContent).to.contain('“Recover the view” needs it');
    const box = toggle.querySelector<HTMLInputElement>('input')!;
    expect([box.checked, box.disabled]).to.deep.equal([true, true]);
    expect(el.value).to.deep.include({ wantsMask: true });
    expect(el.value!.options).to.deep.include({ windows: 'pull' });
  });

  it('an HDR merge’s mask is the windows too, and stays optional', async () => {
    const el = await mountLoaded();
    await chooseService(el, 'hdr-merge');
    const toggle = part(el, 'mask-toggle');
    expect(toggle.querySelector('label')!.textContent).to.equal('Recover the view in the windows');
    const box = toggle.querySelector<HTMLInputElement>('input')!;
    expect([box.checked, box.disabled]).to.deep.equal([false, false]);
    expect(el.value).to.deep.include({ service: 'hdr-merge', wantsMask: false });
  });
});
