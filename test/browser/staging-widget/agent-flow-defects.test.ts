import { expect, waitUntil } from '@open-wc/testing';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { fixtureFile, inner, mountWidget, recordEvents, step } from './helpers.js';

/** Defects found trying the flow as an agent would (issue 9), each pinned by a test. */

async function picker(el: Element): Promise<StagingPicker> {
  await waitUntil(() => inner<StagingPicker>(el, 'staging-picker')?.value, 'the picker did not load', { timeout: 10_000 });
  return inner<StagingPicker>(el, 'staging-picker')!;
}

async function uploadPhoto(el: Element, events: ReturnType<typeof recordEvents>, name = 'living-room-render.jpg') {
  await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile(name));
  await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 15_000 });
}

const button = (el: Element, text: RegExp) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => text.test(b.textContent ?? ''));

describe('the agent flow in the widget (issue 9)', () => {
  it('"Try another style" comes back with everything as it was (defect 3)', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await uploadPhoto(el, events);
    let p = await picker(el);
    p.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="upscale"]')!.click();
    await p.updateComplete;
    p.shadowRoot!.querySelector<HTMLInputElement>('input[name="config"][value="detail"]')!.click();
    await p.updateComplete;
    const chosen = p.value;
    expect(chosen).to.deep.include({ service: 'upscale', config: 'detail' });
    p.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await waitUntil(() => step(el) === 'Result', 'no result', { timeout: 30_000 });
    button(el, /try another style/i)!.click();
    await waitUntil(() => step(el) === 'Style', 'not back at the style step', { timeout: 5_000 });
    p = await picker(el);
    expect(p.value).to.deep.equal(chosen);
  });

  it('starts an interior photo on an interior preset, without weather, season or landscaping (defect 4)', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await uploadPhoto(el, events);
    const p = await picker(el);
    p.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="render-enhancement"]')!.click();
    await p.updateComplete;
    expect(p.value!.config).to.match(/^interior-/);
    const shown = [...p.shadowRoot!.querySelectorAll<HTMLElement>('[name^="option-"], [name^="opt"]')].map((c) => c.getAttribute('name'));
    for (const key of ['weather', 'season', 'landscaping']) {
      expect(shown.some((n) => n!.endsWith(key)), `${key} is offered for a room`).to.equal(false);
      expect(p.value!.options ?? {}).to.not.have.property(key);
    }
    // An exterior preset brings the exterior options back.
    p.shadowRoot!.querySelector<HTMLInputElement>('input[name="config"][value="exterior-modern"]')!.click();
    await p.updateComplete;
    const exterior = [...p.shadowRoot!.querySelectorAll<HTMLElement>('[name^="option-"], [name^="opt"]')].map((c) => c.getAttribute('name'));
    expect(exterior.some((n) => n!.endsWith('weather'))).to.equal(true);
  });

  it('reports each job state once, and the event stream ends cleanly instead of being cut (defect 6)', async () => {
    const cut: string[] = [];
    const ended: string[] = [];
    const realFetch = window.fetch;
    // Follow every event stream's body: was it read to its end, or cancelled (ERR_ABORTED)?
    window.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = String(input instanceof Request ? input.url : input);
      if (!url.endsWith('/events') || !res.body) return res;
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          const r = await reader.read();
          if (r.done) {
            ended.push(url);
            c.close();
          } else c.enqueue(r.value);
        },
        cancel(reason) {
          cut.push(url);
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    try {
      const el = await mountWidget();
      const events = recordEvents(el);
      await uploadPhoto(el, events);
      const p = await picker(el);
      p.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="render-enhancement"]')!.click();
      await p.updateComplete;
      p.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
      await waitUntil(() => step(el) === 'Result', 'no result', { timeout: 30_000 });
      await waitUntil(() => ended.length + cut.length > 0, 'the stream never finished', { timeout: 10_000 });
      const completed = events.filter((e) => e.name === 'staging-job-updated' && e.detail.job.status === 'completed');
      expect(completed).to.have.length(1);
      expect(events.filter((e) => e.name === 'staging-job-completed')).to.have.length(1);
      expect(cut, 'an event stream was cancelled by the client').to.deep.equal([]);
      expect(ended.length).to.be.greaterThan(0);
    } finally {
      window.fetch = realFetch;
    }
  });
});

