import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { cssProps } from '../shared/css-props.js';
import type { CompareVariant } from '../shared/variants.js';
import { buttonLikeStyles, themeStyles } from '../shared/theme.styles.js';
import { stackStyles } from '../shared/stack.styles.js';
import { emit } from '../shared/events.js';
import { beforeAfterStyles } from './staging-before-after.styles.js';
import type { OutputDisclosure } from '../../contract/disclosure.js';
import '../staging-disclosure/staging-disclosure.js';
import { clamp, CompareGestureController, MAX_ZOOM, MIN_ZOOM } from './compare-gestures-controller.js';
import { DownloadController } from './download-controller.js';
import { downloadName } from './download-name.js';
import { renderVariantChooser } from './variant-chooser.js';
import { LocaleController } from '../shared/locale.js';
import { TEXT } from './compare-text.js';

export { variantsFromOutputs, type CompareVariant } from '../shared/variants.js';

export interface OutputSelectedDetail {
  /** The variant's id (an output id); empty when only `afterSrc` was set, without variants. */
  id: string;
  url: string;
  /** Index in `variants`, or -1 without variants. */
  variantIndex: number;
  /** What publishing it takes (the variant's `disclosure`); null when unknown. */
  disclosure: OutputDisclosure | null;
}

export interface ComparePositionDetail {
  /** 0 (all "after") to 100 (all "before"): the divider's distance from the left edge, in %. */
  position: number;
}

export { MAX_ZOOM, MIN_ZOOM } from './compare-gestures-controller.js';

/**
 * Compares a photo with its staged or enhanced result: a divider that is dragged with a
 * mouse, finger or pen, or moved with the keyboard (it is an ARIA slider), zoom and pan,
 * a choice among result variants, download and "Use this image".
 *
 * The "before" image is on the left of the divider and the "after" image on the right.
 * Keyboard on the divider: `←`/`↓` −1, `→`/`↑` +1 (with `Shift` ±10), `Page Down`/`Page Up`
 * ±10, `Home` 0, `End` 100. When zoomed: `Ctrl` + mouse wheel zooms, and the image pans by
 * dragging in Pan mode or with `Shift` held, or with the arrow keys while the image area has focus.
 *
 * @summary Before/after comparison slider with variants, zoom, download and selection.
 *
 * @fires {CustomEvent<OutputSelectedDetail>} staging-output-selected - "Use this image" was pressed; `{ id, url, variantIndex, disclosure }`.
 * @fires {CustomEvent<ComparePositionDetail>} staging-compare-position - The user moved the divider; `{ position }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart viewport - The image area.
 * @csspart before - The layer holding the "before" image.
 * @csspart before-image - The "before" image.
 * @csspart after - The clipped layer holding the "after" image.
 * @csspart after-image - The "after" image.
 * @csspart before-label - The "Before" tag.
 * @csspart after-label - The "After" tag.
 * @csspart preview-badge - "Local preview" mark, shown when the selected variant is a local preview.
 * @csspart divider - The vertical line between the images.
 * @csspart handle - The draggable, focusable slider handle.
 * @csspart controls - The row with zoom controls and actions.
 * @csspart zoom-group - Zoom buttons and read-out.
 * @csspart zoom-out-button - Zoom out.
 * @csspart zoom-value - The zoom read-out.
 * @csspart zoom-in-button - Zoom in.
 * @csspart pan-button - The pan mode toggle (when zoomed).
 * @csspart zoom-reset-button - Back to 100 % (when zoomed).
 * @csspart changes-button - The "What changed" toggle (when the variant has a heat map).
 * @csspart changes-overlay - The heat map over the "after" image.
 * @csspart changes-legend - Says what the heat map's colour means.
 * @csspart disclosure - What publishing the chosen variant takes (`<staging-disclosure>`).
 * @csspart actions - Download and "Use this image".
 * @csspart download-button - The download link.
 * @csspart use-button - "Use this image".
 * @csspart variants - The variant chooser (a radio group, shown with two or more variants).
 * @csspart variants-label - The chooser's legend.
 * @csspart variant - One variant option (a label holding the radio).
 * @csspart variant-thumbnail - A variant's thumbnail image.
 *
 * @cssproperty --staging-compare-divider-color - Colour of the divider and handle. Default white.
 * @cssproperty --staging-compare-max-height - Largest height of the image area. Default `80vh`.
 */
