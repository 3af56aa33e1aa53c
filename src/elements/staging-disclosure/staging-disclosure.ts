import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { OutputDisclosure } from '../../contract/disclosure.js';
import { cardStyles, panelStyles } from '../shared/panel.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { disclosureStyles } from './staging-disclosure.styles.js';
import { LocaleController, type Words } from '../shared/locale.js';
import { TEXT } from './disclosure-text.js';

/**
 * What publishing one output takes, from its `disclosure` (set by the BFF's disclosure profile):
 * the label (burned in, or to show), the caption and remarks with copy buttons, the original
 * photo's page with its QR code, and a warning to review when the structure-drift check flagged
 * the image. A technical edit gets one reassuring line.
 *
 * @summary The disclosure an altered listing photo needs, ready to copy.
 *
 * @csspart base - The panel.
 * @csspart title - "Before you publish".
 * @csspart drift-warning - Asks the person to review an image whose structure changed.
 * @csspart requirements - The list of what applies.
 * @csspart caption - The caption text.
 * @csspart remarks - The remarks text.
 * @csspart copy-button - A copy button.
 * @csspart original - The original photo's link and QR code.
 * @csspart qr - The QR code image.
 * @csspart status - Says "Copied".
 *
 * @cssproperty --staging-disclosure-qr-size - The QR code's size (default 96px).
 */
@customElement('staging-disclosure')
export class StagingDisclosure extends LitElement {
  static override styles = [themeStyles, panelStyles, cardStyles, disclosureStyles];

  /** The output's `disclosure` from the job; nothing is shown without one. */
  @property({ attribute: false }) disclosure: OutputDisclosure | null = null;

  /** Light or dark; default follows the system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined;

  @state() private status: Words | null = null;
  private readonly _l10n = new LocaleController(this);

  private async copy(text: string, field: HTMLElement | null): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.status = () => TEXT.copied;
    } catch {
      // No clipboard (an insecure page, a denied permission): select the text for the person.
      if (field) getSelection()?.selectAllChildren(field);
      this.status = () => TEXT.copyFailed;
    }
  }

  private copyable(text: string, part: 'caption' | 'remarks', label: string, buttonLabel: string) {
    return html`<li>
      <span class="label" id=${`${part}-label`}>${label}</span>
      <div class="row">
        <p class="text" part=${part} aria-labelledby=${`${part}-label`}>${text}</p>
        <button type="button" part="copy-button" aria-label=${buttonLabel} @click=${(e: Event) => this.copy(text, (e.currentTarget as HTMLElement).previousElementSibling as HTMLElement)}>
          ${TEXT.copy}
        </button>
      </div>
    </li>`;
  }

  private renderOriginal(d: OutputDisclosure) {
    if (!d.original_page_url) return nothing;
    const page = d.original_page_url;
    const intro = d.original === 'link' ? TEXT.linkOriginal : d.original === 'adjacent' ? TEXT.placeOriginal : null;
    return html`<li>
      ${intro ? html`<span>${intro}</span>` : nothing}
      <div class="original" part="original">
        ${d.qr_url && d.original === 'link' ? html`<img part="qr" src=${d.qr_url} alt=${TEXT.qrAlt} width="96" height="96" />` : nothing}
        <div class="links">
          <a href=${page} target="_blank" rel="noopener">${TEXT.originalPage}</a>
          ${d.original === 'adjacent' && d.original_image_url
            ? html`<a href=${d.original_image_url} download>${TEXT.downloadOriginal}</a>`
            : html`<button type="button" part="copy-button" aria-label=${TEXT.copyOriginalLink} @click=${() => this.copy(page, null)}>${TEXT.copyLink}</button>`}
        </div>
      </div>
    </li>`;
  }

  override render() {
    const d = this.disclosure;
    if (!d) return nothing;
    if (d.edit_class === 'technical') {
      return html`<div class="base" part="base" lang=${this._l10n.locale} dir=${this._l10n.dir}><p class="note">${TEXT.technical}</p></div>`;
    }
    return html`<section class="base" part="base" lang=${this._l10n.locale} dir=${this._l10n.dir} aria-labelledby="title">
      <p class="title" part="title" id="title">${TEXT.title}</p>
      ${d.structure_drift?.flagged ? html`<p class="warning" part="drift-warning">${TEXT.driftWarning}</p>` : nothing}
      ${d.required ? nothing : html`<p class="note">${TEXT.untold}</p>`}
      <ul part="requirements">
        ${d.label ? html`<li>${d.burned_in ? TEXT.burned(d.label) : TEXT.showLabel(d.label)}</li>` : nothing}
        ${d.caption ? this.copyable(d.caption, 'caption', TEXT.caption, TEXT.copyCaption) : nothing}
        ${d.remarks ? this.copyable(d.remarks, 'remarks', TEXT.remarks, TEXT.copyRemarks) : nothing}
        ${this.renderOriginal(d)}
      </ul>
      <p class="status" part="status" role="status">${this.status?.() ?? ''}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-disclosure': StagingDisclosure;
  }
}
