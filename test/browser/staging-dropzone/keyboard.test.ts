import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '../support/commands.js';
import { fileInput, fixtureFile, mountDropzone, part, watchPicker } from './helpers.js';

describe('staging-dropzone keyboard', () => {
  it('reaches "Choose a photo" with Tab and opens the picker with Enter', async () => {
    const el = await mountDropzone();
    const picker = watchPicker(fileInput(el));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'browse-button'));
    await sendKeys({ press: 'Enter' });
    expect(picker.count).to.equal(1);
  });

  it('opens the picker with Space', async () => {
    const el = await mountDropzone();
    const picker = watchPicker(fileInput(el));
    el.focus(); // delegatesFocus: lands on the first button
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'browse-button'));
    await sendKeys({ press: 'Space' });
    expect(picker.count).to.equal(1);
  });

  it('opens the picker when the drop area itself is clicked', async () => {
    const el = await mountDropzone();
    const picker = watchPicker(fileInput(el));
    part(el, 'label').click();
    expect(picker.count).to.equal(1);
  });

  it('opens the camera input from "Take photo"', async () => {
    const el = await mountDropzone();
    el.camera = 'always';
    await el.updateComplete;
    const camera = el.shadowRoot!.querySelector<HTMLInputElement>('#camera-input')!;
    expect(camera.getAttribute('capture')).to.equal('environment');
    const picker = watchPicker(camera);
    part(el, 'camera-button').focus();
    await sendKeys({ press: 'Enter' });
    expect(picker.count).to.equal(1);
  });

  it('replaces with Enter on Replace, removes with Enter on Remove and keeps focus inside', async () => {
    const el = await mountDropzone();
    await el.selectFile(await fixtureFile('kitchen-render.jpg'));
    await el.updateComplete;
    const picker = watchPicker(fileInput(el));
    part(el, 'replace-button').focus();
    await sendKeys({ press: 'Enter' });
    expect(picker.count).to.equal(1);

    const cleared = oneEvent(el, 'staging-file-cleared');
    part(el, 'remove-button').focus();
    await sendKeys({ press: 'Enter' });
    await cleared;
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'browse-button'));
  });

  it('does not open the picker when disabled', async () => {
    const el = await mountDropzone();
    el.disabled = true;
    await el.updateComplete;
    const picker = watchPicker(fileInput(el));
    el.open();
    part(el, 'label').click();
    expect(picker.count).to.equal(0);
    expect(part<HTMLButtonElement>(el, 'browse-button').disabled).to.equal(true);
  });
});
