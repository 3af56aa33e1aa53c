/**
 * What a page in another language than English (or with the host's own strings) loads: the
 * lookup of `msg()` ids in the active locale's templates (`@lit/localize`'s reentrant mode), the
 * locale chunks, and the host's strings laid over them. See `locale.ts`.
 */
import { configureReentrantLocalization } from '@lit/localize/init/reentrant.js';
import type { str } from '@lit/localize/internal/str-tag.js';
import type { LocaleModule } from '@lit/localize/internal/types.js';
import { allLocales, sourceLocale } from '../../locales/locale-codes.js';
import { activeLocale, rerenderAll, type Locale } from './locale.js';

type Templates = LocaleModule['templates'];
type StrResult = ReturnType<typeof str>;

/** One chunk per locale; Vite splits each dynamic import into its own file. */
const LOADERS: Record<Exclude<Locale, typeof sourceLocale>, () => Promise<LocaleModule>> = {
  ar: () => import('../../locales/ar.js'),
  de: () => import('../../locales/de.js'),
  es: () => import('../../locales/es.js'),
  fr: () => import('../../locales/fr.js'),
  he: () => import('../../locales/he.js'),
  it: () => import('../../locales/it.js'),
  ja: () => import('../../locales/ja.js'),
  nl: () => import('../../locales/nl.js'),
  pl: () => import('../../locales/pl.js'),
  'pt-BR': () => import('../../locales/pt-BR.js'),
  'zh-Hans': () => import('../../locales/zh-Hans.js'),
};

const loaded = new Map<string, Templates>();
const pending = new Map<string, Promise<void>>();
const hostStrings = new Map<string, Record<string, string | StrResult>>();
const merged = new Map<string, LocaleModule>();

// English is a "target" too, with no templates of its own, so that a host can override its strings.
configureReentrantLocalization({
  sourceLocale: '',
  targetLocales: [...allLocales],
  getLocale: activeLocale,
  loadLocaleSync: (locale) => {
    let module = merged.get(locale);
    if (!module) merged.set(locale, (module = { templates: { ...loaded.get(locale), ...hostStrings.get(locale) } }));
    return module;
  },
});

/** Fetches a locale's chunk once. */
export function load(locale: Locale): Promise<void> {
  if (locale === sourceLocale || loaded.has(locale)) return Promise.resolve();
  let p = pending.get(locale);
  if (!p) {
    p = LOADERS[locale]().then(
      (m) => {
        loaded.set(locale, m.templates);
        merged.delete(locale);
      },
      (err: unknown) => {
        pending.delete(locale);
        throw err;
      },
    );
    pending.set(locale, p);
  }
  return p;
}

/** Lays the host's strings over a locale's (see `setStrings` in `locale.ts`). */
export function setStrings(locale: Locale, strings: Readonly<Record<string, string>>): void {
  const own = hostStrings.get(locale) ?? {};
  for (const [id, text] of Object.entries(strings)) {
    const parts = text.split(/\{(\d+)\}/);
    own[id] = parts.length === 1 ? text : ({ strTag: true, strings: parts.filter((_, i) => i % 2 === 0), values: parts.filter((_, i) => i % 2 === 1).map(Number) } as unknown as StrResult);
  }
  hostStrings.set(locale, own);
  merged.delete(locale);
  rerenderAll();
  // The host's words for the catalog's (English too): the picker and the listing need their table.
  if (Object.keys(strings).some((id) => id.startsWith('catalog.'))) void import('./catalog-words.js').then((m) => m.loadCatalogWords());
}
