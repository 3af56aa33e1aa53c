import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { cssProps } from '../shared/css-props.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { emit } from '../shared/events.js';
import { maskPainterStyles } from './staging-mask-painter.styles.js';
import { BRUSH_SIZE_STEP, clampSize } from './brush-size.js';
import { importFabric, type FabricModule } from './fabric-loader.js';
import { KeyboardBrushController } from './keyboard-brush-controller.js';
import { MaskCanvasController } from './mask-canvas-controller.js';
import { MaskHistory } from './mask-history.js';
import { maskPng, type MaskOp } from './mask-ops.js';
import { TEXT } from './painter-text.js';
import { renderHelp, renderToolbar } from './painter-toolbar.js';
import { ShortcutsController, type PainterCommand } from './shortcuts-controller.js';
import { LocaleController } from '../shared/locale.js';

export type { MaskOp } from './mask-ops.js';
export type { FabricModule } from './fabric-loader.js';
export { BRUSH_SIZE_STEP, MAX_BRUSH_SIZE, MIN_BRUSH_SIZE } from './brush-size.js';

export type MaskTool = 'brush' | 'eraser';

export interface MaskChangedDetail {
  /** True when the exported mask would contain at least one white (to change) pixel. */
  hasMask: boolean;
}

export interface MaskExportedDetail {
  blob: Blob;
  width: number;
  height: number;
}

/**
 * Paints the area of a photo that the AI may change, on a fabric.js canvas laid over the
 * photo. Strokes are recorded in the photo's native pixel space, whatever size the element
 * is shown at, and `exportMask()` renders them as a black-and-white PNG at the photo's
 * native size (white = change, black = keep).
 *
 * fabric.js is not loaded with this module: it is imported the first time the element is
 * shown (it intersects the viewport), so it lands in its own chunk.
 *
 * Keyboard shortcuts, active while focus is inside the painter:
 * `B` brush · `E` eraser · `[` / `]` smaller / larger brush (5 px steps) ·
 * `Ctrl`/`Cmd`+`Z` undo · `Ctrl`/`Cmd`+`Shift`+`Z` or `Ctrl`+`Y` redo · `I` invert ·
 * `Delete` / `Backspace` clear.
 *
 * Painting without a pointer: the photo itself takes focus (Tab), and then the arrow keys move a
 * round brush cursor (with `Shift`, four times as far), `Space` or `Enter` paints a dab where it
 * is, and holding `Space` while moving paints (or erases) a line.
 *
 * @summary Brush, eraser, undo/redo, clear and invert on a photo; exports a native-size binary mask.
 *
 * @fires {CustomEvent<MaskChangedDetail>} staging-mask-changed - After each stroke, undo, redo, clear or invert, with `{ hasMask }`.
 * @fires {CustomEvent<MaskExportedDetail>} staging-mask-exported - When `exportMask()` has produced the PNG, with `{ blob, width, height }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The row of controls.
 * @csspart tool-group - The brush and eraser buttons.
 * @csspart tool-button - Every toolbar button (also carries the specific part below).
 * @csspart brush-button - The brush toggle.
 * @csspart eraser-button - The eraser toggle.
 * @csspart size - The brush size control (label, range, value).
 * @csspart size-label - The brush size label.
 * @csspart size-input - The brush size range input.
 * @csspart size-value - The brush size read-out.
 * @csspart history-group - The undo and redo buttons.
 * @csspart undo-button - Undo.
 * @csspart redo-button - Redo.
 * @csspart mask-group - The invert and clear buttons.
 * @csspart invert-button - Invert.
 * @csspart clear-button - Clear.
 * @csspart stage - The photo with the painting surface on top; focusable, for painting with the keyboard.
 * @csspart cursor - The brush outline shown while painting with the keyboard.
 * @csspart image - The photo.
 * @csspart overlay - The layer holding the painting surface; its opacity makes the mask translucent.
 * @csspart canvas - fabric's canvas wrapper (present once the painter is ready).
 * @csspart loading - The loading notice shown while fabric.js or the photo loads.
 * @csspart empty - The notice shown while `src` is empty.
 * @csspart error - The notice shown when fabric.js or the photo cannot be loaded.
 * @csspart retry-button - "Try again" in the error notice.
 * @csspart help - The keyboard shortcut help (a disclosure); hidden on touch-only devices.
 * @csspart hint - The one-line "Paint over the part…" instruction above the photo.
 * @csspart help-summary - The help's toggle.
 * @csspart help-list - The list of shortcuts.
 * @csspart status - The screen-reader announcement region.
 *
 * @cssproperty --staging-mask-color - Colour of the painted area (read when the painter becomes ready). Default `#ff2d78`.
 * @cssproperty --staging-mask-opacity - Opacity of the painted area over the photo. Default `0.5`.
 * @cssproperty --staging-mask-max-height - Largest height of the stage; the photo keeps its aspect ratio. Default `none`.
 */
