import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { resetMouse, sendKeys, sendMouse } from '../support/commands.js';
import { $, catalogOf, everyTypeService, has, mountLoaded, mountWithCatalog, part, parts, realClient, serviceRadio, settle } from './helpers.js';

/** The sample pictures this page has requested so far (the Resource Timing buffer of its own page). */
const sampleRequests = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((n) => n.includes('/staging-picker/samples/'));

/** Presses a card with the mouse, as a person's tap does (a click with a count, unlike the keyboard's). */
async function tap(el: StagingPicker, serviceId: string): Promise<void> {
  const card = serviceRadio(el, serviceId).closest('label')!;
  card.scrollIntoView({ block: 'center' });
  const r = card.getBoundingClientRect();
  const at: [number, number] = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
  const hit = el.shadowRoot!.elementFromPoint(...at);
  expect(card.contains(hit), `the card is covered by ${hit?.outerHTML.slice(0, 80)}`).to.equal(true);
  await sendMouse({ type: 'click', position: at });
  await waitUntil(() => el.value?.service === serviceId, `the tap did not choose ${serviceId}`);
  await settle(el);
}

const images = (root: ParentNode) => Array.from(root.querySelectorAll('img'));
const loaded = (img: HTMLImageElement) => img.complete && img.naturalWidth > 0;

