import { RESOLUTION_RANK, type Catalog, type Resolution, type Service, type UploadLimits } from '../contract/index.js';
import type { Provider } from './providers/types.js';
import type { SessionRecord } from './store/types.js';

/**
 * The provider's services, fetched once and refreshed after `ttlMs` (remote catalogs
 * change rarely; the local one never). Concurrent callers share one fetch.
 */
export class CatalogCache {
  private cached: { at: number; services: Service[] } | null = null;
  private inflight: Promise<Service[]> | null = null;

  constructor(
    private readonly provider: Provider,
    private readonly upload: UploadLimits,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async services(): Promise<Service[]> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.services;
    this.inflight ??= this.provider
      .services()
      .then((services) => {
        this.cached = { at: Date.now(), services };
        return services;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  async service(id: string): Promise<Service | undefined> {
    return (await this.services()).find((s) => s.id === id);
  }

  /** The catalog as one session may see it: its services, and resolutions up to its maximum. */
  async forSession(session: Pick<SessionRecord, 'services' | 'maxResolution'>): Promise<Catalog> {
    const allowedRes = (r: Resolution) => RESOLUTION_RANK[r] <= RESOLUTION_RANK[session.maxResolution];
    const services = (await this.services())
      .filter((s) => !session.services || session.services.includes(s.id))
      .map((s) => {
        const resolutions = s.resolutions.filter(allowedRes);
        const credits: Service['credits'] = {};
        for (const r of resolutions) if (s.credits[r] !== undefined) credits[r] = s.credits[r];
        return { ...s, resolutions, credits };
      })
      .filter((s) => s.resolutions.length > 0);
    const resolutions = (['2K', '4K'] as const).filter((r) => allowedRes(r) && services.some((s) => s.resolutions.includes(r)));
    return { provider: this.provider.name, services, resolutions, max_resolution: session.maxResolution, upload: this.upload };
  }
}
