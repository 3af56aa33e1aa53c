import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { StagingClient, TokenManager } from '../../../src/client/index.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { errorText } from '../../../src/elements/shared/error-text.js';
import {
  $,
  bffUrl,
  catalogOf,
  chooseConfig,
  chooseService,
  devTokens,
  everyTypeService,
  fixtureFile,
  mountLoaded,
  mountWithCatalog,
  openMore,
  part,
  plainService,
  has,
  queryPart,
  realClient,
  serviceRadio,
  settle,
  typeInto,
} from './helpers.js';

/** What the browser does after a person picks a file in the dialog. */
function chooseFile(input: HTMLInputElement, file: File): void {
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('staging-picker events', () => {
  describe('staging-selection-change', () => {
    it('fires once the catalog has loaded, with the first service and its defaults', async () => {
      const client = await realClient();
      const changed = oneEvent(document, 'staging-selection-change');
      await fixture<StagingPicker>(html`<staging-picker .client=${client}></staging-picker>`);
      const event = await changed;
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({ service: 'render-enhancement', config: 'interior-modern', resolution: '2K', wantsMask: false });
    });

    it('fires on every change of service, config, resolution, prompt, option and mask', async () => {
      const el = await mountLoaded();
      const seen: unknown[] = [];
      el.addEventListener('staging-selection-change', (e) => seen.push(e.detail));

      await chooseService(el, 'virtual-staging');
      await chooseConfig(el, 'bedroom');
      await settle(el);
      $(el, 'input[name="resolution"][value="4K"]').click();
      await settle(el);
      await typeInto($<HTMLTextAreaElement>(el, '#prompt'), 'calm');
      await settle(el);
      // The style is a gallery of pictures: a radio per style.
      $(el, '#option-style-scandinavian').click();
      await settle(el);
      $(el, '#mask').click();
      await settle(el);

      expect(seen).to.deep.equal([
        { service: 'virtual-staging', config: 'living-room', resolution: '2K', wantsMask: false },
        { service: 'virtual-staging', config: 'bedroom', resolution: '2K', wantsMask: false },
        { service: 'virtual-staging', config: 'bedroom', resolution: '4K', wantsMask: false },
        { service: 'virtual-staging', config: 'bedroom', resolution: '4K', prompt: 'calm', wantsMask: false },
        { service: 'virtual-staging', config: 'bedroom', resolution: '4K', prompt: 'calm', options: { style: 'scandinavian' }, wantsMask: false },
        { service: 'virtual-staging', config: 'bedroom', resolution: '4K', prompt: 'calm', options: { style: 'scandinavian' }, wantsMask: true },
      ]);
    });

    it('does not fire when nothing changed', async () => {
      const el = await mountLoaded();
      let count = 0;
      el.addEventListener('staging-selection-change', () => count++);
      el.requestUpdate();
      await chooseService(el, 'render-enhancement');
      await settle(el);
      expect(count).to.equal(0);
    });
  });

  describe('staging-submit', () => {
    it('carries the value, and the choice can create a real job', async () => {
      const client = await realClient();
      const el = await fixture<StagingPicker>(html`<staging-picker .client=${client}></staging-picker>`);
      await waitUntil(() => el.value, 'no catalog', { timeout: 10_000 });
      await chooseService(el, 'design-options');
      await typeInto($(el, '#variants'), '2');
      await typeInto($<HTMLTextAreaElement>(el, '#prompt'), 'two options');
      // Season is an exterior option: it appears with an exterior preset.
      await chooseConfig(el, 'exterior-modern');
      await settle(el);
      await typeInto($<HTMLSelectElement>(el, '#option-season'), 'winter');
      await settle(el);

      const submitted = oneEvent(el, 'staging-submit');
      part(el, 'submit').click();
      const event = await submitted;
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
      const { wantsMask, ...fields } = event.detail;
      expect(wantsMask).to.equal(false);
      expect(fields).to.deep.equal({
        service: 'design-options',
        config: 'exterior-modern',
        resolution: '2K',
        prompt: 'two options',
        variants: 2,
        options: { season: 'winter' },
      });

      // The detail's shape is what POST /v1/jobs takes.
      const upload = await client.uploadImage(await fixtureFile('kitchen-render.jpg'));
      const job = await client.createJob({ ...fields, upload_id: upload.id });
      // A preview of a service the local engine cannot really perform is free.
      expect(job.credits_charged).to.equal(0);
      expect(job.variants).to.equal(2);
      expect(job.options).to.include({ season: 'winter' });
    });

    it('announces the submission when the host lets it through', async () => {
      const el = await mountWithCatalog(catalogOf(plainService));
      const submitted = oneEvent(el, 'staging-submit');
      part(el, 'submit').click();
      expect((await submitted).defaultPrevented).to.equal(false);
      await settle(el);
      expect(part(el, 'status').textContent).to.equal('Sent: Plain, 2K, free preview.');
    });

    it('does nothing more when the host calls preventDefault', async () => {
      const el = await mountWithCatalog(catalogOf(plainService));
      el.addEventListener('staging-submit', (e) => e.preventDefault());
      const submitted = oneEvent(el, 'staging-submit');
      part(el, 'submit').click();
      expect((await submitted).defaultPrevented).to.equal(true);
      await settle(el);
      expect(part(el, 'status').textContent).to.equal('');
    });

    it('never fires for an invalid choice, even when the form is submitted by script', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      let fired = 0;
      el.addEventListener('staging-submit', () => fired++);
      $<HTMLFormElement>(el, 'form').requestSubmit();
      await settle(el);
      expect(fired).to.equal(0);
      expect($(el, '#option-room').getAttribute('aria-invalid')).to.equal('true');
    });

    it('never fires while disabled', async () => {
      const el = await mountWithCatalog(catalogOf(plainService));
      el.disabled = true;
      await settle(el);
      let fired = 0;
      el.addEventListener('staging-submit', () => fired++);
      $<HTMLFormElement>(el, 'form').requestSubmit();
      await settle(el);
      expect(fired).to.equal(0);
    });
  });

  describe('reference image', () => {
    it('takes a photo dropped on its drop area, not only from a file dialog', async () => {
      const el = await mountLoaded();
      await chooseService(el, 'virtual-staging');
      await openMore(el);
      const drop = part(el, 'reference-drop');
      expect(drop.textContent).to.contain('Drop a photo here');
      const dt = new DataTransfer();
      dt.items.add(await fixtureFile('bedroom-furnished.jpg'));
      drop.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      expect(drop.hasAttribute('data-over')).to.equal(true);
      drop.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      await waitUntil(() => el.value?.reference_upload_id, 'the dropped reference was not uploaded', { timeout: 15_000 });
      expect(el.value!.reference_upload_id).to.match(/^upl_/);
      await settle(el);
      expect(drop.hidden, 'the drop area gives way to the chosen photo').to.equal(true);
    });

    it('uploads the chosen file to the real BFF and sets reference_upload_id', async () => {
      const el = await mountLoaded();
      await chooseService(el, 'virtual-staging');
      await openMore(el);
      const progressSeen: number[] = [];
      const observer = new MutationObserver(() => {
        const bar = el.shadowRoot!.querySelector<HTMLProgressElement>('[part~="reference-progress"]');
        if (bar) progressSeen.push(bar.value);
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });

      chooseFile($(el, '#reference'), await fixtureFile('bedroom-furnished.jpg'));
      await settle(el);
      expect(part<HTMLImageElement>(el, 'reference-thumbnail').alt).to.equal('Reference image: bedroom-furnished.jpg');
      expect(part<HTMLButtonElement>(el, 'submit').disabled, 'no start before the upload is done').to.equal(true);
      expect(part(el, 'submit-hint').textContent).to.contain('reference image');

      await waitUntil(() => el.value?.reference_upload_id, 'the reference did not upload', { timeout: 10_000 });
      observer.disconnect();
      await settle(el);
      expect(el.value!.reference_upload_id).to.match(/^upl_[A-Za-z0-9]{16,40}$/);
      expect(progressSeen.length).to.be.greaterThan(0);
      expect($(el, '#reference-state').textContent).to.equal('Uploaded');
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(false);
      expect(part(el, 'status').textContent).to.equal('Reference image uploaded.');
      await expect(el).to.be.accessible();

      // Kept when switching away and back; gone for a service that takes none.
      const id = el.value!.reference_upload_id;
      await chooseService(el, 'render-enhancement');
      expect(el.value).to.not.have.property('reference_upload_id');
      await chooseService(el, 'virtual-staging');
      expect(el.value!.reference_upload_id).to.equal(id);

      part(el, 'reference-remove').click();
      await settle(el);
      expect(el.value).to.not.have.property('reference_upload_id');
      expect(has(el, 'reference-preview')).to.equal(false);
      expect(el.shadowRoot!.activeElement === $(el, '#reference'), 'focus back on the file input').to.equal(true);
    });

    it('stops an unfinished upload when removed from the page, and releases the thumbnail', async () => {
      const el = await mountLoaded();
      await chooseService(el, 'virtual-staging');
      chooseFile($(el, '#reference'), await fixtureFile('bedroom-furnished.jpg'));
      await settle(el);
      const thumbnail = part<HTMLImageElement>(el, 'reference-thumbnail').src;
      expect($(el, '#reference-state').textContent).to.match(/^Uploading/);
      let errors = 0;
      el.addEventListener('staging-error', () => errors++);
      const parent = el.parentElement!;
      el.remove();
      const revoked = await fetch(thumbnail).then(
        () => false,
        () => true,
      );
      expect(revoked, 'the thumbnail URL is released').to.equal(true);
      parent.append(el);
      await settle(el);
      // Long enough for the aborted upload's rejection to have arrived.
      await new Promise((r) => setTimeout(r, 300));
      expect(errors, 'an abort is not an error').to.equal(0);
      expect(has(el, 'reference-preview')).to.equal(false);
      expect(el.value).to.not.have.property('reference_upload_id');
    });

    it('fires staging-error and shows it when the upload is refused', async () => {
      const el = await mountLoaded();
      await chooseService(el, 'design-options');
      const failed = oneEvent(el, 'staging-error');
      chooseFile($(el, '#reference'), new File(['not an image at all'], 'notes.png', { type: 'image/png' }));
      const { detail } = await failed;
      expect(detail.source).to.equal('staging-picker');
      expect(detail.code).to.be.a('string').and.not.equal('');
      expect(detail.requestId).to.be.a('string');
      await settle(el);
      const error = $(el, '#reference-error');
      expect(error.hidden).to.equal(false);
      // The person reads the picker's sentence for the code, never the server's own.
      expect(error.textContent).to.equal(errorText(detail.code));
      expect(error.textContent).to.not.equal(detail.message);
      expect($(el, '#reference').getAttribute('aria-invalid')).to.equal('true');
      expect(el.value).to.not.have.property('reference_upload_id');
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });
  });

  describe('catalog loading', () => {
    it('shows the error state and fires staging-error when the BFF cannot be reached', async () => {
      const failed = oneEvent(document, 'staging-error');
      const el = await fixture<StagingPicker>(html`<staging-picker endpoint="http://127.0.0.1:9" .fetchToken=${await devTokens()}></staging-picker>`);
      const { detail } = await failed;
      expect(detail).to.include({ code: 'network_error', source: 'staging-picker' });
      await settle(el);
      expect(part(el, 'error').textContent).to.contain('could not be loaded');
      expect(el.value).to.equal(null);

      // Pointed at the real BFF, it loads.
      el.endpoint = await bffUrl();
      await waitUntil(() => el.value, 'no catalog after fixing the endpoint', { timeout: 10_000 });
      expect(has(el, 'error')).to.equal(false);
    });

    it('loads again with Retry once the BFF is reachable', async () => {
      const real = await bffUrl();
      let reachable = false;
      // Same client throughout: only Retry can make it load.
      const client = new StagingClient({
        endpoint: real,
        tokens: new TokenManager({ fetchToken: await devTokens() }),
        retries: 0,
        fetch: (input, init) => fetch(reachable ? input : String(input).replace(real, 'http://127.0.0.1:9'), init),
      });
      const el = await fixture<StagingPicker>(html`<staging-picker .client=${client}></staging-picker>`);
      await waitUntil(() => queryPart(el, 'error'), 'no error state', { timeout: 10_000 });

      reachable = true;
      const loaded = oneEvent(el, 'staging-selection-change');
      part(el, 'retry').click();
      await settle(el);
      expect(part(el, 'base').getAttribute('aria-busy')).to.equal('true');
      expect((await loaded).detail.service).to.equal('render-enhancement');
      await settle(el);
      expect(has(el, 'error')).to.equal(false);
      expect(part(el, 'base').getAttribute('aria-busy')).to.equal('false');
    });

    it('loads again after being moved in the DOM mid-load', async () => {
      const el = await fixture<StagingPicker>(html`<staging-picker .client=${await realClient()}></staging-picker>`);
      expect(part(el, 'base').getAttribute('aria-busy'), 'still loading when moved').to.equal('true');
      const parent = el.parentElement!;
      el.remove();
      parent.append(el);
      await waitUntil(() => el.value, 'no catalog after reconnecting', { timeout: 10_000 });
      expect(serviceRadio(el, 'upscale')).to.be.instanceOf(HTMLInputElement);
    });
  });
});
