/** Luma Agents (uni-1 image edits) behind the Provider interface: STAGING_PROVIDER=luma-agents. */
export { createLumaAgentsProvider, LUMA_AGENTS_BASE_URL } from './luma-agents-provider.js';
export { LUMA_SERVICES, lumaServices, promptFor, EDIT_SERVICE_ID } from './catalog.js';
