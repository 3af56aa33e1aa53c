import type { CreateJobRequest, Resolution, Service } from '../../contract/index.js';
import { fieldsForConfig, maskNeedingChoice } from '../../contract/option-rules.js';
import { typedOption, type OptionValue, type RawOptionValue } from './option-fields.js';

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
  error?: string;
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
