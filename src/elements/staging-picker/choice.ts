import { RESOLUTION_LONG_SIDE, RESOLUTION_RANK, type Catalog, type CreateJobRequest, type Resolution, type Service } from '../../contract/index.js';
import { fieldsForConfig, maskNeedingChoice } from '../../contract/option-rules.js';
import { OPTION_NAME_PREFIX, sanitizeRaw, typedOption, type OptionValue, type RawOptionValue } from './option-fields.js';
import type { Words } from '../shared/locale.js';

/** The longest instructions sent (the contract's limit). */
export const PROMPT_MAX = 2000;

/** A reference image chosen in the picker, while and after it uploads. */
export interface ReferenceState {
  file: File;
  /** Object URL of the file for the thumbnail; null while disconnected. */
  url: string | null;
  /** 0–1 while uploading, null otherwise. */
  progress: number | null;
  uploadId?: string;
  error?: Words;
  controller?: AbortController;
}

/** Everything chosen for one service, kept when switching away so switching back restores it. */
export interface Choice {
  config: string;
  resolution: Resolution;
  prompt: string;
  variants: string;
  options: Record<string, RawOptionValue>;
  reference: ReferenceState | null;
  wantsMask: boolean;
}

/** What the person chose: a `CreateJobRequest` without the photo and mask, plus whether they want to paint a mask. */
export interface StagingPickerValue {
  service: string;
  config: string;
  resolution: Resolution;
  /** Only for services that take a prompt, and only when one was written. */
  prompt?: string;
  /** Only for services that offer more than one variant. */
  variants?: number;
  /** Only the options given; the server applies the defaults of the others. */
  options?: Record<string, OptionValue>;
  /** The uploaded reference image, once its upload has finished. */
  reference_upload_id?: string;
  /** The person asked to paint a mask (only ever true for services that take one). */
  wantsMask: boolean;
}

// Fails to compile if the value drifts from what POST /v1/jobs accepts.
type _JobFields = Omit<StagingPickerValue, 'wantsMask'> extends Omit<CreateJobRequest, 'upload_id' | 'mask_upload_id'> ? true : never;
const _valueMatchesContract: _JobFields = true;
void _valueMatchesContract;

/** What a service's choice becomes: the value the picker emits. */
export function valueOf(service: Service, choice: Choice): StagingPickerValue {
  const value: StagingPickerValue = { service: service.id, config: choice.config, resolution: choice.resolution, wantsMask: false };
  if (service.inputs.prompt) {
    const prompt = choice.prompt.trim();
    if (prompt) value.prompt = prompt.slice(0, PROMPT_MAX);
  }
  if (service.inputs.variants.max > 1) {
    const n = Number(choice.variants);
    if (choice.variants.trim() !== '' && Number.isFinite(n)) value.variants = n;
  }
  const options: Record<string, OptionValue> = {};
  for (const field of fieldsFor(service, choice)) {
    const v = typedOption(field, choice.options[field.key]);
    if (v !== undefined) options[field.key] = v;
  }
  if (Object.keys(options).length) value.options = options;
  if (service.inputs.reference_image && choice.reference?.uploadId) value.reference_upload_id = choice.reference.uploadId;
  value.wantsMask = service.inputs.mask && (choice.wantsMask || maskNeededBy(service, choice) !== null);
  return value;
}

  /** The label of a chosen option value that needs a painted mask (`needs_mask`), or null. */
export function maskNeededBy(service: Service, choice: Choice): string | null {
  return maskNeedingChoice(fieldsFor(service, choice), choice.options)?.label ?? null;
}

/** How many versions the choice asks for (what it costs), within the service's range. */
export function variantsOf(service: Service, choice: Choice): number {
  const { min, max } = service.inputs.variants;
  if (max <= 1) return Math.max(1, min);
  const n = Number(choice.variants);
  // An unfinished entry costs what the smallest count would; the field shows the error.
  return Number.isInteger(n) && n >= min && n <= max ? n : min;
}

/** Stops a reference image's upload and lets go of its thumbnail. */
export function dropReference(choice: Choice): void {
  const ref = choice.reference;
  if (!ref) return;
  ref.controller?.abort();
  if (ref.url) URL.revokeObjectURL(ref.url);
  choice.reference = null;
}

