import { expect } from '@open-wc/testing';
import { $, catalogOf, everyTypeService, mountWithCatalog } from './helpers.js';

// A file of its own: the policy, once in the page, holds for every later test of the page.
describe('staging-picker under a strict Content-Security-Policy (style-src without unsafe-inline)', () => {
  before(() => {
    const policy = document.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = "style-src 'self'";
    document.head.append(policy);
  });

  it('gives a style without a picture its colour through the CSSOM, which the policy allows (a style attribute it blocks)', async () => {
    const el = await mountWithCatalog(catalogOf(everyTypeService));
    const swatch = $(el, '#option-style-rustic').closest('label')!.querySelector<HTMLElement>('.swatch-fallback')!;
    expect(swatch.style.getPropertyValue('--_hue')).to.equal('28');
    expect(getComputedStyle(swatch).backgroundImage).to.contain('gradient');
  });
});
