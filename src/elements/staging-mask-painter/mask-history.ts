import type { ReactiveControllerHost } from 'lit';
import { maskHasCoverage, type MaskOp } from './mask-ops.js';

/**
 * The mask as `<staging-mask-painter>` keeps it: the operations done (the undo stack), those
 * undone (the redo stack), and whether the result marks any area. It outlives the drawing
 * surface (moved in the page, the painter draws the same mask again), so it has nothing to set
 * up or undo with the host's connection; a new photo forgets it (`reset()`). Each change asks
 * the host to render.
 */
export class MaskHistory {
  private readonly _host: ReactiveControllerHost;
  private _ops: MaskOp[] = [];
  private _redoStack: MaskOp[] = [];
  private _hasMask = false;

  constructor(host: ReactiveControllerHost) {
    this._host = host;
  }

  /** The operations done, oldest first (read at once: the next change alters this list). */
  get ops(): readonly MaskOp[] {
    return this._ops;
  }

  get hasMask(): boolean {
    return this._hasMask;
  }

  get canUndo(): boolean {
    return this._ops.length > 0;
  }

  get canRedo(): boolean {
    return this._redoStack.length > 0;
  }

  /** A new step; what was undone cannot be redone any more. */
  push(op: MaskOp): void {
    this._ops.push(op);
    this._redoStack = [];
    this._host.requestUpdate();
  }

  /** Takes back the last step and returns it (undefined when there is none). */
  undo(): MaskOp | undefined {
    return this._move(this._ops, this._redoStack);
  }

  /** Does the last undone step again and returns it (undefined when there is none). */
  redo(): MaskOp | undefined {
    return this._move(this._redoStack, this._ops);
  }

  /** Moves the last step of `from` onto `to` and returns it (undefined when `from` is empty). */
  private _move(from: MaskOp[], to: MaskOp[]): MaskOp | undefined {
    const op = from.pop();
    if (op) {
      to.push(op);
      this._host.requestUpdate();
    }
    return op;
  }

  /** Forgets everything (a new photo); returns whether there was a mask. */
  reset(): boolean {
    const had = this._hasMask;
    this._ops = [];
    this._redoStack = [];
    this._hasMask = false;
    this._host.requestUpdate();
    return had;
  }

  /** Works out `hasMask` again after a change, for a photo of `width` × `height` pixels. */
  measure(width: number, height: number): boolean {
    this._hasMask = maskHasCoverage(this._ops, width, height);
    this._host.requestUpdate();
    return this._hasMask;
  }
}