@customElement('staging-mask-painter')
export class StagingMaskPainter extends LitElement {
  static override styles = [themeStyles, spinnerStyles, maskPainterStyles];

  /**
   * Loads fabric.js. Replaceable so tests can simulate a failed chunk download.
   * @internal
   */
  static fabricLoader: () => Promise<FabricModule> = importFabric;

  /** URL (or object URL) of the photo to mask. Changing it discards the current mask. */
  @property() src = '';

  /** Text alternative of the photo; "Photo to mask" in the element's language when not set. */
  @property()
  get alt(): string {
    return this._alt ?? TEXT.alt;
  }
  set alt(value: string) {
    const old = this._alt;
    this._alt = value;
    this.requestUpdate('alt', old);
  }

  private _alt: string | null = null;

  /**
   * Brush and eraser diameter in screen (CSS) pixels, 2 to 400: the brush feels the same on a
   * phone and a desktop, whatever the photo's resolution. In the photo it covers
   * `brushSize / scale` pixels, where scale is the displayed width over the photo's width.
   */
  @property({ type: Number, attribute: 'brush-size', reflect: true }) brushSize = 40;

  /** The active tool. */
  @property({ reflect: true }) tool: MaskTool = 'brush';

  @state() private _natural = { width: 0, height: 0 };
  @state() private _imageError = false;

  @query('.overlay') private _overlay!: HTMLDivElement;
  @query('[part="stage"]') private _stage!: HTMLDivElement;
  @query('img[part="image"]') private _image!: HTMLImageElement;

  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _l10n = new LocaleController(this);
  private readonly _history = new MaskHistory(this);
  private readonly _brush = () => ({ size: this.brushSize, eraser: this.tool === 'eraser' });

  private readonly _canvas = new MaskCanvasController(this, {
    load: () => StagingMaskPainter.fabricLoader(),
    overlay: () => this._overlay ?? undefined,
    ops: () => this._history.ops,
    brush: this._brush,
    onStroke: (op) => this._stroked(op),
  });

  private readonly _keyboard = new KeyboardBrushController(this, this._canvas, {
    stage: () => this._stage ?? undefined,
    photoSize: () => this._natural,
    brush: this._brush,
    announceCursor: (x, y) => this._announcer.announce(TEXT.said.cursor(x, y)),
    onStroke: (op) => this._stroked(op),
  });

  private readonly _shortcuts = new ShortcutsController(this, {
    enabled: () => this._canvas.ready,
    brush: this._keyboard,
    run: (command) => this._run(command),
  });

  /** Natural width of the photo in pixels (0 until it has loaded). */
  get naturalWidth(): number {
    return this._natural.width;
  }

  /** Natural height of the photo in pixels (0 until it has loaded). */
  get naturalHeight(): number {
    return this._natural.height;
  }

  /** Whether the exported mask would contain any area to change. */
  get hasMask(): boolean {
    return this._history.hasMask;
  }

  /** True once fabric.js and the photo have loaded and painting is possible. */
  get ready(): boolean {
    return this._canvas.ready;
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this._history.canUndo;
  }

  /** Whether there is a step to redo. */
  get canRedo(): boolean {
    return this._history.canRedo;
  }

  /** Undoes the last stroke, clear or invert. */
  undo(): void {
    const op = this._history.undo();
    if (!op) return;
    this._canvas.remove(op);
    this._changed(TEXT.said.undone);
  }

  /** Redoes the last undone step. */
  redo(): void {
    const op = this._history.redo();
    if (!op) return;
    this._canvas.add(op);
    this._changed(TEXT.said.redone);
  }

  /** Removes all painting (undoable). */
  clear(): void {
    if (!this._history.hasMask) return;
    this._push({ kind: 'clear' }, TEXT.said.cleared);
  }

  /** Swaps the painted and unpainted areas (undoable). */
  invert(): void {
    this._push({ kind: 'invert' }, TEXT.said.inverted);
  }

  /**
   * Renders the mask as a PNG at the photo's native size: opaque white where the AI may
   * change the photo, opaque black elsewhere, with no intermediate grey.
   */
  async exportMask(): Promise<Blob> {
    const { width, height } = await this._naturalSize();
    const blob = await maskPng(this._history.ops, width, height, TEXT.errors);
    emit(this, 'staging-mask-exported', { blob, width, height });
    return blob;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('brushSize')) this.brushSize = clampSize(this.brushSize);
    if (changed.has('src') && changed.get('src') !== undefined) {
      // A different photo makes the old strokes meaningless.
      this._natural = { width: 0, height: 0 };
      this._imageError = false;
      const had = this._history.reset();
      this._canvas.dispose();
      if (had) emit(this, 'staging-mask-changed', { hasMask: false });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this._canvas.sync(this._natural.width, this._natural.height);
    if (changed.has('tool') || changed.has('brushSize')) this._canvas.applyBrush();
  }

