import type { OptionField } from '../../../contract/index.js';
import { SCENE_OPTIONS } from '../local/catalog.js';

/**
 * Lumely's scene settings (`options: { lighting, weather, season, crowd, camera, style,
 * flooring, landscaping }` on POST /jobs). The docs name the keys and show string values
 * ("warm", "modern") but list neither the allowed values nor which keys apply to which
 * service, so:
 * - the values are the local engine's vocabulary (which already mirrors Lumely), so a host's
 *   form does not change when it switches from `local` to `lumely`;
 * - every service offers all eight, as the docs attach them to the job, not to a service;
 * - no field has a default: the BFF fills defaults into every job, and an option the user did
 *   not choose must stay unsent so that Lumely applies its own.
 */
export const LUMELY_SCENE_OPTIONS: readonly OptionField[] = SCENE_OPTIONS.map((field) => {
  const { default: _unsent, ...rest } = field;
  return rest;
});

export const LUMELY_OPTION_KEYS: ReadonlySet<string> = new Set(LUMELY_SCENE_OPTIONS.map((f) => f.key));
