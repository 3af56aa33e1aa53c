import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Credits } from '../../../src/contract/index.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import {
  $,
  bffUrl,
  catalogOf,
  chooseConfig,
  chooseService,
  devTokens,
  everyTypeService,
  mountLoaded,
  mountWithCatalog,
  part,
  parts,
  plainService,
  has,
  queryPart,
  realClient,
  serviceRadio,
  settle,
  typeInto,
} from './helpers.js';

const resolutionsShown = (el: StagingPicker): string[] =>
  Array.from(el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="resolution"]')).map((r) => r.value);

describe('staging-picker properties', () => {
  describe('catalog from the real BFF', () => {
    it('offers the seven services as radio cards, the first chosen, with its defaults (an interior preset: agents photograph rooms)', async () => {
      const el = await mountLoaded();
      // In the person's words, not the catalog's.
      expect(parts(el, 'service-name').map((n) => n.textContent)).to.deep.equal(['Brighten and sharpen', 'Stage an empty room', 'Try design ideas', 'Floor plan to 3D', 'Make it bigger', 'Straighten', 'Combine dark and bright shots']);
      expect(serviceRadio(el, 'render-enhancement').checked).to.equal(true);
      expect(el.value).to.deep.equal({
        service: 'render-enhancement',
        config: 'interior-modern',
        resolution: '2K',
        wantsMask: false,
      });
      expect(el.loadedCatalog!.provider).to.equal('local');
    });

    it('marks only preview-only services with a "Preview" badge, and explains it once, for the chosen one', async () => {
      const el = await mountLoaded();
      const badged = parts(el, 'service')
        .filter((card) => card.querySelector('[part~="preview-badge"]'))
        .map((card) => card.querySelector('input')!.value);
      expect(badged).to.deep.equal(['virtual-staging', 'design-options', '3d-plans']);
      await chooseService(el, 'design-options');
      expect(parts(el, 'preview-note')).to.have.length(1);
    });

    it('names a service the words do not know by the catalog\'s own name', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      expect(part(el, 'service-name').textContent).to.equal('Kitchen Sink');
    });

    it('builds a client from endpoint and fetchToken', async () => {
      const fetchToken = await devTokens();
      const el = await fixture<StagingPicker>(html`<staging-picker endpoint=${await bffUrl()} .fetchToken=${fetchToken}></staging-picker>`);
      await waitUntil(() => el.value, 'no catalog', { timeout: 10_000 });
      expect(parts(el, 'service')).to.have.length(7);
    });

    it('hides 4K from a session limited to 2K', async () => {
      const el = await mountLoaded({ max_resolution: '2K' });
      for (const id of ['render-enhancement', 'design-options', 'upscale']) {
        await chooseService(el, id);
        expect(resolutionsShown(el), id).to.deep.equal(['2K']);
      }
      expect(el.shadowRoot!.textContent).to.not.contain('at 4K');
    });

    it('offers 4K where the session allows it', async () => {
      const el = await mountLoaded();
      expect(resolutionsShown(el)).to.deep.equal(['2K', '4K']);
      expect(part(el, 'resolution').textContent).to.contain('3840 px');
    });

    it('offers an upscale only to targets larger than the photo, and not at all for a photo larger than 4K', async () => {
      const el = await mountLoaded();
      el.photo = { width: 3000, height: 2003 };
      await chooseService(el, 'upscale');
      expect(resolutionsShown(el)).to.deep.equal(['4K']);
      expect(el.value!.resolution).to.equal('4K');
      // Enhancement keeps both: its output is graded, not sized from the photo.
      await chooseService(el, 'render-enhancement');
      expect(resolutionsShown(el)).to.deep.equal(['2K', '4K']);
      el.photo = { width: 6000, height: 4000 };
      await el.updateComplete;
      expect(parts(el, 'service-name').map((n) => n.textContent)).to.not.include('Make it bigger');
    });

    it('shows only the services of a session restricted to upscale', async () => {
      const el = await mountLoaded({ services: ['upscale'] });
      expect(parts(el, 'service-name').map((n) => n.textContent)).to.deep.equal(['Make it bigger']);
      expect(el.value!.service).to.equal('upscale');
    });

    it('restricts the services with the services attribute, comma-separated', async () => {
      const client = await realClient();
      const el = await fixture<StagingPicker>(html`<!-- @ts-ignore: lit-analyzer types the attribute as the property (string[]); the converter under test parses this list --><staging-picker .client=${client} services="upscale, design-options"></staging-picker>`);
      await waitUntil(() => el.value, 'no catalog', { timeout: 10_000 });
      expect(el.services).to.deep.equal(['upscale', 'design-options']);
      // Catalog order, not the attribute's.
      expect(parts(el, 'service').map((c) => c.querySelector('input')!.value)).to.deep.equal(['design-options', 'upscale']);
      el.services = ['upscale'];
      await settle(el);
      expect(parts(el, 'service')).to.have.length(1);
      el.services = ['nothing-like-this'];
      await settle(el);
      expect(part(el, 'empty').textContent).to.contain('No services are available');
      expect(el.value).to.equal(null);
    });
  });

  describe('fields per service', () => {
    it('shows prompt, variants, reference image and mask only where the service takes them', async () => {
      const el = await mountLoaded();
      const present = () => ['prompt', 'variants', 'options', 'reference', 'mask-toggle'].filter((p) => queryPart(el, p));
      expect(present(), 'render-enhancement').to.deep.equal(['prompt', 'options', 'mask-toggle']);
      await chooseService(el, 'virtual-staging');
      expect(present(), 'virtual-staging').to.deep.equal(['prompt', 'options', 'reference', 'mask-toggle']);
      await chooseService(el, 'design-options');
      expect(present(), 'design-options').to.deep.equal(['prompt', 'variants', 'options', 'reference', 'mask-toggle']);
      await chooseService(el, '3d-plans');
      expect(present(), '3d-plans').to.deep.equal(['prompt']);
      await chooseService(el, 'upscale');
      expect(present(), 'upscale').to.deep.equal([]);
    });

    it('offers the service configs as chips, rooms first, with the chosen one described', async () => {
      const el = await mountLoaded();
      const chips = () => Array.from(el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="config"]')).map((i) => i.value);
      expect(chips()).to.deep.equal(['interior-modern', 'interior-traditional', 'interior-minimalist', 'exterior-modern', 'exterior-traditional', 'landscape', 'aerial']);
      expect(part(el, 'config').querySelector('legend')!.textContent).to.equal('What does the photo show?');
      await chooseService(el, 'upscale');
      expect(chips()).to.deep.equal(['standard', 'detail']);
      await chooseConfig(el, 'detail');
      await settle(el);
      expect(el.value!.config).to.equal('detail');
      expect($(el, '#config-help').textContent).to.equal('Stronger sharpening for fine textures and edges.');
    });

    it('keeps the variants within the service range', async () => {
      const el = await mountLoaded();
      await chooseService(el, 'design-options');
      const input = $(el, '#variants');
      expect([input.min, input.max, input.value]).to.deep.equal(['1', '4', '1']);
      await typeInto(input, '5');
      await settle(el);
      expect(input.validity.rangeOverflow).to.equal(true);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
      expect(part(el, 'submit-hint').textContent).to.contain('Complete the fields');
      await typeInto(input, '4');
      await settle(el);
      expect(el.value!.variants).to.equal(4);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(false);
    });

    it('counts the prompt characters against 2000 and trims the value', async () => {
      const el = await mountLoaded();
      const prompt = $<HTMLTextAreaElement>(el, '#prompt');
      expect(prompt.maxLength).to.equal(2000);
      await typeInto(prompt, '  warm evening light ');
      await settle(el);
      expect(part(el, 'prompt-counter').textContent).to.equal('21 / 2000 characters');
      expect(el.value!.prompt).to.equal('warm evening light');
      await typeInto(prompt, '   ');
      await settle(el);
      expect(el.value).to.not.have.property('prompt');
    });
  });

  describe('cost', () => {
    it('shows credits per output at the resolution times the variants; a preview is free', async () => {
      const el = await mountLoaded();
      const cost = () => part(el, 'cost').textContent.replace(/\s+/g, ' ').trim();
      expect(cost()).to.equal('2 credits');
      $(el, 'input[name="resolution"][value="4K"]').click();
      await settle(el);
      expect(cost()).to.equal('3 credits');
      expect(el.cost).to.equal(3);

      await chooseService(el, 'upscale');
      expect(cost(), 'upscale starts at its own 2K').to.equal('1 credit');

      // The local engine can only preview design options: not charged, whatever the count.
      await chooseService(el, 'design-options');
      await typeInto($(el, '#variants'), '3');
      await settle(el);
      expect(cost()).to.equal('Free preview');
      expect(el.cost).to.equal(0);

      const sink = await mountWithCatalog(catalogOf(everyTypeService));
      await typeInto($(sink, '#variants'), '3');
      await settle(sink);
      expect(part(sink, 'cost').textContent.trim()).to.equal('6 credits');
      $(sink, 'input[name="resolution"][value="4K"]').click();
      await settle(sink);
      expect(part(sink, 'cost').textContent.trim()).to.equal('15 credits');
    });

    it('shows what the session has left, and disables Start when the cost exceeds it', async () => {
      const el = await mountLoaded({ max_credits: 2 });
      await waitUntil(() => el.knownCredits, 'no credits', { timeout: 5000 });
      await settle(el);
      expect(part(el, 'cost').textContent).to.contain('You have 2 left.');
      $(el, 'input[name="resolution"][value="4K"]').click();
      await settle(el);
      expect(part(el, 'cost').textContent).to.contain('3 credits');
      expect(part(el, 'cost-warning').textContent).to.contain('Not enough credits');
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
      $(el, 'input[name="resolution"][value="2K"]').click();
      await settle(el);
      expect(has(el, 'cost-warning')).to.equal(false);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(false);
    });

    it('says nothing about what is left when the session has no allowance', async () => {
      const el = await mountLoaded();
      await waitUntil(() => el.knownCredits, 'no credits', { timeout: 5000 });
      expect(el.knownCredits!.remaining).to.equal(null);
      expect(part(el, 'cost').textContent).to.not.contain('left');
    });

    it('uses credits set directly instead of fetching them', async () => {
      const el = await mountWithCatalog(catalogOf({ ...plainService, preview_only: false }));
      el.credits = { max_credits: 10, used: 9, remaining: 1 } satisfies Credits;
      await settle(el);
      expect(part(el, 'cost').textContent).to.contain('1 credit');
      expect(part(el, 'cost').textContent).to.contain('You have 1 left.');
      el.credits = { max_credits: 10, used: 10, remaining: 0 };
      await settle(el);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
    });
  });

  describe('options from the schema', () => {
    it('renders a control per option type', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      // The style is a gallery (a radio per value, the default chosen), not a select.
      const style = $(el, '#option-style');
      expect(Array.from(style.querySelectorAll('.swatch-label')).map((o) => o.textContent)).to.deep.equal(['Modern', 'Rustic']);
      expect($(el, '#option-style-modern').checked).to.equal(true);
      const room = $<HTMLSelectElement>(el, '#option-room');
      expect(room.required).to.equal(true);
      expect(Array.from(room.options).map((o) => o.value)).to.deep.equal(['', 'kitchen', 'hall'], 'a required enum has no "Default"');
      expect($(el, '#option-caption').maxLength).to.equal(20);
      const strength = $(el, '#option-strength');
      expect([strength.type, strength.min, strength.max, strength.step, strength.value]).to.deep.equal(['number', '0', '1', '0.1', '0.5']);
      expect($(el, '#option-count').step).to.equal('1');
      expect($(el, '#option-hdr').type).to.equal('checkbox');
      expect($(el, '#option-title').required).to.equal(true);
    });

    it('gives typed values: numbers as numbers, booleans as booleans, empty fields left out', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      expect(el.value!.options).to.deep.equal({ strength: 0.5, hdr: false });

      $(el, '#option-style-rustic').click();
      await typeInto($<HTMLSelectElement>(el, '#option-room'), 'hall');
      await typeInto($(el, '#option-caption'), 'Sunny');
      await typeInto($(el, '#option-strength'), '0.8');
      await typeInto($(el, '#option-count'), '3');
      $(el, '#option-hdr').click();
      await typeInto($(el, '#option-title'), 'Hello');
      await settle(el);
      expect(el.value!.options).to.deep.equal({ style: 'rustic', room: 'hall', caption: 'Sunny', strength: 0.8, count: 3, hdr: true, title: 'Hello' });

      await typeInto($(el, '#option-count'), '');
      await settle(el);
      expect(el.value!.options).to.not.have.property('count');
    });

    it('keeps Start disabled until the required options are filled', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      const submit = part<HTMLButtonElement>(el, 'submit');
      expect(submit.disabled).to.equal(true);
      expect(el.checkValidity()).to.equal(false);
      expect(part(el, 'submit-hint').textContent).to.contain('Complete the fields');
      await typeInto($<HTMLSelectElement>(el, '#option-room'), 'kitchen');
      await settle(el);
      expect(submit.disabled).to.equal(true);
      await typeInto($(el, '#option-title'), 'A title');
      await settle(el);
      expect(submit.disabled).to.equal(false);
      expect(el.checkValidity()).to.equal(true);
      expect(has(el, 'submit-hint')).to.equal(false);
    });

    it('shows the errors of untouched required fields only after reportValidity()', async () => {
      const el = await mountWithCatalog(catalogOf(everyTypeService));
      expect(el.shadowRoot!.querySelectorAll('[aria-invalid="true"]')).to.have.length(0);
      expect(el.reportValidity()).to.equal(false);
      await settle(el);
      const invalid = Array.from(el.shadowRoot!.querySelectorAll('[aria-invalid="true"]')).map((n) => n.id);
      expect(invalid).to.deep.equal(['option-room', 'option-title']);
      expect(el.shadowRoot!.activeElement === $(el, '#option-room'), 'focus on the first invalid field').to.equal(true);
      expect($(el, '#option-title-error').textContent).to.equal('Fill this in.');
      expect($(el, '#option-room-error').textContent).to.equal('Choose one.');
      // In the page's language, not the browser's.
      el.setAttribute('lang', 'fr');
      await waitUntil(() => $(el, '#option-title-error').textContent === 'Remplissez ce champ.', 'the field errors did not follow the language', { timeout: 10_000 });
      expect($(el, '#option-room-error').textContent).to.equal('Choisissez une option.');
    });
  });

  describe('memory, reset and state', () => {
    it('remembers the last choice of each service when switching back and forth', async () => {
      const el = await mountLoaded();
      await chooseConfig(el, 'landscape');
      await typeInto($<HTMLTextAreaElement>(el, '#prompt'), 'lush garden');
      $(el, 'input[name="resolution"][value="4K"]').click();
      $(el, '#mask').click();
      await settle(el);
      const before = el.value;

      await chooseService(el, 'design-options');
      await typeInto($(el, '#variants'), '2');
      await settle(el);
      expect(el.value!.prompt).to.equal(undefined, 'each service starts from its own defaults');

      await chooseService(el, 'render-enhancement');
      expect(el.value).to.deep.equal(before);
      expect($(el, 'input[name="config"]:checked').value).to.equal('landscape');
      expect($<HTMLTextAreaElement>(el, '#prompt').value).to.equal('lush garden');
      expect($(el, '#mask').checked).to.equal(true);

      await chooseService(el, 'design-options');
      expect(el.value!.variants).to.equal(2);
    });

    it('reset() forgets every choice and returns to the first service', async () => {
      const el = await mountLoaded();
      await typeInto($<HTMLTextAreaElement>(el, '#prompt'), 'something');
      await chooseService(el, 'upscale');
      await chooseConfig(el, 'detail');
      await settle(el);
      el.reset();
      await settle(el);
      expect(el.value).to.deep.equal({ service: 'render-enhancement', config: 'interior-modern', resolution: '2K', wantsMask: false });
      expect(serviceRadio(el, 'render-enhancement').checked).to.equal(true);
      expect($<HTMLTextAreaElement>(el, '#prompt').value).to.equal('');
      await chooseService(el, 'upscale');
      expect(el.value!.config).to.equal('standard');
    });

    it('uses the catalog property without fetching, and without a client', async () => {
      const el = await mountWithCatalog(catalogOf(plainService, everyTypeService));
      expect(parts(el, 'service')).to.have.length(2);
      expect(el.value!.service).to.equal('plain');
      expect(part(el, 'base').getAttribute('aria-busy')).to.equal('false');
    });

    it('asks to be connected when it has neither a catalog nor a client', async () => {
      const el = await fixture<StagingPicker>(html`<staging-picker></staging-picker>`);
      expect(part(el, 'empty').textContent).to.contain('Connect the picker');
      expect(el.value).to.equal(null);
    });

    it('disables the form with the disabled attribute', async () => {
      const el = await mountLoaded();
      el.setAttribute('disabled', '');
      await settle(el);
      expect(el.disabled).to.equal(true);
      expect(serviceRadio(el, 'upscale').disabled).to.equal(true);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(true);
      el.disabled = false;
      await settle(el);
      expect(part<HTMLButtonElement>(el, 'submit').disabled).to.equal(false);
    });

    it('labels Start from submitLabel or the submit-label slot', async () => {
      const el = await mountWithCatalog(catalogOf(plainService));
      const submit = part(el, 'submit');
      expect(submit.textContent.trim()).to.equal('Start');
      el.submitLabel = 'Stage it';
      await settle(el);
      expect(submit.textContent.trim()).to.equal('Stage it');
      expect(el.getAttribute('submit-label')).to.equal(null);

      const slotted = await fixture<StagingPicker>(
        html`<staging-picker .catalog=${catalogOf(plainService)}><span slot="submit-label">Go on</span></staging-picker>`,
      );
      const slot = part(slotted, 'submit').querySelector('slot')!;
      expect(slot.assignedNodes().map((n) => n.textContent)).to.deep.equal(['Go on']);
    });

    it('lays the service cards out in two columns at 360 px, without overflow', async () => {
      const el = await mountLoaded();
      el.style.width = '360px';
      await settle(el);
      const lefts = new Set(parts(el, 'service').map((c) => Math.round(c.getBoundingClientRect().left)));
      expect(lefts.size).to.equal(2);
      expect(el.scrollWidth).to.be.at.most(360);
      el.style.width = '900px';
      await settle(el);
      const wide = new Set(parts(el, 'service').map((c) => Math.round(c.getBoundingClientRect().left)));
      expect(wide.size).to.be.greaterThan(1);
    });
  });
});
