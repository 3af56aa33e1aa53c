import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { cssProps } from '../shared/css-props.js';
import type { CompareVariant } from '../shared/variants.js';
import { stackStyles } from '../shared/panel.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { emit } from '../shared/events.js';
import { beforeAfterStyles } from './staging-before-after.styles.js';
import type { OutputDisclosure } from '../../contract/disclosure.js';
import '../staging-disclosure/staging-disclosure.js';
import { downloadName } from './download-name.js';

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

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 4;
const ZOOM_STEP = 0.5;
/** Keyboard pan step, as a fraction of the viewport. */
const PAN_STEP = 0.05;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));

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
  static override styles = [themeStyles, stackStyles, beforeAfterStyles];

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

  /** Divider position from the left edge, 0–100 %. */
  @property({ type: Number, reflect: true }) position = 50;

  /** Magnification, 1–4. */
  @property({ type: Number, reflect: true }) zoom = 1;

  /** Text alternative of the "before" image. */
  @property({ attribute: 'before-alt' }) beforeAlt = 'Original photo';

  /** Text alternative of the "after" image. */
  @property({ attribute: 'after-alt' }) afterAlt = 'Staged result';

  /** Base name of downloaded files; the variant id and an extension are appended. */
  @property({ attribute: 'download-name' }) downloadName = 'staged-photo';

  @state() private _pan = { x: 0, y: 0 };
  @state() private _panMode = false;
  @state() private _ratio = 0;
  @state() private _downloading = false;
  @state() private _showChanges = false;

  @query('[part="viewport"]') private _viewport!: HTMLDivElement;
  @query('[part="handle"]') private _handle!: HTMLDivElement;

  private _drag?: { pointerId: number; mode: 'slide' | 'pan'; x: number; y: number };
  private _downloadAbort?: AbortController;
  private _objectUrls = new Set<string>();
  private _revokeTimers = new Set<ReturnType<typeof setTimeout>>();

  /** The chosen variant, if any. */
  get selectedVariant(): CompareVariant | undefined {
    return this.variants[this.variantIndex];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._downloadAbort?.abort();
    this._downloadAbort = undefined;
    this._drag = undefined;
    for (const timer of this._revokeTimers) clearTimeout(timer);
    this._revokeTimers.clear();
    for (const url of this._objectUrls) URL.revokeObjectURL(url);
    this._objectUrls.clear();
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
      if (this.zoom === 1) this._panMode = false;
      this._pan = this._clampPan(this._pan.x, this._pan.y);
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
    const transform = `translate(${this._pan.x * 100}%, ${this._pan.y * 100}%) scale(${this.zoom})`;
    const ratio = variant?.width && variant.height ? variant.width / variant.height : this._ratio || 4 / 3;
    const localPreview = variant?.localPreview === true;
    const afterAlt = localPreview ? `${this.afterAlt} (local preview)` : this.afterAlt;
    return html`
      <div part="base" class="base">
        <div
          part="viewport"
          class="viewport"
          ${cssProps({ '--_ratio': String(ratio) })}
          ?data-zoomed=${zoomed}
          ?data-pan=${this._panMode}
          ?data-dragging=${this._drag !== undefined}
          role=${zoomed ? 'group' : nothing}
          tabindex=${zoomed ? '0' : nothing}
          aria-label=${zoomed ? 'Zoomed comparison; arrow keys pan' : nothing}
          @pointerdown=${this._onPointerDown}
          @pointermove=${this._onPointerMove}
          @pointerup=${this._onPointerEnd}
          @pointercancel=${this._onPointerEnd}
          @lostpointercapture=${this._onPointerEnd}
          @wheel=${this._onWheel}
          @keydown=${this._onViewportKeyDown}
        >
          <div part="before" class="layer">
            ${this.beforeSrc
              ? html`<img part="before-image" src=${this.beforeSrc} alt=${this.beforeAlt} draggable="false" ${cssProps({ transform })} @load=${this._onBeforeLoad} />`
              : nothing}
          </div>
          <div part="after" class="layer after" ${cssProps({ 'clip-path': `inset(0 0 0 ${position}%)` })}>
            ${this.afterSrc ? html`<img part="after-image" src=${this.afterSrc} alt=${afterAlt} draggable="false" ${cssProps({ transform })} />` : nothing}
            ${this._showChanges && variant?.changesUrl
              ? html`<img part="changes-overlay" class="changes" src=${variant.changesUrl} alt="" draggable="false" ${cssProps({ transform })} />`
              : nothing}
          </div>
          <span part="before-label" class="tag tag-before" aria-hidden="true">Before</span>
          <span part="after-label" class="tag tag-after" aria-hidden="true">After</span>
          ${localPreview
            ? html`<span part="preview-badge" class="badge" title="The local engine could not run this service; this is a graded preview, not the final result."
                >Local preview</span
              >`
            : nothing}
          <div part="divider" class="divider" ${cssProps({ left: `${position}%` })}>
            <div
              part="handle"
              class="handle"
              role="slider"
              tabindex="0"
              aria-label="Before and after divider"
              aria-orientation="horizontal"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${rounded}
              aria-valuetext=${`${rounded}% before, ${100 - rounded}% after`}
              @keydown=${this._onHandleKeyDown}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24"><path d="m9 6-6 6 6 6M15 6l6 6-6 6" /></svg>
            </div>
          </div>
        </div>
        ${this._showChanges && variant?.changesUrl ? html`<p part="changes-legend" class="legend">Orange marks what the result changed in your photo.</p>` : nothing}
        ${variant?.disclosure ? html`<staging-disclosure part="disclosure" .disclosure=${variant.disclosure}></staging-disclosure>` : nothing}
        <div part="controls" class="controls">
          <div part="zoom-group" class="group" role="group" aria-label="Zoom">
            <button type="button" part="zoom-out-button" aria-label="Zoom out" title="Zoom out" ?disabled=${this.zoom <= MIN_ZOOM} @click=${() => this._zoomBy(-ZOOM_STEP)}>
              <span aria-hidden="true">−</span>
            </button>
            <output part="zoom-value" class="zoom-value" aria-live="polite">${Math.round(this.zoom * 100)}%</output>
            <button type="button" part="zoom-in-button" aria-label="Zoom in" title="Zoom in (Ctrl + wheel)" ?disabled=${this.zoom >= MAX_ZOOM} @click=${() => this._zoomBy(ZOOM_STEP)}>
              <span aria-hidden="true">+</span>
            </button>
            ${zoomed
              ? html`<button type="button" part="pan-button" aria-pressed=${String(this._panMode)} title="Drag to pan (or hold Shift)" @click=${() => (this._panMode = !this._panMode)}>
                    Pan
                  </button>
                  <button type="button" part="zoom-reset-button" @click=${this._resetZoom}>Reset zoom</button>`
              : nothing}
          </div>
          ${variant?.changesUrl
            ? html`<button type="button" part="changes-button" aria-pressed=${String(this._showChanges)} title="Mark what the result changed in your photo" @click=${() => (this._showChanges = !this._showChanges)}>
                What changed
              </button>`
            : nothing}
          <div part="actions" class="group actions">
            ${this.afterSrc
              ? html`<a
                    part="download-button"
                    class="button"
                    href=${this.afterSrc}
                    download=${this._fileName(variant?.contentType)}
                    aria-busy=${this._downloading ? 'true' : 'false'}
                    @click=${this._onDownload}
                    >${this._downloading ? 'Downloading…' : 'Download'}</a
                  >
                  <button type="button" part="use-button" class="primary" @click=${this._onUse}>Use this image</button>`
              : nothing}
          </div>
        </div>
        ${this.variants.length > 1 ? this._renderVariants() : nothing}
      </div>
    `;
  }

  private _renderVariants() {
    return html`
      <fieldset part="variants" class="variants">
        <legend part="variants-label">Variants</legend>
        <div class="variant-list">
          ${this.variants.map(
            (variant, index) => html`
              <label part="variant" class="variant">
                <input
                  class="visually-hidden"
                  type="radio"
                  name="variant"
                  .value=${String(index)}
                  .checked=${index === this.variantIndex}
                  @change=${() => this.selectVariant(index)}
                />
                <img part="variant-thumbnail" src=${variant.url} alt="" loading="lazy" draggable="false" />
                <span class="variant-text">
                  ${variant.label ?? `Variant ${index + 1}`}${variant.localPreview ? html`<span class="variant-mark"> (local preview)</span>` : nothing}
                </span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  private _setPosition(value: number): void {
    const next = clamp(Math.round(value * 10) / 10, 0, 100);
    if (next === this.position) return;
    this.position = next;
    emit(this, 'staging-compare-position', { position: next });
  }

  private readonly _onHandleKeyDown = (event: KeyboardEvent) => {
    const big = event.shiftKey ? 10 : 1;
    const current = Math.round(this.position);
    let next: number;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowDown':
        next = current - big;
        break;
      case 'ArrowRight':
      case 'ArrowUp':
        next = current + big;
        break;
      case 'PageUp':
        next = current + 10;
        break;
      case 'PageDown':
        next = current - 10;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = 100;
        break;
      default:
        return;
    }
    event.preventDefault();
    // The viewport pans with arrows too; the handle's own keys win.
    event.stopPropagation();
    this._setPosition(next);
  };

  private readonly _onViewportKeyDown = (event: KeyboardEvent) => {
    if (this.zoom <= 1 || event.target !== this._viewport) return;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    this._pan = this._clampPan(this._pan.x + move[0], this._pan.y + move[1]);
  };

  private readonly _onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || this._drag) return;
    const target = event.composedPath()[0];
    // Buttons and links inside the viewport (none today) keep their own behaviour.
    if (target instanceof HTMLElement && target.closest('button, a')) return;
    const mode = this.zoom > 1 && (this._panMode || event.shiftKey) ? 'pan' : 'slide';
    this._drag = { pointerId: event.pointerId, mode, x: event.clientX, y: event.clientY };
    this._viewport.setPointerCapture(event.pointerId);
    // Stops image dragging and text selection; focus goes to the handle so keys continue the gesture.
    event.preventDefault();
    if (mode === 'slide') {
      this._handle.focus({ preventScroll: true });
      this._slideTo(event.clientX);
    }
    this.requestUpdate();
  };

  private readonly _onPointerMove = (event: PointerEvent) => {
    const drag = this._drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    if (drag.mode === 'slide') {
      this._slideTo(event.clientX);
      return;
    }
    const rect = this._viewport.getBoundingClientRect();
    if (!rect.width || !rect.height) return;
    this._pan = this._clampPan(this._pan.x + (event.clientX - drag.x) / rect.width, this._pan.y + (event.clientY - drag.y) / rect.height);
    drag.x = event.clientX;
    drag.y = event.clientY;
  };

  private readonly _onPointerEnd = (event: PointerEvent) => {
    if (!this._drag || this._drag.pointerId !== event.pointerId) return;
    if (this._viewport.hasPointerCapture(event.pointerId)) this._viewport.releasePointerCapture(event.pointerId);
    this._drag = undefined;
    this.requestUpdate();
  };

  private _slideTo(clientX: number): void {
    const rect = this._viewport.getBoundingClientRect();
    if (!rect.width) return;
    this._setPosition(((clientX - rect.left) / rect.width) * 100);
  }

  private readonly _onWheel = (event: WheelEvent) => {
    // Only Ctrl + wheel (also what trackpad pinches send): plain wheel keeps scrolling the page.
    if (!event.ctrlKey) return;
    event.preventDefault();
    this.zoom = clamp(this.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1), MIN_ZOOM, MAX_ZOOM);
  };

  private _zoomBy(step: number): void {
    this.zoom = clamp(Math.round((this.zoom + step) / ZOOM_STEP) * ZOOM_STEP, MIN_ZOOM, MAX_ZOOM);
  }

  private readonly _resetZoom = () => {
    this.zoom = 1;
    this._pan = { x: 0, y: 0 };
  };

  /** Keeps the zoomed image covering the viewport: at most (zoom − 1) / 2 of its size off centre. */
  private _clampPan(x: number, y: number): { x: number; y: number } {
    const limit = (this.zoom - 1) / 2;
    return { x: clamp(x, -limit, limit), y: clamp(y, -limit, limit) };
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

  /**
   * Browsers ignore `download` on cross-origin links (the BFF usually is another origin), so
   * those are fetched into a blob and saved under the intended name.
   */
  private readonly _onDownload = async (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = this.afterSrc;
    let sameOrigin: boolean;
    try {
      const parsed = new URL(url, location.href);
      sameOrigin = parsed.origin === location.origin || parsed.protocol === 'blob:' || parsed.protocol === 'data:';
    } catch {
      return;
    }
    if (sameOrigin) return;
    event.preventDefault();
    this._downloadAbort?.abort();
    const controller = new AbortController();
    this._downloadAbort = controller;
    this._downloading = true;
    try {
      const response = await fetch(url, { signal: controller.signal, credentials: 'omit' });
      if (!response.ok) throw new Error(`Download failed with HTTP ${response.status}`);
      const blob = await response.blob();
      const objectUrl = URL.createObjectURL(blob);
      this._objectUrls.add(objectUrl);
      const link = document.createElement('a');
      link.href = objectUrl;
      link.download = this._fileName(blob.type || this.selectedVariant?.contentType);
      link.click();
      // The browser has copied the bytes well before this; revoking frees the blob.
      const timer = setTimeout(() => {
        this._revokeTimers.delete(timer);
        URL.revokeObjectURL(objectUrl);
        this._objectUrls.delete(objectUrl);
      }, 10_000);
      this._revokeTimers.add(timer);
    } catch {
      if (controller.signal.aborted) return;
      // Without CORS on the image the bytes cannot be read: let the browser open it instead.
      window.open(url, '_blank', 'noopener');
    } finally {
      if (this._downloadAbort === controller) {
        this._downloadAbort = undefined;
        this._downloading = false;
      }
    }
  };
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
