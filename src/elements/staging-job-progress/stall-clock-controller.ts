import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface StallClockOptions {
  /** Whether the job runs now (connected, known, not over): the clock ticks only then. */
  running(): boolean;
  /** Ms without a change after which the job counts as stalled; 0 (or not finite) never. */
  stallAfter(): number;
  /** The deadline passed without a change; `stalled` is now true. */
  onStall(silentForMs: number): void;
}

/**
 * The time bookkeeping of a running job: a wall clock that ticks every second (for the elapsed
 * time shown) and a deadline that flags the job as stalled when nothing changed for
 * `stallAfter` ms. Both run only while `running()` and the host is connected; call `sync()`
 * when that may have changed and `touch()` when the job changed.
 */
export class StallClockController implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _options: StallClockOptions;
  private _now = Date.now();
  private _stalled = false;
  private _lastChangeAt = performance.now();
  private _ticker: ReturnType<typeof setInterval> | undefined;
  private _deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: StallClockOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** `Date.now()` as of the last tick. */
  get now(): number {
    return this._now;
  }

  /** Nothing changed for `stallAfter` ms while the job ran. */
  get stalled(): boolean {
    return this._stalled;
  }

  /** The job changed (or the person chose to keep waiting): the deadline counts from now. */
  touch(): void {
    this._lastChangeAt = performance.now();
    this._setStalled(false);
    this._arm();
  }

  /** Starts or stops the clock and the deadline to match `running()` and `stallAfter()`. */
  sync(): void {
    if (!this._options.running()) {
      this._stop();
      this._setStalled(false);
      return;
    }
    if (this._ticker === undefined) {
      this._now = Date.now();
      this._ticker = setInterval(() => {
        this._now = Date.now();
        this._host.requestUpdate();
      }, 1000);
    }
    if (!this._stalled) this._arm();
  }

  hostConnected(): void {
    this._lastChangeAt = performance.now();
    this.sync();
  }

  hostDisconnected(): void {
    this._stop();
  }

  private _stop(): void {
    clearInterval(this._ticker);
    this._ticker = undefined;
    clearTimeout(this._deadline);
    this._deadline = undefined;
  }

  private _arm(): void {
    clearTimeout(this._deadline);
    this._deadline = undefined;
    const after = this._options.stallAfter();
    if (!this._options.running() || !(after > 0) || !Number.isFinite(after)) return;
    const due = this._lastChangeAt + after - performance.now();
    this._deadline = setTimeout(() => {
      this._deadline = undefined;
      if (!this._options.running()) return;
      const silentFor = performance.now() - this._lastChangeAt;
      if (silentFor < this._options.stallAfter()) return this._arm(); // something arrived meanwhile
      this._setStalled(true);
      this._options.onStall(Math.round(silentFor));
    }, Math.max(0, due));
  }

  private _setStalled(value: boolean): void {
    if (this._stalled === value) return;
    this._stalled = value;
    this._host.requestUpdate();
  }
}
