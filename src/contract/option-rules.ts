import type { OptionField, Service } from './catalog.js';

/**
 * Rules of a service's option schema that the BFF, the picker and the widget apply alike. No zod
 * here (types only), so that the widget's first screen can use them.
 */

/** The service's options that apply to a config's scene: no weather or landscaping for a kitchen. */
export function fieldsForConfig(service: Service, configId: string | undefined): OptionField[] {
  const scene = service.configs.find((c) => c.id === configId)?.scene;
  return service.options.filter((f) => !f.scene || !scene || f.scene === scene);
}

/**
 * The chosen enum value that gives the job's mask a meaning of its own and so needs one
 * (`needs_mask`, e.g. windows "Recover the view"), with its field; a field left out counts as its
 * default. Null when none does.
 */
export function maskNeedingChoice(fields: readonly OptionField[], options: Readonly<Record<string, unknown>> | undefined): { field: OptionField; label: string } | null {
  for (const field of fields) {
    if (field.type !== 'enum') continue;
    const chosen = field.values.find((v) => v.value === (options?.[field.key] ?? field.default));
    if (chosen?.needs_mask) return { field, label: chosen.label };
  }
  return null;
}
