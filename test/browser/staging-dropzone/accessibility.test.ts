import { expect, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '../support/commands.js';
import { chooseViaInput, drag, fixtureFile, mountDropzone, part, transfer } from './helpers.js';

describe('staging-dropzone accessibility', () => {
  it('passes axe when empty', async () => {
    const el = await mountDropzone();
    await expect(el).to.be.accessible();
  });

  it('passes axe while files are dragged over it, and shows it', async () => {
    const el = await mountDropzone();
    drag(part(el, 'drop-area'), 'dragenter', transfer(await fixtureFile('kitchen-render.jpg')));
    await el.updateComplete;
    expect(el.hasAttribute('drag-over')).to.equal(true);
    expect(part(el, 'base').classList.contains('drag-over')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('passes axe with an error shown as an alert', async () => {
    const el = await mountDropzone();
    const rejected = oneEvent(el, 'staging-file-rejected');
    chooseViaInput(el, new File(['%PDF-1.7'], 'plan.pdf', { type: 'application/pdf' }));
    await rejected;
    await el.updateComplete;
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });

  it('passes axe with a photo, and announces it politely', async () => {
    const el = await mountDropzone();
    await el.selectFile(await fixtureFile('living-room-render.jpg'));
    await el.updateComplete;
    const status = part(el, 'status');
    expect(status.getAttribute('aria-live')).to.equal('polite');
    expect(status.textContent).to.equal('Photo ready: 1600 × 960');
    expect(part<HTMLImageElement>(el, 'thumbnail').alt).to.equal('Selected photo: living-room-render.jpg');
    await expect(el).to.be.accessible();
  });

  it('passes axe with an upload in progress, the bar labelled', async () => {
    const el = await mountDropzone();
    await el.selectFile(await fixtureFile('kitchen-render.jpg'));
    el.uploadProgress = 0.42;
    await el.updateComplete;
    const bar = part<HTMLProgressElement>(el, 'progress-bar');
    expect(bar.getAttribute('aria-labelledby')).to.equal('progress-label');
    expect(part(el, 'progress-label').textContent).to.equal('Uploading… 42%');
    await expect(el).to.be.accessible();
  });

  it('passes axe with a HEIC placeholder instead of a thumbnail', async () => {
    const el = await mountDropzone();
    await el.selectFile(await fixtureFile('iphone.heic', 'image/heic'));
    await el.updateComplete;
    expect(part(el, 'thumbnail').getAttribute('role')).to.equal('img');
    await expect(el).to.be.accessible();
  });

  it('passes axe when disabled', async () => {
    const el = await mountDropzone();
    el.disabled = true;
    el.camera = 'always';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('names every control', async () => {
    const el = await mountDropzone();
    el.camera = 'always';
    await el.updateComplete;
    expect(part(el, 'browse-button').textContent.trim()).to.equal('Choose a photo');
    expect(part(el, 'camera-button').textContent.trim()).to.equal('Take photo');
    await el.selectFile(await fixtureFile('kitchen-render.jpg'));
    await el.updateComplete;
    expect(part(el, 'replace-button').getAttribute('aria-label')).to.equal('Replace photo');
    expect(part(el, 'remove-button').getAttribute('aria-label')).to.equal('Remove photo');
  });
});

describe('staging-dropzone accessibility in dark mode', () => {
  before(async function () {
    // Skipped in Firefox and WebKit: their WebDriver (BiDi) has no prefers-color-scheme override.
    if (!(await emulateMedia({ colorScheme: 'dark' }))) this.skip();
  });
  after(() => emulateMedia({ colorScheme: 'light' }));

  it('passes axe empty, with an error and with a photo', async () => {
    const el = await mountDropzone();
    await expect(el).to.be.accessible();
    const rejected = oneEvent(el, 'staging-file-rejected');
    chooseViaInput(el, new File(['%PDF-1.7'], 'plan.pdf', { type: 'application/pdf' }));
    await rejected;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    await el.selectFile(await fixtureFile('kitchen-render.jpg'));
    el.uploadProgress = 0.5;
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
