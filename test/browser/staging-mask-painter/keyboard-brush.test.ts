import { expect } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { decodeMask, part, PHOTO_SIZE, readyPainter } from './helpers.js';

// Photo 1600 × 960: the brush starts at its centre (800, 480); brush 40 px moves 20 px per arrow press.
describe('staging-mask-painter: painting with the keyboard', () => {
  it('the photo takes focus with Tab and shows the brush at its centre', async () => {
    const el = await readyPainter();
    part<HTMLElement>(el, 'brush-button').focus();
    const stage = part<HTMLElement>(el, 'stage');
    for (let i = 0; i < 12 && el.shadowRoot!.activeElement !== stage; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === stage).to.equal(true);
    expect(stage.getAttribute('role')).to.equal('application');
    expect(stage.getAttribute('aria-describedby')).to.equal('stage-keys');
    await el.updateComplete;
    const cursor = part<HTMLElement>(el, 'cursor');
    expect(cursor.style.left).to.equal('50%');
    expect(cursor.style.top).to.equal('50%');
    expect(part(el, 'status').textContent).to.match(/Brush at 50% from the left, 50% from the top/);
    await expect(el).to.be.accessible();
  });

  it('Space paints a dab of the brush size where the brush is, as one undoable step', async () => {
    const el = await readyPainter();
    part<HTMLElement>(el, 'stage').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.hasMask).to.equal(true);
    expect(el.canUndo).to.equal(true);
    const mask = await decodeMask(await el.exportMask());
    expect(mask.width).to.equal(PHOTO_SIZE.width);
    expect(mask.isWhite(800, 480)).to.equal(true);
    expect(mask.isWhite(815, 480)).to.equal(true); // inside the 20 px radius
    expect(mask.isBlack(830, 480)).to.equal(true); // outside it
    expect(mask.isBlack(100, 100)).to.equal(true);
    expect(mask.nonBinaryCount()).to.equal(0);
    el.undo();
    expect(el.hasMask).to.equal(false);
  });

  it('arrows move the brush (Shift: four times as far) and holding Space while moving paints a line', async () => {
    const el = await readyPainter();
    part<HTMLElement>(el, 'stage').focus();
    await sendKeys({ press: 'ArrowLeft' }); // 780
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'ArrowLeft' }); // 700
    await sendKeys({ up: 'Shift' });
    await sendKeys({ down: 'Space' });
    for (let i = 0; i < 10; i++) await sendKeys({ press: 'ArrowRight' }); // to 900
    await sendKeys({ up: 'Space' });
    await el.updateComplete;
    const mask = await decodeMask(await el.exportMask());
    for (const x of [700, 750, 800, 850, 900]) expect(mask.isWhite(x, 480), `x=${x}`).to.equal(true);
    expect(mask.isBlack(660, 480)).to.equal(true);
    expect(mask.isBlack(940, 480)).to.equal(true);
    expect(mask.isBlack(800, 520)).to.equal(true);
    // One stroke, one undo.
    el.undo();
    expect(el.hasMask).to.equal(false);
  });

  it('erases with the eraser, and keeps the brush on the photo', async () => {
    const el = await readyPainter();
    part<HTMLElement>(el, 'stage').focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'e' });
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.hasMask).to.equal(false);
    for (let i = 0; i < 30; i++) await sendKeys({ press: 'ArrowUp' }); // 30 × 20 px > 480: stops at the edge
    await el.updateComplete;
    expect(part<HTMLElement>(el, 'cursor').style.top).to.equal('0%');
  });

  it('leaves the keys alone when the photo does not have focus', async () => {
    const el = await readyPainter();
    part<HTMLElement>(el, 'undo-button').focus();
    await sendKeys({ press: 'Space' }); // a button press, not a dab
    expect(el.hasMask).to.equal(false);
    expect(el.shadowRoot!.querySelector('[part="cursor"]') === null).to.equal(true);
  });
});
