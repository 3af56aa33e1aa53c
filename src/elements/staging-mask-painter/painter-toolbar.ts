import { html, type TemplateResult } from 'lit';
import { MAX_BRUSH_SIZE, MIN_BRUSH_SIZE } from './brush-size.js';
import { TEXT } from './painter-text.js';
import type { PainterCommand } from './shortcuts-controller.js';

// The parts of `<staging-mask-painter>`'s template around the photo, which need nothing but their arguments.

export interface ToolbarView {
  /** The painter is not ready: every control is off. */
  disabled: boolean;
  eraser: boolean;
  brushSize: number;
  canUndo: boolean;
  canRedo: boolean;
  hasMask: boolean;
  /** A button was pressed: it does what its shortcut does. */
  run(command: PainterCommand): void;
  onSize(size: number): void;
}

/** The row of controls: brush and eraser, size, undo and redo, invert and clear. */
export function renderToolbar(v: ToolbarView): TemplateResult {
  const { disabled } = v;
  return html`
    <div part="toolbar" class="toolbar" role="group" aria-label=${TEXT.toolbar}>
      <div part="tool-group" class="group" role="group" aria-label=${TEXT.toolGroup}>
        <button
          type="button"
          part="tool-button brush-button"
          aria-pressed=${!v.eraser}
          aria-keyshortcuts="B"
          title=${TEXT.brushTitle}
          ?disabled=${disabled}
          @click=${() => v.run('brush')}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 20c3 0 5-2 5-4a2 2 0 0 0-4 0c0 1-1 2-1 4zm5.5-5.5 9-9a1.4 1.4 0 0 1 2 2l-9 9z" /></svg>
          <span>${TEXT.brush}</span>
        </button>
        <button
          type="button"
          part="tool-button eraser-button"
          aria-pressed=${v.eraser}
          aria-keyshortcuts="E"
          title=${TEXT.eraserTitle}
          ?disabled=${disabled}
          @click=${() => v.run('eraser')}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24"><path d="m3 16 9-9 6 6-6 6H6zm5 3h12" /></svg>
          <span>${TEXT.eraser}</span>
        </button>
      </div>
      <div part="size" class="size">
        <label part="size-label" for="brush-size">${TEXT.size}</label>
        <input
          id="brush-size"
          part="size-input"
          type="range"
          min=${MIN_BRUSH_SIZE}
          max=${MAX_BRUSH_SIZE}
          step="1"
          .value=${String(v.brushSize)}
          aria-valuetext=${TEXT.sizeValue(v.brushSize)}
          aria-keyshortcuts="[ ]"
          title=${TEXT.sizeTitle}
          ?disabled=${disabled}
          @input=${(event: Event) => v.onSize(Number((event.target as HTMLInputElement).value))}
        />
        <output part="size-value" for="brush-size" aria-hidden="true">${v.brushSize}&nbsp;px</output>
      </div>
      <div part="history-group" class="group" role="group" aria-label=${TEXT.historyGroup}>
        <button
          type="button"
          part="tool-button undo-button"
          aria-keyshortcuts="Control+Z Meta+Z"
          title=${TEXT.undoTitle}
          ?disabled=${disabled || !v.canUndo}
          @click=${() => v.run('undo')}
        >
          ${TEXT.undo}
        </button>
        <button
          type="button"
          part="tool-button redo-button"
          aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
          title=${TEXT.redoTitle}
          ?disabled=${disabled || !v.canRedo}
          @click=${() => v.run('redo')}
        >
          ${TEXT.redo}
        </button>
      </div>
      <div part="mask-group" class="group" role="group" aria-label=${TEXT.maskGroup}>
        <button type="button" part="tool-button invert-button" aria-keyshortcuts="I" title=${TEXT.invertTitle} ?disabled=${disabled} @click=${() => v.run('invert')}>
          ${TEXT.invert}
        </button>
        <button
          type="button"
          part="tool-button clear-button"
          aria-keyshortcuts="Delete Backspace"
          title=${TEXT.clearTitle}
          ?disabled=${disabled || !v.hasMask}
          @click=${() => v.run('clear')}
        >
          ${TEXT.clear}
        </button>
      </div>
    </div>
  `;
}

/** The keyboard shortcut help, a disclosure. */
export function renderHelp(): TemplateResult {
  const { help } = TEXT;
  return html`
    <details part="help" class="help">
      <summary part="help-summary">${help.summary}</summary>
      <dl part="help-list">
        <div><dt><kbd>B</kbd></dt><dd>${TEXT.brush}</dd></div>
        <div><dt><kbd>E</kbd></dt><dd>${TEXT.eraser}</dd></div>
        <div><dt><kbd>[</kbd> <kbd>]</kbd></dt><dd>${help.smallerLarger}</dd></div>
        <div><dt><kbd>Ctrl</kbd>+<kbd>Z</kbd></dt><dd>${TEXT.undo}</dd></div>
        <div><dt><kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd>, <kbd>Ctrl</kbd>+<kbd>Y</kbd></dt><dd>${TEXT.redo}</dd></div>
        <div><dt><kbd>I</kbd></dt><dd>${TEXT.invert}</dd></div>
        <div><dt><kbd>Delete</kbd></dt><dd>${TEXT.clear}</dd></div>
        <div><dt><kbd>←</kbd> <kbd>↑</kbd> <kbd>→</kbd> <kbd>↓</kbd></dt><dd>${help.moveBrush}</dd></div>
        <div><dt><kbd>Space</kbd></dt><dd>${help.paint}</dd></div>
      </dl>
      <p>${help.note(html`<kbd>Cmd</kbd>`, html`<kbd>Ctrl</kbd>`)}</p>
    </details>
  `;
}
