/**
 * The contract of HTTP API v1: zod schemas (the `zod/mini` build, to keep the browser
 * bundle small) and their inferred types. The server validates requests with them; the
 * client parses responses with them.
 */
export * from './constants.js';
export * from './common.js';
export * from './errors.js';
export * from './session.js';
export * from './disclosure.js';
export * from './catalog.js';
export * from './option-rules.js';
export * from './upload.js';
export * from './job.js';
export * from './batch.js';