/**
 * The config a service starts with: the first for an interior, since agents photograph rooms
 * far more often than facades, or else the catalog's first.
 */
export function defaultConfig(service: Service): string {
  return (service.configs.find((c) => c.scene === 'interior') ?? service.configs[0])?.id ?? '';
}

/** The service's options that apply to the chosen config's scene (no weather for a kitchen). */
export function fieldsFor(service: Service, choice: Choice): Service['options'] {
  return fieldsForConfig(service, choice.config);
}

/**
 * The service's resolutions that the session may use (the catalog is already filtered; this is
 * a second guard); a service that only enlarges offers only targets larger than the photo.
 */
export function resolutionsOf(service: Service, catalog: Catalog | undefined, photo: { width: number; height: number } | undefined): Resolution[] {
  const max = catalog ? RESOLUTION_RANK[catalog.max_resolution] : Infinity;
  const photoLong = service.upscales_to_resolution && photo ? Math.max(photo.width, photo.height) : 0;
  return service.resolutions.filter(
    (r) => RESOLUTION_RANK[r] <= max && (!catalog || catalog.resolutions.includes(r)) && RESOLUTION_LONG_SIDE[r] > photoLong,
  );
}

/** The remembered choice for a service in `choices`, created with defaults, and corrected if the catalog changed under it. */
export function choiceFor(choices: Map<string, Choice>, service: Service, resolutions: Resolution[]): Choice {
  let choice = choices.get(service.id);
  const defaultResolution: Resolution = resolutions.includes('2K') ? '2K' : (resolutions[0] ?? '2K');
  if (!choice) {
    choice = {
      config: defaultConfig(service),
      resolution: defaultResolution,
      prompt: '',
      variants: String(service.inputs.variants.min),
      options: {},
      reference: null,
      wantsMask: false,
    };
    choices.set(service.id, choice);
  }
  if (!service.configs.some((c) => c.id === choice.config)) choice.config = defaultConfig(service);
  if (!resolutions.includes(choice.resolution)) choice.resolution = defaultResolution;
  for (const field of service.options) choice.options[field.key] = sanitizeRaw(field, choice.options[field.key]);
  return choice;
}

/**
 * What a form control's input or change does to the choice, by the control's `name`; false
 * when the control is not one of the choice's (the service radios, the file input).
 */
export function applyControl(choice: Choice, target: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): boolean {
  const name = target.name;
  const checked = target instanceof HTMLInputElement && target.checked;
  if (name === 'config') choice.config = target.value;
  else if (name === 'resolution' && checked) choice.resolution = target.value as Resolution;
  else if (name === 'prompt') choice.prompt = target.value;
  else if (name === 'variants') choice.variants = target.value;
  else if (name === 'mask') choice.wantsMask = checked;
  else if (name.startsWith(OPTION_NAME_PREFIX)) {
    choice.options[name.slice(OPTION_NAME_PREFIX.length)] = target.type === 'checkbox' ? checked : target.value;
  } else return false;
  return true;
}

/** The variants one more or one fewer (the stepper's buttons), within the service's range. */
export function stepVariants(service: Service, choice: Choice, delta: number): void {
  const { min, max } = service.inputs.variants;
  const n = Number(choice.variants);
  const current = Number.isInteger(n) ? n : min;
  choice.variants = String(Math.min(max, Math.max(min, current + delta)));
}

/** Credits the choice costs: per output at the resolution, times the versions; a preview is free (the BFF charges nothing either). */
export function costOf(service: Service, choice: Choice): number {
  return service.preview_only ? 0 : (service.credits[choice.resolution] ?? 0) * variantsOf(service, choice);
}

/** The catalog's services offered: those in `only` (all when empty) that have a resolution this session and photo may use. */
export function offeredServices(catalog: Catalog | undefined, only: string[] | undefined, photo: { width: number; height: number } | undefined): Service[] {
  if (!catalog) return [];
  const ids = only?.length ? new Set(only) : null;
  return catalog.services.filter((s) => (!ids || ids.has(s.id)) && resolutionsOf(s, catalog, photo).length > 0);
}
