import { ContextConsumer, ContextProvider, createContext } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
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

/** The API client `<staging-widget>` hands down to the elements it composes. */
export const clientContext = createContext<StagingClient | undefined>(Symbol('staging-client'));

/**
 * The one way an element gets its API client. In order:
 * 1. its own `client` property;
 * 2. a client built from its own `endpoint` with `token-url` or `fetchToken`;
 * 3. the client of a `<staging-widget>` around it (through `@lit/context`).
 *
 * `value` is stable: the same inputs give the same client, so it can be a `@lit/task`
 * argument without rerunning the task on every render. The widget creates this controller with
 * `provide: true` and hands its client to the elements inside it; every other element consumes.
 */
export class ClientController implements ReactiveController {
  private readonly _host: ReactiveControllerHost & HTMLElement & ClientSource;
  private readonly _consumer?: ContextConsumer<typeof clientContext, ReactiveControllerHost & HTMLElement>;
  private readonly _provider?: ContextProvider<typeof clientContext, ReactiveControllerHost & HTMLElement>;

  constructor(host: ReactiveControllerHost & HTMLElement & ClientSource, options: { provide?: boolean } = {}) {
    this._host = host;
    // A consumer re-renders its host whenever the provided client changes.
    if (options.provide) this._provider = new ContextProvider(host, { context: clientContext });
    else this._consumer = new ContextConsumer(host, { context: clientContext, subscribe: true });
    host.addController(this);
  }

  /** The client to use, or null while the element is not configured enough to call the BFF. */
  get value(): StagingClient | null {
    const { client, endpoint, tokenUrl, fetchToken } = this._host;
    return client ?? resolveClient({ endpoint, tokenUrl, fetchToken }) ?? this._consumer?.value ?? null;
  }

  hostUpdate(): void {
    // Before the host renders its children, so they see the client of this render.
    this._provider?.setValue(this.value ?? undefined);
  }
}

// Elements on one page that name the same endpoint and token URL share one client, so they
// share one token (one fetch, one renewal) instead of each minting its own. The same holds per
// `fetchToken` callback.
const byTokenUrl = new Map<string, StagingClient>();
const byCallback = new WeakMap<() => Promise<TokenResult>, Map<string, StagingClient>>();

function resolveClient({ endpoint, tokenUrl, fetchToken }: ClientSource): StagingClient | null {
  if (!endpoint || (!tokenUrl && !fetchToken)) return null;
  if (fetchToken) {
    let clients = byCallback.get(fetchToken);
    if (!clients) byCallback.set(fetchToken, (clients = new Map()));
    let client = clients.get(endpoint);
    if (!client) clients.set(endpoint, (client = new StagingClient({ endpoint, tokens: new TokenManager({ fetchToken }) })));
    return client;
  }
  const key = `${endpoint}\n${tokenUrl}`;
  let client = byTokenUrl.get(key);
  if (!client) byTokenUrl.set(key, (client = new StagingClient({ endpoint, tokens: new TokenManager({ tokenUrl }) })));
  return client;
}
