import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendMouse } from '../support/commands.js';
import type { StagingBeforeAfter } from '../../../src/elements/staging-before-after/staging-before-after.js';
import { variantsFromOutputs } from '../../../src/elements/staging-before-after/staging-before-after.js';
import { BEFORE_URL, VARIANTS, clipLeft, compare, handleOf, part, translateOf } from './helpers.js';

function pointAt(el: StagingBeforeAfter, fractionX: number, fractionY = 0.3): [number, number] {
  const rect = part(el, 'viewport').getBoundingClientRect();
  return [Math.round(rect.left + rect.width * fractionX), Math.round(rect.top + rect.height * fractionY)];
}

describe('staging-before-after: properties and pointer', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('has documented defaults and clamps position and zoom', async () => {
    const el = await fixture<StagingBeforeAfter>(html`<staging-before-after></staging-before-after>`);
    expect(el.position).to.equal(50);
    expect(el.zoom).to.equal(1);
    expect(el.beforeAlt).to.equal('Original photo');
    expect(el.afterAlt).to.equal('Staged result');
    expect(el.variantIndex).to.equal(-1);
    el.position = 140;
    el.zoom = 9;
    await el.updateComplete;
    expect(el.position).to.equal(100);
    expect(el.zoom).to.equal(4);
    el.position = -3;
    el.zoom = 0;
    await el.updateComplete;
    expect(el.position).to.equal(0);
    expect(el.zoom).to.equal(1);
  });

  it('shows the first variant as "after", with alt texts', async () => {
    const el = await compare();
    expect(el.variantIndex).to.equal(0);
    expect(el.afterSrc).to.equal(VARIANTS[0]!.url);
    const before = part<HTMLImageElement>(el, 'before-image');
    const after = part<HTMLImageElement>(el, 'after-image');
    expect(before.src).to.equal(BEFORE_URL);
    expect(before.alt).to.equal('Original photo');
    expect(after.src).to.equal(VARIANTS[0]!.url);
    expect(after.alt).to.equal('Staged result');
  });

  it('position sets the clip of the "after" image and the divider', async () => {
    const el = await compare();
    el.position = 30;
    await el.updateComplete;
    expect(clipLeft(el)).to.equal(30);
    expect(part(el, 'divider').style.left).to.equal('30%');
    expect(handleOf(el).getAttribute('aria-valuenow')).to.equal('30');
    const viewport = part(el, 'viewport').getBoundingClientRect();
    const divider = part(el, 'divider').getBoundingClientRect();
    expect(divider.left + divider.width / 2 - viewport.left).to.be.closeTo(viewport.width * 0.3, 2);
  });

  it('choosing a variant changes the "after" image and shows the local preview badge', async () => {
    const el = await compare();
    expect(el.shadowRoot!.querySelector('[part~="preview-badge"]')).to.equal(null);
    const labels = el.shadowRoot!.querySelectorAll<HTMLLabelElement>('[part~="variant"]');
    expect(labels.length).to.equal(2);
    expect(labels[0]!.textContent).to.contain('Scandinavian');
    expect(labels[1]!.textContent).to.contain('Variant 2').and.contain('local preview');
    labels[1]!.click();
    await el.updateComplete;
    expect(el.variantIndex).to.equal(1);
    expect(el.afterSrc).to.equal(VARIANTS[1]!.url);
    expect(part<HTMLImageElement>(el, 'after-image').src).to.equal(VARIANTS[1]!.url);
    expect(part<HTMLImageElement>(el, 'after-image').alt).to.equal('Staged result (local preview)');
    expect(part(el, 'preview-badge').textContent.trim()).to.equal('Local preview');
    el.selectVariant(0);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="preview-badge"]')).to.equal(null);
  });

  it('keeps an "after" URL that matches a new variant list', async () => {
    const el = await fixture<StagingBeforeAfter>(html`<staging-before-after before=${BEFORE_URL} after=${VARIANTS[1]!.url}></staging-before-after>`);
    el.variants = VARIANTS;
    await el.updateComplete;
    expect(el.variantIndex).to.equal(1);
  });

  it('setting afterSrc directly selects the matching variant, or none', async () => {
    const el = await compare();
    el.afterSrc = VARIANTS[1]!.url;
    await el.updateComplete;
    expect(el.variantIndex).to.equal(1);
    el.afterSrc = BEFORE_URL;
    await el.updateComplete;
    expect(el.variantIndex).to.equal(-1);
    expect(el.selectedVariant).to.equal(undefined);
    const checked = el.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="variants"] input:checked');
    expect(checked.length).to.equal(0);
  });

  it('hides the variant chooser with a single result', async () => {
    const el = await compare({ variants: [VARIANTS[1]!] });
    expect(el.shadowRoot!.querySelector('[part~="variants"]')).to.equal(null);
    expect(part(el, 'preview-badge')).to.exist;
  });

  it('maps job outputs to variants: the copy to publish is shown and downloaded, with its heat map and disclosure', () => {
    const disclosure = {
      profile: 'smartmls', edit_class: 'material' as const, required: true, label: 'Virtually staged', caption: null, remarks: null, original: 'none' as const,
      original_page_url: 'https://bff.example/v1/originals/AbCdEfGhIjKlMnOpQrStUvWx', original_image_url: 'https://bff.example/v1/originals/AbCdEfGhIjKlMnOpQrStUvWx/original',
      qr_url: null, burned_in: true, published_url: 'https://bff.example/v1/outputs/out_1/published?sig=y',
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia', structure_drift: null,
    };
    const variants = variantsFromOutputs([
      { id: 'out_1', url: 'https://bff.example/v1/outputs/out_1?sig=x', width: 2048, height: 1365, content_type: 'image/webp', local_preview: true, changes_url: 'https://bff.example/v1/outputs/out_1/changes?sig=x', disclosure },
    ]);
    expect(variants).to.deep.equal([
      {
        id: 'out_1', url: 'https://bff.example/v1/outputs/out_1/published?sig=y', width: 2048, height: 1365, label: 'Variant 1', localPreview: true, contentType: 'image/webp',
        changesUrl: 'https://bff.example/v1/outputs/out_1/changes?sig=x', disclosure,
      },
    ]);
  });

  it('"What changed" lays the heat map over the result, and the chosen variant\'s disclosure shows before "Use this image"', async () => {
    const disclosure = {
      profile: 'stellar', edit_class: 'material' as const, required: true, label: 'Virtually staged', caption: 'Virtually staged', remarks: 'One or more photo(s) was virtually staged.',
      original: 'none' as const, original_page_url: null, original_image_url: null, qr_url: null, burned_in: false, published_url: VARIANTS[0]!.url,
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia', structure_drift: null,
    };
    const el = await compare({ variants: [{ ...VARIANTS[0]!, changesUrl: BEFORE_URL, disclosure }, VARIANTS[1]!] });
    const toggle = part<HTMLButtonElement>(el, 'changes-button');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(el.shadowRoot!.querySelector('[part~="changes-overlay"]')).to.equal(null);
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    const overlay = part<HTMLImageElement>(el, 'changes-overlay');
    expect(overlay.getAttribute('src')).to.equal(BEFORE_URL);
    // Inside the clipped "after" layer, so the divider cuts it like the result.
    expect(overlay.parentElement!.getAttribute('part')).to.equal('after');
    expect(part(el, 'changes-legend').textContent).to.contain('Orange marks what the result changed');
    const panel = part<HTMLElement & { disclosure: unknown }>(el, 'disclosure');
    expect(panel.tagName.toLowerCase()).to.equal('staging-disclosure');
    expect(panel.disclosure).to.equal(disclosure);
    // The panel comes before the actions.
    expect(panel.compareDocumentPosition(part(el, 'use-button')) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    // A variant without them has neither.
    el.selectVariant(1);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="changes-button"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="disclosure"]')).to.equal(null);
  });

  it('takes the image area aspect ratio from the variant size', async () => {
    const el = await compare();
    const rect = part(el, 'viewport').getBoundingClientRect();
    expect(rect.width / rect.height).to.be.closeTo(1600 / 1067, 0.02);
  });

  it('dragging with a real mouse moves the divider (pointer capture keeps it beyond the edge)', async () => {
    const el = await compare();
    await sendMouse({ type: 'move', position: pointAt(el, 0.25) });
    await sendMouse({ type: 'down' });
    await el.updateComplete;
    expect(el.position).to.be.closeTo(25, 1);
    await sendMouse({ type: 'move', position: pointAt(el, 0.6) });
    await sendMouse({ type: 'move', position: pointAt(el, 0.8) });
    await el.updateComplete;
    expect(el.position).to.be.closeTo(80, 1);
    expect(clipLeft(el)).to.be.closeTo(80, 1);
    // Past the right edge: still captured, clamped to 100.
    const rect = part(el, 'viewport').getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(rect.right + 40), Math.round(rect.top + 10)] });
    await el.updateComplete;
    expect(el.position).to.equal(100);
    await sendMouse({ type: 'up' });
    await sendMouse({ type: 'move', position: pointAt(el, 0.1) });
    await el.updateComplete;
    expect(el.position, 'no longer dragging after release').to.equal(100);
    expect(el.shadowRoot!.activeElement, 'focus on the handle after a drag').to.equal(handleOf(el));
  });

  it('zoom buttons zoom both images; pan mode drags the image, not the divider', async () => {
    const el = await compare();
    expect(part<HTMLButtonElement>(el, 'zoom-out-button').disabled).to.equal(true);
    part<HTMLButtonElement>(el, 'zoom-in-button').click();
    part<HTMLButtonElement>(el, 'zoom-in-button').click();
    await el.updateComplete;
    expect(el.zoom).to.equal(2);
    expect(part(el, 'zoom-value').textContent).to.equal('200%');
    expect(part(el, 'after-image').style.transform).to.contain('scale(2)');
    expect(part(el, 'before-image').style.transform).to.contain('scale(2)');

    const pan = part<HTMLButtonElement>(el, 'pan-button');
    pan.click();
    await el.updateComplete;
    expect(pan.getAttribute('aria-pressed')).to.equal('true');
    await sendMouse({ type: 'move', position: pointAt(el, 0.5, 0.5) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: pointAt(el, 0.6, 0.5) });
    await sendMouse({ type: 'up' });
    await el.updateComplete;
    expect(el.position).to.equal(50);
    expect(translateOf(part(el, 'after-image')).x).to.be.closeTo(10, 1);

    // Panning is limited so the image always covers the viewport: at 2× at most 50 %.
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: pointAt(el, 1.2, 0.5) });
    await sendMouse({ type: 'up' });
    await el.updateComplete;
    expect(translateOf(part(el, 'after-image')).x).to.equal(50);

    part<HTMLButtonElement>(el, 'zoom-reset-button').click();
    await el.updateComplete;
    expect(el.zoom).to.equal(1);
    expect(translateOf(part(el, 'after-image'))).to.deep.equal({ x: 0, y: 0 });
    expect(part(el, 'after-image').style.transform).to.match(/\) scale\(1\)$/);
    expect(el.shadowRoot!.querySelector('[part~="pan-button"]')).to.equal(null);
  });

  it('Ctrl + wheel zooms; a plain wheel does not', async () => {
    const el = await compare();
    const viewport = part(el, 'viewport');
    viewport.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.zoom).to.equal(1);
    const event = new WheelEvent('wheel', { deltaY: -100, ctrlKey: true, bubbles: true, cancelable: true });
    viewport.dispatchEvent(event);
    await el.updateComplete;
    expect(event.defaultPrevented).to.equal(true);
    expect(el.zoom).to.be.closeTo(1.1, 0.001);
  });

  it('download link has the "after" href and a file name with extension', async () => {
    const el = await compare();
    const link = part<HTMLAnchorElement>(el, 'download-button');
    expect(link.tagName).to.equal('A');
    expect(link.href).to.equal(VARIANTS[0]!.url);
    expect(link.getAttribute('download')).to.equal('staged-photo-out_a1.jpg');
    el.selectVariant(1);
    el.downloadName = 'listing-42';
    await el.updateComplete;
    expect(link.href).to.equal(VARIANTS[1]!.url);
    expect(link.getAttribute('download')).to.equal('listing-42-out_b2.png');
  });

  describe('cross-origin download', () => {
    // 127.0.0.1 and localhost are different origins for the same test server.
    const crossOrigin = VARIANTS[0]!.url.replace('//localhost:', '//127.0.0.1:');
    const realFetch = window.fetch;
    const realClick = HTMLAnchorElement.prototype.click;
    const realOpen = window.open;
    let clicked: Array<{ href: string; download: string }>;
    let opened: string[];
    let fetched: string[];

    beforeEach(() => {
      clicked = [];
      opened = [];
      fetched = [];
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        clicked.push({ href: this.href, download: this.download });
      };
      window.open = ((url?: string | URL) => {
        opened.push(String(url));
        return null;
      });
    });

    afterEach(() => {
      window.fetch = realFetch;
      HTMLAnchorElement.prototype.click = realClick;
      window.open = realOpen;
    });

    async function clickDownload(): Promise<MouseEvent> {
      const el = await compare({ variants: [{ ...VARIANTS[0]!, url: crossOrigin, contentType: undefined }] });
      const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, button: 0 });
      part<HTMLAnchorElement>(el, 'download-button').dispatchEvent(event);
      await waitUntil(() => clicked.length + opened.length > 0, 'neither saved nor opened');
      return event;
    }

    it('fetches the bytes and saves them under the intended name, typed by the response', async () => {
      window.fetch = (async (input: RequestInfo | URL) => {
        fetched.push(String(input));
        return new Response(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/webp' }));
      });
      const event = await clickDownload();
      expect(event.defaultPrevented, 'plain navigation replaced').to.equal(true);
      expect(fetched).to.deep.equal([crossOrigin]);
      expect(clicked).to.have.length(1);
      expect(clicked[0]!.href).to.match(/^blob:/);
      expect(clicked[0]!.download).to.equal('staged-photo-out_a1.webp');
      expect(opened).to.deep.equal([]);
    });

    it('opens the image when its bytes cannot be read (no CORS)', async () => {
      // The real test server sends no CORS header, so the real fetch fails here.
      const event = await clickDownload();
      expect(event.defaultPrevented).to.equal(true);
      expect(clicked).to.deep.equal([]);
      expect(opened).to.deep.equal([crossOrigin]);
    });
  });
});
