import { Task, TaskStatus, initialState } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StagingClient } from '../../client/index.js';
import type { Catalog, Credits } from '../../contract/index.js';

/** What the controller reads from the picker: the catalog and credits a host may have set. */
export interface CatalogHost extends ReactiveControllerHost {
  catalog: Catalog | undefined;
  credits: Credits | undefined;
}

/**
 * The catalog (`GET /v1/services`) and the session's credits (`GET /v1/credits`), each fetched
 * only when the host has not given it. A load cut short by a disconnect (a move in the DOM) is
 * not a failure to show: it starts again on the next connect.
 */
export class CatalogController implements ReactiveController {
  private _creditsNonce = 0;
  private _interrupted: Array<Task<readonly unknown[], unknown>> = [];

  readonly catalogTask: Task<readonly [StagingClient | null, Catalog | undefined], Catalog>;
  private readonly _creditsTask: Task<readonly [StagingClient | null, Credits | undefined, number], Credits>;

  constructor(
    private readonly _host: CatalogHost,
    client: () => StagingClient | null,
    onCatalogError: (error: unknown) => void,
  ) {
    _host.addController(this);
    this.catalogTask = new Task(_host, {
      task: async ([c, given], { signal }) => {
        if (given || !c) return initialState;
        return c.getCatalog({ signal });
      },
      args: () => [client(), _host.catalog] as const,
      onError: onCatalogError,
    });
    this._creditsTask = new Task(_host, {
      task: async ([c, given], { signal }) => {
        if (given || !c) return initialState;
        return c.getCredits({ signal });
      },
      // The nonce makes refreshCredits() a change of arguments.
      args: () => [client(), _host.credits, this._creditsNonce] as const,
    });
  }

  /** The catalog in use: the host's, or the one loaded. */
  get catalog(): Catalog | undefined {
    return this._host.catalog ?? (this.catalogTask.status === TaskStatus.COMPLETE ? this.catalogTask.value : undefined);
  }

  /** The credits as known: the host's, or the ones loaded. */
  get credits(): Credits | undefined {
    return this._host.credits ?? this._creditsTask.value;
  }

  /** Loads the catalog again (what Retry does). */
  reload(): Promise<void> {
    return this.catalogTask.run();
  }

  refreshCredits(): void {
    this._creditsNonce++;
    this._host.requestUpdate();
  }

  hostConnected(): void {
    // The new run supersedes the aborted one, whose rejection the task then ignores.
    for (const task of this._interrupted) void task.run();
    this._interrupted = [];
  }

  hostDisconnected(): void {
    this._interrupted = [this.catalogTask, this._creditsTask].filter((t) => t.status === TaskStatus.PENDING);
    for (const task of this._interrupted) task.abort();
  }
}
