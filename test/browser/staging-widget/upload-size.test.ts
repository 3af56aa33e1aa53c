import { expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import { StagingClient, TokenManager, xhrTransport, type UploadTransport } from '../../../src/client/index.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import type { StagingWidget } from '../../../src/elements/staging-widget/staging-widget.js';
import { cameraPhoto } from '../image/helpers.js';
import { bffUrl, devTokens, fixtureFile, inner, recordEvents } from './helpers.js';

/**
 * What the widget sends: a widget on the real BFF whose client uploads through the real XHR
 * transport and notes the size of each body it sends.
 */
async function countingWidget() {
  const sent: Array<{ body: Blob; bytes: number }> = [];
  const upload: UploadTransport = (url, req) => {
    if (new URL(url).pathname === '/v1/uploads') sent.push({ body: req.body, bytes: req.body.size });
    return xhrTransport(url, req);
  };
  const client = new StagingClient({ endpoint: await bffUrl(), tokens: new TokenManager({ fetchToken: await devTokens() }), upload });
  const el = await mount<StagingWidget>(html`<staging-widget .client=${client}></staging-widget>`);
  await waitUntil(() => inner(el, 'staging-dropzone'), 'no dropzone', { timeout: 10_000 });
  return { el, sent, events: recordEvents(el) };
}

async function loadedPicker(el: StagingWidget): Promise<StagingPicker> {
  await waitUntil(() => inner<StagingPicker>(el, 'staging-picker')?.value, 'the picker did not load', { timeout: 20_000 });
  return inner<StagingPicker>(el, 'staging-picker')!;
}

async function chooseResolution(picker: StagingPicker, resolution: '2K' | '4K'): Promise<void> {
  picker.shadowRoot!.querySelector<HTMLInputElement>(`input[name="resolution"][value="${resolution}"]`)!.click();
  await picker.updateComplete;
}

const start = (picker: StagingPicker) => picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();

describe('staging-widget: bytes uploaded for the chosen resolution', () => {
  it('sends a 24 MP photo at 2048 px in at most 1.2 MB, and a 2K job uses that upload', async function () {
    this.timeout(240_000);
    const { el, sent, events } = await countingWidget();
    await inner<any>(el, 'staging-dropzone')!.selectFile(await cameraPhoto());
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 180_000 });
    const first = events.find((e) => e.name === 'staging-upload')!.detail.upload;
    expect([first.width, first.height]).to.deep.equal([2048, 1365]);
    expect(sent).to.have.length(1);
    expect(sent[0]!.bytes, `${sent[0]!.bytes} bytes`).to.be.at.most(1_200_000);

    const picker = await loadedPicker(el);
    expect(picker.value?.resolution).to.equal('2K');
    start(picker);
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 20_000 });
    expect(events.find((e) => e.name === 'staging-job-created')!.detail.job.upload_id).to.equal(first.id);
    expect(sent, 'nothing more was uploaded').to.have.length(1);
  });

  it('uploads a 3840 px copy in the background once 4K is chosen, and the 4K job uses it', async function () {
    this.timeout(240_000);
    const { el, sent, events } = await countingWidget();
    await inner<any>(el, 'staging-dropzone')!.selectFile(await cameraPhoto());
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 180_000 });
    const picker = await loadedPicker(el);
    await chooseResolution(picker, '4K');
    // Before Start: the larger copy goes while the person finishes the choice.
    await waitUntil(() => events.filter((e) => e.name === 'staging-upload').length === 2, 'no 4K upload', { timeout: 180_000 });
    const large = events.filter((e) => e.name === 'staging-upload')[1]!.detail.upload;
    expect([large.width, large.height]).to.deep.equal([3840, 2560]);
    expect(sent).to.have.length(2);
    start(picker);
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 20_000 });
    const job = events.find((e) => e.name === 'staging-job-created')!.detail.job;
    expect(job.upload_id).to.equal(large.id);
    expect(job.resolution).to.equal('4K');
    expect(sent).to.have.length(2);
  });

  it('sends a small JPEG as it is, and once for either resolution', async function () {
    this.timeout(60_000);
    const { el, sent, events } = await countingWidget();
    const file = await fixtureFile('bedroom-furnished.jpg');
    await inner<any>(el, 'staging-dropzone')!.selectFile(file);
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 20_000 });
    expect(sent.map((s) => s.bytes)).to.deep.equal([file.size]);
    expect(new Uint8Array(await sent[0]!.body.arrayBuffer())).to.deep.equal(new Uint8Array(await file.arrayBuffer()));
    const picker = await loadedPicker(el);
    await chooseResolution(picker, '4K');
    start(picker);
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 20_000 });
    expect(events.find((e) => e.name === 'staging-job-created')!.detail.job.upload_id).to.equal(events.find((e) => e.name === 'staging-upload')!.detail.upload.id);
    expect(sent, 'the photo is smaller than 2K: the same upload serves 4K').to.have.length(1);
  });
});
