import { ContextConsumer, ContextProvider } from '@lit/context';
import type { ReactiveControllerHost, ReactiveElement } from 'lit';
import type { StagingClient } from '../../client/index.js';
import { clientContext, ownClient, type ClientSource } from './client-context.js';

type ClientHost = ReactiveControllerHost & HTMLElement & ClientSource;

/**
 * The one way an element gets its API client (`client`). In order:
 * 1. its own `client` property;
 * 2. a client built from its own `endpoint` with `token-url` or `fetchToken` (an element used alone);
 * 3. the client of the `<staging-widget>` around it, through `@lit/context` (this controller
 *    consumes the context; a change of the widget's client re-renders the host).
 *
 * `client` is stable (see `ownClient`), so it can be a `@lit/task` argument. The widget, the
 * context's provider (`provideClient`), has no widget around it and uses `ownClient` alone: this
 * module, with the context's consumer and provider, stays out of the first screen's script.
 */
export class ClientController extends ContextConsumer<typeof clientContext, ClientHost> {
  constructor(host: ClientHost) {
    super(host, { context: clientContext, subscribe: true });
  }

  /** The client to use, or null while the element is not configured enough to call the BFF. */
  get client(): StagingClient | null {
    return ownClient(this.host) ?? this.value ?? null;
  }
}

/**
 * Hands the widget's client to the elements of its later steps (their `ClientController`): made
 * when those steps' code arrives (`step-views.ts`), before their elements render. Here, next to
 * the consumer, so that both sides of the context and the code they share come in one file.
 */
export function provideClient(host: ReactiveElement): { setValue(client: StagingClient | undefined): void } {
  return new ContextProvider(host, { context: clientContext });
}
