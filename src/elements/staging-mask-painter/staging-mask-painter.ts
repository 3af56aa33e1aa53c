import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Canvas, FabricObject, Path } from 'fabric/es';
import { cssProps } from '../shared/css-props.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { emit } from '../shared/events.js';
import { maskPainterStyles } from './staging-mask-painter.styles.js';
import { binarizeMask, maskHasCoverage, pathDataToSvg, renderMaskOps, type MaskOp } from './mask-ops.js';
import { keyboardStrokePath, moveBrushCursor, type Point } from './keyboard-brush.js';

export type { MaskOp } from './mask-ops.js';

/** The parts of fabric this element uses, loaded on demand from fabric's per-module (tree-shakeable) build. */
export type FabricModule = Pick<typeof import('fabric/es'), 'Canvas' | 'PencilBrush' | 'Path' | 'Rect'>;

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

export const MIN_BRUSH_SIZE = 2;
export const MAX_BRUSH_SIZE = 400;
/** How much `[` and `]` change the brush size, in photo pixels. */
export const BRUSH_SIZE_STEP = 5;

let fabricImport: Promise<FabricModule> | undefined;

/** One shared import for every painter on the page; forgotten on failure so "Try again" refetches. */
function importFabric(): Promise<FabricModule> {
  // Destructuring lets the bundler drop the fabric modules this element never uses.
  fabricImport ??= import('fabric/es')
    .then(({ Canvas, PencilBrush, Path, Rect }) => ({ Canvas, PencilBrush, Path, Rect }))
    .catch((error: unknown) => {
      fabricImport = undefined;
      throw error;
    });
  return fabricImport;
}

