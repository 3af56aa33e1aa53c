import { expect, fixture, html } from '@open-wc/testing';

describe('tmp', () => {
  it('revoked blob image', async () => {
    const url = URL.createObjectURL(new Blob(['x'], { type: 'image/png' }));
    URL.revokeObjectURL(url);
    const img = new Image();
    img.src = url;
    const r = await new Promise<boolean>((resolve) => {
      img.onload = () => resolve(false);
      img.onerror = () => resolve(true);
    });
    expect(r).to.equal(true);
  });
  it('failing dom assertion', async () => {
    const el = await fixture(html`<div><p part="x">hi</p></div>`);
    expect(el.querySelector('p')).to.equal(null);
  });
});