@customElement('staging-before-after')
export class StagingBeforeAfter extends LitElement {
  static override styles = [themeStyles, stackStyles, buttonLikeStyles, beforeAfterStyles];

  /**
   * URL of the original photo (attribute `before`). Not named `before`: that would shadow
   * the DOM's `Element.before()` method.
   */
  @property({ attribute: 'before' }) beforeSrc = '';

  /** URL of the result shown on the right (attribute `after`); set when a variant is chosen. */
  @property({ attribute: 'after' }) afterSrc = '';

  /** Results to choose from; choosing one sets `afterSrc`. */
  @property({ attribute: false }) variants: CompareVariant[] = [];

  /** Index of the chosen variant in `variants` (-1 when there are none). */
  @property({ type: Number, attribute: 'variant-index' }) variantIndex = -1;

  /** Divider position from the inline-start edge (the left, or the right when right to left), 0–100 %. */
  @property({ type: Number, reflect: true }) position = 50;

  /** Magnification, 1–4. */
  @property({ type: Number, reflect: true }) zoom = 1;

  /** Text alternative of the "before" image; "Original photo" in the element's language when not set. */
  @property({ attribute: 'before-alt' })
  get beforeAlt(): string {
    return this._beforeAlt ?? TEXT.beforeAlt;
  }
  set beforeAlt(value: string) {
    const old = this._beforeAlt;
    this._beforeAlt = value;
    this.requestUpdate('beforeAlt', old);
  }

  /** Text alternative of the "after" image; "Staged result" in the element's language when not set. */
  @property({ attribute: 'after-alt' })
  get afterAlt(): string {
    return this._afterAlt ?? TEXT.afterAlt;
  }
  set afterAlt(value: string) {
    const old = this._afterAlt;
    this._afterAlt = value;
    this.requestUpdate('afterAlt', old);
  }

  private _beforeAlt: string | null = null;
  private _afterAlt: string | null = null;
  private readonly _l10n = new LocaleController(this);

  /** Base name of downloaded files; the variant id and an extension are appended. */
  @property({ attribute: 'download-name' }) downloadName = 'staged-photo';

  @state() private _ratio = 0;
  @state() private _showChanges = false;

  @query('[part="viewport"]') private _viewport!: HTMLDivElement;
  @query('[part="handle"]') private _handle!: HTMLDivElement;

  private readonly _gestures = new CompareGestureController(this, {
    viewport: () => this._viewport,
    handle: () => this._handle,
    setPosition: (value) => this._setPosition(value),
    rtl: () => this._l10n.dir === 'rtl',
  });
  private readonly _download = new DownloadController(this, {
    url: () => this.afterSrc,
    fileName: (contentType) => this._fileName(contentType ?? this.selectedVariant?.contentType),
  });

  /** The chosen variant, if any. */
  get selectedVariant(): CompareVariant | undefined {
    return this.variants[this.variantIndex];
  }

