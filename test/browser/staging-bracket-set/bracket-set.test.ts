import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-bracket-set/staging-bracket-set.js';
import type { StagingBracketSet } from '../../../src/elements/staging-bracket-set/staging-bracket-set.js';
import { byExposure, problemOf, type Shot } from '../../../src/elements/staging-bracket-set/exposure.js';
import { bracketFiles } from './helpers.js';

const shot = (name: string, brightness: number | null, width = 800, height = 533): Shot => ({ name, width, height, brightness });

describe('bracket set checks', () => {
  it('orders shots darkest first, with the unmeasurable ones last', () => {
    expect(byExposure([shot('b', 120), shot('h', null), shot('a', 40), shot('c', 200)]).map((s) => s.name)).to.deep.equal(['a', 'b', 'c', 'h']);
  });

  it('names the first reason a set cannot be merged', () => {
    expect(problemOf([shot('a', 100)], 3, 7)).to.deep.equal({ code: 'too_few', missing: 2 });
    expect(problemOf([shot('a', 100), shot('b', 50), shot('c', 150)], 3, 7)).to.equal(null);
    expect(problemOf(Array.from({ length: 8 }, (_, i) => shot(`s${i}`, i * 30)), 3, 7)).to.deep.include({ code: 'too_many', count: 8 });
    const other = problemOf([shot('a', 100), shot('b', 50, 640, 480), shot('c', 150)], 3, 7);
    expect(other).to.deep.include({ code: 'other_size' });
    expect(other?.code === 'other_size' && other.shot.name).to.equal('b');
    const same = problemOf([shot('a', 100), shot('b', 101), shot('c', 150)], 3, 7);
    expect(same?.code === 'same_brightness' && [same.a.name, same.b.name].sort()).to.deep.equal(['a', 'b']);
  });
});

describe('staging-bracket-set', () => {
  async function mountWith(first: File) {
    const url = URL.createObjectURL(first);
    const bitmap = await createImageBitmap(first);
    const el = await fixture<StagingBracketSet>(html`<staging-bracket-set
      .first=${{ uploadId: 'upl_first', url, name: first.name, width: bitmap.width, height: bitmap.height }}
    ></staging-bracket-set>`);
    return el;
  }
  const labels = (el: StagingBracketSet) => [...el.shadowRoot!.querySelectorAll('[part~="item-label"]')].map((n) => n.textContent.trim());
  const names = (el: StagingBracketSet) => [...el.shadowRoot!.querySelectorAll('.item-name')].map((n) => n.textContent.trim());
  const status = (el: StagingBracketSet) => el.shadowRoot!.querySelector('[part~="status"]')?.textContent?.trim() ?? '';

  it('shows the shots darkest first, whatever order they were added in, and says when the set is ready', async () => {
    const [dark, middle, bright] = await bracketFiles('living-room-render.jpg', [-2, 0, 2]);
    const el = await mountWith(middle!);
    await waitUntil(() => status(el).startsWith('Add 2 more'), `status: ${status(el)}`);

    const seen: Array<{ count: number; usable: boolean }> = [];
    el.addEventListener('staging-brackets-changed', (e) => seen.push(e.detail));
    await el.addFiles([bright!, dark!]);
    await el.updateComplete;
    expect(seen.at(-1)).to.deep.equal({ count: 3, usable: true });
    expect(el.usable).to.equal(true);
    expect(labels(el)).to.deep.equal(['Darkest', 'Middle', 'Brightest']);
    expect(names(el)).to.deep.equal(['shot--2EV.jpg', 'First photo', 'shot-+2EV.jpg']);
    expect(status(el)).to.equal('Ready: 3 shots, from darkest to brightest.');
    await expect(el).to.be.accessible();
  });

  it('refuses a shot of another size by name, and is usable again once it is removed', async () => {
    const [middle, bright] = await bracketFiles('living-room-render.jpg', [0, 2]);
    const [small] = await bracketFiles('living-room-render.jpg', [-2], { width: 400, height: 300 });
    const el = await mountWith(middle!);
    await el.addFiles([bright!, small!]);
    await el.updateComplete;
    expect(el.usable).to.equal(false);
    expect(status(el)).to.contain('“shot--2EV.jpg” is 400×300 pixels');

    const remove = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="remove-button"][aria-label="Remove shot--2EV.jpg"]')!;
    remove.click();
    await el.updateComplete;
    // Focus goes somewhere useful, not to the body.
    expect(el.shadowRoot!.activeElement?.getAttribute('type')).to.equal('file');
    expect(status(el)).to.equal('Add 1 more shot of this view, darker or brighter than the others.');
  });

  it('says when two shots are equally bright (the same shot twice)', async () => {
    const [middle, bright] = await bracketFiles('living-room-render.jpg', [0, 2]);
    const el = await mountWith(middle!);
    await el.addFiles([bright!, new File([bright!], 'copy.jpg', { type: 'image/jpeg' })]);
    await el.updateComplete;
    expect(el.usable).to.equal(false);
    expect(status(el)).to.match(/“(shot-\+2EV|copy)\.jpg” and “(shot-\+2EV|copy)\.jpg” are equally bright/);
  });

  it('shows why a file that is not a photo was refused, and keeps the others', async () => {
    const [middle, bright] = await bracketFiles('living-room-render.jpg', [0, 2]);
    const el = await mountWith(middle!);
    await el.addFiles([bright!, new File(['not an image'], 'notes.txt', { type: 'text/plain' })]);
    await el.updateComplete;
    expect(names(el)).to.have.length(2);
    expect(el.shadowRoot!.querySelector('.refusal')?.textContent).to.contain('notes.txt');
  });
});

describe('staging-bracket-set: choosing files', () => {
  it('adds the files chosen in its file dialog', async () => {
    const [middle, bright, dark] = await bracketFiles('living-room-render.jpg', [0, 2, -2]);
    const bitmap = await createImageBitmap(middle!);
    const el = await fixture<StagingBracketSet>(html`<staging-bracket-set
      .first=${{ uploadId: 'upl_first', url: URL.createObjectURL(middle!), name: middle!.name, width: bitmap.width, height: bitmap.height }}
    ></staging-bracket-set>`);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('[part~="add-button"] input')!;
    const chosen = new DataTransfer();
    chosen.items.add(bright!);
    chosen.items.add(dark!);
    input.files = chosen.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => el.usable, 'the chosen files were not added', { timeout: 10_000 });
    expect(el.shadowRoot!.querySelectorAll('[part~="item"]')).to.have.length(3);
  });
});
