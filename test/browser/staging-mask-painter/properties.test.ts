import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse } from '../support/commands.js';
import type { StagingMaskPainter } from '../../../src/elements/staging-mask-painter/staging-mask-painter.js';
import { OTHER_PHOTO_URL, PHOTO_SIZE, decodeMask, line, part, readyPainter, stroke, toViewport, upperCanvas } from './helpers.js';

describe('staging-mask-painter: properties, painting and export', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('has documented defaults', async () => {
    const el = await fixture<StagingMaskPainter>(html`<staging-mask-painter></staging-mask-painter>`);
    expect(el.tool).to.equal('brush');
    expect(el.brushSize).to.equal(40);
    expect(el.hasMask).to.equal(false);
    expect(el.naturalWidth).to.equal(0);
    expect(el.getAttribute('tool')).to.equal('brush');
  });

  it('clamps brushSize to 2–400 and reflects it to the range input', async () => {
    const el = await readyPainter();
    el.brushSize = 1000;
    await el.updateComplete;
    expect(el.brushSize).to.equal(400);
    el.brushSize = 0;
    await el.updateComplete;
    expect(el.brushSize).to.equal(2);
    el.brushSize = 64;
    await el.updateComplete;
    const input = part<HTMLInputElement>(el, 'size-input');
    expect(input.value).to.equal('64');
    expect(input.getAttribute('aria-valuetext')).to.equal('64 pixels');
    expect(el.getAttribute('brush-size')).to.equal('64');
  });

  it('scales the drawing surface to the element width, keeping the photo aspect ratio', async () => {
    const el = await readyPainter(400);
    const first = upperCanvas(el).getBoundingClientRect();
    expect(first.width).to.be.closeTo(400, 1);
    expect(first.height).to.be.closeTo(400 * (PHOTO_SIZE.height / PHOTO_SIZE.width), 1);
    el.style.width = '320px';
    await waitUntil(() => Math.abs(upperCanvas(el).getBoundingClientRect().width - 320) < 1, 'surface did not follow the resize');
    expect(upperCanvas(el).getBoundingClientRect().height).to.be.closeTo(192, 1);
  });

  it('exports a native-size binary mask: white along the stroke, black far from it', async () => {
    const el = await readyPainter();
    expect(el.hasMask).to.equal(false);
    await stroke(el, line(400, 1200, 480));
    expect(el.hasMask).to.equal(true);
    const mask = await decodeMask(await el.exportMask());
    expect([mask.width, mask.height]).to.deep.equal([PHOTO_SIZE.width, PHOTO_SIZE.height]);
    expect(mask.nonBinaryCount(), 'grey or transparent pixels').to.equal(0);
    for (let x = 420; x <= 1180; x += 40) {
      expect(mask.isWhite(x, 480), `(${x}, 480)`).to.equal(true);
      expect(mask.isWhite(x, 470), `(${x}, 470)`).to.equal(true);
    }
    // The brush is 40 photo pixels wide: 60 px off the line is outside it.
    expect(mask.isBlack(800, 420)).to.equal(true);
    expect(mask.isBlack(800, 540)).to.equal(true);
    expect(mask.isBlack(800, 100)).to.equal(true);
    expect(mask.isBlack(100, 900)).to.equal(true);
    expect(mask.isBlack(1500, 480)).to.equal(true);
  });

  for (const pointerType of ['touch', 'pen'] as const) {
    it(`paints with ${pointerType} pointer input`, async () => {
      const el = await readyPainter();
      const canvas = upperCanvas(el);
      const init = (x: number, y: number): PointerEventInit => {
        const [clientX, clientY] = toViewport(el, x, y);
        return { pointerId: 7, pointerType, isPrimary: true, clientX, clientY, bubbles: true, composed: true, cancelable: true, button: 0, buttons: 1 };
      };
      canvas.dispatchEvent(new PointerEvent('pointerdown', init(400, 300)));
      for (let x = 500; x <= 1200; x += 100) canvas.dispatchEvent(new PointerEvent('pointermove', init(x, 300)));
      canvas.dispatchEvent(new PointerEvent('pointerup', { ...init(1200, 300), buttons: 0 }));
      await el.updateComplete;
      expect(el.hasMask).to.equal(true);
      const mask = await decodeMask(await el.exportMask());
      expect(mask.isWhite(800, 300)).to.equal(true);
      expect(mask.isBlack(800, 600)).to.equal(true);
    });
  }

  it('stops the page from scrolling while painting on a touch screen', async () => {
    const el = await readyPainter();
    expect(getComputedStyle(part(el, 'overlay')).touchAction).to.equal('none');
    expect(getComputedStyle(upperCanvas(el)).touchAction).to.equal('none');
  });

  it('an empty mask exports all black', async () => {
    const el = await readyPainter();
    const mask = await decodeMask(await el.exportMask());
    expect(mask.nonBinaryCount()).to.equal(0);
    expect(mask.whiteCount()).to.equal(0);
  });

  it('sizes the brush in screen pixels: 40 px on a 400 px display of a 1600 px photo covers 160 photo pixels', async () => {
    const el = await readyPainter(400, 160);
    expect(el.brushSize).to.equal(40);
    await stroke(el, line(400, 1200, 480));
    const mask = await decodeMask(await el.exportMask());
    expect(mask.isWhite(800, 480 - 70)).to.equal(true);
    expect(mask.isWhite(800, 480 + 70)).to.equal(true);
    expect(mask.isBlack(800, 480 - 100)).to.equal(true);
    expect(mask.isBlack(800, 480 + 100)).to.equal(true);
  });

  it('the eraser removes painted pixels', async () => {
    const el = await readyPainter(400, 80);
    await stroke(el, line(400, 1200, 480));
    el.tool = 'eraser';
    el.brushSize = 40; // screen px: 160 photo px at this scale
    await el.updateComplete;
    await stroke(el, [
      [800, 300],
      [800, 400],
      [800, 560],
      [800, 660],
    ]);
    expect(el.hasMask).to.equal(true);
    const mask = await decodeMask(await el.exportMask());
    expect(mask.nonBinaryCount()).to.equal(0);
    expect(mask.isBlack(800, 480)).to.equal(true);
    expect(mask.isWhite(500, 480)).to.equal(true);
    expect(mask.isWhite(1100, 480)).to.equal(true);
  });

  it('erasing everything leaves hasMask false', async () => {
    const el = await readyPainter(400, 40);
    await stroke(el, line(600, 1000, 480));
    el.tool = 'eraser';
    el.brushSize = 75; // screen px: 300 photo px at this scale
    await el.updateComplete;
    await stroke(el, line(400, 1200, 480));
    expect(el.hasMask).to.equal(false);
    const mask = await decodeMask(await el.exportMask());
    expect(mask.whiteCount()).to.equal(0);
  });

  it('undo and redo step through strokes', async () => {
    const el = await readyPainter(400, 80);
    await stroke(el, line(400, 1200, 480));
    el.tool = 'eraser';
    el.brushSize = 40; // screen px: 160 photo px at this scale
    await el.updateComplete;
    await stroke(el, [
      [800, 300],
      [800, 660],
    ]);
    expect(el.canUndo).to.equal(true);
    expect(el.canRedo).to.equal(false);

    el.undo();
    let mask = await decodeMask(await el.exportMask());
    expect(mask.isWhite(800, 480), 'erase undone').to.equal(true);
    expect(el.canRedo).to.equal(true);

    el.undo();
    mask = await decodeMask(await el.exportMask());
    expect(mask.whiteCount(), 'paint undone').to.equal(0);
    expect(el.hasMask).to.equal(false);
    expect(el.canUndo).to.equal(false);

    el.redo();
    el.redo();
    mask = await decodeMask(await el.exportMask());
    expect(mask.isBlack(800, 480)).to.equal(true);
    expect(mask.isWhite(500, 480)).to.equal(true);
    expect(el.canRedo).to.equal(false);
  });

  it('a new stroke after undo drops the redo history', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 300));
    el.undo();
    expect(el.canRedo).to.equal(true);
    await stroke(el, line(400, 1200, 600));
    expect(el.canRedo).to.equal(false);
  });

  it('clear empties the mask and is undoable', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    part<HTMLButtonElement>(el, 'clear-button').click();
    await el.updateComplete;
    expect(el.hasMask).to.equal(false);
    expect(part<HTMLButtonElement>(el, 'clear-button').disabled).to.equal(true);
    let mask = await decodeMask(await el.exportMask());
    expect(mask.whiteCount()).to.equal(0);
    el.undo();
    mask = await decodeMask(await el.exportMask());
    expect(mask.isWhite(800, 480)).to.equal(true);
  });

  it('invert flips which area is white, and later strokes paint white again', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    part<HTMLButtonElement>(el, 'invert-button').click();
    await el.updateComplete;
    let mask = await decodeMask(await el.exportMask());
    expect(mask.nonBinaryCount()).to.equal(0);
    expect(mask.isBlack(800, 480)).to.equal(true);
    expect(mask.isWhite(800, 100)).to.equal(true);
    expect(mask.isWhite(100, 900)).to.equal(true);
    expect(el.hasMask).to.equal(true);

    // After inverting, the brush still marks area to change.
    await stroke(el, line(400, 1200, 480));
    mask = await decodeMask(await el.exportMask());
    expect(mask.isWhite(800, 480)).to.equal(true);

    // Inverting an empty mask selects the whole photo.
    part<HTMLButtonElement>(el, 'clear-button').click();
    part<HTMLButtonElement>(el, 'invert-button').click();
    await el.updateComplete;
    mask = await decodeMask(await el.exportMask());
    expect(mask.whiteCount()).to.equal(PHOTO_SIZE.width * PHOTO_SIZE.height);
  });

  it('shows the painted area translucently over the photo', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const overlay = part(el, 'overlay');
    const opacity = Number(getComputedStyle(overlay).opacity);
    expect(opacity).to.be.greaterThan(0).and.lessThan(1);
    const lower = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[data-fabric="main"], canvas.lower-canvas')!;
    const ctx = lower.getContext('2d')!;
    const scale = lower.width / PHOTO_SIZE.width;
    const [, , , onStroke] = ctx.getImageData(Math.round(800 * scale), Math.round(480 * scale), 1, 1).data;
    const [, , , offStroke] = ctx.getImageData(Math.round(800 * scale), Math.round(100 * scale), 1, 1).data;
    expect(onStroke).to.equal(255);
    expect(offStroke).to.equal(0);
  });

  it('a new src resets the mask and reads the new natural size', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    el.src = OTHER_PHOTO_URL;
    await el.updateComplete;
    expect(el.hasMask).to.equal(false);
    await waitUntil(() => el.ready && el.naturalHeight === 900, 'new photo never ready', { timeout: 15000 });
    const mask = await decodeMask(await el.exportMask());
    expect([mask.width, mask.height]).to.deep.equal([1600, 900]);
    expect(mask.whiteCount()).to.equal(0);
  });

  it('keeps the strokes when moved in the DOM (fabric is rebuilt)', async () => {
    const el = await readyPainter();
    await stroke(el, line(400, 1200, 480));
    const parent = el.parentElement!;
    el.remove();
    expect(el.ready).to.equal(false);
    parent.append(el);
    await waitUntil(() => el.ready, 'not ready after reconnect');
    expect(el.shadowRoot!.querySelectorAll('canvas[data-fabric="top"]').length).to.equal(1);
    const mask = await decodeMask(await el.exportMask());
    expect(mask.isWhite(800, 480)).to.equal(true);
    await stroke(el, line(400, 1200, 800));
    const after = await decodeMask(await el.exportMask());
    expect(after.isWhite(800, 800)).to.equal(true);
  });
});
