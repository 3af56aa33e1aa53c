/**
 * The visitor's language, with `@lit/localize` in its reentrant runtime mode: every element
 * resolves its own locale (its `lang`, else the nearest ancestor's, across shadow roots) and
 * sets it as the one `msg()` reads while it renders. English is in the code; each other
 * locale's translations are a chunk of their own (`src/locales/<code>.ts`, generated from
 * `xliff/<code>.xlf` by `npm run l10n:build`), fetched the first time an element needs it, with
 * the runtime that looks them up (`locale-runtime.ts`): an English page loads neither.
 * Text modules read their strings at render time (getters and functions calling `msg()`), so an
 * element re-renders in another language when a `lang` attribute changes.
 *
 * One page can show several languages at once: each element sets the active locale in
 * `hostUpdate`, just before it renders. Sentences made outside a render (an announcement in an
 * event handler) are in the language of the element that rendered last.
 */
import { msg } from '@lit/localize/init/install.js';
import { str } from '@lit/localize/internal/str-tag.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { allLocales, sourceLocale } from '../../locales/locale-codes.js';

export { msg, str };
/**
 * A sentence kept in an element's state (a refusal, an error, a note): made again at each
 * render, so it follows a change of language instead of keeping the one it was made in.
 */
export type Words = () => string;
export type Locale = (typeof allLocales)[number];
export const LOCALES: readonly Locale[] = allLocales;

const RTL = new Set(['ar', 'he']);

let active: Locale = sourceLocale;
/** The tag numbers, sizes and lists are formatted for: the page's own (`de-CH`, `en-US`) when it speaks the active locale's language. */
let activeFormat = 'en-GB';
/** The locale `msg()` reads, while an element renders. */
export const activeLocale = (): Locale => active;
/** The tag formats are made for, while an element renders. */
export const formatLocale = (): string => activeFormat;
const controllers = new Set<LocaleController>();

/** Every element on the page renders again (a locale or the host's strings arrived). */
export function rerenderAll(): void {
  for (const c of controllers) c.host.requestUpdate();
}

const runtime = () => import('./locale-runtime.js');

/** The supported locale for a BCP 47 tag: exact, else by language (and script for Chinese); English otherwise. */
export function matchLocale(tag: string | null | undefined): Locale {
  if (!tag) return sourceLocale;
  try {
    const wanted = new Intl.Locale(tag).maximize();
    if (wanted.language === 'zh') return wanted.script === 'Hans' ? 'zh-Hans' : sourceLocale;
    return LOCALES.find((l) => l.toLowerCase() === tag.toLowerCase()) ?? LOCALES.find((l) => l.split('-')[0] === wanted.language) ?? sourceLocale;
  } catch {
    return sourceLocale;
  }
}

/** Fetches a locale's chunk (and the runtime) once; resolves when its strings can be rendered. English needs nothing. */
export function loadLocale(locale: Locale): Promise<void> {
  return locale === sourceLocale ? Promise.resolve() : runtime().then((r) => r.load(locale));
}

/**
 * The host's own words for any string, by its id (the ids are in `xliff/*.xlf`), per locale:
 * `setStrings('fr', { 'widget.headings.upload': 'Votre photo' })`. A string with values names
 * them `{0}`, `{1}`… in the English text's order. Elements on the page re-render; the promise
 * resolves once they can.
 */
export function setStrings(locale: string, strings: Readonly<Record<string, string>>): Promise<void> {
  return runtime().then((r) => r.setStrings(matchLocale(locale), strings));
}

/** A number in the active locale's digits and separators. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(activeFormat, options).format(n);
}

/** A count of pixels (a width, a height) or characters, in the locale's digits without grouping: 1600 × 960. */
export const formatPixels = (n: number): string => formatNumber(n, { useGrouping: false });

/** A file size in the active locale's words ("3.2 MB", "3,2 Mo", "٣٫٢ م.ب"); `base` is 1000² or 1024² bytes per megabyte. */
export function formatBytes(bytes: number, base = 1024 * 1024): string {
  const mb = bytes / base;
  const [value, unit] = mb >= 1 ? [mb, 'megabyte'] : [Math.max(1, Math.round(mb * 1000)), 'kilobyte'];
  return formatNumber(value, { style: 'unit', unit, maximumFractionDigits: value >= 100 ? 0 : 1 });
}

