import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StagingClient } from '../../client/index.js';
import { StagingAuthError, StagingError, StagingHttpError, StagingNetworkError } from '../../client/index.js';

/**
 * How the controller is following its job or batch:
 * - `idle`: not started (no client or id yet, or the host is disconnected);
 * - `connecting`: opening the event stream;
 * - `streaming`: the event stream is open;
 * - `reconnecting`: the stream broke; waiting before the next attempt;
 * - `polling`: the stream keeps failing or is not available; reading the job or batch every few seconds;
 * - `done`: the job (or every job of the batch) reached a terminal status;
 * - `not-found`: the BFF answered 404 (expired, purged, or another subject's);
 * - `stopped`: a failure no retry can fix (a refused token, a missing scope).
 */
export type WatchMode = 'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'polling' | 'done' | 'not-found' | 'stopped';

export interface WatchTiming {
  /** First wait after a broken stream; doubles with each consecutive failure. Default 1000. */
  reconnectBaseMs: number;
  /** Longest wait between stream attempts. Default 30000. */
  reconnectMaxMs: number;
  /** Consecutive stream failures after which the controller polls instead. Default 3. */
  maxStreamFailures: number;
  /** Interval of reading the job (or batch) while polling. Default 2000. */
  pollIntervalMs: number;
  /** Interval while polling in a hidden tab: nobody is looking, so spare the server. Default 10000. */
  hiddenPollIntervalMs: number;
  /** While polling, how long before the stream is tried again. Default 30000. */
  streamRetryMs: number;
  /**
   * A stream silent for this long (not even the BFF's 15 s heartbeat) is treated as dead: a
   * sleeping laptop or a dropped NAT mapping leaves a connection that never errors. Default 45000.
   */
  idleTimeoutMs: number;
}

export const DEFAULT_WATCH_TIMING: Readonly<WatchTiming> = Object.freeze({
  reconnectBaseMs: 1000,
  reconnectMaxMs: 30_000,
  maxStreamFailures: 3,
  pollIntervalMs: 2000,
  hiddenPollIntervalMs: 10_000,
  streamRetryMs: 30_000,
  idleTimeoutMs: 45_000,
});

/** What is followed: a job (`jobEvents`, `getJob`) or a batch (`batchEvents`, `getBatch`). */
export interface WatchSource<T> {
  /** One stream connection; ends when the BFF ends it. */
  stream(client: StagingClient, id: string, opts: { signal: AbortSignal; idleTimeoutMs: number }): AsyncIterable<T>;
  /** One read, as the values a stream would have delivered (in order). */
  read(client: StagingClient, id: string, opts: { signal: AbortSignal }): Promise<T[]>;
  /** Whether this value is the last there will be (a terminal status). */
  isEnd(value: T): boolean;
}

export interface WatchCallbacks<T> {
  /** The client to use now; null while the host is not configured. */
  client(): StagingClient | null;
  /** The job or batch to follow now; null while none is set. */
  id(): string | null;
  /** Every value read, by stream or poll, including repeats of an unchanged one. */
  onValue(value: T): void;
  /** The BFF does not know the job or batch (404). Watching has ended. */
  onNotFound(error: StagingError): void;
  /** A failure no retry can fix. Watching has ended. */
  onFatal(error: StagingError): void;
  onModeChange?(mode: WatchMode): void;
}

type Wait = 'elapsed' | 'woken' | 'aborted';

/** How long to wait for the BFF to end a stream after the job's last event before cutting it. */
const STREAM_END_GRACE_MS = 3000;

/**
 * Owns the live connection to one job or batch (its `WatchSource`): the event stream (a streaming fetch, so the token stays
 * in the Authorization header), reconnection with capped exponential backoff and jitter, a
 * fallback to polling after repeated stream failures, and a way back to the stream. Everything
 * it starts (requests, timers, window listeners) is undone on `hostDisconnected`.
 */
