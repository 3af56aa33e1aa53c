import { RESOLUTION_LONG_SIDE, type Resolution, type Service } from '../../../contract/index.js';

/**
 * Interior Redesign has no catalog endpoint: its documentation describes two fixed job
 * types (POST /v1/redesign and POST /v1/upscale), so the catalog is static and built from
 * the documented fields. The batch endpoints are not services of their own: one of our
 * jobs is one photo.
 *
 * Credits: the service is self-hosted and documents no pricing (its cost is the
 * operator's Replicate bill), so the numbers are ours and match the local engine's
 * upscale: 1 credit per redesigned image, and 1 (2K) / 2 (4K) per upscale.
 */

/** Styles offered as configs; each one yields the prompt sent when the job has none. */
const STYLES: ReadonlyArray<[id: string, name: string, prompt: string]> = [
  ['modern', 'Modern', 'modern interior, clean lines, neutral palette, contemporary furniture'],
  ['minimalist', 'Minimalist', 'modern minimalist interior, uncluttered, light and airy'],
  ['scandinavian', 'Scandinavian', 'cozy scandinavian interior, light wood, soft textiles, white walls'],
  ['industrial', 'Industrial', 'industrial style interior, exposed brick, metal and dark wood'],
  ['traditional', 'Traditional', 'traditional interior, classic furniture, warm rich colours'],
  ['mid-century', 'Mid-century modern', 'mid-century modern interior, walnut furniture, organic shapes'],
  ['coastal', 'Coastal', 'coastal interior, airy whites and blues, natural textures'],
  ['bohemian', 'Bohemian', 'bohemian interior, layered rugs, plants, eclectic patterns'],
  ['luxury', 'Luxury', 'luxury interior, marble, brass accents, elegant designer furniture'],
];

/** The documented `output_format` values (default png). */
const OUTPUT_FORMATS = ['png', 'jpg', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The documented upscaling factors. */
export const UPSCALE_FACTORS = [2, 3, 4] as const;
export type UpscaleFactor = (typeof UPSCALE_FACTORS)[number];

export const INTERIOR_REDESIGN_SERVICES: readonly Service[] = [
  {
    id: 'redesign',
    name: 'Interior Redesign',
    description: 'Redesign a room photo in a new interior style, keeping the room\'s layout unless told otherwise. Up to four alternatives per job.',
    configs: STYLES.map(([id, name, prompt]) => ({ id, name, description: `Used as the style description when no prompt is given: "${prompt}".` })),
    // The service has no output-size parameter; the model returns its own size, nominally 2K.
    credits: { '2K': 1 },
    resolutions: ['2K'],
    inputs: { mask: false, reference_image: false, prompt: true, variants: { min: 1, max: 4 }, location: false },
    options: [
      {
        key: 'preserve_layout',
        label: 'Keep the layout',
        description: 'Keep the original room structure (walls, windows, perspective).',
        type: 'boolean',
        default: true,
      },
      {
        key: 'output_format',
        label: 'File format',
        type: 'enum',
        values: [
          { value: 'png', label: 'PNG' },
          { value: 'jpg', label: 'JPEG' },
          { value: 'jpeg', label: 'JPEG (.jpeg)' },
          { value: 'webp', label: 'WebP' },
        ],
        default: 'png',
      },
    ],
    preview_only: false,
    edit_class: 'material',
  },
  {
    id: 'upscale',
    name: 'Upscale',
    description: 'Enlarge a photo with Real-ESRGAN AI upscaling (2×, 3× or 4×, chosen to reach the requested resolution).',
    configs: [{ id: 'real-esrgan', name: 'Real-ESRGAN', description: 'AI upscaling that restores detail while enlarging.' }],
    credits: { '2K': 1, '4K': 2 },
    resolutions: ['2K', '4K'],
    inputs: { mask: false, reference_image: false, prompt: false, variants: { min: 1, max: 1 }, location: false },
    options: [
      {
        key: 'face_enhance',
        label: 'Enhance faces',
        description: 'Restore faces with GFPGAN (for photos with people in them).',
        type: 'boolean',
        default: false,
      },
    ],
    preview_only: false,
    edit_class: 'technical',
  },
];

export function interiorRedesignServices(): Service[] {
  return structuredClone(INTERIOR_REDESIGN_SERVICES as Service[]);
}

/** The job's prompt, or the config's style description: the service requires a prompt. */
export function redesignPrompt(prompt: string | null, config: string): string {
  const given = prompt?.trim();
  if (given) return given;
  const style = STYLES.find(([id]) => id === config);
  return style ? style[2] : `${config.replace(/[-_]+/g, ' ')} interior design`;
}

export function outputFormat(value: unknown): OutputFormat {
  return OUTPUT_FORMATS.includes(value as OutputFormat) ? (value as OutputFormat) : 'png';
}

/**
 * The smallest documented factor that brings the photo's long side to the requested
 * resolution; 4 when even that falls short. The service cannot target a size, so the output
 * is the photo times the factor (which may exceed the resolution's long side).
 */
export function upscaleFactor(width: number, height: number, resolution: Resolution): UpscaleFactor {
  const long = Math.max(width, height, 1);
  const target = RESOLUTION_LONG_SIDE[resolution];
  return UPSCALE_FACTORS.find((f) => long * f >= target) ?? 4;
}
