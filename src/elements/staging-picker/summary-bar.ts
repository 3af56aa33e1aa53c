import { html, nothing, type TemplateResult } from 'lit';
import type { Service } from '../../contract/index.js';
import type { Choice } from './choice.js';
import { TEXT } from './picker-text.js';

export interface SummaryBarContext {
  service: Service;
  /** Credits the choice costs. */
  cost: number;
  /** Credits the session has left, when known. */
  remaining: number | null | undefined;
  /** Why Start cannot be pressed now, besides invalid fields (picker's `_blocker`). */
  blocker: string | null;
  valid: boolean;
  disabled: boolean;
  submitLabel: string;
}

/** The bar at the bottom: the cost once, the credits left, why Start is off if it is, and Start. */
export function renderSummaryBar({ service, cost, remaining, blocker, valid, disabled, submitLabel }: SummaryBarContext): TemplateResult {
  const known = remaining !== null && remaining !== undefined;
  const short = known && cost > remaining;
  const hint = disabled ? null : !valid ? TEXT.invalidFirst : blocker;
  const canSubmit = !disabled && valid && !blocker;
  return html`<div part="summary" class="summary">
    <div part="cost" class="cost" id="cost" role="status" aria-live="polite" aria-atomic="true">
      <span class="cost-amount">${service.preview_only ? TEXT.free : TEXT.credits(cost)}</span>
      ${known ? html`<span class="credits">${TEXT.creditsLeft(remaining)}</span>` : nothing}
      ${short ? html`<span part="cost-warning" class="cost-warning">${TEXT.notEnoughCredits(service.inputs.variants.max > 1)}</span>` : nothing}
    </div>
    ${hint && !short ? html`<p part="submit-hint" class="help submit-hint" id="submit-hint">${hint}</p>` : nothing}
    <button part="submit" class="primary submit" type="submit" ?disabled=${!canSubmit} aria-describedby=${hint && !short ? 'cost submit-hint' : 'cost'}>
      <slot name="submit-label">${submitLabel}</slot>
    </button>
  </div>`;
}

/** A reason, besides invalid fields, why the choice cannot be submitted now: its reference photo, or the credits. */
export function blockerOf(choice: Choice, cost: number, remaining: number | null | undefined): string | null {
  if (choice.reference?.controller) return TEXT.referenceWait;
  if (choice.reference?.error) return TEXT.referenceFailed;
  if (remaining !== null && remaining !== undefined && cost > remaining) return TEXT.notEnoughCreditsShort;
  return null;
}
