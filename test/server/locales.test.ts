/**
 * Every locale is complete: each message the source code says with `msg()` (extracted by
 * @lit/localize-tools, as `npm run l10n:extract` does) has a translation in every locale's XLIFF,
 * with the same placeholders, and plural messages give every plural form the language uses. A
 * string added to a text module fails here until it is extracted and translated; the generated
 * runtime modules (`npm run l10n:build`) must carry every id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import type { RuntimeOutputConfig } from '@lit/localize-tools/lib/types/modes.js';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build/root.js';

const config = readConfigFileAndWriteSchema(join(ROOT, 'lit-localize.json'));
const localizer = new RuntimeLitLocalizer(config as typeof config & { output: RuntimeOutputConfig });
const { messages, errors } = localizer.extractSourceMessages();
const { translations } = localizer.readTranslationsSync();
const textOf = (contents: ReadonlyArray<string | { untranslatable: string }>) => contents.map((c) => (typeof c === 'string' ? c : '\u0000')).join('');
const PLURAL = /\{(zero|one|two|few|many|other)\}/g;

describe('localisation', () => {
  it('extracts every message from the source, each with an id', () => {
    expect(errors.map((e) => e.messageText)).toEqual([]);
    expect(messages.length).toBeGreaterThan(300);
    for (const m of messages) expect(m.name, 'ids are dotted names: element.key').toMatch(/^[a-z][\w-]*(\.[\w-]+)+$/i);
  });

  it('has 11 locales besides English, left to right and right to left', () => {
    expect([...config.targetLocales].sort()).toEqual(['ar', 'de', 'es', 'fr', 'he', 'it', 'ja', 'nl', 'pl', 'pt-BR', 'zh-Hans']);
  });

  for (const locale of config.targetLocales) {
    describe(locale, () => {
      const byId = new Map((translations.get(locale) ?? []).map((t) => [t.name, t]));

      it('translates every message of the source, with its placeholders', () => {
        const missing = messages.filter((m) => !byId.has(m.name)).map((m) => m.name);
        expect(missing, `${locale} lacks these ids: run npm run l10n:extract and translate xliff/${locale}.xlf`).toEqual([]);
        expect(localizer.validateTranslations().errors.filter((e) => e.includes(` ${locale} `))).toEqual([]);
      });

      it('is a translation, not a copy of the English (names and codes aside)', () => {
        const same = messages.filter((m) => byId.has(m.name) && textOf(byId.get(m.name)!.contents) === textOf(m.contents) && /[a-z]{4}/i.test(textOf(m.contents)));
        // Words that stay as they are in these languages (Zoom, Foto, Stil, Area…) are short and few.
        expect(same.length, same.map((m) => m.name).join(', ')).toBeLessThanOrEqual(12);
      });

      it('gives each plural message every form the language uses for whole numbers', () => {
        const rules = new Intl.PluralRules(locale);
        const needed = new Set(Array.from({ length: 201 }, (_, n) => rules.select(n)));
        const plurals = messages.filter((m) => /\{other\}/.test(textOf(m.contents)));
        expect(plurals.length).toBeGreaterThanOrEqual(6);
        for (const m of plurals) {
          const forms = new Set([...textOf(byId.get(m.name)!.contents).matchAll(PLURAL)].map((x) => x[1]));
          for (const form of needed) expect(forms.has(form) || form === 'other' ? forms.has('other') : false, `${locale} ${m.name} lacks {${form}}`).toBe(true);
        }
      });

      it('has a generated runtime module with every id (npm run l10n:build)', () => {
        const generated = readFileSync(join(ROOT, 'src/locales', `${locale}.ts`), 'utf8');
        const ids = new Set([...generated.matchAll(/^\s*'([^']+)': /gm)].map((x) => x[1]));
        expect(messages.map((m) => m.name).filter((id) => !ids.has(id))).toEqual([]);
      });
    });
  }
});
