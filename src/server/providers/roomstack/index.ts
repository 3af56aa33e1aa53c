/** RoomStack (STAGING_PROVIDER=roomstack): virtual staging and edits, docs in /work/shared/seeds/roomstack-api.txt. */
export { createRoomStackProvider, ROOMSTACK_BASE_URL } from './roomstack-provider.js';
export { roomStackServices, GENERATE_SERVICE, EDIT_SERVICE } from './catalog.js';
export { verifyRoomStackDelivery, WEBHOOK_TOLERANCE_MS } from './webhook.js';