const clampSize = (value: number): number =>
  Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(Number.isFinite(value) ? value : MIN_BRUSH_SIZE)));

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

  /** Text alternative of the photo. */
  @property() alt = 'Photo to mask';

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
  @state() private _shown = false;
  @state() private _ready = false;
  @state() private _ops: readonly MaskOp[] = [];
  @state() private _redoStack: readonly MaskOp[] = [];
  @state() private _hasMask = false;
  /** Where the keyboard brush is, in photo pixels; null while the stage does not have focus. */
  @state() private _cursor: Point | null = null;

  @query('.overlay') private _overlay!: HTMLDivElement;
  @query('[part="stage"]') private _stage!: HTMLDivElement;
  @query('img[part="image"]') private _image!: HTMLImageElement;

  private readonly _announcer = new LiveAnnouncer(this);
  private _canvas?: Canvas;
  private _fabric?: FabricModule;
  private _canvasSize = { width: 0, height: 0 };
  /** fabric objects of the current canvas, per operation, so undo/redo reuse them. */
  private _objects = new Map<MaskOp, FabricObject>();
  private _intersection?: IntersectionObserver;
  private _resize?: ResizeObserver;
  private _maskColor = '#ff2d78';
  /** The keyboard stroke being drawn while Space is held: its points and its fabric preview. */
  private _keyStroke: { points: Point[]; preview?: FabricObject } | null = null;

  private readonly _fabricTask = new Task(this, {
    task: async ([shown], { signal }) => {
      if (!shown) return initialState;
      const fabric = await StagingMaskPainter.fabricLoader();
      signal.throwIfAborted();
      return fabric;
    },
    args: () => [this._shown] as const,
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
    return this._hasMask;
  }

  /** True once fabric.js and the photo have loaded and painting is possible. */
  get ready(): boolean {
    return this._ready;
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this._ops.length > 0;
  }

  /** Whether there is a step to redo. */
  get canRedo(): boolean {
    return this._redoStack.length > 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this._onKeyDown);
    this.addEventListener('keyup', this._onKeyUp);
    if (!this._shown) this._watchVisibility();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this._onKeyDown);
    this.removeEventListener('keyup', this._onKeyUp);
    this._keyStroke = null;
    this._cursor = null;
    this._intersection?.disconnect();
    this._intersection = undefined;
    this._teardownCanvas();
  }

  /** Undoes the last stroke, clear or invert. */
  undo(): void {
    const op = this._ops.at(-1);
    if (!op) return;
    this._ops = this._ops.slice(0, -1);
    this._redoStack = [...this._redoStack, op];
    const object = this._objects.get(op);
    if (object) this._canvas?.remove(object);
    this._changed('Undone');
  }

  /** Redoes the last undone step. */
  redo(): void {
    const op = this._redoStack.at(-1);
    if (!op) return;
    this._redoStack = this._redoStack.slice(0, -1);
    this._ops = [...this._ops, op];
    if (this._canvas) this._canvas.add(this._objectFor(op));
    this._changed('Redone');
  }

  /** Removes all painting (undoable). */
  clear(): void {
    if (!this._hasMask) return;
    this._push({ kind: 'clear' }, 'Mask cleared');
  }

  /** Swaps the painted and unpainted areas (undoable). */
  invert(): void {
    this._push({ kind: 'invert' }, 'Mask inverted');
  }

  /**
   * Renders the mask as a PNG at the photo's native size: opaque white where the AI may
   * change the photo, opaque black elsewhere, with no intermediate grey.
   */
  async exportMask(): Promise<Blob> {
    const { width, height } = await this._naturalSize();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser cannot draw the mask: no 2D canvas is available.');
    renderMaskOps(ctx, this._ops, width, height);
    ctx.putImageData(binarizeMask(ctx.getImageData(0, 0, width, height)), 0, 0);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The mask could not be encoded as PNG.'))), 'image/png'),
    );
    emit(this, 'staging-mask-exported', { blob, width, height });
    return blob;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('brushSize')) this.brushSize = clampSize(this.brushSize);
    if (changed.has('src') && changed.get('src') !== undefined) {
      // A different photo makes the old strokes meaningless.
      const had = this._hasMask;
      this._natural = { width: 0, height: 0 };
      this._imageError = false;
      this._ops = [];
      this._redoStack = [];
      this._hasMask = false;
      this._teardownCanvas();
      if (had) emit(this, 'staging-mask-changed', { hasMask: false });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this._syncCanvas();
    if (this._canvas && (changed.has('tool') || changed.has('brushSize'))) this._applyBrush();
  }

  protected override render() {
    const loadError = this._fabricTask.status === TaskStatus.ERROR;
    const failed = loadError || this._imageError;
    const busy = !this._ready && !failed && this.src !== '';
    const disabled = !this._ready;
    const eraser = this.tool === 'eraser';
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar" role="group" aria-label="Mask tools">
          <div part="tool-group" class="group" role="group" aria-label="Tool">
            <button
              type="button"
              part="tool-button brush-button"
              aria-pressed=${!eraser}
              aria-keyshortcuts="B"
              title="Brush (B)"
              ?disabled=${disabled}
              @click=${() => this._setTool('brush')}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 20c3 0 5-2 5-4a2 2 0 0 0-4 0c0 1-1 2-1 4zm5.5-5.5 9-9a1.4 1.4 0 0 1 2 2l-9 9z" /></svg>
              <span>Brush</span>
            </button>
            <button
              type="button"
              part="tool-button eraser-button"
              aria-pressed=${eraser}
              aria-keyshortcuts="E"
              title="Eraser (E)"
              ?disabled=${disabled}
              @click=${() => this._setTool('eraser')}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24"><path d="m3 16 9-9 6 6-6 6H6zm5 3h12" /></svg>
              <span>Eraser</span>
            </button>
          </div>
          <div part="size" class="size">
            <label part="size-label" for="brush-size">Size</label>
            <input
              id="brush-size"
              part="size-input"
              type="range"
              min=${MIN_BRUSH_SIZE}
              max=${MAX_BRUSH_SIZE}
              step="1"
              .value=${String(this.brushSize)}
              aria-valuetext=${`${this.brushSize} pixels`}
              aria-keyshortcuts="[ ]"
              title="Brush size in photo pixels ([ and ])"
              ?disabled=${disabled}
              @input=${this._onSizeInput}
            />
            <output part="size-value" for="brush-size" aria-hidden="true">${this.brushSize}&nbsp;px</output>
          </div>
          <div part="history-group" class="group" role="group" aria-label="History">
            <button
              type="button"
              part="tool-button undo-button"
              aria-keyshortcuts="Control+Z Meta+Z"
              title="Undo (Ctrl+Z)"
              ?disabled=${disabled || !this.canUndo}
              @click=${() => this.undo()}
            >
              Undo
            </button>
            <button
              type="button"
              part="tool-button redo-button"
              aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
              title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
              ?disabled=${disabled || !this.canRedo}
              @click=${() => this.redo()}
            >
              Redo
            </button>
          </div>
          <div part="mask-group" class="group" role="group" aria-label="Whole mask">
            <button type="button" part="tool-button invert-button" aria-keyshortcuts="I" title="Invert (I)" ?disabled=${disabled} @click=${() => this.invert()}>
              Invert
            </button>
            <button
              type="button"
              part="tool-button clear-button"
              aria-keyshortcuts="Delete Backspace"
              title="Clear (Delete)"
              ?disabled=${disabled || !this._hasMask}
              @click=${() => this.clear()}
            >
              Clear
            </button>
          </div>
        </div>
        <p part="hint" class="hint">Paint over the part of the photo to change. The rest stays as it is.</p>
        <div
          part="stage"
          class="stage"
          ${cssProps({ '--_ratio': this._natural.width ? `${this._natural.width} / ${this._natural.height}` : null })}
          aria-busy=${busy ? 'true' : 'false'}
          data-tool=${this.tool}
          tabindex=${ifDefined(this._ready ? 0 : undefined)}
          role=${ifDefined(this._ready ? 'application' : undefined)}
          aria-label=${this._ready ? `${this.alt}: paint with the keyboard` : nothing}
          aria-describedby=${this._ready ? 'stage-keys' : nothing}
          @focus=${this._onStageFocus}
          @blur=${this._onStageBlur}
        >
          ${this.src
            ? html`<img part="image" src=${this.src} alt=${this.alt} draggable="false" @load=${this._onImageLoad} @error=${this._onImageError} />`
            : nothing}
          <div part="overlay" class="overlay"></div>
          ${this._cursor ? this._renderCursor(this._cursor) : nothing}
          <span id="stage-keys" class="visually-hidden">Arrow keys move the brush, Shift with an arrow moves it further. Space paints where it is; hold Space while moving to paint a line.</span>
          ${busy
            ? html`<div part="loading" class="notice" role="status">
                <span class="spinner" aria-hidden="true"></span>Loading the mask painter…
              </div>`
            : nothing}
          ${this.src ? nothing : html`<div part="empty" class="notice">No photo to mask yet.</div>`}
          ${failed
            ? html`<div part="error" class="notice error" role="alert">
                <span>${this._imageError ? 'The photo could not be loaded.' : 'The mask painter could not be loaded. Check your connection.'}</span>
                <button type="button" part="retry-button" @click=${this._retry}>Try again</button>
              </div>`
            : nothing}
        </div>
        <details part="help" class="help">
          <summary part="help-summary">Keyboard shortcuts</summary>
          <dl part="help-list">
            <div><dt><kbd>B</kbd></dt><dd>Brush</dd></div>
            <div><dt><kbd>E</kbd></dt><dd>Eraser</dd></div>
            <div><dt><kbd>[</kbd> <kbd>]</kbd></dt><dd>Smaller / larger brush</dd></div>
            <div><dt><kbd>Ctrl</kbd>+<kbd>Z</kbd></dt><dd>Undo</dd></div>
            <div><dt><kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd>, <kbd>Ctrl</kbd>+<kbd>Y</kbd></dt><dd>Redo</dd></div>
            <div><dt><kbd>I</kbd></dt><dd>Invert</dd></div>
            <div><dt><kbd>Delete</kbd></dt><dd>Clear</dd></div>
            <div><dt><kbd>←</kbd> <kbd>↑</kbd> <kbd>→</kbd> <kbd>↓</kbd></dt><dd>Move the brush (photo focused)</dd></div>
            <div><dt><kbd>Space</kbd></dt><dd>Paint; hold while moving for a line</dd></div>
          </dl>
          <p>Paint over the part of the photo the AI may change. On a Mac use <kbd>Cmd</kbd> instead of <kbd>Ctrl</kbd>.</p>
        </details>
        ${this._announcer.render('status')}
      </div>
    `;
  }

  private _renderCursor(at: Point) {
    const { width, height } = this._natural;
    if (!width || !height) return nothing;
    return html`<div
      part="cursor"
      class="cursor"
      aria-hidden="true"
      ${cssProps({ left: `${(at.x / width) * 100}%`, top: `${(at.y / height) * 100}%`, width: `${this.brushSize}px` })}
    ></div>`;
  }

  private _watchVisibility(): void {
    if (typeof IntersectionObserver === 'undefined') {
      this._shown = true;
      return;
    }
    this._intersection = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this._shown = true;
        this._intersection?.disconnect();
        this._intersection = undefined;
      },
      // Start the download a little before the painter scrolls into view.
      { rootMargin: '200px' },
    );
    this._intersection.observe(this);
  }

  private _syncCanvas(): void {
    const fabric = this._fabricTask.value;
    const { width, height } = this._natural;
    if (!fabric || !width || !height || !this.isConnected || !this._overlay) return;
    if (this._canvas && this._canvasSize.width === width && this._canvasSize.height === height) return;
    this._teardownCanvas();
    this._initCanvas(fabric, width, height);
  }

  private _initCanvas(fabric: FabricModule, width: number, height: number): void {
    const element = document.createElement('canvas');
    this._overlay.append(element);
    const canvas = new fabric.Canvas(element, {
      isDrawingMode: true,
      selection: false,
      enablePointerEvents: true,
      freeDrawingCursor: 'crosshair',
    });
    canvas.wrapperEl.setAttribute('part', 'canvas');
    canvas.freeDrawingBrush = new fabric.PencilBrush(canvas);
    canvas.on('before:path:created', ({ path }) => this._onPathCreated(path as Path));
    this._fabric = fabric;
    this._canvas = canvas;
    this._canvasSize = { width, height };
    this._maskColor = getComputedStyle(this).getPropertyValue('--_mask-color').trim() || this._maskColor;
    this._objects = new Map();
    for (const op of this._ops) canvas.add(this._objectFor(op));
    this._resize = new ResizeObserver(() => this._fit());
    this._resize.observe(this._overlay);
    this._fit();
    this._applyBrush();
    // Called from updated(): a state change there would schedule an update after the one just
    // completed (Lit warns about it in dev mode). Readiness follows right after, as its own update.
    queueMicrotask(() => {
      if (this._canvas === canvas) this._ready = true;
    });
  }

  private _teardownCanvas(): void {
    this._resize?.disconnect();
    this._resize = undefined;
    const canvas = this._canvas;
    if (!canvas) return;
    this._canvas = undefined;
    this._objects.clear();
    this._ready = false;
    const lower = canvas.lowerCanvasEl;
    // dispose() puts the lower canvas back where the wrapper was; remove it once done.
    void canvas.dispose().finally(() => lower.remove());
  }

  /** Matches the drawing surface to the displayed photo; zoom maps screen to photo pixels. */
  private _fit(): void {
    const canvas = this._canvas;
    const { width, height } = this._canvasSize;
    const shown = this._overlay?.clientWidth ?? 0;
    if (!canvas || !shown || !width) return;
    canvas.setDimensions({ width: shown, height: (shown * height) / width });
    canvas.setZoom(shown / width);
    // The brush keeps its size on screen: in photo pixels it follows the new scale.
    this._applyBrush();
    canvas.requestRenderAll();
  }

  /** The brush's diameter in photo pixels: `brushSize` screen pixels at the current display scale. */
  private get _photoBrush(): number {
    const zoom = this._canvas?.getZoom() ?? 1;
    return this.brushSize / (zoom > 0 ? zoom : 1);
  }

  private _applyBrush(): void {
    const brush = this._canvas?.freeDrawingBrush;
    if (!brush) return;
    brush.width = this._photoBrush;
    // The eraser's live stroke is previewed in white; once finished it cuts the mask.
    brush.color = this.tool === 'eraser' ? '#ffffff' : this._maskColor;
    brush.strokeLineCap = 'round';
    brush.strokeLineJoin = 'round';
  }

  private _objectFor(op: MaskOp): FabricObject {
    const existing = this._objects.get(op);
    if (existing) return existing;
    const fabric = this._fabric!;
    const common = { selectable: false, evented: false, objectCaching: false } as const;
    let object: FabricObject;
    if (op.kind === 'paint' || op.kind === 'erase') {
      object = new fabric.Path(op.d, {
        ...common,
        fill: null,
        stroke: this._maskColor,
        strokeWidth: op.width,
        strokeLineCap: 'round',
        strokeLineJoin: 'round',
        globalCompositeOperation: op.kind === 'erase' ? 'destination-out' : 'source-over',
      });
    } else {
      const { width, height } = this._canvasSize;
      object = new fabric.Rect({
        ...common,
        left: 0,
        top: 0,
        originX: 'left',
        originY: 'top',
        width,
        height,
        strokeWidth: 0,
        fill: this._maskColor,
        // Same compositing as the export renderer, so the screen shows what will be exported.
        globalCompositeOperation: op.kind === 'invert' ? 'xor' : 'destination-out',
      });
    }
    this._objects.set(op, object);
    return object;
  }

  private _onPathCreated(path: Path): void {
    const kind = this.tool === 'eraser' ? 'erase' : 'paint';
    const op: MaskOp = { kind, d: pathDataToSvg(path.path), width: path.strokeWidth };
    path.set({
      selectable: false,
      evented: false,
      objectCaching: false,
      stroke: this._maskColor,
      globalCompositeOperation: kind === 'erase' ? 'destination-out' : 'source-over',
    });
    // fabric adds this path to the canvas itself right after this event.
    this._objects.set(op, path);
    this._ops = [...this._ops, op];
    this._redoStack = [];
    this._changed(kind === 'erase' ? 'Erased' : 'Painted');
  }

  private _push(op: MaskOp, announcement: string): void {
    if (!this._ready) return;
    this._ops = [...this._ops, op];
    this._redoStack = [];
    this._canvas?.add(this._objectFor(op));
    this._changed(announcement);
  }

  private _changed(announcement: string): void {
    this._hasMask = maskHasCoverage(this._ops, this._canvasSize.width || this._natural.width, this._canvasSize.height || this._natural.height);
    this._canvas?.requestRenderAll();
    this._announcer.announce(`${announcement}. ${this._hasMask ? 'Some area is marked for change.' : 'Nothing is marked for change.'}`);
    emit(this, 'staging-mask-changed', { hasMask: this._hasMask });
  }

  private _setTool(tool: MaskTool): void {
    if (this.tool === tool) return;
    this.tool = tool;
    this._announcer.announce(tool === 'brush' ? 'Brush selected' : 'Eraser selected');
  }

  private _setSize(size: number): void {
    this.brushSize = clampSize(size);
  }

  private readonly _onSizeInput = (event: Event) => {
    this._setSize(Number((event.target as HTMLInputElement).value));
  };

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
    if (this._fabricTask.status === TaskStatus.ERROR) void this._fabricTask.run();
  };

  private async _naturalSize(): Promise<{ width: number; height: number }> {
    if (this._natural.width && this._natural.height) return this._natural;
    if (!this.src) throw new Error('There is no photo: set `src` before exporting a mask.');
    await this.updateComplete;
    await this._image.decode();
    return { width: this._image.naturalWidth, height: this._image.naturalHeight };
  }

  private readonly _onStageFocus = () => {
    const { width, height } = this._natural;
    if (!this._ready || !width) return;
    this._cursor ??= { x: Math.round(width / 2), y: Math.round(height / 2) };
    this._announcer.announce(`Brush ${this._cursorText(this._cursor)}.`);
  };

  private readonly _onStageBlur = () => {
    this._endKeyStroke();
    this._cursor = null;
  };

  private _cursorText(at: Point): string {
    const { width, height } = this._natural;
    return `at ${Math.round((at.x / width) * 100)}% from the left, ${Math.round((at.y / height) * 100)}% from the top`;
  }

  /** Arrow keys, Space and Enter on the focused photo. Returns whether the key was used. */
  private _onStageKey(event: KeyboardEvent): boolean {
    if (!this._cursor || event.composedPath()[0] !== this._stage || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === ' ' || event.key === 'Enter') {
      if (!event.repeat && !this._keyStroke) {
        this._keyStroke = { points: [this._cursor] };
        this._drawKeyStroke();
      }
      return true;
    }
    const step = Math.max(1, Math.round(this._photoBrush / 2)) * (event.shiftKey ? 4 : 1);
    const next = moveBrushCursor(this._cursor, event.key, step, this._natural);
    if (!next) return false;
    this._cursor = next;
    if (this._keyStroke) {
      this._keyStroke.points.push(next);
      this._drawKeyStroke();
    } else {
      this._announcer.announce(`Brush ${this._cursorText(next)}.`);
    }
    return true;
  }

  /** Shows the keyboard stroke so far, drawn like a pointer stroke. */
  private _drawKeyStroke(): void {
    const stroke = this._keyStroke;
    const canvas = this._canvas;
    if (!stroke || !canvas || !this._fabric) return;
    if (stroke.preview) canvas.remove(stroke.preview);
    stroke.preview = new this._fabric.Path(keyboardStrokePath(stroke.points), {
      selectable: false,
      evented: false,
      objectCaching: false,
      fill: null,
      stroke: this._maskColor,
      strokeWidth: this._photoBrush,
      strokeLineCap: 'round',
      strokeLineJoin: 'round',
      globalCompositeOperation: this.tool === 'eraser' ? 'destination-out' : 'source-over',
    });
    canvas.add(stroke.preview);
    canvas.requestRenderAll();
  }

  /** Space (or Enter) released, or focus gone: the keyboard stroke becomes one undoable step. */
  private _endKeyStroke(): void {
    const stroke = this._keyStroke;
    this._keyStroke = null;
    if (!stroke?.preview) return;
    const kind = this.tool === 'eraser' ? 'erase' : 'paint';
    const op: MaskOp = { kind, d: keyboardStrokePath(stroke.points), width: this._photoBrush };
    this._objects.set(op, stroke.preview);
    this._ops = [...this._ops, op];
    this._redoStack = [];
    this._changed(kind === 'erase' ? 'Erased' : 'Painted');
  }

  private readonly _onKeyUp = (event: KeyboardEvent) => {
    if (this._keyStroke && (event.key === ' ' || event.key === 'Enter')) {
      event.preventDefault();
      this._endKeyStroke();
    }
  };

  private readonly _onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || !this._ready) return;
    if (this._onStageKey(event)) {
      // The page must not scroll, and Space must not reach a button.
      event.preventDefault();
      return;
    }
    const key = event.key.toLowerCase();
    const command = event.ctrlKey || event.metaKey;
    let handled = true;
    if (command && !event.altKey && key === 'z') {
      if (event.shiftKey) this.redo();
      else this.undo();
    } else if (event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey && key === 'y') {
      this.redo();
    } else if (command || event.altKey) {
      handled = false;
    } else if (key === 'b') {
      this._setTool('brush');
    } else if (key === 'e') {
      this._setTool('eraser');
    } else if (key === '[') {
      this._setSize(this.brushSize - BRUSH_SIZE_STEP);
    } else if (key === ']') {
      this._setSize(this.brushSize + BRUSH_SIZE_STEP);
    } else if (key === 'i') {
      this.invert();
    } else if (key === 'delete' || key === 'backspace') {
      this.clear();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  };
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
