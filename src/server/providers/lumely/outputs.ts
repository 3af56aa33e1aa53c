import { probeOutputImage } from '../remote/output-image.js';
import { ProviderHttp } from '../remote/provider-http.js';
import { ProviderJobError, type ProviderOutputImage } from '../types.js';

/**
 * Downloads `output_image_url`, documented as a public URL ("download directly"), so it goes
 * out without the API key. Its host is Lumely's storage, which the docs only show as
 * "https://your-supabase-url.../output-image.jpg": a Supabase project host that is not known in
 * advance and differs from lumely.ai. ProviderHttp's `extraHosts` takes exact hosts only, so a
 * storage host gets its own ProviderHttp (the same SSRF rules: that one host, no redirects
 * elsewhere, nothing sent but a GET) once it passes `isLumelyStorageHost`. The URL itself comes
 * only from an authenticated GET /jobs/{id} answer, never from a webhook body.
 */
export class LumelyOutputs {
  private readonly storage = new Map<string, ProviderHttp>();

  constructor(
    private readonly api: ProviderHttp,
    private readonly apiHost: string,
    private readonly storageOptions: Pick<ConstructorParameters<typeof ProviderHttp>[0], 'secrets' | 'timeoutMs' | 'retries' | 'baseDelayMs' | 'maxDelayMs' | 'fetch'>,
  ) {}

  async fetch(outputUrl: string, signal: AbortSignal): Promise<ProviderOutputImage> {
    const { bytes } = await this.httpFor(outputUrl).download(outputUrl, { signal, anonymous: true });
    return probeOutputImage(bytes, 'Lumely');
  }

  /** Hosts the site owner named in STAGING_PROVIDER_OUTPUT_HOSTS pass the API client's own check. */
  private apiAllows(outputUrl: string): boolean {
    try {
      this.api.resolve(outputUrl);
      return true;
    } catch {
      return false;
    }
  }

  private httpFor(outputUrl: string): ProviderHttp {
    let url: URL;
    try {
      url = new URL(outputUrl);
    } catch {
      throw new ProviderJobError('provider_error', 'Lumely returned an output link that is not a URL.', true);
    }
    if (url.host === this.apiHost || this.apiAllows(outputUrl)) return this.api;
    if (!isLumelyStorageHost(url)) {
      throw new ProviderJobError('provider_error', 'Lumely answered with an output link outside its own storage; it was not followed.', false);
    }
    let http = this.storage.get(url.host);
    if (!http) {
      // Lumely uses one storage project; the cap only keeps a misbehaving answer from growing this map.
      if (this.storage.size >= 4) this.storage.clear();
      http = new ProviderHttp({ ...this.storageOptions, label: 'Lumely storage', baseUrl: url.origin, authenticate: () => undefined });
      this.storage.set(url.host, http);
    }
    return http;
  }
}

/** Lumely's outputs live in Supabase storage (the docs' example): an https `*.supabase.co` host. */
export function isLumelyStorageHost(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && /^[a-z0-9-]+\.supabase\.(co|in)$/i.test(url.hostname);
}
