/** What a painter shortcut does. */
export type PainterCommand = 'undo' | 'redo' | 'brush' | 'eraser' | 'smaller' | 'larger' | 'invert' | 'clear';

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
  switch (key) {
    case 'b':
      return 'brush';
    case 'e':
      return 'eraser';
    case '[':
      return 'smaller';
    case ']':
      return 'larger';
    case 'i':
      return 'invert';
    case 'delete':
    case 'backspace':
      return 'clear';
    default:
      return null;
  }
}
