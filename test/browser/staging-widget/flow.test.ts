import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { sendMouse } from '../support/commands.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { fixtureFile, inner, mountWidget, recordEvents, step } from './helpers.js';

async function pick(el: Element, service: string, opts: { mask?: boolean } = {}) {
  const picker = await waitUntil(() => inner<StagingPicker>(el, 'staging-picker'), 'no picker', { timeout: 10_000 }).then(() => inner<StagingPicker>(el, 'staging-picker')!);
  await waitUntil(() => picker.value !== null, 'the picker did not load', { timeout: 10_000 });
  picker.shadowRoot!.querySelector<HTMLInputElement>(`input[name="service"][value="${service}"]`)!.click();
  await picker.updateComplete;
  if (opts.mask) {
    const toggle = picker.shadowRoot!.querySelector<HTMLInputElement>('[part~="mask-toggle"] input, input[part~="mask-toggle"]')!;
    toggle.click();
    await picker.updateComplete;
  }
  picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
}

describe('staging-widget end to end against the real BFF (local engine)', () => {
  it('photo → style → live progress → before/after → "use this image", with typed events for the host', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    expect(step(el)).to.equal('Photo');

    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('bedroom-furnished.jpg'));
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload event', { timeout: 15_000 });
    const upload = events.find((e) => e.name === 'staging-upload')!.detail;
    expect(upload.upload.id).to.match(/^upl_/);
    expect(upload.file.name).to.equal('bedroom-furnished.jpg');
    await el.updateComplete;
    expect(step(el)).to.equal('Style');
    // Focus follows the flow: the new step's heading.
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('heading');

    await pick(el, 'render-enhancement');
    await waitUntil(() => events.some((e) => e.name === 'staging-job-completed'), 'the job did not complete', { timeout: 20_000 });
    const created = events.filter((e) => e.name === 'staging-job-created');
    expect(created).to.have.length(1);
    expect(created[0]!.detail.job.upload_id).to.equal(upload.upload.id);
    const updates = events.filter((e) => e.name === 'staging-job-updated').map((e) => e.detail.job.status);
    expect(updates).to.include('processing');
    // Events of the composed elements reach the host retargeted to the one tag.
    expect(events.every((e) => e.target === el)).to.equal(true);

    await waitUntil(() => inner(el, 'staging-before-after'), 'no result step', { timeout: 5_000 });
    expect(step(el)).to.equal('Result');
    const compare = inner<any>(el, 'staging-before-after')!;
    const done = events.find((e) => e.name === 'staging-job-completed')!.detail.job;
    expect(compare.variants.map((v: { id: string }) => v.id)).to.deep.equal(done.outputs.map((o: { id: string }) => o.id));
    await compare.updateComplete;
    compare.shadowRoot.querySelector('[part~="use-button"]').click();
    const selected = events.find((e) => e.name === 'staging-output-selected');
    expect(selected?.detail).to.deep.include({ id: done.outputs[0].id, variantIndex: 0 });
    expect(inner(el, '[part="preview-note"]')).to.equal(null);
  });

  it('says when a result is only a local preview', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('living-room-render.jpg'));
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 15_000 });
    await pick(el, 'virtual-staging');
    await waitUntil(() => inner(el, 'staging-before-after'), 'no result', { timeout: 20_000 });
    expect(inner(el, '[part="preview-note"]')!.textContent).to.match(/preview/i);
    const compare = inner<any>(el, 'staging-before-after')!;
    await compare.updateComplete;
    const badge = compare.shadowRoot.querySelector('[part~="preview-badge"]') as HTMLElement;
    expect(badge).to.not.equal(null);
    // The badge does not sit on the slider's divider or its handle (issue 9).
    const b = badge.getBoundingClientRect();
    for (const part of ['divider', 'handle']) {
      const r = (compare.shadowRoot.querySelector(`[part~="${part}"]`) as HTMLElement).getBoundingClientRect();
      const overlaps = b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom;
      expect(overlaps, `the badge overlaps the ${part}`).to.equal(false);
    }
    // Staging is a material edit: what publishing takes shows before "Use this image" (the test
    // BFF's profile is the default, `none`: no visible disclosure required, the original's page offered).
    const panel = compare.shadowRoot.querySelector('[part~="disclosure"]') as HTMLElement & { updateComplete: Promise<unknown> };
    await panel.updateComplete;
    expect(panel.shadowRoot!.textContent).to.contain('This image was changed with AI');
    expect(panel.shadowRoot!.querySelector('a')!.getAttribute('href')).to.match(/\/v1\/originals\/[A-Za-z0-9_-]{24}$/);
    // "What changed" lays the BFF's heat map over the result.
    (compare.shadowRoot.querySelector('[part~="changes-button"]') as HTMLButtonElement).click();
    await compare.updateComplete;
    const overlay = compare.shadowRoot.querySelector('[part~="changes-overlay"]') as HTMLImageElement;
    await waitUntil(() => overlay.complete && overlay.naturalWidth > 0, 'the heat map did not load', { timeout: 15_000 });
    compare.shadowRoot.querySelector('[part~="use-button"]').click();
    const selected = events.find((e) => e.name === 'staging-output-selected')!;
    expect(selected.detail.disclosure).to.deep.include({ edit_class: 'material', profile: 'none', burned_in: false });
  });

  it('sends a painted mask with the job', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await inner<any>(el, 'staging-dropzone')!.selectFile(await fixtureFile('living-room-render.jpg'));
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 15_000 });
    await pick(el, 'render-enhancement', { mask: true });
    await waitUntil(() => step(el) === 'Area', 'no mask step', { timeout: 5_000 });
    const painter = inner<any>(el, 'staging-mask-painter')!;
    await waitUntil(() => painter.ready, 'the painter did not load fabric', { timeout: 15_000 });
    const start = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent.includes('Start with this area'))!;
    expect(start.disabled).to.equal(true);
    const canvas = painter.shadowRoot.querySelector('[part~="stage"]') as HTMLElement;
    canvas.scrollIntoView();
    const box = canvas.getBoundingClientRect();
    const y = Math.round(box.top + box.height / 2);
    await sendMouse({ type: 'move', position: [Math.round(box.left + box.width * 0.3), y] });
    await sendMouse({ type: 'down' });
    for (let i = 1; i <= 8; i++) await sendMouse({ type: 'move', position: [Math.round(box.left + box.width * (0.3 + i * 0.05)), y] });
    await sendMouse({ type: 'up' });
    await waitUntil(() => !start.disabled, 'painting did not enable Start', { timeout: 5_000 });
    start.click();
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 15_000 });
    const job = events.find((e) => e.name === 'staging-job-created')!.detail.job;
    expect(job.mask_upload_id).to.match(/^upl_/);
    // The mask is stored lossless: a PNG, so its hard edge reaches the engine as painted.
    const mask = await (el as any)._api.getUpload(job.mask_upload_id);
    expect(mask.content_type).to.equal('image/png');
  });

  it('resumes a job in flight after the page is reloaded', async () => {
    sessionStorage.clear();
    const subject = `resume-${Date.now()}`;
    const first = await mountWidget(subject);
    const events = recordEvents(first);
    await inner<any>(first, 'staging-dropzone')!.selectFile(await fixtureFile('kitchen-render.jpg'));
    await waitUntil(() => events.some((e) => e.name === 'staging-upload'), 'no upload', { timeout: 15_000 });
    await pick(first, 'render-enhancement');
    await waitUntil(() => events.some((e) => e.name === 'staging-job-created'), 'no job', { timeout: 15_000 });
    const jobId = events.find((e) => e.name === 'staging-job-created')!.detail.job.id;
    await waitUntil(() => JSON.stringify(sessionStorage).includes(jobId), 'the job was not remembered', { timeout: 5_000 });
    // "Reload": the element goes away and a new one starts with only sessionStorage to go on.
    first.remove();
    const second = await mountWidget(subject, {}, 'staging-job-progress, staging-before-after');
    const progress = inner<any>(second, 'staging-job-progress');
    if (progress) expect(progress.jobId).to.equal(jobId);
    await waitUntil(() => inner(second, 'staging-before-after'), 'the resumed job did not finish', { timeout: 20_000 });
    // The original photo came back from the BFF by id.
    expect(inner<any>(second, 'staging-before-after')!.beforeSrc).to.match(/\/v1\/uploads\/upl_\w+\/content\?/);
  });

  it('shows and emits an error when the BFF cannot be reached', async () => {
    const { fixture: mount, html } = await import('@open-wc/testing');
    const errors: any[] = [];
    const el = await mount(html`<staging-widget endpoint="http://127.0.0.1:9" .fetchToken=${async () => ({ token: 'x.y.z', expires_at: new Date(Date.now() + 600_000).toISOString() })} @staging-error=${(e: CustomEvent) => errors.push(e.detail)}></staging-widget>`);
    await waitUntil(() => inner(el, '[part="error"]'), 'no error shown', { timeout: 20_000 });
    await aTimeout(0);
    expect(errors.length).to.be.greaterThan(0);
    expect(errors[0]).to.include({ source: 'staging-widget', step: 'catalog' });
    expect(inner(el, '[part="error"] button')!.textContent).to.match(/try again/i);
  });
});