describe('the agent flow: errors and confirmations (issue 9)', () => {
  it('a failed upload offers "Try again", which sends the same photo (defect 7)', async () => {
    const { StagingClient, TokenManager } = await import('../../../src/client/index.js');
    const { xhrTransport } = await import('../../../src/client/xhr-transport.js');
    const { bffUrl, devTokens } = await import('../support/real-bff.js');
    const { fixture: mount, html } = await import('@open-wc/testing');
    let attempts = 0;
    const client = new StagingClient({
      endpoint: await bffUrl(),
      tokens: new TokenManager({ fetchToken: await devTokens() }),
      retries: 0,
      // The first upload finds the network gone; the next goes through.
      upload: (url, req) => (++attempts === 1 ? Promise.reject(new TypeError('Failed to fetch')) : xhrTransport(url, req)),
    });
    const el = await mount<any>(html`<staging-widget .client=${client}></staging-widget>`);
    await waitUntil(() => inner(el, 'staging-dropzone'), 'no dropzone', { timeout: 10_000 });
    const events = recordEvents(el);
    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('living-room-render.jpg'));
    await waitUntil(() => inner(el, '[part="error"]'), 'no error shown', { timeout: 15_000 });
    expect(inner(el, '[part="error"] p')!.textContent).to.match(/connection/i);
    expect(events.find((e) => e.name === 'staging-error')!.detail).to.include({ source: 'staging-widget', step: 'upload', code: 'network_error' });
    inner<HTMLButtonElement>(el, '[part="retry-button"]')!.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'the retry did not upload', { timeout: 15_000 });
    expect(attempts).to.equal(2);
    await waitUntil(() => step(el) === 'Style', 'not on to the style step', { timeout: 5_000 });
    expect(inner(el, '[part="error"]')).to.equal(null);
  });

  it("a refused token tells the person what to do, and the host the technical detail (defect 8)", async () => {
    const { fixture: mount, html } = await import('@open-wc/testing');
    const { bffUrl } = await import('../support/real-bff.js');
    const bff = await bffUrl();
    const errors: any[] = [];
    // A token URL that answers 401, as a host backend does for a signed-out visitor.
    const el = await mount(html`<staging-widget endpoint=${bff} token-url="/__token-signed-out" @staging-error=${(e: CustomEvent) => errors.push(e.detail)}></staging-widget>`);
    await waitUntil(() => inner(el, '[part="error"]'), 'no error shown', { timeout: 15_000 });
    const shown = inner(el, '[part="error"] p')!.textContent;
    expect(shown).to.match(/sign in again|reload/i);
    expect(shown).to.not.match(/401|unauthorized|staging service answered/i);
    await waitUntil(() => errors.length > 0, 'no staging-error', { timeout: 5_000 });
    expect(errors[0]).to.include({ code: 'token_refused', source: 'staging-widget', step: 'catalog' });
    expect(errors[0].message).to.match(/token URL answered 401/);
  });

  it('"Use this image" is saved at the BFF and confirmed; "Start over" cancels a running job (defect 9)', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await uploadPhoto(el, events);
    let p = await picker(el);
    p.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await waitUntil(() => step(el) === 'Result', 'no result', { timeout: 30_000 });
    const compare = inner<any>(el, 'staging-before-after')!;
    await compare.updateComplete;
    compare.shadowRoot.querySelector('[part~="use-button"]').click();
    await waitUntil(() => /saved/i.test(inner(el, '[part="selection-status"]')?.textContent ?? ''), 'no confirmation', { timeout: 10_000 });
    expect(inner(el, '[part="selection-status"]')!.getAttribute('role')).to.equal('status');

    // Another style, then start over while that job runs: the job is cancelled, not left to spend credits.
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => /try another style/i.test(b.textContent))!.click();
    p = await picker(el);
    p.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await waitUntil(() => events.filter((e) => e.name === 'staging-job-created').length === 2, 'no second job', { timeout: 15_000 });
    const second = events.filter((e) => e.name === 'staging-job-created')[1]!.detail.job;
    expect(inner(el, '[part="restart-button"]')!.textContent).to.match(/cancel/i);
    inner<HTMLButtonElement>(el, '[part="restart-button"]')!.click();
    await el.updateComplete;
    expect(step(el)).to.equal('Photo');
    const api = (el as any)._api;
    await waitUntil(async () => (await api.getJob(second.id)).status === 'cancelled', 'the job was not cancelled', { timeout: 10_000 });
  });

  it('a failed job\'s heading says it failed, not "Working on your photo" (defect 9)', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await uploadPhoto(el, events);
    (await picker(el)).shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
    await waitUntil(() => inner(el, 'staging-job-progress'), 'no progress step', { timeout: 15_000 });
    const job = events.find((e) => e.name === 'staging-job-created')!.detail.job;
    expect(inner(el, '[part="heading"]')!.textContent).to.match(/working on your photo/i);
    // What staging-job-progress reports when the BFF says the job failed.
    const failed = { ...job, status: 'failed', updated_at: new Date().toISOString(), error: { code: 'processing_failed', message: 'x', retryable: false } };
    inner(el, 'staging-job-progress')!.dispatchEvent(new CustomEvent('staging-job-updated', { detail: { job: failed }, bubbles: true, composed: true }));
    await el.updateComplete;
    expect(inner(el, '[part="heading"]')!.textContent).to.match(/could not be finished/i);
    expect(inner(el, '[part="restart-button"]')!.textContent).to.match(/start over with a new photo/i);
  });
});
