import type { ReactiveElement } from 'lit';

/**
 * Folds the service cards to the chosen one's line once a card is pressed with a pointer, so
 * the next questions and Start fit one phone screen; "Change" unfolds them. Moving between
 * cards with the keyboard (the arrow keys and Space click with a count of 0) leaves them open,
 * so a keyboard user can still compare them. Focus follows: to "Change", then back to the card.
 */
export class CardFold {
  folded = false;

  constructor(private readonly _host: ReactiveElement & { disabled: boolean }) {}

  /** On a click inside the cards. */
  readonly onPick = (event: MouseEvent): void => {
    if (event.detail === 0 || this._host.disabled || !(event.target as Element).closest('.card')) return;
    // After the label has passed the click to its radio (in this same task): folding at once
    // would take the radio out of the page before it is checked.
    setTimeout(() => void this._set(true, '[part~="change-service"]'));
  };

  readonly onUnfold = (): void => {
    void this._set(false, 'input[name="service"]:checked');
  };

  reset(): void {
    this.folded = false;
    this._host.requestUpdate();
  }

  private async _set(folded: boolean, focus: string): Promise<void> {
    this.folded = folded;
    this._host.requestUpdate();
    await this._host.updateComplete;
    this._host.renderRoot.querySelector<HTMLElement>(focus)?.focus({ preventScroll: folded });
  }
}
