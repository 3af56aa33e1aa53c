import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Canvas, FabricObject, Path } from 'fabric/es';
import type { FabricModule } from './fabric-loader.js';
import { COMPOSITE, pathDataToSvg, type MaskOp } from './mask-ops.js';

export interface MaskCanvasOptions {
  /** Loads fabric.js (the element's replaceable loader). */
  load(): Promise<FabricModule>;
  /** The element the drawing surface goes into (absent before the first render). */
  overlay(): HTMLElement | undefined;
  /** The mask so far, drawn again on every new surface. */
  ops(): readonly MaskOp[];
  /** The brush's diameter in screen pixels, and whether it erases. */
  brush(): { size: number; eraser: boolean };
  /** A pointer stroke has been drawn; it is on the surface already. */
  onStroke(op: MaskOp): void;
}

/**
 * The fabric.js drawing surface of `<staging-mask-painter>`: loads fabric the first time the host
 * comes near the viewport, creates the canvas once the photo's size is known (in photo pixels,
 * zoomed to the displayed width and refitted when the overlay resizes), draws mask operations on
 * it, and disposes of it when the photo changes or the host leaves the page.
 */
export class MaskCanvasController implements ReactiveController {
  private readonly _host: ReactiveControllerHost & HTMLElement;
  private readonly _options: MaskCanvasOptions;
  private _shown = false;
  private _loadFailed = false;
  private _ready = false;
  private _canvas?: Canvas;
  /** fabric.js, once loaded. */
  private _fabric?: FabricModule;
  private _size = { width: 0, height: 0 };
  /** fabric objects of the current canvas, per operation, so undo/redo reuse them. */
  private _objects = new Map<MaskOp, FabricObject>();
  private _intersection?: IntersectionObserver;
  private _resize?: ResizeObserver;
  private _maskColor = '#ff2d78';

