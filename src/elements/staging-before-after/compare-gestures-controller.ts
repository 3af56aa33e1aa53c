import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 4;
const ZOOM_STEP = 0.5;
/** Keyboard pan step, as a fraction of the viewport. */
const PAN_STEP = 0.05;

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));

/** The element the gestures act on: its public `zoom` and `position`. */
export interface CompareHost extends ReactiveControllerHost {
  zoom: number;
  position: number;
}

export interface CompareGestureOptions {
  /** The image area (`part="viewport"`): it captures the pointer and pans. */
  viewport(): HTMLElement;
  /** The divider's handle (`part="handle"`): it takes focus when a slide starts. */
  handle(): HTMLElement;
  /** The person moved the divider to `value` (0–100, not yet rounded or clamped). */
  setPosition(value: number): void;
  /** The comparison runs right to left: `position` is measured from the right edge. */
  rtl(): boolean;
}

/**
 * The divider's keys: the next position from `current`, or undefined for a key it does not use.
 * Left and right move the divider the way the arrow points, so right to left (where the position
 * counts from the right edge) Left raises the value, as WAI-ARIA's slider pattern has it.
 */
function slideKey(key: string, shift: boolean, current: number, rtl: boolean): number | undefined {
  const step = shift ? 10 : 1;
  switch (key) {
    case 'ArrowLeft':
      return rtl ? current + step : current - step;
    case 'ArrowRight':
      return rtl ? current - step : current + step;
    case 'ArrowDown':
      return current - step;
    case 'ArrowUp':
      return current + step;
    case 'PageUp':
      return current + 10;
    case 'PageDown':
      return current - 10;
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return undefined;
  }
}

const PAN_KEYS: Record<string, [number, number]> = {
  ArrowLeft: [PAN_STEP, 0],
  ArrowRight: [-PAN_STEP, 0],
  ArrowUp: [0, PAN_STEP],
  ArrowDown: [0, -PAN_STEP],
};

/**
 * What a person does to the comparison with pointer, wheel and keys: dragging or keying the
 * divider, zooming (buttons, `Ctrl` + wheel) and panning the zoomed image (Pan mode or `Shift`
 * drags, arrow keys on the image area). It holds the pan offset and the Pan mode; the host
 * holds `position` and `zoom` and calls `zoomChanged()` from `willUpdate` when `zoom` changed.
 */
export class CompareGestureController implements ReactiveController {
  private readonly _host: CompareHost;
  private readonly _options: CompareGestureOptions;
  private _pan = { x: 0, y: 0 };
  private _panMode = false;
  private _drag?: { pointerId: number; mode: 'slide' | 'pan'; x: number; y: number };

  constructor(host: CompareHost, options: CompareGestureOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** How far the zoomed image is moved off centre, as fractions of the viewport. */
  get pan(): { x: number; y: number } {
    return this._pan;
  }

  /** Drags pan the zoomed image instead of moving the divider. */
  get panMode(): boolean {
    return this._panMode;
  }

  /** A pointer is dragging the divider or the image. */
  get dragging(): boolean {
    return this._drag !== undefined;
  }

  hostDisconnected(): void {
    this._drag = undefined;
  }

  /** From the host's `willUpdate`: keeps Pan mode and the pan offset valid for the new zoom. */
  zoomChanged(): void {
    if (this._host.zoom === 1) this._panMode = false;
    this._pan = this._clampPan(this._pan.x, this._pan.y);
  }

  togglePanMode(): void {
    this._panMode = !this._panMode;
    this._host.requestUpdate();
  }

  /** One zoom button step in or out (`direction` 1 or -1), snapped to the step. */
  zoomStep(direction: 1 | -1): void {
    this._host.zoom = clamp(Math.round((this._host.zoom + direction * ZOOM_STEP) / ZOOM_STEP) * ZOOM_STEP, MIN_ZOOM, MAX_ZOOM);
  }

  /** Back to 100 %, centred. */
  readonly resetZoom = (): void => {
    this._host.zoom = 1;
    this._setPan({ x: 0, y: 0 });
  };

  readonly onHandleKeyDown = (event: KeyboardEvent): void => {
    const next = slideKey(event.key, event.shiftKey, Math.round(this._host.position), this._options.rtl());
    if (next === undefined) return;
    event.preventDefault();
    // The viewport pans with arrows too; the handle's own keys win.
    event.stopPropagation();
    this._options.setPosition(next);
  };

  readonly onViewportKeyDown = (event: KeyboardEvent): void => {
    if (this._host.zoom <= 1 || event.target !== this._options.viewport()) return;
    const move = PAN_KEYS[event.key];
    if (!move) return;
    event.preventDefault();
    this._setPan(this._clampPan(this._pan.x + move[0], this._pan.y + move[1]));
  };

  readonly onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || this._drag) return;
    const mode = this._host.zoom > 1 && (this._panMode || event.shiftKey) ? 'pan' : 'slide';
    this._drag = { pointerId: event.pointerId, mode, x: event.clientX, y: event.clientY };
    this._options.viewport().setPointerCapture(event.pointerId);
    // Stops image dragging and text selection; focus goes to the handle so keys continue the gesture.
    event.preventDefault();
    if (mode === 'slide') {
      this._options.handle().focus({ preventScroll: true });
      this._slideTo(event.clientX);
    }
    this._host.requestUpdate();
  };

  readonly onPointerMove = (event: PointerEvent): void => {
    const drag = this._drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    if (drag.mode === 'slide') {
      this._slideTo(event.clientX);
      return;
    }
    const rect = this._options.viewport().getBoundingClientRect();
    if (!rect.width || !rect.height) return;
    this._setPan(this._clampPan(this._pan.x + (event.clientX - drag.x) / rect.width, this._pan.y + (event.clientY - drag.y) / rect.height));
    drag.x = event.clientX;
    drag.y = event.clientY;
  };

  readonly onPointerEnd = (event: PointerEvent): void => {
    if (!this._drag || this._drag.pointerId !== event.pointerId) return;
    const viewport = this._options.viewport();
    if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
    this._drag = undefined;
    this._host.requestUpdate();
  };

  readonly onWheel = (event: WheelEvent): void => {
    // Only Ctrl + wheel (also what trackpad pinches send): plain wheel keeps scrolling the page.
    if (!event.ctrlKey) return;
    event.preventDefault();
    this._host.zoom = clamp(this._host.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1), MIN_ZOOM, MAX_ZOOM);
  };

  private _slideTo(clientX: number): void {
    const rect = this._options.viewport().getBoundingClientRect();
    if (!rect.width) return;
    this._options.setPosition(((this._options.rtl() ? rect.right - clientX : clientX - rect.left) / rect.width) * 100);
  }

  private _setPan(pan: { x: number; y: number }): void {
    this._pan = pan;
    this._host.requestUpdate();
  }

  /** Keeps the zoomed image covering the viewport: at most (zoom − 1) / 2 of its size off centre. */
  private _clampPan(x: number, y: number): { x: number; y: number } {
    const limit = (this._host.zoom - 1) / 2;
    return { x: clamp(x, -limit, limit), y: clamp(y, -limit, limit) };
  }
}