  /** Chooses variant `index` and shows it as the "after" image. */
  selectVariant(index: number): void {
    const variant = this.variants[index];
    if (!variant) return;
    this.variantIndex = index;
    this.afterSrc = variant.url;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('position')) this.position = clamp(this.position, 0, 100);
    if (changed.has('zoom')) {
      this.zoom = clamp(this.zoom, MIN_ZOOM, MAX_ZOOM);
      this._gestures.zoomChanged();
    }
    if (changed.has('variants') || changed.has('variantIndex')) {
      if (this.variants.length === 0) {
        this.variantIndex = -1;
      } else {
        // New variants keep showing `afterSrc` when it is one of them, unless an index was also given.
        const indexGiven = changed.has('variantIndex') && changed.get('variantIndex') !== undefined;
        if (changed.has('variants') && !indexGiven) {
          const matching = this.variants.findIndex((v) => v.url === this.afterSrc);
          if (matching >= 0) this.variantIndex = matching;
        }
        if (!this.variants[this.variantIndex]) this.variantIndex = 0;
        this.afterSrc = this.variants[this.variantIndex]!.url;
      }
    } else if (changed.has('afterSrc')) {
      // `afterSrc` set directly: the chosen variant must follow, so "Use this image" reports what is shown.
      this.variantIndex = this.variants.findIndex((v) => v.url === this.afterSrc);
    }
    if (changed.has('beforeSrc')) this._ratio = 0;
  }

  protected override render() {
    const variant = this.selectedVariant;
    const position = this.position;
    const rounded = Math.round(position);
    const zoomed = this.zoom > 1;
    const gestures = this._gestures;
    const transform = `translate(${gestures.pan.x * 100}%, ${gestures.pan.y * 100}%) scale(${this.zoom})`;
    const ratio = variant?.width && variant.height ? variant.width / variant.height : this._ratio || 4 / 3;
    const localPreview = variant?.localPreview === true;
    const afterAlt = localPreview ? TEXT.localPreviewAlt(this.afterAlt) : this.afterAlt;
    return html`
      <div part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir}>
        <div
          part="viewport"
          class="viewport"
          ${cssProps({ '--_ratio': String(ratio) })}
          ?data-zoomed=${zoomed}
          ?data-pan=${gestures.panMode}
          ?data-dragging=${gestures.dragging}
          role=${ifDefined(zoomed ? 'group' : undefined)}
          tabindex=${ifDefined(zoomed ? 0 : undefined)}
          aria-label=${zoomed ? TEXT.zoomedLabel : nothing}
          @pointerdown=${gestures.onPointerDown}
          @pointermove=${gestures.onPointerMove}
          @pointerup=${gestures.onPointerEnd}
          @pointercancel=${gestures.onPointerEnd}
          @lostpointercapture=${gestures.onPointerEnd}
          @wheel=${gestures.onWheel}
          @keydown=${gestures.onViewportKeyDown}
        >
          <div part="before" class="layer">
            ${this.beforeSrc
              ? html`<img part="before-image" src=${this.beforeSrc} alt=${this.beforeAlt} draggable="false" ${cssProps({ transform })} @load=${this._onBeforeLoad} />`
              : nothing}
          </div>
          <div part="after" class="layer after" ${cssProps({ 'clip-path': this._l10n.dir === 'rtl' ? `inset(0 ${position}% 0 0)` : `inset(0 0 0 ${position}%)` })}>
            ${this.afterSrc ? html`<img part="after-image" src=${this.afterSrc} alt=${afterAlt} draggable="false" ${cssProps({ transform })} />` : nothing}
            ${this._showChanges && variant?.changesUrl
              ? html`<img part="changes-overlay" class="changes" src=${variant.changesUrl} alt="" draggable="false" ${cssProps({ transform })} />`
              : nothing}
          </div>
          <span part="before-label" class="tag tag-before" aria-hidden="true">${TEXT.before}</span>
          <span part="after-label" class="tag tag-after" aria-hidden="true">${TEXT.after}</span>
          ${localPreview
            ? html`<span part="preview-badge" class="badge" title=${TEXT.localPreviewTitle}
                >${TEXT.localPreview}</span
              >`
            : nothing}
          <div part="divider" class="divider" ${cssProps({ [this._l10n.dir === 'rtl' ? 'right' : 'left']: `${position}%` })}>
            <div
              part="handle"
              class="handle"
              role="slider"
              tabindex="0"
              aria-label=${TEXT.divider}
              aria-orientation="horizontal"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${rounded}
              aria-valuetext=${TEXT.dividerValue(rounded)}
              @keydown=${gestures.onHandleKeyDown}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24"><path d="m9 6-6 6 6 6M15 6l6 6-6 6" /></svg>
            </div>
          </div>
        </div>
        ${this._showChanges && variant?.changesUrl ? html`<p part="changes-legend" class="legend">${TEXT.changesLegend}</p>` : nothing}
        ${variant?.disclosure ? html`<staging-disclosure part="disclosure" .disclosure=${variant.disclosure}></staging-disclosure>` : nothing}
        <div part="controls" class="controls">
          <div part="zoom-group" class="group" role="group" aria-label=${TEXT.zoom}>
            <button type="button" part="zoom-out-button" aria-label=${TEXT.zoomOut} title=${TEXT.zoomOut} ?disabled=${this.zoom <= MIN_ZOOM} @click=${() => gestures.zoomStep(-1)}>
              <span aria-hidden="true">−</span>
            </button>
            <output part="zoom-value" class="zoom-value" aria-live="polite">${TEXT.zoomValue(this.zoom)}</output>
            <button type="button" part="zoom-in-button" aria-label=${TEXT.zoomIn} title=${TEXT.zoomInTitle} ?disabled=${this.zoom >= MAX_ZOOM} @click=${() => gestures.zoomStep(1)}>
              <span aria-hidden="true">+</span>
            </button>
            ${zoomed
              ? html`<button type="button" part="pan-button" aria-pressed=${gestures.panMode} title=${TEXT.panTitle} @click=${() => gestures.togglePanMode()}>
                    ${TEXT.pan}
                  </button>
                  <button type="button" part="zoom-reset-button" @click=${gestures.resetZoom}>${TEXT.resetZoom}</button>`
              : nothing}
          </div>
          ${variant?.changesUrl
            ? html`<button type="button" part="changes-button" aria-pressed=${this._showChanges} title=${TEXT.whatChangedTitle} @click=${() => (this._showChanges = !this._showChanges)}>
                ${TEXT.whatChanged}
              </button>`
            : nothing}
          <div part="actions" class="group actions">
            ${this.afterSrc
              ? html`<a
                    part="download-button"
                    class="button"
                    href=${this.afterSrc}
                    download=${this._fileName(variant?.contentType)}
                    aria-busy=${this._download.downloading ? 'true' : 'false'}
                    @click=${this._download.onClick}
                    >${this._download.downloading ? TEXT.downloading : TEXT.download}</a
                  >
                  <button type="button" part="use-button" class="primary" @click=${this._onUse}>${TEXT.use}</button>`
              : nothing}
          </div>
        </div>
        ${this.variants.length > 1 ? renderVariantChooser(this.variants, this.variantIndex, (index) => this.selectVariant(index)) : nothing}
      </div>
    `;
  }

  private _setPosition(value: number): void {
    const next = clamp(Math.round(value * 10) / 10, 0, 100);
    if (next === this.position) return;
    this.position = next;
    emit(this, 'staging-compare-position', { position: next });
  }

  private readonly _onBeforeLoad = (event: Event) => {
    const img = event.target as HTMLImageElement;
    if (img.naturalWidth && img.naturalHeight) this._ratio = img.naturalWidth / img.naturalHeight;
  };

  private readonly _onUse = () => {
    const variant = this.selectedVariant;
    emit(this, 'staging-output-selected', { id: variant?.id ?? '', url: this.afterSrc, variantIndex: variant ? this.variantIndex : -1, disclosure: variant?.disclosure ?? null });
  };

  private _fileName(contentType?: string): string {
    return downloadName(this.downloadName, this.selectedVariant?.id, contentType, this.afterSrc);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-before-after': StagingBeforeAfter;
  }
  interface HTMLElementEventMap {
    'staging-output-selected': CustomEvent<OutputSelectedDetail>;
    'staging-compare-position': CustomEvent<ComparePositionDetail>;
  }
}
