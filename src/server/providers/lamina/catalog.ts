import { editClassOf } from '../edit-class.js';
import type { OptionField, Service } from '../../../contract/index.js';
import type { ProviderHttp } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';
import type { LaminaAppDetail, LaminaAppSummary, LaminaParameter } from './api-types.js';

/** Where each of our job's fields goes among the app's named inputs. */
export interface AppBinding {
  appId: string;
  /** The url input that receives the job's photo. */
  imageParam: string;
  /** A second image input, fed from the job's reference image. */
  referenceParam: string | null;
  /** True when that second image has no default, so a job without a reference cannot run. */
  referenceRequired: boolean;
  promptParam: string | null;
  /** Our option key → the app's parameter name (the docs: "keys are case-sensitive and must match exactly"). */
  options: Record<string, string>;
}

export interface ConvertedApp {
  service: Service;
  binding: AppBinding;
}

export interface SkippedApp {
  appId: string;
  name: string;
  reason: string;
}

/** Free text gets a bound so a form can render it; Lamina documents none, 2000 is ours. */
const TEXT_MAX_LENGTH = 2000;
const PROMPT_LIKE = /prompt|brief|instruction|description|describe|direction/i;

/**
 * Lamina publishes no per-app price through the API (runs are charged in Lamina credits, visible in
 * GET /v1/account/usage), so every app is listed at one of our credits per output.
 */
const CREDITS_PER_OUTPUT = 1;

/**
 * One app → one Service, or the reason it cannot be offered. An app can be offered when it takes our
 * photo through an image url input and every other input without a default maps onto a job field.
 */
export function convertApp(app: LaminaAppDetail): ConvertedApp | { skipped: string } {
  const params = app.parameters ?? [];
  const binding: AppBinding = { appId: app.appId, imageParam: '', referenceParam: null, referenceRequired: false, promptParam: null, options: {} };
  const options: OptionField[] = [];
  const usedKeys = new Set<string>();
  const hasDefault = (p: LaminaParameter) => p.default !== undefined && p.default !== null;

  for (const p of params) {
    if (typeof p.name !== 'string' || !p.name) return { skipped: 'a parameter has no name' };
    const type = String(p.type).toLowerCase();
    if (type === 'url') {
      const isImage = !p.accept?.length || p.accept.some((a) => /image/i.test(a));
      if (!isImage) {
        if (hasDefault(p)) continue;
        return { skipped: `input "${p.name}" needs a ${p.accept!.join('/')} URL, which a photo job cannot supply` };
      }
      if (!binding.imageParam) binding.imageParam = p.name;
      else if (binding.referenceParam === null) {
        binding.referenceParam = p.name;
        binding.referenceRequired = !hasDefault(p);
      } else if (!hasDefault(p)) return { skipped: `it needs more than two images ("${p.name}")` };
      continue;
    }
    if (type === 'text' && binding.promptParam === null && PROMPT_LIKE.test(`${p.name} ${p.description ?? ''}`)) {
      binding.promptParam = p.name;
      continue;
    }
    const field = toOptionField(p, type, uniqueKey(p.name, usedKeys));
    if (field === null) {
      if (hasDefault(p)) continue; // Lamina fills it in; the form just does not show it.
      return { skipped: `input "${p.name}" has type "${p.type}", which has no form field here` };
    }
    options.push(field);
    binding.options[field.key] = p.name;
  }
  if (!binding.imageParam) return { skipped: 'it takes no image input' };

  const service: Service = {
    id: app.appId,
    name: app.name || app.appId,
    description: app.description || app.name || 'A Lamina app.',
    // An app is one workflow: the choices it offers are its options, so it has a single config.
    configs: [{ id: 'default', name: 'Default', description: 'The app as published on Lamina.' }],
    credits: { '2K': CREDITS_PER_OUTPUT },
    // The app decides its output size; Lamina takes no resolution, so only our base resolution is promised.
    resolutions: ['2K'],
    inputs: {
      mask: false,
      reference_image: binding.referenceParam !== null,
      prompt: binding.promptParam !== null,
      // The app decides how many outputs a run makes; a job is one run.
      variants: { min: 1, max: 1 },
      location: false,
    },
    options,
    preview_only: false,
    // An app's output is whatever its workflow makes: disclosed as altered unless its id says otherwise.
    edit_class: editClassOf(app.appId),
  };
  return { service, binding };
}

function toOptionField(p: LaminaParameter, type: string, key: string): OptionField | null {
  const base = { key, label: p.name, ...(p.description ? { description: p.description } : {}) };
  // The docs: every parameter is required, but one with a default may be omitted.
  const required = p.default === undefined || p.default === null;
  switch (type) {
    case 'options':
    case 'enum':
    case 'select': {
      const values = (p.options ?? []).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
      if (values.length === 0) return null;
      const def = p.default !== undefined && values.includes(String(p.default)) ? String(p.default) : undefined;
      return { ...base, required: def === undefined, type: 'enum', values: values.map((v) => ({ value: v, label: v })), ...(def === undefined ? {} : { default: def }) };
    }
    case 'text':
    case 'string':
      return {
        ...base,
        required,
        type: 'string',
        max_length: typeof p.maxLength === 'number' ? p.maxLength : TEXT_MAX_LENGTH,
        ...(typeof p.default === 'string' ? { default: p.default } : {}),
      };
    case 'number':
    case 'integer':
      return {
        ...base,
        required,
        type,
        ...(typeof p.min === 'number' ? { min: p.min } : {}),
        ...(typeof p.max === 'number' ? { max: p.max } : {}),
        ...(typeof p.default === 'number' ? { default: p.default } : {}),
      };
    case 'boolean':
      return { ...base, required, type: 'boolean', ...(typeof p.default === 'boolean' ? { default: p.default } : {}) };
    default:
      return null;
  }
}

