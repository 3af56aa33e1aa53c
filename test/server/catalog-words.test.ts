/**
 * The catalog's words in the widget (src/elements/shared/catalog-words-table.ts) are translated only
 * where the catalog says the English they are known by. So each table's English must be what its
 * message says, every word the local catalog shows a visitor must be in its id's table, and
 * English output must not change; words another provider gives an id the local engine also uses
 * stay as that provider has them.
 */
import { describe, expect, it } from 'vitest';
import type { OptionField, Service } from '../../src/contract/index.js';
import { CATALOG_WORDS, localiseService } from '../../src/elements/shared/catalog-words-table.js';
import { localServices } from '../../src/server/providers/local/catalog.js';
import { toServices } from '../../src/server/providers/lumely/catalog.js';

const fieldWords = (f: OptionField) => [f.label, f.description, ...(f.type === 'enum' ? f.values.map((v) => v.label) : [])];

describe('catalog words', () => {
  it('keys each message by its own English text (outside a render, msg() says the English)', () => {
    for (const table of Object.values(CATALOG_WORDS)) {
      for (const [id, words] of Object.entries(table)) {
        for (const [english, say] of Object.entries(words)) expect(say(), `${id}: ${english}`).toBe(english);
      }
    }
  });

  it('knows every word the local catalog shows a visitor, under its id', () => {
    const unknown: string[] = [];
    const check = (table: Record<string, Record<string, unknown>>, id: string, words: Array<string | undefined>) => {
      for (const w of words) if (w !== undefined && !Object.hasOwn(table[id] ?? {}, w)) unknown.push(`${id}: ${w}`);
    };
    for (const s of localServices()) {
      check(CATALOG_WORDS.services, s.id, [s.name]);
      for (const c of s.configs) check(CATALOG_WORDS.configs, c.id, [c.name, c.description]);
      for (const f of s.options) check(CATALOG_WORDS.fields, f.key, fieldWords(f));
    }
    expect(unknown).toEqual([]);
  });

  it('leaves the local catalog as it is in English', () => {
    for (const service of localServices()) expect(localiseService(service)).toEqual(service);
  });

  it('keeps another provider\'s words for an id the local engine uses with other words', () => {
    const other: Service = {
      ...localServices().find((s) => s.id === 'upscale')!,
      id: 'edit',
      name: 'Custom edit',
      configs: [{ id: 'standard', name: 'Standard', description: 'Prompt, furniture and mask as given.' }, { id: '__proto__', name: 'toString' }, { id: 'constructor', name: 'toString' }],
      options: [{ key: 'style', label: 'Style', description: 'Luma style preset.', type: 'enum', values: [{ value: 'auto', label: 'Auto' }] }],
    };
    expect(localiseService(other)).toEqual(other);
    // The English it does not know is the catalog's own; what it knows goes through its message.
    expect(Object.hasOwn(CATALOG_WORDS.configs.standard!, 'Prompt, furniture and mask as given.')).toBe(false);
    expect(Object.hasOwn(CATALOG_WORDS.fields.style!, 'Luma style preset.')).toBe(false);
  });

  it('knows Lumely\'s presets and options, which share the local engine\'s ids and words', () => {
    const [lumely] = toServices({ services: [{ id: 'virtual-staging', name: 'Virtual Staging', credits_2k: 2, config_ids: ['living-room', 'office'] }] });
    const unknown = [
      ...lumely!.configs.filter((c) => !Object.hasOwn(CATALOG_WORDS.configs[c.id] ?? {}, c.name)).map((c) => c.name),
      ...lumely!.options.flatMap((f) => fieldWords(f).filter((w) => w !== undefined && !Object.hasOwn(CATALOG_WORDS.fields[f.key] ?? {}, w))),
    ];
    expect(unknown).toEqual([]);
  });
});
