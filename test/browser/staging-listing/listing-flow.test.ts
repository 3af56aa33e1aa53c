import { expect, waitUntil } from '@open-wc/testing';
import { StagingClient, TokenManager } from '../../../src/client/index.js';
import { xhrTransport } from '../../../src/client/xhr-transport.js';
import { bffUrl, devTokens } from '../support/real-bff.js';
import { all, allReady, fixtureFile, inner, LISTING, mountListing, recordEvents, statuses } from './helpers.js';

describe('<staging-listing> on the real BFF (local engine)', () => {
  it('stages a listing end to end: photos, rooms, one style, cost, start, live statuses, results, keep and leave out, download all, the kept event', async () => {
    const el = await mountListing();
    const events = recordEvents(el);
    // A drop of four photos at once.
    const drop = new DataTransfer();
    for (const name of LISTING) drop.items.add(await fixtureFile(name));
    // WebKitGTK builds no DataTransfer with files for a synthetic drop: there the photos come through addFiles(), as a drop's would.
    if (/AppleWebKit/.test(navigator.userAgent) && !/Chrome/.test(navigator.userAgent)) el.addFiles([...drop.files]);
    else inner(el, '[part="drop-area"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, composed: true, cancelable: true }));
    await waitUntil(() => all(el, '[part~="photo"]').length === 4, 'the four photos are not in the grid');
    // Each photo is a labelled list item, not an unlabelled image.
    const list = inner(el, '[part="grid"]')!;
    expect(list.getAttribute('aria-label')).to.equal('Photos of the listing');
    const names = all(el, '[part~="photo"]').map((li) => inner(el, `#${li.getAttribute('aria-labelledby')}`)!.textContent.trim());
    expect(names).to.deep.equal(LISTING.map((n, i) => `Photo ${i + 1}: ${n}`));
    await allReady(el, 4);

    // Rooms: one by one, then for a selection.
    const rooms = all<HTMLSelectElement>(el, 'select[part="room"]');
    expect(rooms[0]!.getAttribute('aria-label')).to.equal(`Room for Photo 1: ${LISTING[0]}`);
    rooms[1]!.value = 'bedroom';
    rooms[1]!.dispatchEvent(new Event('change'));
    for (const i of [2, 3]) {
      const box = all<HTMLInputElement>(el, '[part="select-box"]')[i]!;
      box.click();
    }
    await el.updateComplete;
    const forSelected = inner<HTMLSelectElement>(el, '[part="room-for-selected"]')!;
    forSelected.value = 'kitchen';
    inner<HTMLButtonElement>(el, '[part="apply-button"]')!.click();
    await el.updateComplete;
    expect(all<HTMLSelectElement>(el, 'select[part="room"]').map((s) => s.value)).to.deep.equal(['living-room', 'bedroom', 'kitchen', 'kitchen']);

    // One style for all; the cost before Start (virtual staging here is a free preview).
    const scandi = all<HTMLInputElement>(el, '[part="styles"] input').find((i) => i.value === 'scandinavian')!;
    scandi.click();
    await el.updateComplete;
    expect(inner(el, '[part="cost"]')!.textContent).to.contain('4 photos · Free preview');

    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-batch-created'), 'no batch was created', { timeout: 10_000 });
    const batch = events.find((e) => e.name === 'staging-batch-created')!.detail.batch;
    expect(batch.items).to.have.length(4);
    expect(batch.options).to.deep.equal({ style: 'scandinavian' });
    // Remembered for a reload (other test files' listings may be remembered beside it, under their own endpoints).
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('staging-widget:batch:') && sessionStorage.getItem(k)!.includes(batch.id))).to.have.length(1);

    // Live statuses from the one stream: queue places while waiting (at most 3 run at once), then done.
    const seen = new Set<string>();
    await waitUntil(
      () => {
        for (const s of statuses(el)) seen.add(s.replace(/\d+%/, 'N%'));
        return inner(el, '[part="results"]');
      },
      'the listing did not reach its results',
      { timeout: 60_000, interval: 20 },
    );
    expect([...seen].some((s) => /^(1st|2nd|3rd|4th) in line$|^Working… N%$/.test(s)), [...seen].join(' | ')).to.equal(true);
    expect(document.activeElement).to.equal(el);
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('heading');

    // Results: a before/after per photo; leave one out.
    const results = all(el, '[part~="result"]');
    expect(results).to.have.length(4);
    expect(all(el, 'staging-before-after')).to.have.length(4);
    all<HTMLButtonElement>(el, '[part="exclude-button"]')[2]!.click();
    await el.updateComplete;
    expect(all<HTMLButtonElement>(el, '[part="exclude-button"]')[2]!.getAttribute('aria-pressed')).to.equal('true');
    expect(inner(el, '.summary')!.textContent).to.contain('3 of 4 photos kept');

    // Download all: the batch's archive, a plain link that fetches a ZIP.
    const link = inner<HTMLAnchorElement>(el, '[part="download-all"]')!;
    expect(link.hasAttribute('download')).to.equal(true);
    const zip = await fetch(link.href);
    expect(zip.headers.get('Content-Type')).to.equal('application/zip');
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect([...bytes.slice(0, 4)]).to.deep.equal([0x50, 0x4b, 0x03, 0x04]);
    expect(new TextDecoder().decode(bytes)).to.contain('manifest.json');
    // The photo left out is recorded with the BFF and is not in the ZIP (files are named by item: 01-…, 02-…).
    const filesIn = async () => new Set([...new TextDecoder().decode(await (await fetch(link.href)).arrayBuffer()).matchAll(/(\d\d)-[a-z-]+\.(?:jpg|png|webp)/g)].map((m) => m[1]));
    let files = await filesIn();
    for (let i = 0; i < 50 && files.has('03'); i++) files = await new Promise((r) => setTimeout(r, 100)).then(filesIn);
    expect([...files].sort()).to.deep.equal(['01', '02', '04']);

    // The kept outputs, recorded by the BFF, in one host event.
    inner<HTMLButtonElement>(el, '[part="use-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-outputs-kept'), 'no kept event', { timeout: 10_000 });
    const kept = events.find((e) => e.name === 'staging-outputs-kept')!.detail;
    expect(kept.batchId).to.equal(batch.id);
    expect(kept.outputs.map((k: any) => [k.item, k.config])).to.deep.equal([
      [1, 'living-room'],
      [2, 'bedroom'],
      [4, 'kitchen'],
    ]);
    expect(kept.outputs[0].output.url).to.match(/^http/);
    expect(events.filter((e) => e.name === 'staging-error')).to.deep.equal([]);
  });

  it('shows the total credits against what remains, and will not start a listing that does not fit', async () => {
    const el = await mountListing({ session: { max_credits: 5 }, services: 'render-enhancement' });
    el.addFiles(await Promise.all(LISTING.slice(0, 3).map((n) => fixtureFile(n))));
    await allReady(el, 3);
    const cost = inner(el, '[part="cost"]')!.textContent;
    expect(cost).to.contain('3 photos · 6 credits');
    expect(cost).to.contain('You have 5 left.');
    expect(inner(el, '[part="cost-warning"]')!.textContent).to.contain('need 6 credits and you have 5');
    expect(inner<HTMLButtonElement>(el, '[part="start-button"]')!.disabled).to.equal(true);
    // One photo fewer fits.
    all<HTMLButtonElement>(el, '[part="remove-button"]')[2]!.click();
    await el.updateComplete;
    expect(inner(el, '[part="cost"]')!.textContent).to.contain('2 photos · 4 credits');
    expect(inner<HTMLButtonElement>(el, '[part="start-button"]')!.disabled).to.equal(false);
  });

  it('refuses a file that is not a photo among good ones, with its own sentence, and leaves it out of the batch', async () => {
    const el = await mountListing();
    const events = recordEvents(el);
    const notAPhoto = new File(['%PDF-1.4 a floor plan'], 'floor-plan.pdf', { type: 'application/pdf' });
    el.addFiles([await fixtureFile(LISTING[0]), notAPhoto, await fixtureFile(LISTING[1])]);
    await allReady(el, 2);
    await waitUntil(() => statuses(el)[1] !== 'Preparing…', 'the PDF was never checked');
    expect(statuses(el)[1]).to.match(/floor-plan\.pdf/);
    expect(all(el, '[part~="photo"]')[1]!.getAttribute('part')).to.contain('photo-danger');
    expect(inner<HTMLButtonElement>(el, '[part="start-button"]')!.disabled).to.equal(false);
    inner<HTMLButtonElement>(el, '[part="start-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-batch-created'), 'no batch', { timeout: 10_000 });
    expect(events.find((e) => e.name === 'staging-batch-created')!.detail.batch.items).to.have.length(2);
    await el.updateComplete;
    expect(all(el, '[part~="photo"]')).to.have.length(2);
  });

  it('a failed upload says so on its photo and Try again sends it', async () => {
    let attempts = 0;
    const client = new StagingClient({
      endpoint: await bffUrl(),
      tokens: new TokenManager({ fetchToken: await devTokens() }),
      retries: 0,
      // The second photo's first upload finds the network gone.
      upload: (url, req) => (++attempts === 2 ? Promise.reject(new TypeError('Failed to fetch')) : xhrTransport(url, req)),
    });
    const el = await mountListing({ client });
    const events = recordEvents(el);
    el.concurrency = 1;
    el.addFiles([await fixtureFile(LISTING[0]), await fixtureFile(LISTING[1])]);
    await waitUntil(() => statuses(el)[1]?.startsWith('Upload failed.'), `no failure shown: ${statuses(el).join(' | ')}`, { timeout: 20_000 });
    expect(statuses(el)[1]).to.match(/connection/i);
    expect(events.find((e) => e.name === 'staging-error')!.detail).to.include({ source: 'staging-listing', step: 'upload', code: 'network_error' });
    expect(inner<HTMLButtonElement>(el, '[part="start-button"]')!.disabled).to.equal(true);
    const retry = inner<HTMLButtonElement>(el, '[part="retry-button"]')!;
    expect(retry.getAttribute('aria-label')).to.equal(`Try again: Photo 2: ${LISTING[1]}`);
    retry.click();
    await allReady(el, 2);
    expect(attempts).to.equal(3);
    expect(inner<HTMLButtonElement>(el, '[part="start-button"]')!.disabled).to.equal(false);
  });

  it('removing a photo while it uploads aborts its upload and lets the next one go', async () => {
    let aborted = false;
    let calls = 0;
    const client = new StagingClient({
      endpoint: await bffUrl(),
      tokens: new TokenManager({ fetchToken: await devTokens() }),
      // The first upload hangs until it is called off; the others go through.
      upload: (url, req) =>
        ++calls === 1
          ? new Promise<Response>((_, reject) =>
              req.signal!.addEventListener('abort', () => {
                aborted = true;
                reject(req.signal!.reason);
              }),
            )
          : xhrTransport(url, req),
    });
    const el = await mountListing({ client });
    el.concurrency = 1;
    el.addFiles([await fixtureFile(LISTING[0]), await fixtureFile(LISTING[1])]);
    await waitUntil(() => statuses(el)[0]?.startsWith('Uploading'), `the first photo is not uploading: ${statuses(el).join(' | ')}`, { timeout: 20_000 });
    expect(statuses(el)[1]).to.equal('Preparing…');
    all<HTMLButtonElement>(el, '[part="remove-button"]')[0]!.click();
    await allReady(el, 1);
    expect(aborted).to.equal(true);
    expect(all(el, '[part~="photo"]')).to.have.length(1);
    expect(inner(el, '[part="photo-name"]')!.textContent).to.contain(LISTING[1]);
  });

  it('finds its batch again after a reload and carries on to the results', async () => {
    const subject = `resume-${Math.random().toString(36).slice(2)}`;
    const first = await mountListing({ subject });
    const events = recordEvents(first);
    first.addFiles(await Promise.all(LISTING.slice(0, 3).map((n) => fixtureFile(n))));
    await allReady(first, 3);
    inner<HTMLButtonElement>(first, '[part="start-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-batch-created'), 'no batch', { timeout: 10_000 });
    const id = events.find((e) => e.name === 'staging-batch-created')!.detail.batch.id;
    // "Reload": the element goes, a new one comes with the same endpoint and subject.
    first.remove();
    const again = await mountListing({ subject });
    await waitUntil(() => inner(again, '[part="results"]'), 'the resumed listing did not reach its results', { timeout: 60_000 });
    expect(all(again, '[part~="result"]')).to.have.length(3);
    expect(inner<HTMLAnchorElement>(again, '[part="download-all"]')!.href).to.contain(`/v1/batches/${id}/archive`);
    expect(el_text(again)).to.contain('Picked up your listing where it was.');
    // Starting a new listing forgets it.
    inner<HTMLButtonElement>(again, '[part="restart-button"]')!.click();
    await waitUntil(() => inner(again, '[part="drop-area"]'), 'not back to the start');
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('staging-widget:batch:'))).to.deep.equal([]);
  });
});

function el_text(el: Element): string {
  return el.shadowRoot!.textContent ?? '';
}
