import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OutputDisclosure } from '../../../src/contract/disclosure.js';
import '../../../src/elements/staging-disclosure/staging-disclosure.js';
import type { StagingDisclosure } from '../../../src/elements/staging-disclosure/staging-disclosure.js';

const PAGE = 'https://bff.example/v1/originals/AbCdEfGhIjKlMnOpQrStUvWx';

/** Disclosures as the BFF writes them under each profile (see test/server/disclosure.test.ts). */
const material = (over: Partial<OutputDisclosure>): OutputDisclosure => ({
  profile: 'none',
  edit_class: 'material',
  required: true,
  label: null,
  caption: null,
  remarks: null,
  original: 'none',
  original_page_url: PAGE,
  original_image_url: `${PAGE}/original`,
  qr_url: `${PAGE}/qr.svg`,
  burned_in: false,
  published_url: 'https://bff.example/v1/outputs/out_1?sig=x',
  digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
  structure_drift: { score: 0, flagged: false, regions: [] },
  ...over,
});

const CA = material({
  profile: 'ca-ab723',
  label: 'Digitally altered image',
  caption: 'This photo was digitally altered (virtually staged). The original photo is linked.',
  original: 'link',
  burned_in: true,
});
const STELLAR = material({ profile: 'stellar', label: 'Virtually staged', caption: 'Virtually staged', remarks: 'One or more photo(s) was virtually staged.', qr_url: null });
const CRMLS = material({ profile: 'crmls', label: 'Virtually staged', caption: 'Virtually staged. The original photo is shown next to this one.', original: 'adjacent' });

const part = <T extends Element = HTMLElement>(el: StagingDisclosure, name: string) => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const text = (el: StagingDisclosure) => el.shadowRoot!.textContent.replace(/\s+/g, ' ');

async function mount(disclosure: OutputDisclosure | null) {
  return fixture<StagingDisclosure>(html`<staging-disclosure .disclosure=${disclosure}></staging-disclosure>`);
}

describe('staging-disclosure', () => {
  it('shows nothing without a disclosure, and one reassuring line for a technical edit', async () => {
    const none = await mount(null);
    expect(part(none, 'base')).to.equal(null);
    const technical = await mount({ ...material({}), edit_class: 'technical', required: false, original_page_url: null, qr_url: null, digital_source_type: null, structure_drift: null });
    expect(text(technical)).to.contain('no disclosure is needed');
    expect(part(technical, 'requirements')).to.equal(null);
  });

  it('ca-ab723: says the label is on the image, offers the caption to copy, and links the original with its QR code', async () => {
    const el = await mount(CA);
    expect(part(el, 'title')!.textContent).to.equal('Before you publish');
    expect(text(el)).to.contain('A “Digitally altered image” label is on the image.');
    expect(part(el, 'caption')!.textContent).to.equal(CA.caption);
    expect(part(el, 'remarks')).to.equal(null);
    expect(text(el)).to.contain('Link the original photo with the listing');
    expect(part<HTMLImageElement>(el, 'qr')!.getAttribute('src')).to.equal(CA.qr_url);
    expect(part<HTMLImageElement>(el, 'qr')!.alt).to.equal('QR code of the original photo page');
    const link = part(el, 'original')!.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal(PAGE);
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(part(el, 'drift-warning')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('stellar: the label goes next to the image, the remarks sentence is offered, and no QR code', async () => {
    const el = await mount(STELLAR);
    expect(text(el)).to.contain('Show “Virtually staged” next to the image.');
    expect(part(el, 'remarks')!.textContent).to.equal('One or more photo(s) was virtually staged.');
    expect(part(el, 'qr')).to.equal(null);
    const buttons = [...el.shadowRoot!.querySelectorAll('[part~="copy-button"]')].map((b) => b.getAttribute('aria-label'));
    expect(buttons).to.include.members(['Copy the caption', 'Copy the remarks']);
  });

  it('crmls: asks for the original right before or after, with a download of it', async () => {
    const el = await mount(CRMLS);
    expect(text(el)).to.contain('Place the original photo right before or after this one.');
    const download = [...part(el, 'original')!.querySelectorAll('a')].find((a) => a.hasAttribute('download'))!;
    expect(download.getAttribute('href')).to.equal(`${PAGE}/original`);
    expect(part(el, 'qr')).to.equal(null);
  });

  it('warns to review an image whose structure changed', async () => {
    const el = await mount({ ...CA, structure_drift: { score: 0.02, flagged: true, regions: [{ x: 0.5, y: 0.2, width: 0.1, height: 0.2 }] } });
    expect(part(el, 'drift-warning')!.textContent).to.contain('Check this image before you publish it');
    await expect(el).to.be.accessible();
  });

  it('copies the caption, and says so (or selects it where there is no clipboard)', async () => {
    const el = await mount(CA);
    const button = part<HTMLButtonElement>(el, 'copy-button')!;
    button.click();
    await waitUntil(() => part(el, 'status')!.textContent !== '', 'the copy button never answered');
    const status = part(el, 'status')!.textContent;
    if (status === 'Copied') {
      expect(await navigator.clipboard.readText()).to.equal(CA.caption);
    } else {
      expect(status).to.equal('Select the text and copy it');
      expect(getSelection()!.toString()).to.equal(CA.caption);
    }
  });
});
