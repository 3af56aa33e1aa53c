import type { OptionField } from '../../../contract/index.js';

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
const field = (key: string, label: string, description: string, values: Array<[string, string]>): OptionField => ({
  key,
  label,
  description,
  type: 'enum',
  values: values.map(([value, label]) => ({ value, label })),
});

export const LUMELY_SCENE_OPTIONS: readonly OptionField[] = [
  field('lighting', 'Lighting', 'The light the scene should have.', [
    ['natural', 'Natural daylight'],
    ['warm', 'Warm'],
    ['cool', 'Cool'],
    ['bright', 'Bright and airy'],
    ['dramatic', 'Dramatic'],
    ['golden-hour', 'Golden hour'],
    ['dusk', 'Dusk'],
  ]),
  field('weather', 'Weather', 'Weather for exterior scenes.', [
    ['sunny', 'Sunny'],
    ['partly-cloudy', 'Partly cloudy'],
    ['overcast', 'Overcast'],
    ['rainy', 'Rainy'],
    ['snowy', 'Snowy'],
    ['foggy', 'Foggy'],
  ]),
  field('season', 'Season', 'Season of vegetation and light.', [
    ['spring', 'Spring'],
    ['summer', 'Summer'],
    ['autumn', 'Autumn'],
    ['winter', 'Winter'],
  ]),
  field('crowd', 'People', 'How many people appear in the scene.', [
    ['none', 'None'],
    ['few', 'A few'],
    ['busy', 'Busy'],
  ]),
  field('camera', 'Camera', 'Camera position and lens.', [
    ['eye-level', 'Eye level'],
    ['wide-angle', 'Wide angle'],
    ['elevated', 'Elevated'],
    ['close-up', 'Close-up'],
  ]),
  field('style', 'Style', 'Design style of furniture, materials and colours.', [
    ['modern', 'Modern'],
    ['traditional', 'Traditional'],
    ['minimalist', 'Minimalist'],
    ['scandinavian', 'Scandinavian'],
    ['industrial', 'Industrial'],
    ['coastal', 'Coastal'],
    ['luxury', 'Luxury'],
  ]),
  field('flooring', 'Flooring', 'Floor material.', [
    ['keep', 'Keep existing'],
    ['light-wood', 'Light wood'],
    ['dark-wood', 'Dark wood'],
    ['tile', 'Tile'],
    ['concrete', 'Polished concrete'],
    ['carpet', 'Carpet'],
  ]),
  field('landscaping', 'Landscaping', 'Planting and garden around the building.', [
    ['keep', 'Keep existing'],
    ['lush', 'Lush'],
    ['manicured', 'Manicured'],
    ['desert', 'Desert / xeriscape'],
    ['minimal', 'Minimal'],
  ]),
];

export const LUMELY_OPTION_KEYS: ReadonlySet<string> = new Set(LUMELY_SCENE_OPTIONS.map((f) => f.key));
