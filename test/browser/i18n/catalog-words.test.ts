/**
 * The catalog's words in the visitor's language: the real BFF's catalog is English, and the
 * picker and the listing show its rooms, grades, styles and scene options in the page's
 * language, switching back when the page does.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/staging-picker/staging-picker.js';
import '../../../src/elements/staging-listing/staging-listing.js';
import type { StagingPicker } from '../../../src/elements/staging-picker/staging-picker.js';
import type { StagingListing } from '../../../src/elements/staging-listing/staging-listing.js';
import { setStrings } from '../../../src/elements/shared/locale.js';
import { bffUrl, devTokens, fixtureFile, realClient } from '../support/real-bff.js';

/** A locale's first fetch goes through the dev server's TypeScript transform: slow in WebKitGTK on a busy machine. */
const until = (predicate: () => unknown, message: string, now: () => unknown = () => '') =>
  waitUntil(predicate, message, { timeout: 10_000 }).catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(now())}`);
  });
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const inner = (el: Element, selector: string) => el.shadowRoot!.querySelector(selector);

/** The words the picker shows now for the chosen service: preset chips, the chosen preset's help, the style pictures, and one option. */
function pickerWords(el: StagingPicker, option: string) {
  const select = inner(el, `#option-${option}`) as HTMLSelectElement | null;
  return {
    configs: [...el.shadowRoot!.querySelectorAll('[part~="config-choice"]')].map(text),
    configHelp: text(inner(el, '#config-help')),
    styles: [...el.shadowRoot!.querySelectorAll('[part~="style-choice"] .swatch-label')].map(text),
    label: text(inner(el, `label[for="option-${option}"]`)),
    values: select ? [...select.options].map(text) : [],
    help: text(inner(el, `#option-${option}-help`)),
  };
}

async function choose(el: StagingPicker, name: string, value: string): Promise<void> {
  (inner(el, `input[name="${name}"][value="${value}"]`) as HTMLInputElement).click();
  await el.updateComplete;
}

