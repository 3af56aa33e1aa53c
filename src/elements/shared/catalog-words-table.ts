import type { OptionField, Service, ServiceConfig } from '../../contract/index.js';
import { msg } from './locale.js';

/**
 * The catalog's words in the visitor's language, a chunk of their own that `catalog-words.ts`
 * fetches for a page in another language than English (or with the host's own strings). The
 * BFF's catalog speaks English (its developers read it); the names and descriptions of the local
 * engine's presets and the labels of its scene options (`src/server/providers/local/catalog.ts`,
 * which Lumely's adapter shares) are translated here, read at render time like every other text
 * module, so a `lang` switch re-renders them.
 *
 * A word is translated only where the catalog says exactly the English it is known by, for that
 * id: other providers reuse ids with words of their own (RoomStack's `standard` edit, Luma's
 * `style` presets), and those are shown as their catalog has them rather than as a translation
 * of something else. So the English texts below must stay identical to the catalog's
 * (test/server/catalog-words.test.ts checks it).
 */

/** Known English text → its words now, for one id. */
type Words = Readonly<Record<string, () => string>>;

/** An id's words (own keys only: an id such as `__proto__` is no table's). */
const of = (table: Readonly<Record<string, Words>>, id: string): Words | undefined => (Object.hasOwn(table, id) ? table[id] : undefined);
const say = (words: Words | undefined, english: string): string => (words && Object.hasOwn(words, english) ? words[english]!() : english);

// Words two ids share.
const keepExisting = () => msg('Keep existing', { id: 'catalog.value.keep' });
const auto = () => msg('Auto', { id: 'catalog.straighten.auto' });
const full = () => msg('Full', { id: 'catalog.straighten.full' });
const straighten = () => msg('Straighten', { id: 'catalog.straighten' });
const modern = () => msg('Modern', { id: 'catalog.style.modern' });
const traditional = () => msg('Traditional', { id: 'catalog.style.traditional' });
const office = () => msg('Office', { id: 'catalog.config.3d-plans.office.name' });

/** Service names, by service id (the "Sent: …" announcement says them). */
const SERVICE_NAMES: Readonly<Record<string, Words>> = {
  'render-enhancement': { 'Render Enhancement': () => msg('Render Enhancement', { id: 'catalog.service.render-enhancement.name' }) },
  'virtual-staging': { 'Virtual Staging': () => msg('Virtual Staging', { id: 'catalog.service.virtual-staging.name' }) },
  'design-options': { 'Design Options': () => msg('Design Options', { id: 'catalog.service.design-options.name' }) },
  '3d-plans': { '3D Plans': () => msg('3D Plans', { id: 'catalog.service.3d-plans.name' }) },
  upscale: { Upscale: () => msg('Upscale', { id: 'catalog.service.upscale.name' }) },
  straighten: { Straighten: straighten },
  'hdr-merge': { 'HDR Merge': () => msg('HDR Merge', { id: 'catalog.service.hdr-merge.name' }) },
};

/**
 * Presets (configs), by config id: the name, and the description each service gives it (render
 * enhancement and HDR merge share the grades' lines; design options has its own).
 */
