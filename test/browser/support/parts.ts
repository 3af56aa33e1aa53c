/** Reading an element's shadow DOM by its `part` names, as a host page's CSS (`::part()`) sees it. */

/** The first node in `el`'s shadow root whose `part` list holds `name`; throws when there is none. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const node = queryPart<T>(el, name);
  if (!node) throw new Error(`no part "${name}"`);
  return node;
}

/** That node, or null when it is not rendered. */
export function queryPart<T extends Element = Element>(el: Element, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

/** Every node in `el`'s shadow root whose `part` list holds `name`. */
export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return Array.from(el.shadowRoot!.querySelectorAll<T>(`[part~="${name}"]`));
}
