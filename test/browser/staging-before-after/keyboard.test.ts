import { expect } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { clipLeft, compare, handleOf, part, translateOf } from './helpers.js';

async function press(key: string, shift = false): Promise<void> {
  if (shift) await sendKeys({ down: 'Shift' });
  await sendKeys({ press: key });
  if (shift) await sendKeys({ up: 'Shift' });
}

describe('staging-before-after: keyboard', () => {
  it('arrow keys move the divider by 1, with Shift by 10', async () => {
    const el = await compare();
    const handle = handleOf(el);
    handle.focus();
    await press('ArrowRight');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('51');
    expect(clipLeft(el)).to.equal(51);
    await press('ArrowLeft');
    await press('ArrowLeft');
    await press('ArrowDown');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('48');
    await press('ArrowUp');
    await el.updateComplete;
    expect(el.position).to.equal(49);
    await press('ArrowRight', true);
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('59');
    expect(handle.getAttribute('aria-valuetext')).to.equal('59% before, 41% after');
    await press('ArrowLeft', true);
    await el.updateComplete;
    expect(el.position).to.equal(49);
  });

  it('Home, End, PageUp and PageDown jump', async () => {
    const el = await compare();
    const handle = handleOf(el);
    handle.focus();
    await press('Home');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('0');
    expect(clipLeft(el)).to.equal(0);
    await press('PageUp');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('10');
    await press('End');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('100');
    expect(clipLeft(el)).to.equal(100);
    await press('ArrowRight');
    await el.updateComplete;
    expect(el.position, 'stays within 0–100').to.equal(100);
    await press('PageDown');
    await el.updateComplete;
    expect(handle.getAttribute('aria-valuenow')).to.equal('90');
    expect(part(el, 'divider').style.left).to.equal('90%');
  });

  it('the handle is reachable with Tab', async () => {
    const el = await compare();
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    try {
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(handleOf(el));
    } finally {
      before.remove();
    }
  });

  it('variants are a radio group operated with arrow keys', async () => {
    const el = await compare();
    const radios = el.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="variants"] input[type="radio"]');
    radios[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.variantIndex).to.equal(1);
    expect(radios[1]!.checked).to.equal(true);
    expect(part<HTMLImageElement>(el, 'after-image').src).to.equal(el.variants[1]!.url);
  });

  it('arrow keys pan the zoomed image when the image area has focus', async () => {
    const el = await compare();
    el.zoom = 2;
    await el.updateComplete;
    const viewport = part(el, 'viewport');
    expect(viewport.getAttribute('tabindex')).to.equal('0');
    viewport.focus();
    await press('ArrowLeft');
    await el.updateComplete;
    const transform = part(el, 'after-image').style.transform;
    expect(translateOf(part(el, 'after-image'))).to.deep.equal({ x: 5, y: 0 });
    expect(part(el, 'before-image').style.transform).to.equal(transform);
    expect(el.position, 'the divider did not move').to.equal(50);
  });
});