describe('staging-picker pictures', () => {
  afterEach(() => resetMouse());

  // First in the file: the page's resource buffer has seen no picker yet.
  it('requests no sample picture before the picker is shown, and the cards’ pictures once it is', async function () {
    // Skipped in WebKit: it fetches loading="lazy" images of a hidden subtree at once (the picker exists only after a photo is chosen).
    if (/AppleWebKit/.test(navigator.userAgent) && !/Chrome/.test(navigator.userAgent)) this.skip();
    const host = await fixture<HTMLDivElement>(html`<div hidden></div>`);
    const client = await realClient();
    const el = document.createElement('staging-picker');
    el.client = client;
    host.append(el);
    await waitUntil(() => el.value !== null, 'the catalog did not load', { timeout: 10_000 });
    await settle(el);
    // In the page but not shown: lazy pictures wait.
    expect(images(el.shadowRoot!).length).to.be.greaterThan(0);
    expect(sampleRequests()).to.deep.equal([]);

    host.hidden = false;
    await waitUntil(() => images(el.shadowRoot!).filter((i) => i.closest('[part~="service"]')).every(loaded), 'the card pictures did not load', { timeout: 10_000 });
    // Loaded, so requested (Firefox's resource timing leaves images of a shadow root out).
    expect(images(el.shadowRoot!).some((i) => i.src.includes('/render-enhancement.webp') && loaded(i))).to.equal(true);
    // The style swatches belong to another service's question: not asked for yet.
    expect(sampleRequests().filter((n) => n.includes('/style-'))).to.deep.equal([]);
  });

  it('shows a before/after sample on the cards of services that ship one, and the icon on the others; decorative, lazy, and passes axe', async () => {
    const el = await mountLoaded();
    for (const id of ['render-enhancement', 'virtual-staging', 'design-options', 'upscale', 'straighten']) {
      const card = serviceRadio(el, id).closest('label')!;
      const img = card.querySelector<HTMLImageElement>('[part~="service-sample"]');
      expect(img, id).to.not.equal(null);
      expect([img!.alt, img!.loading], id).to.deep.equal(['', 'lazy']);
      expect(card.querySelector('[part~="service-icon"]'), id).to.equal(null);
    }
    // Floor plan to 3D has no sample: its line icon, as before.
    const plans = serviceRadio(el, '3d-plans').closest('label')!;
    expect(plans.querySelector('[part~="service-sample"]')).to.equal(null);
    expect(plans.querySelector('[part~="service-icon"]')).to.not.equal(null);
    // The card's words name the service; the picture adds nothing to its name.
    expect(serviceRadio(el, 'virtual-staging').getAttribute('aria-labelledby')).to.equal('svc-virtual-staging-name');
    await waitUntil(() => parts(el, 'service-sample').every((i) => loaded(i as HTMLImageElement)), 'a sample did not load', { timeout: 10_000 });
    await expect(el).to.be.accessible();
  });

  it('folds the cards to the chosen one’s line when one is tapped, and "Change" unfolds them', async () => {
    const el = await mountLoaded();
    await tap(el, 'virtual-staging');
    expect(el.value!.service).to.equal('virtual-staging');
    await waitUntil(() => has(el, 'chosen-service'), 'the cards did not fold');
    expect(has(el, 'service-list')).to.equal(false);
    expect(part(el, 'chosen-service').textContent).to.contain('Stage an empty room');
    // The honest note stays with the folded line.
    expect(has(el, 'preview-note')).to.equal(true);
    const change = part<HTMLButtonElement>(el, 'change-service');
    expect(el.shadowRoot!.activeElement).to.equal(change);
    expect(change.getAttribute('aria-label')).to.equal('Change what to do');
    await expect(el).to.be.accessible();

    change.click();
    await settle(el);
    expect(has(el, 'service-list')).to.equal(true);
    await waitUntil(() => el.shadowRoot!.activeElement === serviceRadio(el, 'virtual-staging'), 'focus did not return to the chosen card');
  });

  it('leaves the cards open while the keyboard moves between them', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'render-enhancement').focus();
    const changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowDown' });
    expect((await changed).detail.service).to.equal('virtual-staging');
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(has(el, 'service-list')).to.equal(true);
    expect(has(el, 'chosen-service')).to.equal(false);
  });

  it('asks for the style as a gallery of pictures, a radio group the keyboard operates', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'virtual-staging').click();
    await settle(el);
    const gallery = part(el, 'style-gallery');
    expect(gallery.tagName).to.equal('FIELDSET');
    expect(gallery.querySelector('legend')!.textContent).to.equal('Pick a style');
    // Not asked twice: More options no longer holds a style field.
    expect(part(el, 'more-options').querySelector('[name="options.style"]')).to.equal(null);
    const radios = Array.from(gallery.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    expect(radios.map((r) => r.value)).to.deep.equal(['modern', 'traditional', 'minimalist', 'scandinavian', 'industrial', 'coastal', 'luxury']);
    // Each radio's name is its label's words; the pictures are decorative.
    expect(radios.map((r) => r.labels![0]!.querySelector('.swatch-label')!.textContent)).to.deep.equal([
      'Modern',
      'Traditional',
      'Minimalist',
      'Scandinavian',
      'Industrial',
      'Coastal',
      'Luxury',
    ]);
    expect(images(gallery).every((i) => i.alt === '' && i.loading === 'lazy')).to.equal(true);
    // The default is shown chosen, and the value leaves it to the server.
    expect(part(el, 'style-choice-selected').textContent).to.contain('Modern');
    expect(el.value!.options?.style).to.equal(undefined);

    // Tab from the room question reaches the chosen style, the arrows move the choice.
    $(el, 'input[name="config"]:checked').focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#option-style-modern'));
    let changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowRight' });
    expect((await changed).detail.options).to.deep.equal({ style: 'traditional' });
    changed = oneEvent(el, 'staging-selection-change');
    await sendKeys({ press: 'ArrowRight' });
    expect((await changed).detail.options).to.deep.equal({ style: 'minimalist' });
    await settle(el);
    expect(parts(el, 'style-choice-selected').map((s) => s.textContent.trim())).to.deep.equal(['Minimalist']);
    await waitUntil(() => images(gallery).every(loaded), 'a swatch did not load', { timeout: 10_000 });
    await expect(el).to.be.accessible();
  });

  it('shows a colour swatch with the initial where a style has no picture', async () => {
    const el = await mountWithCatalog(catalogOf(everyTypeService));
    const rustic = $(el, '#option-style-rustic').closest('label')!;
    expect(rustic.querySelector('img')).to.equal(null);
    const swatch = rustic.querySelector<HTMLElement>('.swatch-fallback')!;
    expect(swatch.textContent.trim()).to.equal('R');
    expect(swatch.getAttribute('aria-hidden')).to.equal('true');
    expect(getComputedStyle(swatch).backgroundImage).to.contain('gradient');
    expect($(el, '#option-style-modern').closest('label')!.querySelector('img')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows presets that are styles (a provider’s “Scandinavian”) as a gallery, still the config radios', async () => {
    const styled = { ...everyTypeService, id: 'redesign', options: [], configs: ['modern', 'scandinavian', 'industrial', 'bohemian'].map((id) => ({ id, name: id[0]!.toUpperCase() + id.slice(1) })) };
    const el = await mountWithCatalog(catalogOf(styled));
    const config = part(el, 'config');
    expect(config.classList.contains('gallery')).to.equal(true);
    expect(parts(el, 'config-choice').length).to.equal(4);
    expect(images(config).length).to.equal(3);
    $(el, 'input[name="config"][value="bohemian"]').click();
    await settle(el);
    expect(el.value!.config).to.equal('bohemian');
    expect(part(el, 'config-choice-selected').textContent).to.contain('Bohemian');
    await expect(el).to.be.accessible();
  });
});
