import type { Service } from '../../contract/index.js';
import { sourceLocale } from '../../locales/locale-codes.js';
import { activeLocale, rerenderAll } from './locale.js';

/**
 * The catalog's words (preset names and descriptions, option labels and values) in the visitor's
 * language, for the picker and the listing. The words are a chunk of their own
 * (`catalog-words-table.ts`), fetched like a language's strings: the first time an element
 * renders in another language than English, or when the host sets its own `catalog.*` strings
 * (`locale-runtime.ts`). An English page loads nothing: the catalog is English already.
 */

type Table = typeof import('./catalog-words-table.js');

let table: Table | undefined;
let loading: Promise<void> | undefined;

/** Fetches the catalog's words once; every element renders again with them. A failed fetch is tried again at the next render. */
export function loadCatalogWords(): Promise<void> {
  loading ??= import('./catalog-words-table.js').then(
    (m) => {
      table = m;
      rerenderAll();
    },
    () => {
      loading = undefined;
    },
  );
  return loading;
}

/**
 * A copy of a service with the catalog's words in the active locale: its name, its presets and
 * its options. Call it while rendering; ids, prices and inputs are the catalog's own. Until the
 * words have arrived (a moment, on a page in another language) it is the catalog's English.
 */
export function localiseService(service: Service): Service {
  if (table) return table.localiseService(service);
  if (activeLocale() !== sourceLocale) void loadCatalogWords();
  return service;
}
