import { expect, waitUntil } from '@open-wc/testing';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import { inner, mountWidget, recordEvents } from './helpers.js';

/** A photo with nothing straight in it: a smooth diagonal gradient. */
async function gradientPhoto(): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 900;
  canvas.height = 600;
  const ctx = canvas.getContext('2d')!;
  const g = ctx.createRadialGradient(300, 200, 20, 450, 300, 600);
  g.addColorStop(0, '#d9c7a3');
  g.addColorStop(1, '#5b6f82');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 900, 600);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
  return new File([blob], 'sky.jpg', { type: 'image/jpeg' });
}

describe('staging-widget: what the engine could not do is said in plain words', () => {
  it('straightening a photo without straight lines says so on the result, in the widget’s words', async () => {
    const el = await mountWidget();
    const events = recordEvents(el);
    await inner<any>(el, 'staging-dropzone')!.selectFile(await gradientPhoto());
    await waitUntil(() => inner<StagingPicker>(el, 'staging-picker')?.value, 'the picker did not load', { timeout: 15_000 });
    const picker = inner<StagingPicker>(el, 'staging-picker')!;
    picker.shadowRoot!.querySelector<HTMLInputElement>('input[name="service"][value="straighten"]')!.click();
    await picker.updateComplete;
    picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();

    await waitUntil(() => inner(el, '[part="output-note"]'), 'no note on the result', { timeout: 30_000 });
    const done = events.find((e) => e.name === 'staging-job-completed')!.detail.job;
    expect(done.outputs[0].note.code).to.equal('no_reliable_lines');
    const shown = inner(el, '[part="output-note"]')!.textContent.trim();
    expect(shown).to.equal('No clear straight lines (walls, door or window frames) were found, so the photo was not straightened.');
    // The person reads the widget's sentence, not the BFF's developer message.
    expect(shown).not.to.equal(done.outputs[0].note.message);
  });
});
