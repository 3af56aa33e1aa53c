import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '../support/commands.js';
import { StagingClient, TokenManager } from '../../../src/client/index.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { $, catalogOf, devTokens, everyTypeService, mountLoaded, mountWithCatalog, part, parts, queryPart, serviceRadio, settle, typeInto } from './helpers.js';

const SERVICES = ['render-enhancement', 'virtual-staging', 'design-options', '3d-plans', 'upscale'];

/** A client whose first token never arrives: the catalog stays loading. */
function stalledClient(): StagingClient {
  return new StagingClient({ endpoint: 'http://127.0.0.1:9', tokens: new TokenManager({ fetchToken: () => new Promise(() => {}) }) });
}

/** A client pointed at a closed port, with no retries so it fails at once. */
async function deadClient(): Promise<StagingClient> {
  return new StagingClient({ endpoint: 'http://127.0.0.1:9', tokens: new TokenManager({ fetchToken: await devTokens() }), retries: 0 });
}

async function mountFailed(): Promise<StagingPicker> {
  const el = await fixture<StagingPicker>(html`<staging-picker .client=${await deadClient()}></staging-picker>`);
  await waitUntil(() => queryPart(el, 'error'), 'no error state', { timeout: 10_000 });
  return el;
}

describe('staging-picker accessibility', () => {
  it('passes axe while loading, marked busy', async () => {
    const el = await fixture<StagingPicker>(html`<staging-picker .client=${stalledClient()}></staging-picker>`);
    await el.updateComplete;
    expect(part(el, 'base').getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'loading').textContent).to.contain('Loading services');
    await expect(el).to.be.accessible();
  });

  it('passes axe with the load error shown as an alert with Retry', async () => {
    const el = await mountFailed();
    expect(part(el, 'base').getAttribute('aria-busy')).to.equal('false');
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    expect(part(el, 'retry').textContent.trim()).to.equal('Retry');
    await expect(el).to.be.accessible();
  });

  it('passes axe when no service is available', async () => {
    const el = await mountWithCatalog(catalogOf());
    expect(part(el, 'empty').textContent).to.contain('No services are available');
    await expect(el).to.be.accessible();
  });

  it('passes axe loaded, with each service of the real catalog selected', async () => {
    const el = await mountLoaded();
    for (const id of SERVICES) {
      serviceRadio(el, id).click();
      await settle(el);
      expect(el.value!.service).to.equal(id);
      await expect(el, id).to.be.accessible();
    }
  });

  it('passes axe when disabled, every control disabled', async () => {
    const el = await mountLoaded();
    serviceRadio(el, 'design-options').click();
    el.disabled = true;
    await settle(el);
    const controls = Array.from(el.shadowRoot!.querySelectorAll<HTMLInputElement>('input, select, textarea, button'));
    expect(controls.length).to.be.greaterThan(10);
    expect(controls.filter((c) => !c.disabled)).to.deep.equal([]);
    expect(part(el, 'submit').hasAttribute('disabled')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('labels every control of every service, with required marks on the fields a person must fill', async () => {
    const el = await mountWithCatalog(catalogOf(everyTypeService));
    const controls = Array.from(el.shadowRoot!.querySelectorAll<HTMLInputElement>('input, select, textarea'));
    for (const c of controls) {
      const named = (c.labels?.length ?? 0) > 0 || c.hasAttribute('aria-labelledby');
      expect(named, `${c.outerHTML} has no label`).to.equal(true);
    }
    const required = controls.filter((c) => c.required && c.type !== 'radio');
    expect(required.map((c) => c.name).sort()).to.deep.equal(['options.room', 'options.title', 'variants']);
    // Variants always holds a value; only fields without a default carry the mark.
    for (const c of required.filter((r) => r.name.startsWith('options.'))) expect(c.labels![0]!.querySelector('.required'), c.name).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('links option help to its control with aria-describedby', async () => {
    const el = await mountWithCatalog(catalogOf(everyTypeService));
    const select = $<HTMLSelectElement>(el, '#option-style');
    expect(select.getAttribute('aria-describedby')).to.equal('option-style-help');
    expect($(el, '#option-style-help').textContent).to.equal('The look.');
  });

  it('shows a field error linked by aria-describedby and aria-invalid, and passes axe', async () => {
    const el = await mountWithCatalog(catalogOf(everyTypeService));
    const count = $(el, '#option-count');
    await typeInto(count, '9');
    count.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    await settle(el);
    expect(count.getAttribute('aria-invalid')).to.equal('true');
    expect(count.getAttribute('aria-describedby')).to.equal('option-count-error');
    const error = $(el, '#option-count-error');
    expect(error.hidden).to.equal(false);
    // The picker's own words, in its language (the browser's validationMessage is in the browser's).
    expect(error.textContent).to.equal('At most 5.');
    await expect(el).to.be.accessible();
  });

  it('describes each service radio by its line and "Preview" badge; the chosen preview says once what it gives', async () => {
    const el = await mountLoaded();
    const staging = serviceRadio(el, 'virtual-staging');
    expect(staging.getAttribute('aria-labelledby')).to.equal('svc-virtual-staging-name');
    expect(staging.getAttribute('aria-describedby')).to.equal('svc-virtual-staging-desc svc-virtual-staging-badge');
    expect($(el, '#svc-virtual-staging-badge').textContent).to.equal('Preview');
    expect(serviceRadio(el, 'upscale').getAttribute('aria-describedby')).to.equal('svc-upscale-desc');
    expect(queryPart(el, 'preview-note')).to.equal(null);
    staging.click();
    await settle(el);
    expect(parts(el, 'preview-note')).to.have.length(1);
    expect($(el, '#svc-virtual-staging-note').textContent).to.match(/free colour preview/);
  });

  it('announces the cost in a polite, atomic live region', async () => {
    const el = await mountLoaded();
    const cost = part(el, 'cost');
    expect(cost.getAttribute('role')).to.equal('status');
    expect(cost.getAttribute('aria-live')).to.equal('polite');
    expect(cost.getAttribute('aria-atomic')).to.equal('true');
    expect(part(el, 'submit').getAttribute('aria-describedby')).to.equal('cost');
    expect(parts(el, 'status')).to.have.length(1);
  });
});

describe('staging-picker accessibility in dark mode', () => {
  before(async function () {
    // Skipped in Firefox and WebKit: their WebDriver (BiDi) has no prefers-color-scheme override.
    if (!(await emulateMedia({ colorScheme: 'dark' }))) this.skip();
  });
  after(() => emulateMedia({ colorScheme: 'light' }));

  it('passes axe loaded, with a preview-only service, and with the load error', async () => {
    const el = await mountLoaded();
    await expect(el).to.be.accessible();
    serviceRadio(el, 'design-options').click();
    await settle(el);
    await expect(el).to.be.accessible();
    await expect(await mountFailed()).to.be.accessible();
  });

  it('passes axe with the not-enough-credits warning', async () => {
    const el = await mountLoaded({ max_credits: 1 });
    await waitUntil(() => queryPart(el, 'cost-warning'), 'no warning', { timeout: 5000 });
    await expect(el).to.be.accessible();
  });
});
