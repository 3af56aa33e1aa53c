import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { StagingDropzone } from '../../../src/elements/staging-dropzone/staging-dropzone.js';
import { drag, fileInput, fixtureFile, mountDropzone, part, queryPart, transfer } from './helpers.js';

describe('staging-dropzone properties', () => {
  describe('limits', () => {
    it('defaults to JPEG, PNG, WebP, GIF, HEIC up to 10 MB', async () => {
      const el = await mountDropzone();
      expect(el.limits).to.equal(undefined);
      expect(part(el, 'hint').textContent).to.equal('JPEG, PNG, WebP, GIF or HEIC · up to 10 MB');
      expect(fileInput(el).accept).to.equal('image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif');
    });

    it('takes the accepted types and size from the catalog', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg', 'image/png'], max_bytes: 25_000_000, max_pixels: 40_000_000 };
      await el.updateComplete;
      expect(part(el, 'hint').textContent).to.equal('JPEG or PNG · up to 25 MB');
      expect(fileInput(el).accept).to.equal('image/jpeg,image/png');
    });

    it('encodes a transparent PNG as PNG when the catalog does not take WebP', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg', 'image/png'], max_bytes: 25_000_000, max_pixels: 40_000_000 };
      await el.selectFile(await fixtureFile('sofa-clipart-transparent.png'));
      expect(el.prepared?.type).to.equal('image/png');
    });
  });

  describe('maxLongSide', () => {
    it('downscales to the attribute value', async () => {
      const el = await fixture<StagingDropzone>(html`<staging-dropzone max-long-side="1024"></staging-dropzone>`);
      expect(el.maxLongSide).to.equal(1024);
      await el.selectFile(await fixtureFile('living-room-render.jpg'));
      expect([el.prepared!.width, el.prepared!.height]).to.deep.equal([1024, 614]);
      await el.updateComplete;
      expect(part(el, 'details').textContent).to.match(/^1024 × 614 px · \d+ kB$/);
      expect(part(el, 'file-name').textContent).to.equal('living-room-render.jpg');
    });
  });

  describe('uploadProgress', () => {
    it('shows no bar while null, a labelled bar for a fraction, "Uploaded" at 1', async () => {
      const el = await mountDropzone();
      expect(queryPart(el, 'progress')).to.equal(null);
      el.uploadProgress = 0.25;
      await el.updateComplete;
      expect(part<HTMLProgressElement>(el, 'progress-bar').value).to.equal(25);
      expect(part(el, 'progress-label').textContent).to.equal('Uploading… 25%');
      el.uploadProgress = 1;
      await el.updateComplete;
      expect(part(el, 'progress-label').textContent).to.equal('Uploaded');
      el.uploadProgress = null;
      await el.updateComplete;
      expect(queryPart(el, 'progress')).to.equal(null);
    });

    it('is reset when a new photo is chosen', async () => {
      const el = await mountDropzone();
      el.uploadProgress = 0.5;
      await el.selectFile(await fixtureFile('kitchen-render.jpg'));
      expect(el.uploadProgress).to.equal(null);
    });
  });

  describe('disabled', () => {
    it('reflects, disables the buttons and ignores drops', async () => {
      const el = await fixture<StagingDropzone>(html`<staging-dropzone disabled></staging-dropzone>`);
      expect(el.disabled).to.equal(true);
      expect(part<HTMLButtonElement>(el, 'browse-button').disabled).to.equal(true);
      let selected = false;
      el.addEventListener('staging-file-selected', () => (selected = true));
      const dt = transfer(await fixtureFile('kitchen-render.jpg'));
      expect(drag(part(el, 'drop-area'), 'dragover', dt).defaultPrevented).to.equal(false);
      drag(part(el, 'drop-area'), 'drop', dt);
      expect(await el.selectFile(await fixtureFile('kitchen-render.jpg'))).to.equal(false);
      expect(selected).to.equal(false);
      expect(el.file).to.equal(null);
    });
  });

  describe('camera', () => {
    it('renders "Take photo" unless camera="never", visible when camera="always"', async () => {
      const el = await mountDropzone();
      expect(el.camera).to.equal('auto');
      el.camera = 'always';
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'camera-button')).display).not.to.equal('none');
      el.camera = 'never';
      await el.updateComplete;
      expect(queryPart(el, 'camera-button')).to.equal(null);
      expect(el.shadowRoot!.querySelector('#camera-input')).to.equal(null);
    });
  });

  describe('drag-over state', () => {
    it('stays on while moving over children and clears on leaving or dropping', async () => {
      const el = await mountDropzone();
      const dt = transfer(await fixtureFile('kitchen-render.jpg'));
      drag(part(el, 'drop-area'), 'dragenter', dt);
      drag(part(el, 'label'), 'dragenter', dt);
      drag(part(el, 'drop-area'), 'dragleave', dt);
      expect(el.dragOver).to.equal(true);
      drag(part(el, 'label'), 'dragleave', dt);
      expect(el.dragOver).to.equal(false);
      drag(part(el, 'drop-area'), 'dragenter', dt);
      const selected = oneEvent(el, 'staging-file-selected');
      drag(part(el, 'drop-area'), 'drop', dt);
      expect(el.dragOver).to.equal(false);
      await selected;
    });

    it('ignores drags without files (text, links)', async () => {
      const el = await mountDropzone();
      const dt = new DataTransfer();
      dt.setData('text/plain', 'hello');
      drag(part(el, 'drop-area'), 'dragenter', dt);
      expect(el.dragOver).to.equal(false);
    });
  });

  describe('preview URL', () => {
    it('is revoked when the photo is replaced, and when the element is removed', async () => {
      const revoked: string[] = [];
      const original = URL.revokeObjectURL;
      URL.revokeObjectURL = (url: string) => {
        revoked.push(url);
        original.call(URL, url);
      };
      try {
        const el = await mountDropzone();
        await el.selectFile(await fixtureFile('kitchen-render.jpg'));
        await el.updateComplete;
        const first = part<HTMLImageElement>(el, 'thumbnail').src;
        expect(first).to.match(/^blob:/);
        await el.selectFile(await fixtureFile('bedroom-furnished.jpg'));
        await el.updateComplete;
        const second = part<HTMLImageElement>(el, 'thumbnail').src;
        expect(revoked).to.deep.equal([first]);
        el.remove();
        expect(revoked).to.deep.equal([first, second]);
        document.body.append(el);
        await el.updateComplete;
        expect(part<HTMLImageElement>(el, 'thumbnail').src).to.match(/^blob:/).and.not.equal(second);
      } finally {
        URL.revokeObjectURL = original;
      }
    });
  });

  describe('superseded files', () => {
    it('keeps only the last of two quick choices', async () => {
      const el = await mountDropzone();
      const first = el.selectFile(await fixtureFile('living-room-render.jpg'));
      const second = el.selectFile(await fixtureFile('kitchen-render.jpg'));
      expect(await first).to.equal(false);
      expect(await second).to.equal(true);
      expect(el.file?.name).to.equal('kitchen-render.jpg');
    });
  });

  describe('narrow layout', () => {
    it('fits 360 px without horizontal overflow', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width:360px"><staging-dropzone camera="always"></staging-dropzone></div>`);
      const el = wrapper.querySelector('staging-dropzone')!;
      await el.updateComplete;
      expect(part(el, 'base').scrollWidth).to.be.at.most(360);
      await el.selectFile(await fixtureFile('living-room-render.jpg'));
      await el.updateComplete;
      expect(part(el, 'base').scrollWidth).to.be.at.most(360);
      expect(part(el, 'thumbnail').getBoundingClientRect().width).to.be.at.most(360);
    });
  });
});
