import * as z from 'zod/mini';

/**
 * What an output is, for the rules on publishing altered photos (California AB 723, MLS rules,
 * the EU AI Act):
 * - `technical`: light, colour, sharpness, straightening, upscaling. No disclosure is required.
 * - `material`: content added, removed or changed (furniture, fixtures, flooring, walls, views).
 *
 * Every catalog service declares one; jobs and outputs carry it.
 */
export const EditClass = z.enum(['technical', 'material']);
export type EditClass = z.infer<typeof EditClass>;

/** The IPTC digital source type written into a material output's XMP. */
export const AI_DIGITAL_SOURCE_TYPE = 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia';

/** Where a profile wants the original photo: linked (page, URL or QR code) or placed beside the altered one. */
export const OriginalPlacement = z.enum(['none', 'link', 'adjacent']);
export type OriginalPlacement = z.infer<typeof OriginalPlacement>;

/**
 * Did a material output erase structure of its original (walls, windows, doors, long edges),
 * outside the painted mask? `regions` are fractions (0–1) of the photo; review them before publishing.
 */
export const StructureDrift = z.object({
  /** Share of the original's structure that was erased, 0–1. */
  score: z.number().check(z.minimum(0), z.maximum(1)),
  flagged: z.boolean(),
  regions: z.array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })),
});
export type StructureDrift = z.infer<typeof StructureDrift>;

/**
 * What publishing an output takes under the session's disclosure profile. The BFF has done
 * what it can (a burned-in label, XMP, the original's page); the rest is the host's to show:
 * the caption next to the image, the remarks, the link or QR code to the original.
 */
export const OutputDisclosure = z.object({
  /** The disclosure profile applied (`none` when the host chose none). */
  profile: z.string(),
  edit_class: EditClass,
  /** True when the profile asks for anything for this output. */
  required: z.boolean(),
  /** The short label ("Virtually staged"): burned into `published_url` when `burned_in`, otherwise for the host to show on or next to the image. */
  label: z.nullable(z.string()),
  /** Text for the photo's caption or description. */
  caption: z.nullable(z.string()),
  /** Text the listing's public remarks must include (Stellar MLS: at their start). */
  remarks: z.nullable(z.string()),
  /** What the profile asks of the original: a link, or the original placed immediately before or after this photo. */
  original: OriginalPlacement,
  /** The public page with the original next to this output (long-lived, no token); null for technical edits. */
  original_page_url: z.nullable(z.string()),
  /** The unaltered photo at a stable URL; null for technical edits. */
  original_image_url: z.nullable(z.string()),
  /** A QR code (SVG) of `original_page_url`; null when the profile forbids QR codes or there is no page. */
  qr_url: z.nullable(z.string()),
  /** True when `published_url` carries a label drawn into the image. */
  burned_in: z.boolean(),
  /** The image to publish: the labelled copy when `burned_in`, otherwise the output itself (signed, expiring). */
  published_url: z.string(),
  /** The IPTC digital source type in the image's XMP; null for technical edits (no AI mark). */
  digital_source_type: z.nullable(z.string()),
  /** The structure-drift check of a material output; null for technical edits, or when it could not run. */
  structure_drift: z.nullable(StructureDrift),
});
export type OutputDisclosure = z.infer<typeof OutputDisclosure>;