/** A list joined with the active locale's "or". */
export function formatOr(items: readonly string[]): string {
  return new Intl.ListFormat(activeFormat, { type: 'disjunction' }).format(items);
}

/**
 * The plural form of `n` in the active locale, by Intl.PluralRules, from one message holding each
 * form after its CLDR category, with `#` for the number: `{one}# photo{other}# photos`. A
 * translation gives the forms of its own language (Polish `{one}…{few}…{many}…{other}…`); a
 * missing one reads as `other`.
 */
export function plural(n: number, forms: string): string {
  const parts = forms.split(/\{(zero|one|two|few|many|other)\}/);
  const wanted = new Intl.PluralRules(activeFormat).select(n);
  let chosen = '';
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === wanted || (parts[i] === 'other' && !chosen)) chosen = parts[i + 1]!;
  return chosen.replaceAll('#', formatNumber(n));
}

/**
 * The language of the nearest element with `lang` (the element itself first, across shadow
 * roots), and the direction of the nearest `dir` at or below it: a page's `<html dir="ltr">` does
 * not make a widget with `lang="ar"` run left to right.
 */
function languageOf(el: Element): { lang: string | null; dir: string | null } {
  let dir: string | null = null;
  for (let node: Element | null = el; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null)) {
    const d = node.getAttribute('dir');
    if (!dir && d && d !== 'auto') dir = d;
    const lang = node.getAttribute('lang');
    if (lang) return { lang, dir };
  }
  return { lang: null, dir };
}

/**
 * The tag to format numbers, sizes and lists for: the page's `lang` when it is of the messages'
 * language (`pt-PT` formats the Brazilian texts' numbers the Portuguese way); else the locale
 * itself, and British English for the source texts, which are written in it.
 */
function formatTag(lang: string | null, locale: Locale): string {
  try {
    if (lang && new Intl.Locale(lang).language === new Intl.Locale(locale).language) return Intl.getCanonicalLocales(lang)[0]!;
  } catch {
    // not a valid tag: the locale's own formats
  }
  return locale === sourceLocale ? 'en-GB' : locale;
}

let observer: MutationObserver | null = null;

/**
 * An element's locale: resolved when it connects and whenever a `lang` or `dir` attribute changes
 * on the page, fetched if needed, made active while the element renders. Render
 * `lang=${l10n.locale} dir=${l10n.dir}` on the element's outermost node.
 */
export class LocaleController implements ReactiveController {
  readonly host: ReactiveControllerHost & HTMLElement;
  locale: Locale = sourceLocale;
  /** The BCP 47 tag formats follow (see `formatTag`). */
  format = 'en-GB';
  dir: 'ltr' | 'rtl' = 'ltr';

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    observer ??= new MutationObserver(() => {
      for (const c of controllers) c.refresh();
    });
    for (let root: Node = this.host.getRootNode(); ; root = (root).host.getRootNode()) {
      observer.observe(root, { attributes: true, attributeFilter: ['lang', 'dir'], subtree: true });
      if (!(root instanceof ShadowRoot)) break;
    }
    this.refresh();
  }

  hostDisconnected(): void {
    controllers.delete(this);
  }

  hostUpdate(): void {
    active = this.locale;
    activeFormat = this.format;
  }

  /** Re-reads the language and direction; re-renders in them (after fetching a new locale). */
  refresh(): void {
    const { lang, dir: own } = languageOf(this.host);
    const locale = matchLocale(lang);
    const dir = (own ?? (RTL.has(locale) ? 'rtl' : 'ltr')) === 'rtl' ? 'rtl' : 'ltr';
    const format = formatTag(lang, locale);
    if (locale === this.locale && dir === this.dir && format === this.format) return;
    void loadLocale(locale).then(
      () => {
        if (matchLocale(languageOf(this.host).lang) !== locale) return;
        this.locale = locale;
        this.format = format;
        this.dir = dir;
        this.host.requestUpdate();
      },
      () => {},
    );
  }
}
