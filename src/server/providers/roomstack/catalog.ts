import type { OptionField, Resolution, Service } from '../../../contract/index.js';

/**
 * RoomStack has no catalog API: its two services and their fields are documented as static
 * text (seeds/roomstack-api.txt), so the catalog is built from the docs here.
 *
 * Where the docs name a field but not its values (style, budget, scale) the option is a free
 * text field defaulting to the docs' own example, instead of an enum of guessed values that
 * RoomStack might reject. Only roomFidelity and roomSize have documented value lists.
 */

export const GENERATE_SERVICE = 'generate';
export const EDIT_SERVICE = 'edit';

/** Our resolution → RoomStack `imageSize`. The docs show 1K only; 2K/4K follow its naming (the docs say larger sizes exist and cost more). */
export const IMAGE_SIZE: Record<Resolution, string> = { '2K': '2K', '4K': '4K' };

const text = (key: string, label: string, description: string, maxLength: number, defaultValue?: string): OptionField => ({
  key,
  label,
  description,
  type: 'string',
  max_length: maxLength,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

const enumField = (key: string, label: string, description: string, values: Array<[string, string]>): OptionField => ({
  key,
  label,
  description,
  type: 'enum',
  values: values.map(([value, label]) => ({ value, label })),
});

/** Our option key → RoomStack's multipart field (our keys must be snake_case). */
export const GENERATE_FIELDS: Record<string, string> = {
  style: 'style',
  budget: 'budget',
  scale: 'scale',
  room_fidelity: 'roomFidelity',
  room_size: 'roomSize',
};

const GENERATE_OPTIONS: OptionField[] = [
  text('style', 'Style', 'Design style of the furniture, e.g. modern.', 60, 'modern'),
  text('budget', 'Budget', 'Budget level of the furniture, e.g. mid.', 30, 'mid'),
  text('scale', 'Scale', 'Framing of the staging, e.g. wide. A wider scale costs RoomStack more credits.', 30),
  enumField('room_fidelity', 'Room fidelity', 'How much the room itself may change. Strict keeps the room untouched.', [
    ['strict', 'Strict'],
    ['balanced', 'Balanced'],
    ['creative', 'Creative'],
  ]),
  enumField('room_size', 'Room size', 'Guides the scale of the furniture.', [
    ['small', 'Small'],
    ['medium', 'Medium'],
    ['large', 'Large'],
  ]),
];

export const SELECTED_FURNITURE_OPTION = 'selected_furniture';

const SERVICES: readonly Service[] = [
  {
    id: GENERATE_SERVICE,
    name: 'Virtual Staging',
    description: 'Furnish an empty room photo with RoomStack. Optionally give a furniture photo to include and a prompt that replaces the default instructions.',
    // The config is RoomStack's roomType. The docs show only living_room; the others follow its snake_case form and are not confirmed by the docs.
    configs: [
      { id: 'living_room', name: 'Living room' },
      { id: 'bedroom', name: 'Bedroom' },
      { id: 'dining_room', name: 'Dining room' },
      { id: 'kitchen', name: 'Kitchen' },
      { id: 'office', name: 'Home office' },
      { id: 'bathroom', name: 'Bathroom' },
    ],
    // Docs: "charged per variant and can cost more for wider scale or larger output sizes", no numbers.
    // Our estimate per variant: 1 base + 1 at 2K, + 2 at 4K (scale=wide adds 1 more, which a per-resolution price cannot show).
    credits: { '2K': 2, '4K': 3 },
    resolutions: ['2K', '4K'],
    // reference_image → one furnitureImages part (the API takes several; our jobs carry one reference).
    inputs: { mask: false, reference_image: true, prompt: true, variants: { min: 1, max: 4 }, location: false },
    options: GENERATE_OPTIONS,
    preview_only: false,
    edit_class: 'material',
  },
  {
    id: EDIT_SERVICE,
    name: 'Edit',
    description: 'Adjust a photo or a staged result with RoomStack: describe the change, list furniture to add, and optionally mask the area to change.',
    configs: [{ id: 'standard', name: 'Standard', description: 'Prompt, furniture and mask as given.' }],
    // Docs: "Edits cost 1 credit." Edit has no size field and returns the photo's size, so it is offered at 2K only.
    credits: { '2K': 1 },
    resolutions: ['2K'],
    inputs: { mask: true, reference_image: false, prompt: true, variants: { min: 1, max: 1 }, location: false },
    options: [text(SELECTED_FURNITURE_OPTION, 'Furniture', 'Comma-separated furniture to add, e.g. oak dining table, linen sofa.', 500)],
    preview_only: false,
    edit_class: 'material',
  },
];

export function roomStackServices(): Service[] {
  return structuredClone(SERVICES as Service[]);
}
