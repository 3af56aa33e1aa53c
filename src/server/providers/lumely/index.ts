/** The Lumely adapter (STAGING_PROVIDER=lumely). */
export { createLumelyProvider, LUMELY_DEFAULT_BASE_URL, LUMELY_POLL_INTERVAL_MS } from './lumely-provider.js';
export { verifyLumelyWebhook } from './webhook.js';
export { mapLumelyError } from './errors.js';
export { toServices } from './catalog.js';
