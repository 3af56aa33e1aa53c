import { StagingError } from '../client/index.js';
import { errorDetail } from './shared/error-event.js';
import { emit } from './shared/events.js';
import { LOADABLE_TAGS, loadElement, type LoadableTag } from './element-loaders.js';

/** Only our tags, and only while undefined: the observer sees every mutation of the host page. */
const UNDEFINED_TAGS = LOADABLE_TAGS.map((tag) => `${tag}:not(:defined)`).join(',');

/**
 * Loads the module of every `staging-*` tag that is in `root`, or is added to it later, and not
 * defined yet. The one-tag script runs it on the document, so `<staging-picker>` alone on a
 * page works without importing anything. Elements inside other components' shadow roots are
 * out of a document observer's sight: call this with that shadow root, or `loadElement(tag)`.
 * Returns a function that stops watching.
 */
export function autoloadElements(root: Document | ShadowRoot | Element = document): () => void {
  discover(root);
  const observer = new MutationObserver((records) => {
    // Nothing left to load: stop looking at the page's mutations.
    if (LOADABLE_TAGS.every((tag) => customElements.get(tag))) return observer.disconnect();
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) discover(node);
    }
  });
  observer.observe(root instanceof Document ? root.documentElement : root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

function discover(root: ParentNode): void {
  const candidates = [...root.querySelectorAll(UNDEFINED_TAGS)];
  if (root instanceof Element && root.matches(UNDEFINED_TAGS)) candidates.push(root);
  const tags = new Set(candidates.map((el) => el.localName as LoadableTag));
  for (const tag of tags) {
    loadElement(tag).catch(() => {
      // The element cannot tell anyone itself (its code did not arrive): tell the page through it.
      for (const el of candidates.filter((c) => c.localName === tag)) {
        emit(el, 'staging-error', errorDetail(tag, new StagingError({ code: 'load_failed', message: `The ${tag} element could not be loaded. Check the connection and reload the page.` }), 'load'));
      }
    });
  }
}
