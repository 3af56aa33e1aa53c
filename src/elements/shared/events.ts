/**
 * Dispatches a `staging-*` event that bubbles and crosses shadow roots, so a host page can
 * listen on `<staging-widget>` or on `document`. Names and detail types are declared in
 * each element's `HTMLElementEventMap` entry, which types this call.
 */
export function emit<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  name: K,
  detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never,
  init: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: init.cancelable ?? false }));
}
