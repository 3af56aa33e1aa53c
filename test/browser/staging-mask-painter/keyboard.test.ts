import { expect } from '@open-wc/testing';
import { resetMouse, sendKeys } from '../support/commands.js';
import { decodeMask, line, part, readyPainter, stroke } from './helpers.js';

/** Presses `key` with `modifiers` held (puppeteer's press() takes no "Control+Z" combos). */
async function chord(modifiers: string[], key: string): Promise<void> {
  for (const modifier of modifiers) await sendKeys({ down: modifier });
  await sendKeys({ press: key });
  for (const modifier of [...modifiers].reverse()) await sendKeys({ up: modifier });
}

describe('staging-mask-painter: keyboard', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('B and E switch tools and update aria-pressed', async () => {
    const el = await readyPainter();
    part<HTMLInputElement>(el, 'size-input').focus();
    await sendKeys({ press: 'e' });
    await el.updateComplete;
    expect(el.tool).to.equal('eraser');
    expect(part(el, 'eraser-button').getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'brush-button').getAttribute('aria-pressed')).to.equal('false');
    await sendKeys({ press: 'b' });
    await el.updateComplete;
    expect(el.tool).to.equal('brush');
    expect(part(el, 'brush-button').getAttribute('aria-pressed')).to.equal('true');
  });

  it('[ and ] change the brush size in 5 px steps', async () => {
    const el = await readyPainter(400, 160); // a 40 px brush on screen
    part<HTMLButtonElement>(el, 'brush-button').focus();
    await sendKeys({ press: ']' });
    await sendKeys({ press: ']' });
    expect(el.brushSize).to.equal(50);
    await sendKeys({ press: '[' });
    expect(el.brushSize).to.equal(45);
  });

  it('Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    part<HTMLButtonElement>(el, 'brush-button').focus();
    await chord(['Control'], 'z');
    expect(el.hasMask).to.equal(false);
    await chord(['Control', 'Shift'], 'Z');
    expect(el.hasMask).to.equal(true);
    await chord(['Control'], 'z');
    expect(el.hasMask).to.equal(false);
    await chord(['Control'], 'y');
    expect(el.hasMask).to.equal(true);
  });

  it('I inverts and Delete / Backspace clear', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    part<HTMLButtonElement>(el, 'brush-button').focus();
    await sendKeys({ press: 'i' });
    const mask = await decodeMask(await el.exportMask());
    expect(mask.isBlack(800, 480)).to.equal(true);
    expect(mask.isWhite(100, 100)).to.equal(true);
    await sendKeys({ press: 'Delete' });
    expect(el.hasMask).to.equal(false);
    await chord(['Control'], 'z');
    expect(el.hasMask).to.equal(true);
    await sendKeys({ press: 'Backspace' });
    expect(el.hasMask).to.equal(false);
  });

  it('ignores shortcuts while focus is outside the painter', async () => {
    const el = await readyPainter();
    const outside = document.createElement('button');
    outside.textContent = 'outside';
    document.body.append(outside);
    try {
      outside.focus();
      await sendKeys({ press: 'e' });
      await sendKeys({ press: 'i' });
      expect(el.tool).to.equal('brush');
      expect(el.hasMask).to.equal(false);
    } finally {
      outside.remove();
    }
  });

  it('toolbar buttons are reachable with Tab and work with Enter and Space', async () => {
    const el = await readyPainter(400, 160); // a 40 px brush on screen
    part<HTMLButtonElement>(el, 'brush-button').focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'eraser-button'));
    await sendKeys({ press: 'Enter' });
    expect(el.tool).to.equal('eraser');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'size-input'));
    await sendKeys({ press: 'ArrowRight' });
    expect(el.brushSize).to.equal(41);
    part<HTMLButtonElement>(el, 'invert-button').focus();
    await sendKeys({ press: 'Space' });
    expect(el.hasMask).to.equal(true);
  });

  it('documents the shortcuts in visible help text and tooltips', async () => {
    const el = await readyPainter();
    const help = part(el, 'help');
    expect(help.textContent).to.contain('Brush').and.contain('Eraser').and.contain('Undo').and.contain('Invert').and.contain('Clear');
    expect(part(el, 'brush-button').title).to.equal('Brush (B)');
    expect(part(el, 'eraser-button').getAttribute('aria-keyshortcuts')).to.equal('E');
  });
});
