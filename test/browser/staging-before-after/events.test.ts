import { expect, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '../support/commands.js';
import { VARIANTS, compare, handleOf, part } from './helpers.js';

describe('staging-before-after: events', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('"Use this image" fires staging-output-selected with the chosen variant', async () => {
    const el = await compare();
    el.selectVariant(1);
    await el.updateComplete;
    setTimeout(() => part<HTMLButtonElement>(el, 'use-button').click());
    const event = await oneEvent(document, 'staging-output-selected');
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ id: 'out_b2', url: VARIANTS[1]!.url, variantIndex: 1, disclosure: null });
  });

  it('without variants the event carries the plain "after" URL', async () => {
    const el = await compare({ variants: [] });
    el.afterSrc = VARIANTS[0]!.url;
    await el.updateComplete;
    setTimeout(() => part<HTMLButtonElement>(el, 'use-button').click());
    const event = await oneEvent(el, 'staging-output-selected');
    expect(event.detail).to.deep.equal({ id: '', url: VARIANTS[0]!.url, variantIndex: -1, disclosure: null });
  });

  it('fires staging-compare-position on keyboard moves, not on property changes', async () => {
    const el = await compare();
    const positions: number[] = [];
    el.addEventListener('staging-compare-position', (e) => positions.push(e.detail.position));
    el.position = 20;
    await el.updateComplete;
    handleOf(el).focus();
    await sendKeys({ press: 'End' });
    expect(positions).to.deep.equal([100]);
  });

  it('fires staging-compare-position while dragging', async () => {
    const el = await compare();
    const rect = part(el, 'viewport').getBoundingClientRect();
    const y = Math.round(rect.top + rect.height / 2 + 40);
    const positions: number[] = [];
    el.addEventListener('staging-compare-position', (e) => positions.push(e.detail.position));
    await sendMouse({ type: 'move', position: [Math.round(rect.left + rect.width * 0.2), y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [Math.round(rect.left + rect.width * 0.4), y] });
    await sendMouse({ type: 'up' });
    expect(positions.length).to.equal(2);
    expect(positions[0]).to.be.closeTo(20, 1);
    expect(positions[1]).to.be.closeTo(40, 1);
  });
});
