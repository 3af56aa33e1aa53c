import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { KeyboardBrushController } from './keyboard-brush-controller.js';

/** What a painter shortcut does. */
export type PainterCommand = 'undo' | 'redo' | 'brush' | 'eraser' | 'smaller' | 'larger' | 'invert' | 'clear';

/** The shortcuts without a modifier, by lower-case key. */
const PLAIN_KEYS = new Map<string, PainterCommand>([
  ['b', 'brush'],
  ['e', 'eraser'],
  ['[', 'smaller'],
  [']', 'larger'],
  ['i', 'invert'],
  ['delete', 'clear'],
  ['backspace', 'clear'],
]);

/**
 * The painter command of a key press, or null when the key is not a shortcut:
 * `B` brush · `E` eraser · `[` / `]` smaller / larger brush · `Ctrl`/`Cmd`+`Z` undo ·
 * `Ctrl`/`Cmd`+`Shift`+`Z` or `Ctrl`+`Y` redo · `I` invert · `Delete` / `Backspace` clear.
 */
export function shortcutOf(event: KeyboardEvent): PainterCommand | null {
  const key = event.key.toLowerCase();
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey && key === 'y') return 'redo';
  if (command || event.altKey) return null;
  return PLAIN_KEYS.get(key) ?? null;
}


export interface ShortcutsOptions {
  /** Keys do something only while this is true (the painter is ready). */
  enabled(): boolean;
  /** The keyboard brush, which has the first say on keys pressed on the focused photo. */
  brush: Pick<KeyboardBrushController, 'keyDown' | 'keyUp'>;
  /** Does what a shortcut asks. */
  run(command: PainterCommand): void;
}

/**
 * The keyboard of `<staging-mask-painter>`, listened to on the host while it is in the page: the
 * keyboard brush's keys on the focused photo, else the shortcuts of `shortcutOf()`. Used keys do
 * nothing else (no scrolling, no Space reaching a button).
 */
export class ShortcutsController implements ReactiveController {
  private readonly _host: ReactiveControllerHost & HTMLElement;
  private readonly _options: ShortcutsOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ShortcutsOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this._host.addEventListener('keydown', this._onKeyDown);
    this._host.addEventListener('keyup', this._onKeyUp);
  }

  hostDisconnected(): void {
    this._host.removeEventListener('keydown', this._onKeyDown);
    this._host.removeEventListener('keyup', this._onKeyUp);
  }

  private readonly _onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || !this._options.enabled()) return;
    if (this._options.brush.keyDown(event)) {
      // The page must not scroll, and Space must not reach a button.
      event.preventDefault();
      return;
    }
    const command = shortcutOf(event);
    if (!command) return;
    this._options.run(command);
    event.preventDefault();
  };

  private readonly _onKeyUp = (event: KeyboardEvent) => {
    if (this._options.brush.keyUp(event)) event.preventDefault();
  };
}