  protected override render() {
    const ready = this._canvas.ready;
    const failed = this._canvas.loadFailed || this._imageError;
    const busy = !ready && !failed && this.src !== '';
    return html`
      <div part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir}>
        ${renderToolbar({
          disabled: !ready,
          eraser: this.tool === 'eraser',
          brushSize: this.brushSize,
          canUndo: this.canUndo,
          canRedo: this.canRedo,
          hasMask: this._history.hasMask,
          run: (command) => this._run(command),
          onSize: (size) => this._setSize(size),
        })}
        <p part="hint" class="hint">${TEXT.hint}</p>
        <div
          part="stage"
          class="stage"
          ${cssProps({ '--_ratio': this._natural.width ? `${this._natural.width} / ${this._natural.height}` : null })}
          aria-busy=${busy ? 'true' : 'false'}
          data-tool=${this.tool}
          tabindex=${ifDefined(ready ? 0 : undefined)}
          role=${ifDefined(ready ? 'application' : undefined)}
          aria-label=${ready ? TEXT.stageLabel(this.alt) : nothing}
          aria-describedby=${ready ? 'stage-keys' : nothing}
          @focus=${this._keyboard.onFocus}
          @blur=${this._keyboard.onBlur}
        >
          ${this.src
            ? html`<img part="image" src=${this.src} alt=${this.alt} draggable="false" @load=${this._onImageLoad} @error=${this._onImageError} />`
            : nothing}
          <div part="overlay" class="overlay"></div>
          ${this._keyboard.renderCursor()}
          <span id="stage-keys" class="visually-hidden">${TEXT.stageKeys}</span>
          ${busy
            ? html`<div part="loading" class="notice" role="status">
                <span class="spinner" aria-hidden="true"></span>${TEXT.loading}
              </div>`
            : nothing}
          ${this.src ? nothing : html`<div part="empty" class="notice">${TEXT.empty}</div>`}
          ${failed
            ? html`<div part="error" class="notice error" role="alert">
                <span>${this._imageError ? TEXT.imageFailed : TEXT.fabricFailed}</span>
                <button type="button" part="retry-button" @click=${this._retry}>${TEXT.retry}</button>
              </div>`
            : nothing}
        </div>
        ${renderHelp()}
        ${this._announcer.render('status')}
      </div>
    `;
  }

  /** A pointer or keyboard stroke is done (it is on the surface already). */
  private _stroked(op: MaskOp): void {
    this._history.push(op);
    this._changed(op.kind === 'erase' ? TEXT.said.erased : TEXT.said.painted);
  }

  /** Clear or invert: a step that covers the whole photo. */
  private _push(op: MaskOp, announcement: string): void {
    if (!this._canvas.ready) return;
    this._history.push(op);
    this._canvas.add(op);
    this._changed(announcement);
  }

  private _changed(announcement: string): void {
    const size = this._canvas.size;
    const hasMask = this._history.measure(size.width || this._natural.width, size.height || this._natural.height);
    this._canvas.render();
    this._announcer.announce(TEXT.said.changed(announcement, hasMask));
    emit(this, 'staging-mask-changed', { hasMask });
  }

  private _setTool(tool: MaskTool): void {
    if (this.tool === tool) return;
    this.tool = tool;
    this._announcer.announce(TEXT.said.tool(tool));
  }

  private _setSize(size: number): void {
    this.brushSize = clampSize(size);
  }

  private readonly _onImageLoad = (event: Event) => {
    const img = event.target as HTMLImageElement;
    this._imageError = false;
    this._natural = { width: img.naturalWidth, height: img.naturalHeight };
  };

  private readonly _onImageError = () => {
    this._imageError = true;
  };

  private readonly _retry = () => {
    if (this._imageError && this._image) {
      this._imageError = false;
      // Re-assigning the same URL would not refetch it.
      const src = this._image.src;
      this._image.src = '';
      this._image.src = src;
    }
    this._canvas.retry();
  };

  private async _naturalSize(): Promise<{ width: number; height: number }> {
    if (this._natural.width && this._natural.height) return this._natural;
    if (!this.src) throw new Error(TEXT.errors.noPhoto);
    await this.updateComplete;
    await this._image.decode();
    return { width: this._image.naturalWidth, height: this._image.naturalHeight };
  }

  /** What a shortcut or a toolbar button asks for. */
  private _run(command: PainterCommand): void {
    switch (command) {
      case 'undo':
        return this.undo();
      case 'redo':
        return this.redo();
      case 'brush':
      case 'eraser':
        return this._setTool(command);
      case 'smaller':
        return this._setSize(this.brushSize - BRUSH_SIZE_STEP);
      case 'larger':
        return this._setSize(this.brushSize + BRUSH_SIZE_STEP);
      case 'invert':
        return this.invert();
      case 'clear':
        return this.clear();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-mask-painter': StagingMaskPainter;
  }
  interface HTMLElementEventMap {
    'staging-mask-changed': CustomEvent<MaskChangedDetail>;
    'staging-mask-exported': CustomEvent<MaskExportedDetail>;
  }
}
