import type { OptionField, Service } from '../../../contract/index.js';
import { ProviderJobError, type ProviderTask } from '../types.js';

/**
 * The Luma Agents catalog. The API has no catalog endpoint: it offers one model family (uni-1)
 * with two generation types, so the catalog is static and built from the documented
 * parameters of POST /v1/generations. Only `image_edit` is offered, because every job of ours
 * starts from the user's photo (`type: "image"` would ignore it).
 */

export const EDIT_SERVICE_ID = 'image-edit';

/** Documented values of `aspect_ratio` (API Reference, uni-1). */
export const LUMA_ASPECT_RATIOS = ['3:1', '2:1', '16:9', '3:2', '1:1', '2:3', '9:16', '1:2', '1:3'] as const;
/** Our own value for "send no aspect_ratio", so the output keeps the photo's proportions. */
export const KEEP_ASPECT = 'source';

interface Preset {
  id: string;
  name: string;
  description: string;
  /** The instruction sent as `prompt`; empty for configs that only use the job's prompt. */
  instruction: string;
}

const KEEP_GEOMETRY = 'Keep the walls, windows, doors, floor, ceiling, room layout and camera angle exactly as they are. Photorealistic real-estate photograph.';

export const PRESETS: readonly Preset[] = [
  {
    id: 'modern-living-room',
    name: 'Modern living room staging',
    description: 'Furnish the room as a contemporary living room.',
    instruction: `Virtually stage this room as a modern living room: a contemporary sofa, armchair, coffee table, rug, floor lamp, plants and wall art in neutral tones. ${KEEP_GEOMETRY}`,
  },
  {
    id: 'scandinavian-bedroom',
    name: 'Scandinavian bedroom staging',
    description: 'Furnish the room as a light, Scandinavian-style bedroom.',
    instruction: `Virtually stage this room as a Scandinavian bedroom: a double bed with light linen bedding, bedside tables and lamps, a wool rug and light wood furniture. ${KEEP_GEOMETRY}`,
  },
  {
    id: 'home-office',
    name: 'Home office staging',
    description: 'Furnish the room as a tidy home office.',
    instruction: `Virtually stage this room as a home office: a desk, an ergonomic chair, shelving with books, a desk lamp and a plant. ${KEEP_GEOMETRY}`,
  },
  {
    id: 'declutter',
    name: 'Declutter',
    description: 'Remove clutter and personal items, keep the furniture.',
    instruction: `Declutter this room: remove loose items, cables, personal belongings, papers and clutter from every surface and the floor, keeping the furniture in place. ${KEEP_GEOMETRY}`,
  },
  {
    id: 'empty-room',
    name: 'Empty the room',
    description: 'Remove all furniture and objects, leaving an empty room.',
    instruction: `Remove all furniture, rugs, decorations and objects so the room is completely empty, filling in the revealed floor and walls naturally. ${KEEP_GEOMETRY}`,
  },
  {
    id: 'twilight-exterior',
    name: 'Twilight exterior',
    description: 'Turn a daytime exterior into a dusk shot with warm lit windows.',
    instruction:
      'Turn this daytime exterior photo into a twilight shot: a deep blue dusk sky with a soft orange glow at the horizon, warm light in every window and subtle exterior lighting. Keep the building, landscaping and camera angle unchanged. Photorealistic real-estate photograph.',
  },
  {
    id: 'blue-sky',
    name: 'Blue sky',
    description: 'Replace a grey or overexposed sky with a clear blue one.',
    instruction:
      'Replace the sky with a clear blue sky with a few soft white clouds and balance the daylight on the scene to match. Keep the building, landscaping and camera angle unchanged. Photorealistic real-estate photograph.',
  },
  {
    id: 'custom',
    name: 'Custom edit',
    description: 'Your prompt alone describes the edit (a prompt is required).',
    instruction: '',
  },
];

const enumField = (key: string, label: string, description: string, values: Array<[string, string]>, defaultValue: string): OptionField => ({
  key,
  label,
  description,
  type: 'enum',
  values: values.map(([value, label]) => ({ value, label })),
  default: defaultValue,
});

const OPTIONS: OptionField[] = [
  enumField(
    'aspect_ratio',
    'Aspect ratio',
    'Proportions of the result.',
    [[KEEP_ASPECT, 'Same as the photo'], ...LUMA_ASPECT_RATIOS.map((r): [string, string] => [r, r])],
    KEEP_ASPECT,
  ),
  enumField('style', 'Style', 'Luma style preset.', [['auto', 'Auto'], ['manga', 'Manga']], 'auto'),
  enumField('output_format', 'File format', 'Format of the result.', [['jpeg', 'JPEG'], ['png', 'PNG']], 'jpeg'),
  enumField(
    'model',
    'Model',
    'uni-1-max gives higher quality at a higher price per image.',
    [['uni-1', 'uni-1'], ['uni-1-max', 'uni-1-max']],
    'uni-1',
  ),
];

/**
 * Credits: the Pricing page is not part of our seed documentation, which says only that
 * uni-1-max costs more per image than uni-1. We charge 2 credits per result (the same as the
 * other providers' staging services) whatever the model, so the widget's prices do not depend
 * on an option; the owner's Luma balance absorbs the difference.
 */
const CREDITS = { '2K': 2 } as const;

export const LUMA_SERVICES: readonly Service[] = [
  {
    id: EDIT_SERVICE_ID,
    name: 'AI Photo Edit (Luma uni-1)',
    description:
      "Edit the photo with Luma's uni-1 model: virtual staging, decluttering, twilight and sky edits from a preset or your own prompt, optionally guided by a reference image.",
    configs: PRESETS.map(({ id, name, description }) => ({ id, name, description })),
    credits: { ...CREDITS },
    // The API has no resolution parameter and documents no output size, so we offer one tier
    // rather than promise a 4K result we cannot ask for.
    resolutions: ['2K'],
    // No mask parameter is documented; image_ref carries our reference image. One generation
    // yields one image in the documented examples, so one variant.
    inputs: { mask: false, reference_image: true, prompt: true, variants: { min: 1, max: 1 }, location: false },
    options: OPTIONS,
    preview_only: false,
    // Staging, decluttering, empty rooms, twilight and sky replacement all change what the photo shows.
    edit_class: 'material',
  },
];

export function lumaServices(): Service[] {
  return structuredClone(LUMA_SERVICES as Service[]);
}

/** The documented prompt limit (Image generation: 1–6,000 characters). */
export const MAX_PROMPT = 6000;

/**
 * The preset's instruction, followed by the user's own words when given, so a chosen preset
 * is never silently dropped by a short extra instruction ("also remove the rug").
 */
export function promptFor(task: Pick<ProviderTask, 'config' | 'prompt'>): string {
  const preset = PRESETS.find((p) => p.id === task.config);
  const own = task.prompt?.trim() ?? '';
  const instruction = preset?.instruction ?? '';
  const prompt = instruction && own ? `${instruction}\nAdditional instructions: ${own}` : instruction || own;
  if (!prompt) {
    throw new ProviderJobError('invalid_request', 'The custom edit needs a prompt describing the change. Add one and try again.', false);
  }
  return prompt.slice(0, MAX_PROMPT);
}
