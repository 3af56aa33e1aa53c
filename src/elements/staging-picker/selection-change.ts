import type { ReactiveController, ReactiveElement } from 'lit';
import { emit } from '../shared/events.js';
import type { StagingPickerValue } from './choice.js';

/**
 * Fires `staging-selection-change` after a render that changed the choice's value (also once
 * when a catalog first gives it one), and never twice for the same value.
 */
export class SelectionChange implements ReactiveController {
  private _last: string | null = null;

  constructor(
    private readonly _host: ReactiveElement,
    private readonly _value: () => StagingPickerValue | null,
  ) {
    _host.addController(this);
  }

  hostUpdated(): void {
    const value = this._value();
    const key = value ? JSON.stringify(value) : null;
    if (key === this._last) return;
    this._last = key;
    if (value) emit(this._host, 'staging-selection-change', value);
  }
}
