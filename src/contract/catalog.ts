import * as z from 'zod/mini';
import { Resolution } from './common.js';
import { EditClass } from './disclosure.js';

const Key = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/));

/**
 * What a photo shows. A config declares the scene it is for; an option declared for one scene
 * (weather and landscaping for exteriors, flooring for interiors) is offered, filled with its
 * default and accepted only with a config of that scene.
 */
export const Scene = z.enum(['interior', 'exterior']);
export type Scene = z.infer<typeof Scene>;

const fieldBase = {
  key: Key,
  label: z.string(),
  description: z.optional(z.string()),
  required: z.optional(z.boolean()),
  /** Only for configs of this scene; absent = any. */
  scene: z.optional(Scene),
};

/**
 * One option of a service, described well enough for a form to render it: a select for
 * `enum`, a text input for `string`, a number input for `number`/`integer`, a checkbox for
 * `boolean`. The BFF validates job `options` against the same description.
 */
export const OptionField = z.discriminatedUnion('type', [
  z.object({
    ...fieldBase,
    type: z.literal('enum'),
    /** `needs_mask`: this value gives the job's mask a meaning of its own (e.g. "these are the windows"), so a job choosing it must send one. */
    values: z.array(z.object({ value: z.string(), label: z.string(), needs_mask: z.optional(z.boolean()) })).check(z.minLength(1)),
    default: z.optional(z.string()),
  }),
  z.object({
    ...fieldBase,
    type: z.literal('string'),
    max_length: z.optional(z.int()),
    default: z.optional(z.string()),
  }),
  z.object({
    ...fieldBase,
    type: z.union([z.literal('number'), z.literal('integer')]),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    step: z.optional(z.number()),
    default: z.optional(z.number()),
  }),
  z.object({
    ...fieldBase,
    type: z.literal('boolean'),
    default: z.optional(z.boolean()),
  }),
]);
export type OptionField = z.infer<typeof OptionField>;

export const ServiceConfig = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  /** The scene this config is for; absent when it is not about one (upscale, floor plans). */
  scene: z.optional(Scene),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

/** What a service takes besides the photo. */
export const ServiceInputs = z.object({
  mask: z.boolean(),
  reference_image: z.boolean(),
  prompt: z.boolean(),
  /** Outputs per job the caller may ask for; `max: 1` means one. */
  variants: z.object({ min: z.int(), max: z.int() }),
  location: z.boolean(),
  /** Present for services that merge bracketed exposures: how many photos a job takes in all, `upload_id` included. */
  brackets: z.optional(z.object({ min: z.int(), max: z.int() })),
});
export type ServiceInputs = z.infer<typeof ServiceInputs>;

export const Service = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  configs: z.array(ServiceConfig),
  /** Credits per output at each resolution this service offers. */
  credits: z.partialRecord(Resolution, z.number()),
  resolutions: z.array(Resolution),
  inputs: ServiceInputs,
  options: z.array(OptionField),
  /**
   * True when the configured engine cannot really perform this service and returns a
   * graded preview instead (the local engine's generative services). Outputs carry the mark too.
   */
  preview_only: z.boolean(),
  /** What its outputs are for the disclosure rules: `material` when it adds, removes or changes content. */
  edit_class: EditClass,
  /**
   * True when the output's long side is the resolution's, so the service only makes sense for a
   * target larger than the photo (the local engine's upscale); the BFF refuses a shrinking job.
   */
  upscales_to_resolution: z.optional(z.boolean()),
});
export type Service = z.infer<typeof Service>;

/** What `POST /v1/uploads` accepts; the dropzone checks files against it before sending. */
export const UploadLimits = z.object({
  content_types: z.array(z.string()),
  max_bytes: z.int(),
  max_pixels: z.int(),
});
export type UploadLimits = z.infer<typeof UploadLimits>;

/** `GET /v1/services`: the catalog, filtered by the session's scopes. */
export const Catalog = z.object({
  provider: z.string(),
  services: z.array(Service),
  resolutions: z.array(Resolution),
  max_resolution: Resolution,
  upload: UploadLimits,
});
export type Catalog = z.infer<typeof Catalog>;
