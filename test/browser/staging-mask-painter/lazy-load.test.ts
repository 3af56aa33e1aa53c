import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { StagingMaskPainter } from '../../../src/elements/staging-mask-painter/staging-mask-painter.js';
import { PHOTO_URL } from './helpers.js';

// This file must run before anything else in its page imports fabric: keep it on its own.
const fabricRequests = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/node_modules\/fabric\//.test(name));

describe('staging-mask-painter: fabric is loaded lazily', () => {
  it('does not import fabric until the painter is first shown, then loads it', async () => {
    expect(fabricRequests(), 'fabric fetched with the element module').to.deep.equal([]);
    const el = await fixture<StagingMaskPainter>(html`<staging-mask-painter hidden style="width: 360px" src=${PHOTO_URL}></staging-mask-painter>`);
    // Give a hidden painter every chance to (wrongly) start loading.
    await new Promise((r) => setTimeout(r, 300));
    expect(fabricRequests(), 'fabric fetched while hidden').to.deep.equal([]);
    expect(el.ready).to.equal(false);

    el.hidden = false;
    await waitUntil(() => el.ready, 'never became ready once shown', { timeout: 15000 });
    expect(fabricRequests().length).to.be.greaterThan(0);
  });
});
