import { formatLocale, formatNumber } from './locale.js';

/**
 * The plural form of `n` in the active locale, by Intl.PluralRules, from one message holding each
 * form after its CLDR category, with `#` for the number: `{one}# photo{other}# photos`. A
 * translation gives the forms of its own language (Polish `{one}…{few}…{many}…{other}…`); a
 * missing one reads as `other`.
 */
export function plural(n: number, forms: string): string {
  const parts = forms.split(/\{(zero|one|two|few|many|other)\}/);
  const wanted = new Intl.PluralRules(formatLocale()).select(n);
  let chosen = '';
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === wanted || (parts[i] === 'other' && !chosen)) chosen = parts[i + 1]!;
  return chosen.replaceAll('#', formatNumber(n));
}
