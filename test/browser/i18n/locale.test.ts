/**
 * The visitor's language: the elements follow their own `lang` or the nearest ancestor's, switch
 * when it changes, fetch a language's strings only when a page needs them, mirror right to left,
 * take the host's own words, and format numbers, sizes and plurals the language's way.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-dropzone/staging-dropzone.js';
import '../../../src/elements/staging-before-after/staging-before-after.js';
import '../../../src/elements/staging-widget/staging-widget.js';
import type { StagingDropzone } from '../../../src/elements/staging-dropzone/staging-dropzone.js';
import type { StagingBeforeAfter } from '../../../src/elements/staging-before-after/staging-before-after.js';
import type { StagingWidget } from '../../../src/elements/staging-widget/staging-widget.js';
import { errorText } from '../../../src/elements/shared/error-text.js';
import { setStrings } from '../../../src/elements/shared/locale.js';
import { TEXT as PICKER_TEXT } from '../../../src/elements/staging-picker/picker-text.js';
import { outputsSummary } from '../../../src/elements/staging-job-progress/job-text.js';
import { messages as rejection } from '../../../src/elements/staging-dropzone/rejection-messages.js';
import { sendKeys } from '../support/commands.js';
import { part } from '../support/parts.js';
import { bffUrl, devTokens } from '../support/real-bff.js';
import { BEFORE_URL, VARIANTS } from '../staging-before-after/helpers.js';

/** A locale's first fetch goes through the dev server's TypeScript transform: slow in WebKitGTK on a busy machine. */
const until = (predicate: () => unknown, message?: string, options: { timeout?: number } = {}) => waitUntil(predicate, message, { timeout: 10_000, ...options });
const chooseText = (el: Element) => el.shadowRoot?.querySelector('[part~="browse-button"]')?.textContent?.trim();
const spaced = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
/** The locale chunks the page fetched (`src/locales/<code>.ts`; `locale-codes.ts` is the list of codes, on every page). */
const localeRequests = (code: string) => performance.getEntriesByType('resource').filter((r) => new RegExp(`/src/locales/(?!locale-codes)${code}\\.ts`).test(r.name));

async function dropzone(template: unknown): Promise<StagingDropzone> {
  const host = await fixture<HTMLElement>(template as Parameters<typeof fixture>[0]);
  return (host.localName === 'staging-dropzone' ? host : host.querySelector('staging-dropzone')!) as StagingDropzone;
}

