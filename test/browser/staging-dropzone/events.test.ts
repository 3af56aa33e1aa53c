import { expect, oneEvent } from '@open-wc/testing';
import { chooseViaInput, drag, fixtureFile, mountDropzone, part, pasteEvent, transfer } from './helpers.js';

describe('staging-dropzone events', () => {
  describe('staging-file-selected', () => {
    it('fires after a file is chosen in the picker, with the prepared image', async () => {
      const el = await mountDropzone();
      const file = await fixtureFile('living-room-render.jpg');
      const selected = oneEvent(el, 'staging-file-selected');
      chooseViaInput(el, file);
      const { detail } = await selected;
      expect(detail.file).to.equal(file);
      expect([detail.prepared.width, detail.prepared.height]).to.deep.equal([1600, 960]);
      expect(detail.prepared.type).to.equal('image/jpeg');
      expect(el.file).to.equal(file);
      expect(el.prepared).to.equal(detail.prepared);
    });

    it('bubbles out of shadow roots', async () => {
      const el = await mountDropzone();
      const selected = oneEvent(document, 'staging-file-selected');
      chooseViaInput(el, await fixtureFile('kitchen-render.jpg'));
      const event = await selected;
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
    });

    it('fires for a drop with a DataTransfer, and the drop is not left to the browser', async () => {
      const el = await mountDropzone();
      const file = await fixtureFile('bedroom-furnished.jpg');
      const selected = oneEvent(el, 'staging-file-selected');
      const drop = drag(part(el, 'drop-area'), 'drop', transfer(file));
      expect(drop.defaultPrevented).to.equal(true);
      expect((await selected).detail.file).to.equal(file);
    });

    it('fires for an image pasted while focus is inside', async () => {
      const el = await mountDropzone();
      part(el, 'browse-button').focus();
      const file = await fixtureFile('kitchen-render.jpg');
      const selected = oneEvent(el, 'staging-file-selected');
      const paste = pasteEvent(transfer(file), { bubbles: true, cancelable: true, composed: true });
      part(el, 'browse-button').dispatchEvent(paste);
      expect(paste.defaultPrevented).to.equal(true);
      expect((await selected).detail.file).to.equal(file);
    });

    it('ignores a paste elsewhere on the page unless global-paste is set', async () => {
      const el = await mountDropzone();
      const file = await fixtureFile('kitchen-render.jpg');
      const stray = pasteEvent(transfer(file), { bubbles: true, cancelable: true });
      document.body.dispatchEvent(stray);
      expect(stray.defaultPrevented).to.equal(false);

      el.globalPaste = true;
      const selected = oneEvent(el, 'staging-file-selected');
      const wanted = pasteEvent(transfer(file), { bubbles: true, cancelable: true });
      document.body.dispatchEvent(wanted);
      expect(wanted.defaultPrevented).to.equal(true);
      expect((await selected).detail.file).to.equal(file);
    });

    it('passes a HEIC photo through unchanged for the server to convert', async () => {
      const el = await mountDropzone();
      const file = await fixtureFile('iphone.heic', 'image/heic');
      const selected = oneEvent(el, 'staging-file-selected');
      chooseViaInput(el, file);
      const { detail } = await selected;
      expect(detail.prepared.passthrough).to.equal(true);
      expect(detail.prepared.blob).to.equal(file);
      expect(detail.prepared.type).to.equal('image/heic');
      await el.updateComplete;
      expect(part(el, 'details').textContent).to.contain('HEIC, converted on upload');
    });
  });

  describe('staging-file-rejected', () => {
    it('refuses a PDF by its bytes, whatever its name says', async () => {
      const el = await mountDropzone();
      const file = new File(['%PDF-1.7\n1 0 obj'], 'plan.jpg', { type: 'image/jpeg' });
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, file);
      const { detail } = await rejected;
      expect(detail.code).to.equal('unsupported_type');
      expect(detail.file).to.equal(file);
      expect(detail.message).to.equal('“plan.jpg” is a PDF document, not a photo. Choose a JPEG, PNG, WebP, GIF or HEIC photo.');
      await el.updateComplete;
      expect(part(el, 'error').textContent).to.equal(detail.message);
      expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    });

    it('refuses a type the catalog does not list', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg'], max_bytes: 10_000_000, max_pixels: 50_000_000 };
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, await fixtureFile('sofa-clipart-transparent.png'));
      const { detail } = await rejected;
      expect(detail.code).to.equal('unsupported_type');
      expect(detail.message).to.equal('“sofa-clipart-transparent.png” is a PNG file, which is not accepted here. Choose a JPEG photo.');
    });

    it('refuses a photo that is still over the byte limit after resizing', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg'], max_bytes: 50_000, max_pixels: 50_000_000 };
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, await fixtureFile('living-room-render.jpg'));
      const { detail } = await rejected;
      expect(detail.code).to.equal('file_too_large');
      expect(detail.message).to.match(
        /^This photo is still \d+ kB after resizing to 1600 × 960; the limit is 50 kB\. Choose a lower resolution or a simpler photo\.$/,
      );
    });

    it('refuses a HEIC photo over the byte limit, saying how to export JPEG', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg', 'image/heic'], max_bytes: 10_000, max_pixels: 50_000_000 };
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, await fixtureFile('iphone.heic', 'image/heic'));
      const { detail } = await rejected;
      expect(detail.code).to.equal('file_too_large');
      expect(detail.message).to.match(/^This HEIC photo is 41 kB; the limit is 10 kB\. .*export it as JPEG/);
    });

    it('refuses a photo over the pixel limit', async () => {
      const el = await mountDropzone();
      el.limits = { content_types: ['image/jpeg'], max_bytes: 10_000_000, max_pixels: 1_000_000 };
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, await fixtureFile('living-room-render.jpg'));
      const { detail } = await rejected;
      expect(detail.code).to.equal('too_many_pixels');
      expect(detail.message).to.equal(
        'This photo is 1.5 megapixels (1600 × 960); the limit is 1 megapixel. Resize it to a smaller size and try again.',
      );
    });

    it('refuses a cut-short JPEG as undecodable, saying it is incomplete, even where the browser would decode it', async () => {
      const el = await mountDropzone();
      const whole = await fixtureFile('kitchen-render.jpg');
      for (const cut of [400, Math.floor(whole.size * 0.7)]) {
        const head = await whole.slice(0, cut).arrayBuffer();
        const rejected = oneEvent(el, 'staging-file-rejected');
        chooseViaInput(el, new File([head], 'broken.jpg', { type: 'image/jpeg' }));
        const { detail } = await rejected;
        expect(detail.code).to.equal('undecodable');
        expect(detail.message).to.equal('“broken.jpg” is incomplete: part of the photo is missing, as happens when a download or copy is cut short. Choose the original again.');
      }
    });

    it('refuses a PNG cut before its IEND chunk and a WebP shorter than its RIFF size, even where the browser would decode them', async () => {
      const el = await mountDropzone();
      for (const [name, type] of [['sofa-clipart-transparent.png', 'image/png'], ['kitchen-321x123.webp', 'image/webp']] as const) {
        const whole = await fixtureFile(name, type);
        const ext = type === 'image/png' ? 'png' : 'webp';
        for (const cut of [Math.floor(whole.size * 0.7), whole.size - 8]) {
          const rejected = oneEvent(el, 'staging-file-rejected');
          chooseViaInput(el, new File([await whole.slice(0, cut).arrayBuffer()], `broken.${ext}`, { type }));
          const { detail } = await rejected;
          expect(detail.code, `${name} cut at ${cut}`).to.equal('undecodable');
          expect(detail.message).to.equal(`“broken.${ext}” is incomplete: part of the photo is missing, as happens when a download or copy is cut short. Choose the original again.`);
        }
      }
    });

    it('refuses bytes that are not an image as undecodable', async () => {
      const el = await mountDropzone();
      const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
      junk.set([0xff, 0xd8, 0xff, 0xe0]);
      junk.set([0xff, 0xd9], junk.length - 2);
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, new File([junk], 'noise.jpg', { type: 'image/jpeg' }));
      const { detail } = await rejected;
      expect(detail.code).to.equal('undecodable');
      expect(detail.message).to.equal('“noise.jpg” could not be opened as an image. It may be damaged; try exporting it again as JPEG.');
    });

    it('refuses a drop that carries no file', async () => {
      const el = await mountDropzone();
      const dt = new DataTransfer();
      dt.setData('text/plain', 'hello');
      const rejected = oneEvent(el, 'staging-file-rejected');
      drag(part(el, 'drop-area'), 'drop', dt);
      expect((await rejected).detail.code).to.equal('not_a_file');
    });

    it('keeps the previous photo when its replacement is refused', async () => {
      const el = await mountDropzone();
      const good = await fixtureFile('kitchen-render.jpg');
      await el.selectFile(good);
      const rejected = oneEvent(el, 'staging-file-rejected');
      chooseViaInput(el, new File(['%PDF-1.4'], 'x.pdf', { type: 'application/pdf' }));
      await rejected;
      await el.updateComplete;
      expect(el.file).to.equal(good);
      expect(part(el, 'file-name').textContent).to.equal('kitchen-render.jpg');
      expect(part(el, 'error').textContent).to.contain('x.pdf');
    });
  });

  describe('staging-file-cleared', () => {
    it('fires when Remove is pressed and returns to the empty state', async () => {
      const el = await mountDropzone();
      const file = await fixtureFile('kitchen-render.jpg');
      await el.selectFile(file);
      await el.updateComplete;
      const cleared = oneEvent(el, 'staging-file-cleared');
      part<HTMLButtonElement>(el, 'remove-button').click();
      expect((await cleared).detail.file).to.equal(file);
      await el.updateComplete;
      expect(el.file).to.equal(null);
      expect(part(el, 'drop-area')).to.exist;
      expect(part(el, 'status').textContent).to.equal('Photo removed.');
    });

    it('does not fire when there was nothing to clear', async () => {
      const el = await mountDropzone();
      let fired = false;
      el.addEventListener('staging-file-cleared', () => (fired = true));
      el.clear();
      expect(fired).to.equal(false);
    });
  });
});
