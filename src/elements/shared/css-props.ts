import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets inline style properties through the CSSOM (`style.setProperty`) on every render,
 * including the first. Lit's `styleMap` writes a `style="…"` attribute string on first render,
 * which a strict Content-Security-Policy (`style-src` without 'unsafe-inline') blocks; CSSOM
 * writes are allowed. Keys are CSS property names (`clip-path`, `--_ratio`).
 */
class CssPropsDirective extends Directive {
  private previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssProps() goes in an element position: <div ${cssProps({…})}>');
  }

  render(_props: Record<string, string | null | undefined>): unknown {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Record<string, string | null | undefined>]): unknown {
    const style = (part.element as HTMLElement).style;
    const next = new Set<string>();
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === '') continue;
      style.setProperty(name, value);
      next.add(name);
    }
    for (const name of this.previous) if (!next.has(name)) style.removeProperty(name);
    this.previous = next;
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
