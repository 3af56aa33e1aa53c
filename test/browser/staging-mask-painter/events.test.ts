import { expect, oneEvent } from '@open-wc/testing';
import { resetMouse } from '../support/commands.js';
import { PHOTO_SIZE, line, part, readyPainter, stroke } from './helpers.js';

describe('staging-mask-painter: events', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('fires one bubbling, composed staging-mask-changed per stroke', async () => {
    const el = await readyPainter();
    const seen: boolean[] = [];
    const listener = (e: Event) => {
      expect(e.bubbles).to.equal(true);
      expect(e.composed).to.equal(true);
      seen.push((e as CustomEvent<{ hasMask: boolean }>).detail.hasMask);
    };
    document.addEventListener('staging-mask-changed', listener);
    try {
      await stroke(el, line(400, 1200, 480, 50));
      expect(seen).to.deep.equal([true]);
    } finally {
      document.removeEventListener('staging-mask-changed', listener);
    }
  });

  it('reports hasMask false after clear and true again after undo', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    setTimeout(() => part<HTMLButtonElement>(el, 'clear-button').click());
    const cleared = await oneEvent(el, 'staging-mask-changed');
    expect(cleared.detail).to.deep.equal({ hasMask: false });
    setTimeout(() => part<HTMLButtonElement>(el, 'undo-button').click());
    const undone = await oneEvent(el, 'staging-mask-changed');
    expect(undone.detail).to.deep.equal({ hasMask: true });
  });

  it('fires staging-mask-changed on invert and redo', async () => {
    const el = await readyPainter();
    setTimeout(() => part<HTMLButtonElement>(el, 'invert-button').click());
    const inverted = await oneEvent(el, 'staging-mask-changed');
    expect(inverted.detail.hasMask).to.equal(true);
    el.undo();
    setTimeout(() => el.redo());
    const redone = await oneEvent(el, 'staging-mask-changed');
    expect(redone.detail.hasMask).to.equal(true);
  });

  it('fires staging-mask-exported with the blob and the native size', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    const exported = oneEvent(el, 'staging-mask-exported');
    const blob = await el.exportMask();
    const { detail } = await exported;
    expect(detail.blob).to.equal(blob);
    expect(blob.type).to.equal('image/png');
    expect(detail.width).to.equal(PHOTO_SIZE.width);
    expect(detail.height).to.equal(PHOTO_SIZE.height);
  });
});
