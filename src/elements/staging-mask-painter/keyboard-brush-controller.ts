import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { FabricObject } from 'fabric/es';
import { cssProps } from '../shared/css-props.js';
import { keyboardStrokePath, moveBrushCursor, type Point } from './keyboard-brush.js';
import type { MaskCanvasController } from './mask-canvas-controller.js';
import type { MaskOp } from './mask-ops.js';

export interface KeyboardBrushOptions {
  /** The focusable photo the keys act on. */
  stage(): HTMLElement | undefined;
  /** The photo's native size (0 × 0 until it has loaded). */
  photoSize(): { width: number; height: number };
  /** The brush's diameter in screen pixels (the cursor's size), and whether it erases. */
  brush(): { size: number; eraser: boolean };
  /** Says where the cursor is, `x` and `y` in percent of the photo. */
  announceCursor(x: number, y: number): void;
  /** A keyboard stroke is done; it is on the surface already. */
  onStroke(op: MaskOp): void;
}

/**
 * Painting `<staging-mask-painter>`'s photo without a pointer: while the stage has focus, the
 * arrow keys move a round cursor (with Shift, four times as far), Space or Enter paints a dab
 * where it is, and holding it while moving paints a line, which becomes one undoable step.
 */
export class KeyboardBrushController implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _canvas: MaskCanvasController;
  private readonly _options: KeyboardBrushOptions;
  /** Where the keyboard brush is, in photo pixels; null while the stage does not have focus. */
  private _cursor: Point | null = null;
  /** The keyboard stroke being drawn while Space is held: its points and its fabric preview. */
  private _stroke: { points: Point[]; preview?: FabricObject } | null = null;

  constructor(host: ReactiveControllerHost, canvas: MaskCanvasController, options: KeyboardBrushOptions) {
    this._host = host;
    this._canvas = canvas;
    this._options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this._stroke = null;
    this._setCursor(null);
  }

  /** The stage's `focus` listener: the cursor appears (at the photo's centre the first time). */
  readonly onFocus = (): void => {
    const { width, height } = this._options.photoSize();
    if (!this._canvas.ready || !width) return;
    const at = this._cursor ?? { x: Math.round(width / 2), y: Math.round(height / 2) };
    this._setCursor(at);
    this._announce(at);
  };

  /** The stage's `blur` listener: a stroke under way is finished, and the cursor goes. */
  readonly onBlur = (): void => {
    this._endStroke();
    this._setCursor(null);
  };

  /** Arrow keys, Space and Enter on the focused stage. Returns whether the key was used. */
  keyDown(event: KeyboardEvent): boolean {
    const at = this._cursor;
    if (!at || event.composedPath()[0] !== this._options.stage() || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === ' ' || event.key === 'Enter') {
      if (!event.repeat && !this._stroke) {
        this._stroke = { points: [at] };
        this._drawStroke();
      }
      return true;
    }
    const step = Math.max(1, Math.round(this._canvas.photoBrush / 2)) * (event.shiftKey ? 4 : 1);
    const next = moveBrushCursor(at, event.key, step, this._options.photoSize());
    if (!next) return false;
    this._setCursor(next);
    if (this._stroke) {
      this._stroke.points.push(next);
      this._drawStroke();
    } else {
      this._announce(next);
    }
    return true;
  }

  /** Space or Enter released ends the stroke. Returns whether the key was used. */
  keyUp(event: KeyboardEvent): boolean {
    if (!this._stroke || (event.key !== ' ' && event.key !== 'Enter')) return false;
    this._endStroke();
    return true;
  }

  /** The brush outline (part `cursor`) while the stage has focus. */
  renderCursor(): TemplateResult | typeof nothing {
    const at = this._cursor;
    const { width, height } = this._options.photoSize();
    if (!at || !width || !height) return nothing;
    return html`<div
      part="cursor"
      class="cursor"
      aria-hidden="true"
      ${cssProps({ left: `${(at.x / width) * 100}%`, top: `${(at.y / height) * 100}%`, width: `${this._options.brush().size}px` })}
    ></div>`;
  }

  private _setCursor(at: Point | null): void {
    if (this._cursor === at) return;
    this._cursor = at;
    this._host.requestUpdate();
  }

  private _announce(at: Point): void {
    const { width, height } = this._options.photoSize();
    this._options.announceCursor(Math.round((at.x / width) * 100), Math.round((at.y / height) * 100));
  }

  /** Shows the keyboard stroke so far, drawn like a pointer stroke. */
  private _drawStroke(): void {
    const stroke = this._stroke;
    if (!stroke) return;
    stroke.preview = this._canvas.preview(keyboardStrokePath(stroke.points), stroke.preview) ?? stroke.preview;
  }

  /** Space (or Enter) released, or focus gone: the keyboard stroke becomes one undoable step. */
  private _endStroke(): void {
    const stroke = this._stroke;
    this._stroke = null;
    if (!stroke?.preview) return;
    const op: MaskOp = { kind: this._canvas.strokeKind, d: keyboardStrokePath(stroke.points), width: this._canvas.photoBrush };
    this._canvas.adopt(op, stroke.preview);
    this._options.onStroke(op);
  }
}
