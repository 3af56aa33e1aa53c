import { createContext } from '@lit/context';
import { StagingClient, TokenManager, type TokenResult } from '../../client/index.js';

/**
 * What an element may be given to reach the BFF: a ready `client`, or an `endpoint` with a
 * `tokenUrl` or a `fetchToken` callback to build one.
 */
export interface ClientSource {
  client?: StagingClient | undefined;
  endpoint?: string | undefined;
  tokenUrl?: string | undefined;
  fetchToken?: (() => Promise<TokenResult>) | undefined;
}

/** The API client `<staging-widget>` provides to the elements it composes (see `ClientController`). */
export const clientContext = createContext<StagingClient | undefined>(Symbol('staging-client'));

// Elements on one page that name the same endpoint and token URL share one client, so they
// share one token (one fetch, one renewal) instead of each minting its own. The same holds per
// `fetchToken` callback.
const byTokenUrl = new Map<string, StagingClient>();
const byCallback = new WeakMap<() => Promise<TokenResult>, Map<string, StagingClient>>();

/**
 * The element's own client: its `client`, else one built from its `endpoint` with `tokenUrl` or
 * `fetchToken`, else null. Stable: the same inputs give the same client, so it can be a
 * `@lit/task` argument without rerunning the task on every render.
 */
export function ownClient({ client, endpoint, tokenUrl, fetchToken }: ClientSource): StagingClient | null {
  if (client) return client;
  if (!endpoint || (!tokenUrl && !fetchToken)) return null;
  if (fetchToken) {
    let clients = byCallback.get(fetchToken);
    if (!clients) byCallback.set(fetchToken, (clients = new Map()));
    let built = clients.get(endpoint);
    if (!built) clients.set(endpoint, (built = new StagingClient({ endpoint, tokens: new TokenManager({ fetchToken }) })));
    return built;
  }
  const key = `${endpoint}\n${tokenUrl}`;
  let built = byTokenUrl.get(key);
  if (!built) byTokenUrl.set(key, (built = new StagingClient({ endpoint, tokens: new TokenManager({ tokenUrl }) })));
  return built;
}
