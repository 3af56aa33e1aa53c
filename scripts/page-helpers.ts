/**
 * Page-side helpers for puppeteer scripts and tests, injected with `evaluateOnNewDocument`:
 * `window.__q(selector)` finds the first match through open shadow roots, and `window.__step()`
 * names the widget's current step. Strings, not functions: a bundler or tsx would wrap nested
 * named functions in helpers the page does not have.
 */
export const SHADOW_QUERY = `
window.__q = (selector, root = document) => {
  const hit = root.querySelector(selector);
  if (hit) return hit;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const inner = window.__q(selector, el.shadowRoot);
      if (inner) return inner;
    }
  }
  return null;
};
window.__step = () => window.__q('[aria-current="step"] [part="step-label"]')?.textContent.trim() ?? null;
`;