/** Our option keys are `^[a-z][a-z0-9_]{0,63}$`: "Room Type" → room_type. */
function uniqueKey(name: string, used: Set<string>): string {
  let key = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(key)) key = `p_${key}`;
  key = key.slice(0, 60).replace(/_+$/, '') || 'option';
  let candidate = key;
  for (let n = 2; used.has(candidate); n++) candidate = `${key}_${n}`;
  used.add(candidate);
  return candidate;
}

export interface CatalogSnapshot {
  apps: ConvertedApp[];
  skipped: SkippedApp[];
}

/**
 * Lamina's apps are the catalog (GET /v1/apps, then GET /v1/apps/{appId} for each schema), kept for
 * `ttlMs` and refreshed; a failed refresh keeps serving the last good catalog.
 */
export class LaminaCatalog {
  private cached: { at: number; snapshot: CatalogSnapshot } | null = null;
  private inflight: Promise<CatalogSnapshot> | null = null;
  private readonly warned = new Set<string>();

  constructor(
    private readonly http: ProviderHttp,
    private readonly o: { ttlMs: number; now: () => number; warn: (msg: string, fields: Record<string, unknown>) => void },
  ) {}

  async load(signal?: AbortSignal): Promise<CatalogSnapshot> {
    if (this.cached && this.o.now() - this.cached.at < this.o.ttlMs) return this.cached.snapshot;
    this.inflight ??= this.fetchAll(signal)
      .then((snapshot) => {
        this.cached = { at: this.o.now(), snapshot };
        return snapshot;
      })
      .catch((err: unknown) => {
        if (!this.cached) throw err;
        this.o.warn('Lamina catalog refresh failed; keeping the previous one', { error: err instanceof Error ? err.message : String(err) });
        return this.cached.snapshot;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** The binding of one of our services; a service missing from a stale catalog triggers one refresh. */
  async binding(serviceId: string, signal?: AbortSignal): Promise<AppBinding> {
    let found = (await this.load(signal)).apps.find((a) => a.service.id === serviceId);
    if (!found && this.cached) {
      this.cached = null;
      found = (await this.load(signal)).apps.find((a) => a.service.id === serviceId);
    }
    if (!found) throw new ProviderJobError('provider_error', 'Lamina no longer offers this service. Reload the page and choose another one.', false);
    return found.binding;
  }

  skipped(): SkippedApp[] {
    return this.cached ? structuredClone(this.cached.snapshot.skipped) : [];
  }

  private async fetchAll(signal?: AbortSignal): Promise<CatalogSnapshot> {
    const list = await this.http.request({ path: 'apps', idempotent: true, signal });
    const summaries = ((list.json as { data?: unknown } | null)?.data ?? []) as LaminaAppSummary[];
    if (!Array.isArray(summaries)) throw new ProviderJobError('provider_error', 'Lamina answered GET /v1/apps with something that is not a list.', true);
    const apps: ConvertedApp[] = [];
    const skipped: SkippedApp[] = [];
    // A few at a time: the docs allow 100 requests a minute, shared with running jobs.
    const queue = summaries.filter((s) => s && typeof s.appId === 'string');
    const details = new Map<string, LaminaAppDetail | { skipped: string }>();
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let s = queue.shift(); s; s = queue.shift()) details.set(s.appId, await this.fetchApp(s, signal));
      }),
    );
    for (const s of summaries) {
      const d = details.get(s.appId);
      if (!d) continue;
      const converted = 'skipped' in d ? d : convertApp(d);
      if ('skipped' in converted) {
        const entry = { appId: s.appId, name: s.name ?? s.appId, reason: converted.skipped };
        skipped.push(entry);
        const once = `${entry.appId}:${entry.reason}`;
        if (!this.warned.has(once)) {
          this.warned.add(once);
          this.o.warn('Lamina app left out of the catalog', { ...entry });
        }
      } else apps.push(converted);
    }
    return { apps, skipped };
  }

  private async fetchApp(s: LaminaAppSummary, signal?: AbortSignal): Promise<LaminaAppDetail | { skipped: string }> {
    const res = await this.http.request({ path: `apps/${encodeURIComponent(s.appId)}`, idempotent: true, signal, accept: [403, 404] });
    if (res.status === 403 || res.status === 404) return { skipped: `its schema is not readable with this key (HTTP ${res.status})` };
    const detail = (res.json as { data?: LaminaAppDetail } | null)?.data;
    if (!detail || typeof detail !== 'object') return { skipped: 'its schema came back empty' };
    return { ...s, ...detail, appId: s.appId };
  }
}