describe('the visitor\'s language', () => {
  it('fetches no other language for an English page, and a language\'s strings only when an element needs them', async () => {
    const el = await dropzone(html`<staging-dropzone></staging-dropzone>`);
    expect(chooseText(el)).to.equal('Choose a photo');
    expect(localeRequests('[\\w-]+'), 'an English page fetches no locale').to.have.length(0);
    el.setAttribute('lang', 'nl');
    await until(() => chooseText(el) === 'Kies een foto', 'the Dutch words did not arrive');
    expect(localeRequests('nl')).to.have.length(1);
    expect(localeRequests('ja')).to.have.length(0);
  });

  it('follows the nearest ancestor\'s lang, across a shadow root, and its own lang first', async () => {
    const section = await fixture<HTMLElement>(html`<section lang="fr"><div><staging-dropzone></staging-dropzone><staging-dropzone lang="de"></staging-dropzone></div></section>`);
    const [fr, de] = [...section.querySelectorAll('staging-dropzone')];
    await until(() => chooseText(fr!) === 'Choisir une photo' && chooseText(de!) === 'Foto auswählen', 'French and German side by side');
    expect(part(fr!, 'base').getAttribute('lang')).to.equal('fr');

    const shadowHost = await fixture<HTMLElement>(html`<div lang="es-MX"></div>`);
    const root = shadowHost.attachShadow({ mode: 'open' });
    root.innerHTML = '<staging-dropzone></staging-dropzone>';
    const inShadow = root.querySelector('staging-dropzone')!;
    await until(() => chooseText(inShadow) === 'Elegir una foto', 'Spanish through a shadow root (es-MX → es)');
  });

  it('switches at run time when the page changes its language, and back', async () => {
    const host = await fixture<HTMLElement>(html`<div lang="en"><staging-dropzone></staging-dropzone></div>`);
    const el = host.querySelector('staging-dropzone')!;
    expect(chooseText(el)).to.equal('Choose a photo');
    host.lang = 'pt-BR';
    await until(() => chooseText(el) === 'Escolher uma foto', 'Portuguese after the switch');
    host.lang = 'it';
    await until(() => chooseText(el) === 'Scegli una foto', 'Italian after the second switch');
    host.lang = 'ko';
    await until(() => chooseText(el) === 'Choose a photo', 'a language without translations reads English');
    expect(part(el, 'base').getAttribute('lang'), 'and says so to screen readers').to.equal('en');
  });

  it('says a refusal shown before a switch again in the new language', async () => {
    const host = await fixture<HTMLElement>(html`<div lang="fr"><staging-dropzone></staging-dropzone></div>`);
    const el = host.querySelector('staging-dropzone')!;
    await until(() => chooseText(el) === 'Choisir une photo', 'the French words did not arrive');
    expect(await el.selectFile(new File([], 'vide.jpg', { type: 'image/jpeg' }))).to.equal(false);
    const shown = () => spaced(part(el, 'error').textContent);
    expect(shown()).to.equal('« vide.jpg » est vide (0 octet). Choisissez un autre fichier.');
    host.lang = 'en';
    await until(() => shown() === '“vide.jpg” is empty (0 bytes). Choose another file.', `the refusal stayed French: ${shown()}`);
    expect(el.error?.code).to.equal('empty_file');
  });

  it('formats file sizes and lists the language\'s way (Polish, Arabic)', async () => {
    const pl = await dropzone(html`<staging-dropzone lang="pl"></staging-dropzone>`);
    await until(() => chooseText(pl) === 'Wybierz zdjęcie');
    expect(spaced(part(pl, 'hint').textContent)).to.equal('JPEG, PNG, WebP, GIF lub HEIC · do 10 MB');
    expect(spaced(rejection.heicTooLarge(1_536_000, 10 * 1024 * 1024))).to.match(/^To zdjęcie HEIC ma 1,5 MB; limit to 10 MB\./);

    const ar = await dropzone(html`<staging-dropzone lang="ar"></staging-dropzone>`);
    await until(() => chooseText(ar) === 'اختيار صورة');
    const hint = part(ar, 'hint').textContent.trim();
    expect(hint).to.contain('أو HEIC').and.contain('حتى');
    expect(hint, 'megabytes in Arabic').to.match(/10 م\.ب|١٠ م\.ب/);
  });

  it('says plurals in every form of the language (Polish one/few/many, Arabic zero…other)', async () => {
    // Sentences made outside a render are in the language of the element that rendered last.
    const pl = await dropzone(html`<staging-dropzone lang="pl"></staging-dropzone>`);
    await until(() => chooseText(pl) === 'Wybierz zdjęcie');
    expect([1, 2, 5, 22, 25].map((n) => PICKER_TEXT.credits(n))).to.deep.equal(['1 kredyt', '2 kredyty', '5 kredytów', '22 kredyty', '25 kredytów']);
    expect(outputsSummary({ outputs: new Array(3).fill({}) })).to.equal('3 zdjęcia gotowe.');
    expect(rejection.tooManyPixels(4000, 3000, 5_000_000)).to.contain('12 megapikseli').and.contain('5 megapikseli');

    const ar = await dropzone(html`<staging-dropzone lang="ar"></staging-dropzone>`);
    await until(() => chooseText(ar) === 'اختيار صورة');
    expect([0, 1, 2, 3, 11, 100].map((n) => PICKER_TEXT.credits(n))).to.deep.equal([
      'بلا رصيد',
      'وحدة رصيد واحدة',
      'وحدتا رصيد',
      '3 وحدات رصيد',
      '11 وحدة رصيد',
      '100 وحدة رصيد',
    ].map((s) => s.replace(/\d+/g, (d) => new Intl.NumberFormat('ar').format(Number(d)))));
  });

  it('shows an error code as the language\'s sentence, and the BFF\'s own message stays English in staging-error', async () => {
    const errors: Array<{ code: string; message: string }> = [];
    const el = await fixture<StagingWidget>(
      html`<staging-widget lang="es" endpoint=${await bffUrl()} token-url="/__token-signed-out" @staging-error=${(e: CustomEvent) => errors.push(e.detail)}></staging-widget>`,
    );
    await until(() => el.shadowRoot!.querySelector('[part="error"]')?.textContent?.includes('Tu sesión ha caducado'), 'the Spanish sentence for token_refused', { timeout: 10_000 });
    expect(el.shadowRoot!.querySelector('[part="error"] p')!.textContent.trim()).to.equal('Tu sesión ha caducado. Vuelve a iniciar sesión o recarga la página.');
    expect(errors[0]?.code).to.equal('token_refused');
    expect(errors[0]?.message, 'the event keeps the technical, English message').to.match(/401/);
    expect(errorText('network_error')).to.equal('Se ha perdido la conexión. Compruébala e inténtalo de nuevo.');
  });

  it('takes the host\'s own words for any string, with its values', async () => {
    const el = await dropzone(html`<staging-dropzone lang="fr"></staging-dropzone>`);
    await until(() => chooseText(el) === 'Choisir une photo');
    await setStrings('fr', { 'dropzone.choose': 'Sélectionner une photo du bien', 'dropzone.hint': '{0} (max. {1})' });
    await until(() => chooseText(el) === 'Sélectionner une photo du bien', 'the host\'s words');
    expect(spaced(part(el, 'hint').textContent)).to.equal('JPEG, PNG, WebP, GIF ou HEIC (max. 10 Mo)');
    await setStrings('en', { 'dropzone.choose': 'Pick a listing photo' });
    const en = await dropzone(html`<staging-dropzone lang="en-US"></staging-dropzone>`);
    await until(() => chooseText(en) === 'Pick a listing photo', 'English can be overridden too');
    expect(chooseText(el), 'the French override stays French').to.equal('Sélectionner une photo du bien');
  });
});

