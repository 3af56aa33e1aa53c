import { html, nothing, type TemplateResult } from 'lit';
import type { Batch } from '../../contract/index.js';
import type { WatchMode } from '../shared/stream-watch-controller.js';
import { renderGrid, type GridView } from './listing-grid.js';
import { TEXT } from './listing-text.js';

/** What the working phase reads and calls, from `<staging-listing>`. */
export interface WorkingView {
  batch: Batch | null;
  grid: GridView;
  /** How the batch stream is doing: `reconnecting` and `polling` get a word. */
  mode: WatchMode;
  busy: boolean;
  /** "Stop the rest": cancels what has not finished (its credits are released). */
  cancel(): void;
}

/** While the listing is worked on: photos done of all, each photo's state in the grid, and "Stop the rest". */
export function renderWorking(view: WorkingView): TemplateResult {
  const b = view.batch;
  const total = b?.items.length ?? 0;
  const ended = b ? b.counts.completed + b.counts.failed + b.counts.cancelled : 0;
  return html`<h2 part="heading" tabindex="-1">${TEXT.workingHeading}</h2>
    <p class="summary">${TEXT.countsLine(ended, total)} ${view.mode === 'reconnecting' || view.mode === 'polling' ? html`<span class="muted">· ${TEXT.reconnecting}</span>` : nothing}</p>
    <progress part="batch-progress" max=${total || 1} .value=${ended} aria-label=${TEXT.countsLine(ended, total)}></progress>
    ${renderGrid(view.grid)}
    <div part="footer" class="footer">
      <button part="cancel-button" type="button" ?disabled=${view.busy} @click=${view.cancel}>${TEXT.cancelAll}</button>
    </div>`;
}
