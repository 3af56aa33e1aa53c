import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatNumber } from '../shared/locale.js';
import { TEXT } from './picker-text.js';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
export const isControl = (n: unknown): n is Control => n instanceof HTMLInputElement || n instanceof HTMLSelectElement || n instanceof HTMLTextAreaElement;

/**
 * The form's constraint validation, read after every render: whether it is valid, and the
 * message for each invalid control (in the picker's language: `validityText`) the person has left or changed (only those show
 * their errors before a submit attempt). Re-renders the host only on a change.
 */
export class FormValidity implements ReactiveController {
  valid = true;
  errors: ReadonlyMap<string, string> = new Map();
  private readonly _touched = new Set<string>();

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _controls: () => Control[],
  ) {
    _host.addController(this);
  }

  hostUpdated(): void {
    this.refresh();
  }

  /** Marks a control as touched (its error shows from now on). */
  touch(name: string): void {
    this._touched.add(name);
  }

  /** Forgets which controls were touched (other fields now); `andErrors` also drops the shown errors. */
  forget(andErrors = false): void {
    this._touched.clear();
    if (andErrors) this.errors = new Map();
  }

  /** Whether every control is within its constraints (no messages shown). */
  check(): boolean {
    return this._controls().every((c) => !c.willValidate || c.validity.valid);
  }

  /**
   * Shows the messages of every invalid control and focuses the first, unfolding the
   * `<details>` it sits in (`unfolded` is told): a field to fix is never left folded away.
   * Whether all are valid.
   */
  report(unfolded: () => void): boolean {
    const invalid = this._controls().filter((c) => c.willValidate && !c.validity.valid);
    for (const c of invalid) this._touched.add(c.name);
    this.refresh();
    const folded = invalid[0]?.closest('details');
    if (folded && !folded.open) {
      folded.open = true;
      unfolded();
    }
    invalid[0]?.focus();
    return invalid.length === 0;
  }

  /** A control left for the first time shows its error from then on. */
  readonly onFocusOut = (event: FocusEvent): void => {
    const target = event.composedPath()[0];
    if (!isControl(target) || !target.name || this._touched.has(target.name)) return;
    this._touched.add(target.name);
    this.refresh();
  };

  refresh(): void {
    let valid = true;
    const errors = new Map<string, string>();
    for (const c of this._controls()) {
      if (!c.willValidate || c.validity.valid) continue;
      valid = false;
      if (this._touched.has(c.name)) errors.set(c.name, validityText(c));
    }
    const same = errors.size === this.errors.size && [...errors].every(([k, v]) => this.errors.get(k) === v);
    if (valid === this.valid && same) return;
    this.valid = valid;
    if (!same) this.errors = errors;
    this._host.requestUpdate();
  }
}

/** Why a control is invalid, in the picker's language (the browser's own message is in the browser's). */
export function validityText(c: Control): string {
  const v = c.validity;
  const number = (s: string) => (s === '' || Number.isNaN(Number(s)) ? s : formatNumber(Number(s)));
  if (v.valueMissing) return c instanceof HTMLSelectElement || (c instanceof HTMLInputElement && c.type === 'radio') ? TEXT.chooseOne : TEXT.fillIn;
  if (v.badInput) return TEXT.aNumber;
  if (v.rangeUnderflow) return TEXT.atLeast(number((c as HTMLInputElement).min));
  if (v.rangeOverflow) return TEXT.atMost(number((c as HTMLInputElement).max));
  if (v.stepMismatch) return (c as HTMLInputElement).step === '1' ? TEXT.wholeNumber : c.validationMessage;
  if (v.tooLong) return TEXT.tooLong((c as HTMLInputElement).maxLength);
  return c.validationMessage;
}