export class StreamWatchController<T> implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _source: WatchSource<T>;
  private readonly _cb: WatchCallbacks<T>;
  private _timing: WatchTiming;
  private _run: AbortController | null = null;
  private _wake: (() => void) | null = null;
  private _connected = false;
  private _mode: WatchMode = 'idle';
  /** Consecutive stream failures; reset by a stream that delivers, or by coming back online. */
  private _streamFailures = 0;

  constructor(host: ReactiveControllerHost, source: WatchSource<T>, callbacks: WatchCallbacks<T>, timing: Partial<WatchTiming> = {}) {
    this._host = host;
    this._source = source;
    this._cb = callbacks;
    this._timing = { ...DEFAULT_WATCH_TIMING, ...timing };
    host.addController(this);
  }

  get mode(): WatchMode {
    return this._mode;
  }

  get timing(): Readonly<WatchTiming> {
    return this._timing;
  }

  /** Takes effect from the next wait; does not restart the connection. */
  set timing(value: Partial<WatchTiming>) {
    this._timing = { ...DEFAULT_WATCH_TIMING, ...value };
  }

  hostConnected(): void {
    this._connected = true;
    window.addEventListener('online', this._onOnline);
    document.addEventListener('visibilitychange', this._onVisibility);
    this.restart();
  }

  hostDisconnected(): void {
    this._connected = false;
    window.removeEventListener('online', this._onOnline);
    document.removeEventListener('visibilitychange', this._onVisibility);
    // A finished job's (or batch's) stream is about to be ended by the BFF (within STREAM_END_GRACE_MS at
    // most): let it, rather than cut it when the page moves on to the result.
    if (this._mode === 'done') return;
    this._abort();
    this._setMode('idle');
  }

  /** Drops the current connection and follows the current id from scratch. */
  restart(): void {
    this._abort();
    this._streamFailures = 0;
    const client = this._cb.client();
    const id = this._cb.id();
    if (!this._connected || !client || !id) {
      this._setMode('idle');
      return;
    }
    const run = new AbortController();
    this._run = run;
    void this._follow(client, id, run.signal).catch(() => {
      // _follow handles its own errors; nothing may escape as an unhandled rejection.
    });
  }

  /** Stops following until `restart()`. */
  stop(): void {
    this._abort();
    this._setMode('idle');
  }

  /** Cuts short a backoff or poll wait, e.g. when the network is back. */
  wake(): void {
    this._wake?.();
  }

  private _abort(): void {
    this._run?.abort();
    this._run = null;
    this._wake?.();
    this._wake = null;
  }

  private _setMode(mode: WatchMode): void {
    if (mode === this._mode) return;
    this._mode = mode;
    this._cb.onModeChange?.(mode);
    this._host.requestUpdate();
  }

  private async _follow(client: StagingClient, id: string, signal: AbortSignal): Promise<void> {
    let pollingSince: number | null = null;
    let pollFailures = 0;
    while (!signal.aborted) {
      const streamDue = pollingSince === null || performance.now() - pollingSince >= this._timing.streamRetryMs;
      if (streamDue) {
        const outcome = await this._stream(client, id, signal);
        if (outcome === 'finished' || signal.aborted) return;
        if (outcome === 'unsupported') this._streamFailures = Math.max(this._streamFailures, this._timing.maxStreamFailures);
        if (this._streamFailures < this._timing.maxStreamFailures) {
          this._setMode('reconnecting');
          if ((await this._sleep(this._backoff(this._streamFailures), signal)) === 'aborted') return;
          continue;
        }
        // Poll at once: the state may have moved on while the stream was failing.
        pollingSince = performance.now();
      }
      this._setMode('polling');
      const polled = await this._poll(client, id, signal);
      if (polled === 'finished' || signal.aborted) return;
      pollFailures = polled === 'failed' ? pollFailures + 1 : 0;
      const interval = document.visibilityState === 'hidden' ? this._timing.hiddenPollIntervalMs : this._timing.pollIntervalMs;
      // A failing poll backs off too, so an outage is not hammered every two seconds.
      const wait = pollFailures ? Math.min(this._timing.reconnectMaxMs, interval * 2 ** Math.min(pollFailures, 4)) : interval;
      const woke = await this._sleep(wait, signal);
      if (woke === 'aborted') return;
      if (woke === 'woken' && this._streamFailures === 0) pollingSince = null;
    }
  }

  /**
   * One stream connection. `finished`: terminal status, 404 or fatal (watching has ended);
   * `broken`: the stream errored or ended early; `unsupported`: the answer was not a stream.
   */
  private async _stream(client: StagingClient, id: string, signal: AbortSignal): Promise<'finished' | 'broken' | 'unsupported'> {
    this._setMode('connecting');
    let delivered = false;
    // After the terminal status the BFF ends the stream itself: read on to that end rather than
    // cancel the request (which browsers log as a failed, aborted request), but not for long.
    const local = new AbortController();
    const follow = (): void => local.abort(signal.reason);
    signal.addEventListener('abort', follow, { once: true });
    let closing: ReturnType<typeof setTimeout> | undefined;
    try {
      for await (const value of this._source.stream(client, id, { signal: local.signal, idleTimeoutMs: this._timing.idleTimeoutMs })) {
        if (signal.aborted) return 'finished';
        if (!delivered) {
          delivered = true;
          this._setMode('streaming');
        }
        if (closing) continue;
        this._cb.onValue(value);
        if (this._source.isEnd(value)) {
          this._setMode('done');
          closing = setTimeout(() => local.abort(), STREAM_END_GRACE_MS);
        }
      }
      if (closing || signal.aborted) return 'finished';
      // Ended without a terminal status: a proxy's time limit or a BFF restart. A stream that
      // delivered was healthy, so the next attempt waits only the base delay.
      this._streamFailures = delivered ? 1 : this._streamFailures + 1;
      return 'broken';
    } catch (error) {
      if (closing || signal.aborted) return 'finished';
      const e = asStagingError(error);
      if (this._settle(e)) return 'finished';
      this._streamFailures = delivered ? 1 : this._streamFailures + 1;
      // A 2xx that is not an event stream: a proxy or an old BFF that will not stream. Polling works.
      return e.code === 'invalid_response' ? 'unsupported' : 'broken';
    } finally {
      clearTimeout(closing);
      signal.removeEventListener('abort', follow);
    }
  }

  private async _poll(client: StagingClient, id: string, signal: AbortSignal): Promise<'finished' | 'ok' | 'failed'> {
    try {
      const values = await this._source.read(client, id, { signal });
      if (signal.aborted) return 'finished';
      for (const value of values) this._cb.onValue(value);
      const last = values[values.length - 1];
      if (last !== undefined && this._source.isEnd(last)) {
        this._setMode('done');
        return 'finished';
      }
      return 'ok';
    } catch (error) {
      if (signal.aborted) return 'finished';
      return this._settle(asStagingError(error)) ? 'finished' : 'failed';
    }
  }

  /** Ends watching for failures that no retry fixes; returns whether it did. */
  private _settle(e: StagingError): boolean {
    if (e.status === 404) {
      this._setMode('not-found');
      this._cb.onNotFound(e);
      return true;
    }
    // The client already renewed the token once after a 401; what is left is a real refusal.
    // Other 4xx answers (bar 408 and 429, which the client retries) will not change either.
    const permanent = e instanceof StagingAuthError || (e instanceof StagingHttpError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429);
    if (permanent) {
      this._setMode('stopped');
      this._cb.onFatal(e);
      return true;
    }
    return false;
  }

  private _backoff(failures: number): number {
    const step = Math.min(this._timing.reconnectBaseMs * 2 ** Math.max(0, failures - 1), this._timing.reconnectMaxMs);
    // Half fixed, half random: clients cut off together (a BFF restart) do not all return at once.
    return step / 2 + (Math.random() * step) / 2;
  }

  private _sleep(ms: number, signal: AbortSignal): Promise<Wait> {
    return new Promise<Wait>((resolve) => {
      if (signal.aborted) return resolve('aborted');
      // Offline, no attempt can succeed: wait for `online` (which wakes us), up to the longest backoff.
      const wait = typeof navigator !== 'undefined' && navigator.onLine === false ? Math.max(ms, this._timing.reconnectMaxMs) : ms;
      const done = (result: Wait): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this._wake === wake) this._wake = null;
        resolve(result);
      };
      const onAbort = (): void => done('aborted');
      const wake = (): void => done(signal.aborted ? 'aborted' : 'woken');
      const timer = setTimeout(() => done('elapsed'), wait);
      signal.addEventListener('abort', onAbort, { once: true });
      this._wake = wake;
    });
  }

  private readonly _onOnline = (): void => {
    // The network is back: whatever failed before deserves a fresh start on the stream.
    this._streamFailures = 0;
    this.wake();
  };

  private readonly _onVisibility = (): void => {
    // Back in view after a while: refresh now rather than at the end of a long hidden-tab wait.
    if (document.visibilityState === 'visible') this.wake();
  };
}

function asStagingError(error: unknown): StagingError {
  return error instanceof StagingError ? error : new StagingNetworkError(undefined, error);
}
