import { StagingClient, TokenManager, type TokenResult } from '../../client/index.js';

/**
 * What an element needs to reach the BFF. `<staging-widget>` hands its own client to the
 * elements it composes (property `client`); an element used alone builds one from its
 * `endpoint` and `token-url` attributes or its `fetchToken` property.
 */
export interface ClientSource {
  client?: StagingClient;
  endpoint?: string;
  tokenUrl?: string;
  fetchToken?: () => Promise<TokenResult>;
}

// Elements on one page that name the same endpoint and token URL share one client, so they
// share one token (one fetch, one renewal) instead of each minting its own. The same holds per
// `fetchToken` callback. Resolving must be stable: elements pass the client to @lit/task as an
// argument, and a new client on every render would rerun their tasks without end.
const shared = new Map<string, StagingClient>();
const byCallback = new WeakMap<() => Promise<TokenResult>, Map<string, StagingClient>>();

/** The client to use, or null when the element is not configured enough to call the BFF. */
export function resolveClient(src: ClientSource): StagingClient | null {
  if (src.client) return src.client;
  if (!src.endpoint || (!src.tokenUrl && !src.fetchToken)) return null;
  if (src.fetchToken) {
    let clients = byCallback.get(src.fetchToken);
    if (!clients) byCallback.set(src.fetchToken, (clients = new Map()));
    let client = clients.get(src.endpoint);
    if (!client) {
      client = new StagingClient({ endpoint: src.endpoint, tokens: new TokenManager({ fetchToken: src.fetchToken }) });
      clients.set(src.endpoint, client);
    }
    return client;
  }
  const key = `${src.endpoint}\n${src.tokenUrl}`;
  let client = shared.get(key);
  if (!client) {
    client = new StagingClient({ endpoint: src.endpoint, tokens: new TokenManager({ tokenUrl: src.tokenUrl }) });
    shared.set(key, client);
  }
  return client;
}