describe('the catalog\'s words in the visitor\'s language', () => {
  // First: on an English page nothing else has fetched the catalog's words yet.
  it('takes the host\'s own words for a preset, on an English page too', async () => {
    const client = await realClient();
    const el = await fixture<StagingPicker>(html`<staging-picker lang="en" .client=${client}></staging-picker>`);
    await until(() => el.value !== null, 'the catalog did not load');
    await choose(el, 'service', 'virtual-staging');
    expect(pickerWords(el, 'lighting').configs).to.include('Living room');
    try {
      await setStrings('en', { 'catalog.config.living-room.name': 'Lounge' });
      await until(() => pickerWords(el, 'lighting').configs.includes('Lounge'), 'the host\'s word did not show', () => pickerWords(el, 'lighting').configs);
      expect(pickerWords(el, 'lighting').configs).to.include('Bedroom');
    } finally {
      await setStrings('en', { 'catalog.config.living-room.name': 'Living room' });
    }
  });

  it('shows the picker\'s rooms, styles and scene options in French, and in English again after the page switches', async () => {
    const client = await realClient();
    const host = await fixture<HTMLElement>(html`<div lang="fr"><staging-picker .client=${client}></staging-picker></div>`);
    const el = host.querySelector('staging-picker')!;
    await until(() => el.value !== null, 'the catalog did not load');
    await choose(el, 'service', 'virtual-staging');
    await choose(el, 'config', 'living-room');

    await until(() => pickerWords(el, 'lighting').configs.includes('Séjour'), 'the rooms are not in French', () => pickerWords(el, 'lighting').configs);
    const fr = pickerWords(el, 'lighting');
    expect(fr.configs).to.include.members(['Chambre', 'Cuisine', 'Salle à manger', 'Bureau', 'Salle de bains']);
    expect(fr.configHelp).to.equal('Canapé, table basse, tapis et luminaires.');
    expect(fr.styles).to.include.members(['Moderne', 'Scandinave', 'Bord de mer', 'Luxe']);
    expect(fr.label).to.equal('Éclairage');
    expect(fr.help).to.equal('La lumière souhaitée pour la scène.');
    expect(fr.values).to.include.members(['Par défaut (Lumière naturelle)', 'Lumière chaude', 'Heure dorée', 'Crépuscule']);
    // The picker's own words too: Start, and the sizes' credits in the "More options" panel.
    expect(text(inner(el, '[part~="submit"]'))).to.equal('Lancer');

    // Render enhancement: the grades, and the windows option whose value the mask's help quotes.
    await choose(el, 'service', 'render-enhancement');
    await choose(el, 'config', 'interior-modern');
    const windows = inner(el, '#option-windows') as HTMLSelectElement;
    windows.value = 'pull';
    windows.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await el.updateComplete;
    // A size's cost in "More options", in the language's plural (the local engine charges 2 and 3).
    expect(text(el.shadowRoot!.querySelector('[part~="more-options"]'))).to.match(/2048 px · 2 crédits.*3840 px · 3 crédits/);
    const grades = pickerWords(el, 'windows');
    expect(grades.configs).to.include.members(['Intérieur, moderne', 'Extérieur, traditionnel', 'Vue aérienne']);
    expect(grades.configHelp).to.equal('Neutre, lumineux et net.');
    expect(grades.values).to.include.members(['Par défaut (Laisser telles quelles)', 'Laisser telles quelles', 'Récupérer la vue']);
    expect(text(inner(el, '#mask-help'))).to.contain('« Récupérer la vue »');

    host.lang = 'en';
    await until(() => pickerWords(el, 'windows').configs.includes('Interior, modern'), 'the grades did not switch back to English', () => pickerWords(el, 'windows').configs);
    const en = pickerWords(el, 'windows');
    expect(en.configHelp).to.equal('Neutral, bright and clean.');
    expect(en.label).to.equal('Windows');
    expect(en.values).to.include.members(['Default (Leave as they are)', 'Recover the view']);
    expect(text(inner(el, '#mask-help'))).to.contain('“Recover the view”');
    await choose(el, 'service', 'virtual-staging');
    expect(pickerWords(el, 'lighting').configs).to.include.members(['Living room', 'Home office']);
    expect(pickerWords(el, 'lighting').styles).to.include.members(['Modern', 'Scandinavian']);
    expect(pickerWords(el, 'lighting').values).to.include.members(['Default (Natural daylight)', 'Warm']);
  });

  it('shows the listing\'s styles and each photo\'s rooms in German, and in English again after the page switches', async () => {
    const host = await fixture<HTMLElement>(
      html`<div lang="de"><staging-listing endpoint=${await bffUrl()} .fetchToken=${await devTokens()} services="virtual-staging"></staging-listing></div>`,
    );
    const el = host.querySelector<StagingListing>('staging-listing')!;
    await until(() => inner(el, '[part="drop-area"]'), 'the listing did not render');
    expect(el.addFiles([await fixtureFile('living-room-render.jpg')]), 'the photo was not taken').to.equal(1);
    const styles = () => [...el.shadowRoot!.querySelectorAll('[part~="styles"] [part~="chip"]')].map(text);
    const rooms = () => [...el.shadowRoot!.querySelectorAll('select[part="room"] option')].map(text);

    await until(() => rooms().includes('Wohnzimmer'), 'the rooms are not in German', rooms);
    expect(rooms()).to.include.members(['Schlafzimmer', 'Küche', 'Esszimmer', 'Arbeitszimmer', 'Badezimmer']);
    expect(styles()).to.include.members(['Skandinavisch', 'Maritim', 'Luxuriös']);

    host.lang = 'en';
    await until(() => rooms().includes('Living room'), 'the rooms did not switch back to English', rooms);
    expect(rooms()).to.include.members(['Bedroom', 'Home office']);
    expect(styles()).to.include.members(['Modern', 'Scandinavian', 'Coastal']);
  });
});
