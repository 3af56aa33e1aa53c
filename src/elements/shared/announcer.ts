import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/**
 * What an element says to screen readers without moving focus: a visually hidden polite live
 * region that the element renders once (`render()`), and `announce()` to say something in it.
 * The element styles `.visually-hidden` (the shared theme does).
 */
export class LiveAnnouncer implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private _text = '';

  constructor(host: ReactiveControllerHost) {
    this._host = host;
    host.addController(this);
  }

  /** What the region says now. */
  get text(): string {
    return this._text;
  }

  /** Says `message`; the same sentence twice in a row is said again (a live region reads only changes). */
  announce(message: string): void {
    this._text = message !== '' && this._text === message ? `${message}\u00a0` : message;
    this._host.requestUpdate();
  }

  /** Empties the region (nothing is read). */
  clear(): void {
    this.announce('');
  }

  hostDisconnected(): void {
    // What was said belonged to its moment: an element put back in the page starts silent.
    if (this._text) this.clear();
  }

  /** The live region, with the element's `part` name. `instead` is shown in place of the last announcement while set (a busy state, say). */
  render(part: string, instead?: string): TemplateResult {
    return html`<div part=${part} class="visually-hidden" role="status" aria-live="polite">${instead ?? this._text}</div>`;
  }
}
