/** The browser API client of HTTP API v1: typed errors, the token manager, and the client. */
export * from './core.js';
export { xhrTransport, type UploadTransport, type UploadRequest, type UploadProgress } from './xhr-transport.js';
export { SseParser, type SseEvent } from './sse.js';
