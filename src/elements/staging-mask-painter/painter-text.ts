import { html, type TemplateResult } from 'lit';
import { formatNumber, msg, str } from '../shared/locale.js';

/** What `<staging-mask-painter>` says to the person, in one place, read at render time in its locale. */
export const TEXT = {
  get toolbar() { return msg('Mask tools', { id: 'painter.toolbar' }); },
  get toolGroup() { return msg('Tool', { id: 'painter.toolGroup' }); },
  get brush() { return msg('Brush', { id: 'painter.brush' }); },
  get brushTitle() { return msg('Brush (B)', { id: 'painter.brushTitle' }); },
  get eraser() { return msg('Eraser', { id: 'painter.eraser' }); },
  get eraserTitle() { return msg('Eraser (E)', { id: 'painter.eraserTitle' }); },
  get size() { return msg('Size', { id: 'painter.size' }); },
  sizeValue: (size: number) => msg(str`${formatNumber(size)} pixels`, { id: 'painter.sizeValue' }),
  get sizeTitle() { return msg('Brush size in photo pixels ([ and ])', { id: 'painter.sizeTitle' }); },
  get historyGroup() { return msg('History', { id: 'painter.historyGroup' }); },
  get undo() { return msg('Undo', { id: 'painter.undo' }); },
  get undoTitle() { return msg('Undo (Ctrl+Z)', { id: 'painter.undoTitle' }); },
  get redo() { return msg('Redo', { id: 'painter.redo' }); },
  get redoTitle() { return msg('Redo (Ctrl+Shift+Z or Ctrl+Y)', { id: 'painter.redoTitle' }); },
  get maskGroup() { return msg('Whole mask', { id: 'painter.maskGroup' }); },
  get invert() { return msg('Invert', { id: 'painter.invert' }); },
  get invertTitle() { return msg('Invert (I)', { id: 'painter.invertTitle' }); },
  get clear() { return msg('Clear', { id: 'painter.clear' }); },
  get clearTitle() { return msg('Clear (Delete)', { id: 'painter.clearTitle' }); },
  get hint() { return msg('Paint over the part of the photo to change. The rest stays as it is.', { id: 'painter.hint' }); },
  get alt() { return msg('Photo to mask', { id: 'painter.alt' }); },
  stageLabel: (alt: string) => msg(str`${alt}: paint with the keyboard`, { id: 'painter.stageLabel' }),
  get stageKeys() {
    return msg('Arrow keys move the brush, Shift with an arrow moves it further. Space paints where it is; hold Space while moving to paint a line.', { id: 'painter.stageKeys' });
  },
  get loading() { return msg('Loading the mask painter…', { id: 'painter.loading' }); },
  get empty() { return msg('No photo to mask yet.', { id: 'painter.empty' }); },
  get imageFailed() { return msg('The photo could not be loaded.', { id: 'painter.imageFailed' }); },
  get fabricFailed() { return msg('The mask painter could not be loaded. Check your connection.', { id: 'painter.fabricFailed' }); },
  get retry() { return msg('Try again', { id: 'painter.retry' }); },
  help: {
    get summary() { return msg('Keyboard shortcuts', { id: 'painter.help.summary' }); },
    get smallerLarger() { return msg('Smaller / larger brush', { id: 'painter.help.smallerLarger' }); },
    get moveBrush() { return msg('Move the brush (photo focused)', { id: 'painter.help.moveBrush' }); },
    get paint() { return msg('Paint; hold while moving for a line', { id: 'painter.help.paint' }); },
    /** The Mac's key for Ctrl, around two `<kbd>` elements. */
    note: (cmd: TemplateResult, ctrl: TemplateResult) => msg(html`Paint over the part of the photo the AI may change. On a Mac use ${cmd} instead of ${ctrl}.`, { id: 'painter.help.note' }),
  },
  /** Announcements, read by screen readers after each change. */
  said: {
    get undone() { return msg('Undone', { id: 'painter.said.undone' }); },
    get redone() { return msg('Redone', { id: 'painter.said.redone' }); },
    get cleared() { return msg('Mask cleared', { id: 'painter.said.cleared' }); },
    get inverted() { return msg('Mask inverted', { id: 'painter.said.inverted' }); },
    get painted() { return msg('Painted', { id: 'painter.said.painted' }); },
    get erased() { return msg('Erased', { id: 'painter.said.erased' }); },
    tool: (tool: 'brush' | 'eraser') => (tool === 'brush' ? msg('Brush selected', { id: 'painter.said.brush' }) : msg('Eraser selected', { id: 'painter.said.eraser' })),
    changed: (done: string, hasMask: boolean) =>
      hasMask ? msg(str`${done}. Some area is marked for change.`, { id: 'painter.said.marked' }) : msg(str`${done}. Nothing is marked for change.`, { id: 'painter.said.unmarked' }),
    cursor: (x: number, y: number) => msg(str`Brush at ${formatNumber(x)}% from the left, ${formatNumber(y)}% from the top.`, { id: 'painter.said.cursor' }),
  },
  /** Errors thrown by `exportMask()`, for the embedding developer: in English, like the BFF's. */
  errors: {
    noContext: 'This browser cannot draw the mask: no 2D canvas is available.',
    noPng: 'The mask could not be encoded as PNG.',
    noPhoto: 'There is no photo: set `src` before exporting a mask.',
  },
};