const CONFIGS: Readonly<Record<string, Words>> = {
  'exterior-modern': {
    'Exterior, modern': () => msg('Exterior, modern', { id: 'catalog.config.exterior-modern.name' }),
    'Crisp, slightly cool daylight for contemporary facades.': () =>
      msg('Crisp, slightly cool daylight for contemporary facades.', { id: 'catalog.config.render-enhancement.exterior-modern.description' }),
    'Contemporary facade alternatives.': () => msg('Contemporary facade alternatives.', { id: 'catalog.config.design-options.exterior-modern.description' }),
  },
  'exterior-traditional': {
    'Exterior, traditional': () => msg('Exterior, traditional', { id: 'catalog.config.exterior-traditional.name' }),
    'Warm, soft light for brick, stone and timber.': () =>
      msg('Warm, soft light for brick, stone and timber.', { id: 'catalog.config.render-enhancement.exterior-traditional.description' }),
    'Classic facade alternatives.': () => msg('Classic facade alternatives.', { id: 'catalog.config.design-options.exterior-traditional.description' }),
  },
  'interior-modern': {
    'Interior, modern': () => msg('Interior, modern', { id: 'catalog.config.interior-modern.name' }),
    'Neutral, bright and clean.': () => msg('Neutral, bright and clean.', { id: 'catalog.config.render-enhancement.interior-modern.description' }),
    'Contemporary interior alternatives.': () => msg('Contemporary interior alternatives.', { id: 'catalog.config.design-options.interior-modern.description' }),
  },
  'interior-traditional': {
    'Interior, traditional': () => msg('Interior, traditional', { id: 'catalog.config.interior-traditional.name' }),
    'Warm and rich.': () => msg('Warm and rich.', { id: 'catalog.config.render-enhancement.interior-traditional.description' }),
    'Classic interior alternatives.': () => msg('Classic interior alternatives.', { id: 'catalog.config.design-options.interior-traditional.description' }),
  },
  'interior-minimalist': {
    'Interior, minimalist': () => msg('Interior, minimalist', { id: 'catalog.config.interior-minimalist.name' }),
    'Airy, bright and restrained in colour.': () => msg('Airy, bright and restrained in colour.', { id: 'catalog.config.render-enhancement.interior-minimalist.description' }),
  },
  landscape: {
    Landscape: () => msg('Landscape', { id: 'catalog.config.landscape.name' }),
    'Vivid greens and depth for gardens and grounds.': () =>
      msg('Vivid greens and depth for gardens and grounds.', { id: 'catalog.config.render-enhancement.landscape.description' }),
    'Garden and grounds alternatives.': () => msg('Garden and grounds alternatives.', { id: 'catalog.config.design-options.landscape.description' }),
  },
  aerial: {
    Aerial: () => msg('Aerial', { id: 'catalog.config.aerial.name' }),
    'Cuts haze and adds clarity to drone and aerial views.': () =>
      msg('Cuts haze and adds clarity to drone and aerial views.', { id: 'catalog.config.render-enhancement.aerial.description' }),
  },
  'living-room': {
    'Living room': () => msg('Living room', { id: 'catalog.config.living-room.name' }),
    'Sofa, coffee table, rug and lighting.': () => msg('Sofa, coffee table, rug and lighting.', { id: 'catalog.config.virtual-staging.living-room.description' }),
  },
  bedroom: {
    Bedroom: () => msg('Bedroom', { id: 'catalog.config.bedroom.name' }),
    'Bed, bedside tables and soft furnishings.': () => msg('Bed, bedside tables and soft furnishings.', { id: 'catalog.config.virtual-staging.bedroom.description' }),
  },
  kitchen: {
    Kitchen: () => msg('Kitchen', { id: 'catalog.config.kitchen.name' }),
    'Stools, accessories and styling.': () => msg('Stools, accessories and styling.', { id: 'catalog.config.virtual-staging.kitchen.description' }),
  },
  'dining-room': {
    'Dining room': () => msg('Dining room', { id: 'catalog.config.dining-room.name' }),
    'Table, chairs and pendant lighting.': () => msg('Table, chairs and pendant lighting.', { id: 'catalog.config.virtual-staging.dining-room.description' }),
  },
  // A room to stage, and a kind of floor plan (and, at Lumely, the room under the plan's name).
  office: {
    'Home office': () => msg('Home office', { id: 'catalog.config.virtual-staging.office.name' }),
    'Desk, chair and shelving.': () => msg('Desk, chair and shelving.', { id: 'catalog.config.virtual-staging.office.description' }),
    Office: office,
    'Workplaces.': () => msg('Workplaces.', { id: 'catalog.config.3d-plans.office.description' }),
  },
  bathroom: {
    Bathroom: () => msg('Bathroom', { id: 'catalog.config.bathroom.name' }),
    'Towels, plants and accessories.': () => msg('Towels, plants and accessories.', { id: 'catalog.config.virtual-staging.bathroom.description' }),
  },
  residential: {
    Residential: () => msg('Residential', { id: 'catalog.config.residential.name' }),
    'Homes and apartments.': () => msg('Homes and apartments.', { id: 'catalog.config.3d-plans.residential.description' }),
  },
  commercial: {
    Commercial: () => msg('Commercial', { id: 'catalog.config.commercial.name' }),
    'Shops, restaurants and venues.': () => msg('Shops, restaurants and venues.', { id: 'catalog.config.3d-plans.commercial.description' }),
  },
  standard: {
    Standard: () => msg('Standard', { id: 'catalog.config.upscale.standard.name' }),
    'Faithful enlargement with gentle sharpening.': () => msg('Faithful enlargement with gentle sharpening.', { id: 'catalog.config.upscale.standard.description' }),
  },
  detail: {
    Detail: () => msg('Detail', { id: 'catalog.config.upscale.detail.name' }),
    'Stronger sharpening for fine textures and edges.': () => msg('Stronger sharpening for fine textures and edges.', { id: 'catalog.config.upscale.detail.description' }),
  },
  auto: {
    Auto: auto,
    'Levels the horizon and straightens converging verticals; a strong upward or downward view is only partly corrected, to keep it natural.': () =>
      msg('Levels the horizon and straightens converging verticals; a strong upward or downward view is only partly corrected, to keep it natural.', {
        id: 'catalog.config.straighten.auto.description',
      }),
  },
  full: {
    Full: full,
    'Corrects all of the measured tilt: every vertical line made vertical.': () =>
      msg('Corrects all of the measured tilt: every vertical line made vertical.', { id: 'catalog.config.straighten.full.description' }),
  },
};

