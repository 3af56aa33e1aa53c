import type { OptionField, Scene, Service, ServiceConfig } from '../../../contract/index.js';

/**
 * The local engine's catalog. It mirrors Lumely's four services (same ids, configs, credits
 * and inputs) so that a host can develop against the local engine and switch providers
 * without its UI changing, plus `upscale` and `straighten`, services the engine can really
 * perform.
 *
 * The names, descriptions and option labels here are English; the widget shows them in the
 * visitor's language from `src/elements/shared/catalog-words-table.ts`, which knows them by this exact
 * English (test/server/catalog-words.test.ts fails until a changed or new word is added there).
 */

const enumField = (key: string, label: string, description: string, values: Array<[string, string] | [string, string, { needs_mask: true }]>, defaultValue?: string): OptionField => ({
  key,
  label,
  description,
  type: 'enum',
  values: values.map(([value, label, extra]) => ({ value, label, ...extra })),
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

// Lumely's scene options ({ lighting, weather, season, crowd, camera, style, flooring,
// landscaping }). Lumely documents the keys but not their values, so the values are ours.
const LIGHTING = enumField('lighting', 'Lighting', 'The light the scene should have.', [
  ['natural', 'Natural daylight'],
  ['warm', 'Warm'],
  ['cool', 'Cool'],
  ['bright', 'Bright and airy'],
  ['dramatic', 'Dramatic'],
  ['golden-hour', 'Golden hour'],
  ['dusk', 'Dusk'],
], 'natural');
const WEATHER = enumField('weather', 'Weather', 'Weather for exterior scenes.', [
  ['sunny', 'Sunny'],
  ['partly-cloudy', 'Partly cloudy'],
  ['overcast', 'Overcast'],
  ['rainy', 'Rainy'],
  ['snowy', 'Snowy'],
  ['foggy', 'Foggy'],
], 'sunny');
const SEASON = enumField('season', 'Season', 'Season of vegetation and light.', [
  ['spring', 'Spring'],
  ['summer', 'Summer'],
  ['autumn', 'Autumn'],
  ['winter', 'Winter'],
], 'summer');
const CROWD = enumField('crowd', 'People', 'How many people appear in the scene.', [
  ['none', 'None'],
  ['few', 'A few'],
  ['busy', 'Busy'],
], 'none');
const CAMERA = enumField('camera', 'Camera', 'Camera position and lens.', [
  ['eye-level', 'Eye level'],
  ['wide-angle', 'Wide angle'],
  ['elevated', 'Elevated'],
  ['close-up', 'Close-up'],
], 'eye-level');
const STYLE = enumField('style', 'Style', 'Design style of furniture, materials and colours.', [
  ['modern', 'Modern'],
  ['traditional', 'Traditional'],
  ['minimalist', 'Minimalist'],
  ['scandinavian', 'Scandinavian'],
  ['industrial', 'Industrial'],
  ['coastal', 'Coastal'],
  ['luxury', 'Luxury'],
], 'modern');
const FLOORING = enumField('flooring', 'Flooring', 'Floor material.', [
  ['keep', 'Keep existing'],
  ['light-wood', 'Light wood'],
  ['dark-wood', 'Dark wood'],
  ['tile', 'Tile'],
  ['concrete', 'Polished concrete'],
  ['carpet', 'Carpet'],
], 'keep');
const LANDSCAPING = enumField('landscaping', 'Landscaping', 'Planting and garden around the building.', [
  ['keep', 'Keep existing'],
  ['lush', 'Lush'],
  ['manicured', 'Manicured'],
  ['desert', 'Desert / xeriscape'],
  ['minimal', 'Minimal'],
], 'keep');

/** The scene a config id is for, from its name (ours and Lumely's share the ids). */
export function sceneOf(configId: string): Scene | undefined {
  if (/^(?:exterior|landscape|aerial|facade|garden)/.test(configId)) return 'exterior';
  if (/^(?:interior|living-room|bedroom|kitchen|dining-room|office|bathroom)/.test(configId)) return 'interior';
  return undefined;
}

const configs = (entries: Array<[string, string, string]>, scenes = true): ServiceConfig[] =>
  entries.map(([id, name, description]) => {
    const scene = scenes ? sceneOf(id) : undefined;
    return scene ? { id, name, description, scene } : { id, name, description };
  });

const only = (scene: Scene, field: OptionField): OptionField => ({ ...field, scene });

/** Lumely's eight scene options with our vocabulary; the Lumely adapter offers the same fields. */
export const SCENE_OPTIONS: readonly OptionField[] = [
  LIGHTING,
  only('exterior', WEATHER),
  only('exterior', SEASON),
  CROWD,
  CAMERA,
  STYLE,
  only('interior', FLOORING),
  only('exterior', LANDSCAPING),
];
const [, EXTERIOR_WEATHER, EXTERIOR_SEASON, , , , INTERIOR_FLOORING, EXTERIOR_LANDSCAPING] = SCENE_OPTIONS as [OptionField, OptionField, OptionField, OptionField, OptionField, OptionField, OptionField, OptionField];

const LUMELY_CREDITS = { '2K': 2, '4K': 3 } as const;

/** Straightening as an option of render enhancement; the `straighten` service's configs say the same. */
const STRAIGHTEN = enumField('straighten', 'Straighten', 'Make vertical lines vertical and the horizon level first.', [
  ['off', 'Off'],
  ['auto', 'Auto'],
  ['full', 'Full'],
], 'off');

/**
 * Window pull as an option of render enhancement: with `pull`, the job's mask marks the windows
 * (it no longer confines the change) and their blown highlights are recovered (window-pull.ts).
 * `pull` without a mask is refused before the job is created (`needs_mask`).
 */
const WINDOWS = enumField('windows', 'Windows', 'Bring back the view in bright windows: paint a mask over the windows.', [
  ['off', 'Leave as they are'],
  ['pull', 'Recover the view', { needs_mask: true }],
], 'off');

/** What upscale and straighten share: the engine's own photo services, one output from the photo alone. */
const photoOnly = () => ({
  credits: { '2K': 1, '4K': 2 },
  resolutions: ['2K', '4K'] as Service['resolutions'],
  inputs: { mask: false, reference_image: false, prompt: false, variants: { min: 1, max: 1 }, location: false },
  options: [],
  preview_only: false,
  edit_class: 'technical' as const,
});

/** The engine's grades, one line each; render enhancement offers them all, HDR merge the photographic ones. */
const GRADES: Record<string, [name: string, description: string]> = {
  'exterior-modern': ['Exterior, modern', 'Crisp, slightly cool daylight for contemporary facades.'],
  'exterior-traditional': ['Exterior, traditional', 'Warm, soft light for brick, stone and timber.'],
  'interior-modern': ['Interior, modern', 'Neutral, bright and clean.'],
  'interior-traditional': ['Interior, traditional', 'Warm and rich.'],
  'interior-minimalist': ['Interior, minimalist', 'Airy, bright and restrained in colour.'],
  landscape: ['Landscape', 'Vivid greens and depth for gardens and grounds.'],
  aerial: ['Aerial', 'Cuts haze and adds clarity to drone and aerial views.'],
};
const grades = (...ids: string[]): ServiceConfig[] => configs(ids.map((id) => [id, ...GRADES[id]!]));

const PREVIEW_NOTE =
  'The local engine cannot generate new content: it returns a colour-graded preview of your photo, marked as a preview.';

export const LOCAL_SERVICES: readonly Service[] = [
  {
    id: 'render-enhancement',
    name: 'Render Enhancement',
    description: 'Enhance architectural renders and photos: levels, local contrast, white balance, sharpening and a grade matched to the scene.',
    configs: grades('exterior-modern', 'exterior-traditional', 'interior-modern', 'interior-traditional', 'interior-minimalist', 'landscape', 'aerial'),
    credits: { ...LUMELY_CREDITS },
    resolutions: ['2K', '4K'],
    inputs: { mask: true, reference_image: false, prompt: true, variants: { min: 1, max: 1 }, location: true },
    options: [LIGHTING, EXTERIOR_WEATHER, EXTERIOR_SEASON, CROWD, CAMERA, EXTERIOR_LANDSCAPING, STRAIGHTEN, WINDOWS],
    preview_only: false,
    edit_class: 'technical',
  },
  {
    id: 'virtual-staging',
    name: 'Virtual Staging',
    description: `Furnish an empty room in the chosen style. ${PREVIEW_NOTE}`,
    configs: configs([
      ['living-room', 'Living room', 'Sofa, coffee table, rug and lighting.'],
      ['bedroom', 'Bedroom', 'Bed, bedside tables and soft furnishings.'],
      ['kitchen', 'Kitchen', 'Stools, accessories and styling.'],
      ['dining-room', 'Dining room', 'Table, chairs and pendant lighting.'],
      ['office', 'Home office', 'Desk, chair and shelving.'],
      ['bathroom', 'Bathroom', 'Towels, plants and accessories.'],
    ]),
    credits: { ...LUMELY_CREDITS },
    resolutions: ['2K', '4K'],
    inputs: { mask: true, reference_image: true, prompt: true, variants: { min: 1, max: 1 }, location: true },
    options: [STYLE, LIGHTING, INTERIOR_FLOORING],
    preview_only: true,
    edit_class: 'material',
  },
  {
    id: 'design-options',
    name: 'Design Options',
    description: `Several design alternatives for the same space or facade. ${PREVIEW_NOTE}`,
    configs: configs([
      ['exterior-modern', 'Exterior, modern', 'Contemporary facade alternatives.'],
      ['exterior-traditional', 'Exterior, traditional', 'Classic facade alternatives.'],
      ['interior-modern', 'Interior, modern', 'Contemporary interior alternatives.'],
      ['interior-traditional', 'Interior, traditional', 'Classic interior alternatives.'],
      ['landscape', 'Landscape', 'Garden and grounds alternatives.'],
    ]),
    credits: { ...LUMELY_CREDITS },
    resolutions: ['2K', '4K'],
    inputs: { mask: true, reference_image: true, prompt: true, variants: { min: 1, max: 4 }, location: true },
    options: [STYLE, LIGHTING, EXTERIOR_WEATHER, EXTERIOR_SEASON, INTERIOR_FLOORING, EXTERIOR_LANDSCAPING],
    preview_only: true,
    edit_class: 'material',
  },
  {
    id: '3d-plans',
    name: '3D Plans',
    description: `Turn a floor plan into a furnished 3D view. ${PREVIEW_NOTE}`,
    configs: configs([
      ['residential', 'Residential', 'Homes and apartments.'],
      ['commercial', 'Commercial', 'Shops, restaurants and venues.'],
      ['office', 'Office', 'Workplaces.'],
    ], false),
    credits: { ...LUMELY_CREDITS },
    resolutions: ['2K', '4K'],
    inputs: { mask: false, reference_image: false, prompt: true, variants: { min: 1, max: 1 }, location: true },
    options: [],
    preview_only: true,
    edit_class: 'material',
  },
  {
    id: 'upscale',
    name: 'Upscale',
    description: 'Enlarge a photo to 2K or 4K with high-quality resampling and sharpening matched to the enlargement.',
    configs: configs([
      ['standard', 'Standard', 'Faithful enlargement with gentle sharpening.'],
      ['detail', 'Detail', 'Stronger sharpening for fine textures and edges.'],
    ], false),
    ...photoOnly(),
    upscales_to_resolution: true,
  },
  {
    id: 'straighten',
    name: 'Straighten',
    description:
      'Make vertical lines vertical and the horizon level: the camera’s tilt and roll are measured from walls, door and window frames and building edges, corrected, and the photo cropped to its largest clean rectangle. A photo without clear lines is returned as it was, with a note saying so.',
    configs: configs([
      ['auto', 'Auto', 'Levels the horizon and straightens converging verticals; a strong upward or downward view is only partly corrected, to keep it natural.'],
      ['full', 'Full', 'Corrects all of the measured tilt: every vertical line made vertical.'],
    ], false),
    ...photoOnly(),
  },
  {
    id: 'hdr-merge',
    name: 'HDR Merge',
    description: 'Merge 3 to 7 bracketed exposures of one scene (darker to brighter, from one position) into one evenly lit photo, with the view in the windows and the detail in the shadows, then enhance it.',
    configs: grades('interior-modern', 'interior-traditional', 'interior-minimalist', 'exterior-modern', 'exterior-traditional'),
    credits: { ...LUMELY_CREDITS },
    resolutions: ['2K', '4K'],
    // The mask, when given, marks the windows: they are taken from the darkest usable bracket.
    inputs: { mask: true, reference_image: false, prompt: false, variants: { min: 1, max: 1 }, location: false, brackets: { min: 3, max: 7 } },
    options: [],
    preview_only: false,
    edit_class: 'technical',
  },
];

/** A fresh copy, so that a caller mutating its catalog cannot change the engine's. */
export function localServices(): Service[] {
  return structuredClone(LOCAL_SERVICES as Service[]);
}

export function findLocalService(serviceId: string): Service | undefined {
  return LOCAL_SERVICES.find((s) => s.id === serviceId);
}
