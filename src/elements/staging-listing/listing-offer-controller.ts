import { Task } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { StagingClient } from '../../client/index.js';
import type { Resolution, Service, UploadLimits } from '../../contract/index.js';
import { parseServiceList } from '../shared/service-list.js';
import { DEFAULT_UPLOAD_LIMITS } from '../staging-dropzone/validation.js';

/** What a listing usually needs, offered when `services` is not set (and the catalog has them). */
const LISTING_SERVICES = ['virtual-staging', 'render-enhancement', 'straighten'];

export interface ListingOfferOptions {
  client(): StagingClient | null;
  /** The element's `services` attribute: comma-separated ids, or ''. */
  services(): string;
  /** The service the person chose, by id ('' before any choice). */
  chosen(): string;
  /** Whether the credits left are worth reading again (the listing is being chosen). */
  choosing(): boolean;
  onError(error: unknown): void;
}

/**
 * What the listing offers and what it costs: the catalog and the credits left (each a Task of the
 * host), the services that take one photo per job, the chosen one, its resolution and its price
 * per photo.
 */
export class ListingOfferController {
  readonly catalog: Task<readonly [StagingClient | null], Awaited<ReturnType<StagingClient['getCatalog']>> | null>;
  readonly credits: Task<readonly [StagingClient | null, boolean], Awaited<ReturnType<StagingClient['getCredits']>> | null>;

  constructor(host: ReactiveControllerHost, private readonly _opts: ListingOfferOptions) {
    this.catalog = new Task(host, {
      task: async ([client], { signal }) => {
        if (!client) return null;
        try {
          return await client.getCatalog({ signal });
        } catch (err) {
          _opts.onError(err);
          throw err;
        }
      },
      args: () => [_opts.client()] as const,
    });
    this.credits = new Task(host, {
      task: async ([client], { signal }) => (client ? client.getCredits({ signal }) : null),
      args: () => [_opts.client(), _opts.choosing()] as const,
    });
  }

  get limits(): UploadLimits {
    return this.catalog.value?.upload ?? DEFAULT_UPLOAD_LIMITS;
  }

  /** The services offered: one photo per job (no exposure sets, no upscaling, which needs a target larger than each photo). */
  get services(): Service[] {
    const wanted = parseServiceList(this._opts.services() || null);
    const usable = (this.catalog.value?.services ?? []).filter((s) => !s.inputs.brackets && !s.upscales_to_resolution);
    if (wanted) return usable.filter((s) => wanted.includes(s.id));
    const usual = usable.filter((s) => LISTING_SERVICES.includes(s.id));
    return usual.length ? usual : usable;
  }

  /** The chosen service, else virtual staging, else the first offered. */
  get service(): Service | undefined {
    const all = this.services;
    return all.find((s) => s.id === this._opts.chosen()) ?? all.find((s) => s.id === 'virtual-staging') ?? all[0];
  }

  /** 2K when the service has it: a listing's photos are for the web. */
  get resolution(): Resolution {
    const res = this.service?.resolutions ?? [];
    return res.includes('2K') ? '2K' : (res[0] ?? '2K');
  }

  /** Credits per photo (0 for a free preview). */
  get perPhoto(): number {
    const s = this.service;
    return !s || s.preview_only ? 0 : (s.credits[this.resolution] ?? 0);
  }
}