/** Option fields, by key: the label, the description and the values' labels. */
const FIELDS: Readonly<Record<string, Words>> = {
  lighting: {
    Lighting: () => msg('Lighting', { id: 'catalog.option.lighting' }),
    'The light the scene should have.': () => msg('The light the scene should have.', { id: 'catalog.option.lighting.description' }),
    'Natural daylight': () => msg('Natural daylight', { id: 'catalog.option.lighting.natural' }),
    Warm: () => msg('Warm', { id: 'catalog.option.lighting.warm' }),
    Cool: () => msg('Cool', { id: 'catalog.option.lighting.cool' }),
    'Bright and airy': () => msg('Bright and airy', { id: 'catalog.option.lighting.bright' }),
    Dramatic: () => msg('Dramatic', { id: 'catalog.option.lighting.dramatic' }),
    'Golden hour': () => msg('Golden hour', { id: 'catalog.option.lighting.golden-hour' }),
    Dusk: () => msg('Dusk', { id: 'catalog.option.lighting.dusk' }),
  },
  weather: {
    Weather: () => msg('Weather', { id: 'catalog.option.weather' }),
    'Weather for exterior scenes.': () => msg('Weather for exterior scenes.', { id: 'catalog.option.weather.description' }),
    Sunny: () => msg('Sunny', { id: 'catalog.option.weather.sunny' }),
    'Partly cloudy': () => msg('Partly cloudy', { id: 'catalog.option.weather.partly-cloudy' }),
    Overcast: () => msg('Overcast', { id: 'catalog.option.weather.overcast' }),
    Rainy: () => msg('Rainy', { id: 'catalog.option.weather.rainy' }),
    Snowy: () => msg('Snowy', { id: 'catalog.option.weather.snowy' }),
    Foggy: () => msg('Foggy', { id: 'catalog.option.weather.foggy' }),
  },
  season: {
    Season: () => msg('Season', { id: 'catalog.option.season' }),
    'Season of vegetation and light.': () => msg('Season of vegetation and light.', { id: 'catalog.option.season.description' }),
    Spring: () => msg('Spring', { id: 'catalog.option.season.spring' }),
    Summer: () => msg('Summer', { id: 'catalog.option.season.summer' }),
    Autumn: () => msg('Autumn', { id: 'catalog.option.season.autumn' }),
    Winter: () => msg('Winter', { id: 'catalog.option.season.winter' }),
  },
  crowd: {
    People: () => msg('People', { id: 'catalog.option.crowd' }),
    'How many people appear in the scene.': () => msg('How many people appear in the scene.', { id: 'catalog.option.crowd.description' }),
    None: () => msg('None', { id: 'catalog.option.crowd.none' }),
    'A few': () => msg('A few', { id: 'catalog.option.crowd.few' }),
    Busy: () => msg('Busy', { id: 'catalog.option.crowd.busy' }),
  },
  camera: {
    Camera: () => msg('Camera', { id: 'catalog.option.camera' }),
    'Camera position and lens.': () => msg('Camera position and lens.', { id: 'catalog.option.camera.description' }),
    'Eye level': () => msg('Eye level', { id: 'catalog.option.camera.eye-level' }),
    'Wide angle': () => msg('Wide angle', { id: 'catalog.option.camera.wide-angle' }),
    Elevated: () => msg('Elevated', { id: 'catalog.option.camera.elevated' }),
    'Close-up': () => msg('Close-up', { id: 'catalog.option.camera.close-up' }),
  },
  style: {
    Style: () => msg('Style', { id: 'catalog.option.style' }),
    'Design style of furniture, materials and colours.': () => msg('Design style of furniture, materials and colours.', { id: 'catalog.option.style.description' }),
    Modern: modern,
    Traditional: traditional,
    Minimalist: () => msg('Minimalist', { id: 'catalog.style.minimalist' }),
    Scandinavian: () => msg('Scandinavian', { id: 'catalog.style.scandinavian' }),
    Industrial: () => msg('Industrial', { id: 'catalog.style.industrial' }),
    Coastal: () => msg('Coastal', { id: 'catalog.style.coastal' }),
    Luxury: () => msg('Luxury', { id: 'catalog.style.luxury' }),
  },
  flooring: {
    Flooring: () => msg('Flooring', { id: 'catalog.option.flooring' }),
    'Floor material.': () => msg('Floor material.', { id: 'catalog.option.flooring.description' }),
    'Keep existing': keepExisting,
    'Light wood': () => msg('Light wood', { id: 'catalog.option.flooring.light-wood' }),
    'Dark wood': () => msg('Dark wood', { id: 'catalog.option.flooring.dark-wood' }),
    Tile: () => msg('Tile', { id: 'catalog.option.flooring.tile' }),
    'Polished concrete': () => msg('Polished concrete', { id: 'catalog.option.flooring.concrete' }),
    Carpet: () => msg('Carpet', { id: 'catalog.option.flooring.carpet' }),
  },
  landscaping: {
    Landscaping: () => msg('Landscaping', { id: 'catalog.option.landscaping' }),
    'Planting and garden around the building.': () => msg('Planting and garden around the building.', { id: 'catalog.option.landscaping.description' }),
    'Keep existing': keepExisting,
    Lush: () => msg('Lush', { id: 'catalog.option.landscaping.lush' }),
    Manicured: () => msg('Manicured', { id: 'catalog.option.landscaping.manicured' }),
    'Desert / xeriscape': () => msg('Desert / xeriscape', { id: 'catalog.option.landscaping.desert' }),
    Minimal: () => msg('Minimal', { id: 'catalog.option.landscaping.minimal' }),
  },
  straighten: {
    Straighten: straighten,
    'Make vertical lines vertical and the horizon level first.': () =>
      msg('Make vertical lines vertical and the horizon level first.', { id: 'catalog.option.straighten.description' }),
    Off: () => msg('Off', { id: 'catalog.option.straighten.off' }),
    Auto: auto,
    Full: full,
  },
  windows: {
    Windows: () => msg('Windows', { id: 'catalog.option.windows' }),
    'Bring back the view in bright windows: paint a mask over the windows.': () =>
      msg('Bring back the view in bright windows: paint a mask over the windows.', { id: 'catalog.option.windows.description' }),
    'Leave as they are': () => msg('Leave as they are', { id: 'catalog.option.windows.off' }),
    'Recover the view': () => msg('Recover the view', { id: 'catalog.option.windows.pull' }),
  },
};

