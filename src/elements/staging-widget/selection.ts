import type { Catalog, Service } from '../../contract/index.js';
import { fieldsForConfig, maskNeedingChoice } from '../../contract/option-rules.js';
import type { PickerValue } from '../staging-picker/staging-picker.js';

/** What the person chose in the picker needs of the later steps, read from the catalog. */

const serviceOf = (catalog: Catalog | null | undefined, id: string | undefined): Service | undefined => catalog?.services.find((s) => s.id === id);

/** The chosen service's `inputs.brackets` (it merges several shots of one view), or null. */
export function bracketsOf(catalog: Catalog | null | undefined, choice: PickerValue | null): { min: number; max: number } | null {
  return serviceOf(catalog, choice?.service)?.inputs.brackets ?? null;
}

/** What the painted mask means: the windows (HDR merge; an option such as "Recover the view", which cannot go without it), or the area to change. */
export function maskMeaningOf(catalog: Catalog | null | undefined, choice: PickerValue | null): 'area' | 'windows' | 'windows-needed' {
  const service = serviceOf(catalog, choice?.service);
  if (!service) return 'area';
  if (maskNeedingChoice(fieldsForConfig(service, choice?.config), choice?.options)) return 'windows-needed';
  return service.inputs.brackets ? 'windows' : 'area';
}