describe('right to left', () => {
  it('lays the widget out right to left for Arabic: steps start on the right', async () => {
    const fetchToken = await devTokens();
    const el = await fixture<StagingWidget>(html`<staging-widget lang="ar" style="width: 800px" endpoint=${await bffUrl()} .fetchToken=${fetchToken}></staging-widget>`);
    await until(() => el.shadowRoot!.querySelector('staging-dropzone') && part(el, 'base').getAttribute('dir') === 'rtl', 'the Arabic widget', { timeout: 10_000 });
    await until(() => el.shadowRoot!.querySelector('[part="heading"]')?.textContent === 'أضف صورة للغرفة', 'the Arabic heading');
    const steps = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="step"]')];
    expect(steps.length).to.be.greaterThan(2);
    expect(steps[0]!.getBoundingClientRect().left, 'the first step is right of the last').to.be.greaterThan(steps.at(-1)!.getBoundingClientRect().left);
    const range = document.createRange();
    range.selectNodeContents(el.shadowRoot!.querySelector('[part="heading"]')!);
    const text = range.getBoundingClientRect();
    const panel = part(el, 'panel').getBoundingClientRect();
    expect(panel.right - text.right, 'the heading\'s text starts at the right edge').to.be.lessThan(text.left - panel.left);
    await expect(el).to.be.accessible();
  });

  it('mirrors the before/after comparison for Hebrew; the arrow keys move the divider the way they point', async () => {
    const host = await fixture<HTMLElement>(html`<div lang="he" dir="rtl"><staging-before-after style="width: 480px" before=${BEFORE_URL} .variants=${VARIANTS}></staging-before-after></div>`);
    const el = host.querySelector('staging-before-after') as StagingBeforeAfter;
    await until(() => part(el, 'before-label').textContent === 'לפני', 'Hebrew labels');
    const before = part(el, 'before-label').getBoundingClientRect();
    const after = part(el, 'after-label').getBoundingClientRect();
    expect(before.left, '"before" is on the right').to.be.greaterThan(after.left);
    expect(part(el, 'after').style.clipPath).to.match(/inset\(0(px)? 50% 0(px)? 0(px)?\)/);
    const viewport = part(el, 'viewport').getBoundingClientRect();
    el.position = 30;
    await el.updateComplete;
    const divider = part(el, 'divider').getBoundingClientRect();
    expect(viewport.right - (divider.left + divider.width / 2), 'the divider at 30 % from the right').to.be.closeTo(viewport.width * 0.3, 2);

    part(el, 'handle').focus();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => el.position === 31, 'ArrowLeft moves the divider left: further from the right edge');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.position === 29, 'ArrowRight moves it right');
    const valueText = part(el, 'handle').getAttribute('aria-valuetext')!;
    expect(valueText).to.match(/^29\D*לפני, 71\D*אחרי$/);
    await expect(el).to.be.accessible();
  });
});
