import { fieldsForConfig, maskNeedingChoice, RESOLUTION_LONG_SIDE, RESOLUTION_RANK, type CreateJobRequest, type OptionField, type Resolution, type Service, type ValidationIssue } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import type { SessionRecord } from '../store/types.js';

export interface CheckedJob {
  service: Service;
  resolution: Resolution;
  variants: number;
  options: Record<string, string | number | boolean>;
  cost: number;
}

/**
 * Checks a job request against the catalog and the session's scopes: the things a schema
 * cannot know (which configs a service has, which inputs it takes, what this token allows).
 */
export function checkJobRequest(body: CreateJobRequest, service: Service | undefined, session: SessionRecord): CheckedJob {
  if (!service) throw ApiError.validation([{ path: 'service', message: `unknown service "${body.service}"` }], 'job');
  const resolution = body.resolution ?? '2K';
  checkScopes(session, service, resolution);

  const issues: ValidationIssue[] = [];
  const config = service.configs.find((c) => c.id === body.config);
  if (!config) {
    issues.push({ path: 'config', message: `must be one of ${service.configs.map((c) => c.id).join(', ')}` });
  }
  if (!service.resolutions.includes(resolution)) issues.push({ path: 'resolution', message: `must be one of ${service.resolutions.join(', ')}` });
  if (body.mask_upload_id && !service.inputs.mask) issues.push({ path: 'mask_upload_id', message: `${service.name} does not take a mask` });
  if (body.reference_upload_id && !service.inputs.reference_image) {
    issues.push({ path: 'reference_upload_id', message: `${service.name} does not take a reference image` });
  }
  const brackets = service.inputs.brackets;
  const photos = 1 + (body.bracket_upload_ids?.length ?? 0);
  if (!brackets && body.bracket_upload_ids) issues.push({ path: 'bracket_upload_ids', message: `${service.name} does not take bracketed photos` });
  if (brackets && (photos < brackets.min || photos > brackets.max)) {
    issues.push({ path: 'bracket_upload_ids', message: `${service.name} takes ${brackets.min} to ${brackets.max} bracketed photos in all (upload_id and ${brackets.min - 1} to ${brackets.max - 1} more); ${photos} given` });
  }
  if (body.bracket_upload_ids && new Set([body.upload_id, ...body.bracket_upload_ids]).size !== photos) {
    issues.push({ path: 'bracket_upload_ids', message: 'names the same photo twice' });
  }
  if (body.prompt && !service.inputs.prompt) issues.push({ path: 'prompt', message: `${service.name} does not take a prompt` });
  if (body.location && !service.inputs.location) issues.push({ path: 'location', message: `${service.name} does not take a location` });
  const variants = body.variants ?? service.inputs.variants.min;
  if (variants < service.inputs.variants.min || variants > service.inputs.variants.max) {
    issues.push({ path: 'variants', message: `must be from ${service.inputs.variants.min} to ${service.inputs.variants.max}` });
  }
  // An option for another scene (weather for a living room) is neither filled nor accepted.
  const fields = fieldsForConfig(service, config?.id);
  for (const f of service.options) {
    if (!fields.includes(f) && body.options?.[f.key] !== undefined) {
      issues.push({ path: `options.${f.key}`, message: `applies to ${f.scene} scenes; ${config!.name} is ${config!.scene === 'interior' ? 'an interior' : 'an exterior'}` });
    }
  }
  const given = Object.fromEntries(Object.entries(body.options ?? {}).filter(([k]) => !service.options.some((f) => f.key === k && !fields.includes(f))));
  const options = checkOptions(given, fields, issues);
  const needing = body.mask_upload_id ? null : maskNeedingChoice(fields, options);
  if (needing) issues.push({ path: 'mask_upload_id', message: `is needed for ${needing.field.label} “${needing.label}”: paint a mask over the part it is for` });
  if (issues.length > 0) throw ApiError.validation(issues, 'job');

  // A preview of a service the engine cannot really perform costs nothing: it is not the service.
  const perOutput = service.preview_only ? 0 : (service.credits[resolution] ?? 0);
  return { service, resolution, variants, options, cost: perOutput * variants };
}

/** What the calling session's token allows: the service and the resolution. Checked on every action that starts work. */
export function checkScopes(session: SessionRecord, service: { id: string; name: string }, resolution: Resolution): void {
  if (session.services && !session.services.includes(service.id)) {
    throw new ApiError('scope_denied', `This session may not use the ${service.name} service.`);
  }
  if (RESOLUTION_RANK[resolution] > RESOLUTION_RANK[session.maxResolution]) {
    throw new ApiError('scope_denied', `This session allows output up to ${session.maxResolution}, not ${resolution}.`);
  }
}

function checkOptions(given: Record<string, string | number | boolean>, fields: OptionField[], issues: ValidationIssue[]) {
  const out: Record<string, string | number | boolean> = {};
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(given)) if (!byKey.has(key)) issues.push({ path: `options.${key}`, message: 'is not an option of this service' });
  for (const f of fields) {
    const v = given[f.key] ?? f.default;
    const path = `options.${f.key}`;
    if (v === undefined) {
      if (f.required) issues.push({ path, message: 'is required' });
      continue;
    }
    switch (f.type) {
      case 'enum':
        if (typeof v !== 'string' || !f.values.some((x) => x.value === v)) {
          issues.push({ path, message: `must be one of ${f.values.map((x) => x.value).join(', ')}` });
        }
        break;
      case 'string':
        if (typeof v !== 'string') issues.push({ path, message: 'expected a string' });
        else if (f.max_length !== undefined && v.length > f.max_length) issues.push({ path, message: `must be at most ${f.max_length} characters` });
        break;
      case 'number':
      case 'integer':
        if (typeof v !== 'number' || !Number.isFinite(v) || (f.type === 'integer' && !Number.isInteger(v))) {
          issues.push({ path, message: `expected ${f.type === 'integer' ? 'an integer' : 'a number'}` });
        } else if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
          issues.push({ path, message: `must be from ${f.min ?? '−∞'} to ${f.max ?? '∞'}` });
        }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') issues.push({ path, message: 'expected true or false' });
        break;
    }
    out[f.key] = v;
  }
  return out;
}

/**
 * A service that sizes its output to the resolution (an upscale) must be asked for a target larger
 * than the photo: otherwise it would return fewer pixels than it was given, and charge for it.
 */
export function checkAgainstPhoto(service: Service, resolution: Resolution, photo: { width: number; height: number }, path = 'resolution'): void {
  if (!service.upscales_to_resolution) return;
  const long = Math.max(photo.width, photo.height);
  if (RESOLUTION_LONG_SIDE[resolution] > long) return;
  const larger = service.resolutions.filter((r) => RESOLUTION_LONG_SIDE[r] > long);
  throw new ApiError(
    'invalid_request',
    larger.length > 0
      ? `The photo is already ${photo.width}×${photo.height}: ${service.name} to ${resolution} would make it smaller. Choose ${larger.join(' or ')}.`
      : `The photo is already ${photo.width}×${photo.height}, larger than ${service.name} can make it: it needs no upscaling.`,
    { issues: [{ path, message: larger.length > 0 ? `must be larger than the photo: ${larger.join(' or ')}` : 'the photo is already larger than every resolution' }] },
  );
}
