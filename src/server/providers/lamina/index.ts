/** Lamina (STAGING_PROVIDER=lamina): its apps are the catalog; runs are started with our signed photo URL. */
export { createLaminaProvider, LAMINA_DEFAULT_URL, type LaminaInternals } from './lamina-provider.js';
export { convertApp, type AppBinding } from './catalog.js';
