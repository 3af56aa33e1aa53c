import { loadElement } from '../src/elements/element-loaders.js';

// Listing mode is not part of the one-tag first screen: its element arrives on demand.
await loadElement('staging-listing');
const listing = document.querySelector('staging-listing')!;
listing.setAttribute('endpoint', __STAGING_DEMO_BFF__);

const log = document.querySelector<HTMLOListElement>('#event-log')!;
for (const name of ['staging-batch-created', 'staging-outputs-kept', 'staging-error'] as const) {
  listing.addEventListener(name, (e) => {
    const li = document.createElement('li');
    li.innerHTML = `<time>${new Date().toLocaleTimeString()}</time> <code></code> <span></span>`;
    li.querySelector('code')!.textContent = name;
    li.querySelector('span')!.textContent = JSON.stringify((e as CustomEvent).detail).slice(0, 160);
    log.prepend(li);
  });
}