/** A preset with its name and description in the visitor's language. */
export function localiseConfig(config: ServiceConfig): ServiceConfig {
  const words = of(CONFIGS, config.id);
  const out = { ...config, name: say(words, config.name) };
  if (config.description !== undefined) out.description = say(words, config.description);
  return out;
}

/** An option field with its label, description and values' labels in the visitor's language. */
export function localiseField(field: OptionField): OptionField {
  const words = of(FIELDS, field.key);
  if (!words) return field;
  const out = { ...field, label: say(words, field.label) };
  if (field.description !== undefined) out.description = say(words, field.description);
  if (out.type === 'enum') out.values = out.values.map((v) => ({ ...v, label: say(words, v.label) }));
  return out;
}

/**
 * A copy of a service with the catalog's words in the visitor's language: its name, its presets
 * and its options. Call it while rendering (the words are the active locale's); ids, prices and
 * inputs are the catalog's own.
 */
export function localiseService(service: Service): Service {
  return {
    ...service,
    name: say(of(SERVICE_NAMES, service.id), service.name),
    configs: service.configs.map(localiseConfig),
    options: service.options.map(localiseField),
  };
}

/** The tables, for the test that holds their English to the catalog's (test/server/catalog-words.test.ts). */
export const CATALOG_WORDS = { services: SERVICE_NAMES, configs: CONFIGS, fields: FIELDS } as const;
