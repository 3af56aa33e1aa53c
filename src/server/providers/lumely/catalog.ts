import { editClassOf } from '../edit-class.js';
import { Resolution, type Service, type ServiceConfig } from '../../../contract/index.js';
import type { ProviderHttp } from '../remote/provider-http.js';
import { ProviderJobError } from '../types.js';
import { LUMELY_SCENE_OPTIONS } from './options.js';
import { sceneOf } from '../local/catalog.js';

/** One entry of GET /services, as documented. */
interface LumelyService {
  id: string;
  name?: string;
  description?: string;
  credits_2k?: number;
  credits_4k?: number;
  config_ids?: string[];
  supports_mask?: boolean;
  supports_reference_image?: boolean;
  supports_prompt?: boolean;
}

// The docs give config ids only; these are the human names for the documented ones. An id
// Lumely adds later still works, with a name derived from the id. The widget translates these
// names (src/elements/shared/catalog-words-table.ts) where they are the local engine's words.
const CONFIG_NAMES: Record<string, string> = {
  'exterior-modern': 'Exterior, modern',
  'exterior-traditional': 'Exterior, traditional',
  'interior-modern': 'Interior, modern',
  'interior-traditional': 'Interior, traditional',
  'interior-minimalist': 'Interior, minimalist',
  landscape: 'Landscape',
  aerial: 'Aerial',
  'living-room': 'Living room',
  bedroom: 'Bedroom',
  kitchen: 'Kitchen',
  'dining-room': 'Dining room',
  office: 'Office',
  bathroom: 'Bathroom',
  residential: 'Residential',
  commercial: 'Commercial',
};

const nameFromId = (id: string) => {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** GET /services → our contract. Entries Lumely sends that we cannot use (no id, no configs) are skipped. */
export function toServices(body: unknown): Service[] {
  const root = (body ?? {}) as { services?: unknown; resolutions?: unknown };
  if (!Array.isArray(root.services)) throw new ProviderJobError('provider_error', 'Lumely sent a service list this site cannot read.', true);
  const offered = Array.isArray(root.resolutions) ? root.resolutions.filter((r): r is Resolution => Resolution.options.includes(r as Resolution)) : [];
  const resolutions: Resolution[] = offered.length > 0 ? offered : ['2K', '4K'];
  const out: Service[] = [];
  for (const raw of root.services as LumelyService[]) {
    if (!raw || !str(raw.id) || !Array.isArray(raw.config_ids)) continue;
    const configs: ServiceConfig[] = raw.config_ids.filter(str).map((id) => {
      const scene = raw.id === '3d-plans' ? undefined : sceneOf(id);
      return { id, name: CONFIG_NAMES[id] ?? nameFromId(id), ...(scene ? { scene } : {}) };
    });
    if (configs.length === 0) continue;
    const credits: Service['credits'] = {};
    if (num(raw.credits_2k)) credits['2K'] = raw.credits_2k;
    if (num(raw.credits_4k)) credits['4K'] = raw.credits_4k;
    const serviceResolutions = resolutions.filter((r) => credits[r] !== undefined);
    if (serviceResolutions.length === 0) continue;
    out.push({
      id: raw.id,
      name: str(raw.name) ? raw.name : nameFromId(raw.id),
      description: str(raw.description) ? raw.description : `${str(raw.name) ? raw.name : nameFromId(raw.id)} by Lumely.`,
      configs,
      credits,
      resolutions: serviceResolutions,
      inputs: {
        mask: raw.supports_mask === true,
        reference_image: raw.supports_reference_image === true,
        prompt: raw.supports_prompt === true,
        // A Lumely job has one output_image_url.
        variants: { min: 1, max: 1 },
        // `location` is a job parameter for every service.
        location: true,
      },
      options: structuredClone(LUMELY_SCENE_OPTIONS as Service['options']),
      preview_only: false,
      edit_class: editClassOf(raw.id),
    });
  }
  return out;
}

/**
 * Lumely's catalog is an API (GET /services), so it is fetched, not hard-coded, and cached:
 * the BFF asks for it on every catalog request and job creation. Concurrent callers share one
 * request; when a refresh fails the last good catalog keeps being served (a Lumely blip must
 * not empty the widget's service list), and only a first fetch failure reaches the caller.
 */
export class LumelyCatalog {
  private cached: { services: Service[]; at: number } | null = null;
  private inflight: Promise<Service[]> | null = null;

  constructor(
    private readonly http: ProviderHttp,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  async services(signal?: AbortSignal): Promise<Service[]> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return structuredClone(this.cached.services);
    this.inflight ??= this.refresh().finally(() => (this.inflight = null));
    // The shared request must not die with one caller's signal.
    const services = signal ? await abortable(this.inflight, signal) : await this.inflight;
    return structuredClone(services);
  }

  private async refresh(): Promise<Service[]> {
    try {
      const res = await this.http.request({ path: 'services', idempotent: true });
      const services = toServices(res.json);
      this.cached = { services, at: Date.now() };
      return services;
    } catch (err) {
      if (this.cached) return this.cached.services;
      throw err;
    }
  }
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