  constructor(host: ReactiveControllerHost & HTMLElement, options: MaskCanvasOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** The surface exists and takes strokes. */
  get ready(): boolean {
    return this._ready;
  }

  /** fabric.js could not be loaded. */
  get loadFailed(): boolean {
    return this._loadFailed;
  }

  /** The photo size the surface was made for (kept after it is disposed). */
  get size(): { width: number; height: number } {
    return this._size;
  }

  /** What a stroke drawn now does: the brush paints, the eraser erases. */
  get strokeKind(): 'paint' | 'erase' {
    return this._options.brush().eraser ? 'erase' : 'paint';
  }

  /** The brush's diameter in photo pixels: its screen size at the current display scale. */
  get photoBrush(): number {
    const zoom = this._canvas?.getZoom() ?? 1;
    return this._options.brush().size / (zoom > 0 ? zoom : 1);
  }

  hostConnected(): void {
    if (!this._shown) this._watchVisibility();
  }

  hostDisconnected(): void {
    this._intersection?.disconnect();
    this._intersection = undefined;
    this.dispose();
  }

  /** Loads fabric again after it failed. */
  retry(): void {
    if (this._loadFailed) this._load();
  }

  /** Makes sure a surface for a `width` × `height` photo exists, once fabric is loaded; call after each update. */
  sync(width: number, height: number): void {
    const fabric = this._fabric;
    const overlay = this._options.overlay();
    if (!fabric || !width || !height || !this._host.isConnected || !overlay) return;
    if (this._canvas && this._size.width === width && this._size.height === height) return;
    this.dispose();
    this._create(fabric, overlay, width, height);
  }

  /** Removes the surface (the operations stay with the host). */
  dispose(): void {
    this._resize?.disconnect();
    this._resize = undefined;
    const canvas = this._canvas;
    if (!canvas) return;
    this._canvas = undefined;
    this._objects.clear();
    this._setReady(false);
    const lower = canvas.lowerCanvasEl;
    // dispose() puts the lower canvas back where the wrapper was; remove it once done.
    void canvas.dispose().finally(() => lower.remove());
  }

  /** Shows `op` (again). */
  add(op: MaskOp): void {
    if (this._canvas) this._canvas.add(this._objectFor(op));
  }

  /** Takes `op` off the surface. */
  remove(op: MaskOp): void {
    const object = this._objects.get(op);
    if (object) this._canvas?.remove(object);
  }

  /** Draws the surface again after changes. */
  render(): void {
    this._canvas?.requestRenderAll();
  }

  /** Sets fabric's brush from the host's size and tool. */
  applyBrush(): void {
    const brush = this._canvas?.freeDrawingBrush;
    if (!brush) return;
    brush.width = this.photoBrush;
    // The eraser's live stroke is previewed in white; once finished it cuts the mask.
    brush.color = this._options.brush().eraser ? '#ffffff' : this._maskColor;
  }

  /**
   * Shows a stroke being drawn some other way than fabric's brush (the keyboard), replacing
   * `previous`; returns its object for `adopt()`, undefined while there is no surface.
   */
  preview(d: string, previous?: FabricObject): FabricObject | undefined {
    const canvas = this._canvas;
    if (!canvas || !this._fabric) return undefined;
    if (previous) canvas.remove(previous);
    const object = this._strokeObject(this._fabric, { kind: this.strokeKind, d, width: this.photoBrush });
    canvas.add(object);
    canvas.requestRenderAll();
    return object;
  }

  /** Makes `object` (already on the surface) the drawing of `op`, so undo and redo reuse it. */
  adopt(op: MaskOp, object: FabricObject): void {
    this._objects.set(op, object);
  }

  private _setReady(ready: boolean): void {
    if (this._ready === ready) return;
    this._ready = ready;
    this._host.requestUpdate();
  }

  private _watchVisibility(): void {
    this._intersection = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this._shown = true;
        this._load();
        this._intersection?.disconnect();
        this._intersection = undefined;
      },
      // Start the download a little before the painter scrolls into view.
      { rootMargin: '200px' },
    );
    this._intersection.observe(this._host);
  }

  /** Loads fabric, then renders the host again (it makes the surface once the photo is there too). */
  private _load(): void {
    this._loadFailed = false;
    this._options.load().then(
      (fabric) => {
        this._fabric = fabric;
        this._host.requestUpdate();
      },
      () => {
        this._loadFailed = true;
        this._host.requestUpdate();
      },
    );
    this._host.requestUpdate();
  }

  private _create(fabric: FabricModule, overlay: HTMLElement, width: number, height: number): void {
    const element = document.createElement('canvas');
    overlay.append(element);
    const canvas = new fabric.Canvas(element, {
      isDrawingMode: true,
      selection: false,
      enablePointerEvents: true,
    });
    canvas.wrapperEl.setAttribute('part', 'canvas');
    canvas.freeDrawingBrush = new fabric.PencilBrush(canvas);
    canvas.on('before:path:created', ({ path }) => this._onPathCreated(path as Path));
    this._canvas = canvas;
    this._size = { width, height };
    this._maskColor = getComputedStyle(this._host).getPropertyValue('--_mask-color').trim() || this._maskColor;
    this._objects = new Map();
    for (const op of this._options.ops()) canvas.add(this._objectFor(op));
    this._resize = new ResizeObserver(() => this._fit(overlay));
    this._resize.observe(overlay);
    this._fit(overlay);
    this.applyBrush();
    // Called from the host's updated(): a state change there would schedule an update after the
    // one just completed (Lit warns about it in dev mode). Readiness follows right after, as its own update.
    queueMicrotask(() => {
      if (this._canvas === canvas) this._setReady(true);
    });
  }

  /** Matches the drawing surface to the displayed photo; zoom maps screen to photo pixels. */
  private _fit(overlay: HTMLElement): void {
    const canvas = this._canvas;
    const { width, height } = this._size;
    const shown = overlay.clientWidth;
    if (!canvas || !shown || !width) return;
    canvas.setDimensions({ width: shown, height: (shown * height) / width });
    canvas.setZoom(shown / width);
    // The brush keeps its size on screen: in photo pixels it follows the new scale.
    this.applyBrush();
    canvas.requestRenderAll();
  }

  /** What every mask object is: inert, and composited as the export renderer does, so the screen shows what will be exported. */
  private _maskStyle(kind: MaskOp['kind']) {
    return { selectable: false, evented: false, objectCaching: false, globalCompositeOperation: COMPOSITE[kind] } as const;
  }

  private _strokeObject(fabric: FabricModule, op: Extract<MaskOp, { d: string }>): FabricObject {
    return new fabric.Path(op.d, {
      ...this._maskStyle(op.kind),
      fill: null,
      stroke: this._maskColor,
      strokeWidth: op.width,
      strokeLineCap: 'round',
      strokeLineJoin: 'round',
    });
  }

  private _objectFor(op: MaskOp): FabricObject {
    const existing = this._objects.get(op);
    if (existing) return existing;
    const fabric = this._fabric!;
    let object: FabricObject;
    if (op.kind === 'paint' || op.kind === 'erase') {
      object = this._strokeObject(fabric, op);
    } else {
      const { width, height } = this._size;
      object = new fabric.Rect({
        ...this._maskStyle(op.kind),
        originX: 'left',
        originY: 'top',
        width,
        height,
        strokeWidth: 0,
        fill: this._maskColor,
      });
    }
    this._objects.set(op, object);
    return object;
  }

  private _onPathCreated(path: Path): void {
    const op: MaskOp = { kind: this.strokeKind, d: pathDataToSvg(path.path), width: path.strokeWidth };
    path.set({ ...this._maskStyle(op.kind), stroke: this._maskColor });
    // fabric adds this path to the canvas itself right after this event.
    this._objects.set(op, path);
    this._options.onStroke(op);
  }
}
