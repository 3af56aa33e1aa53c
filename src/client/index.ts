/** The browser API client of HTTP API v1: typed errors, the token manager, and the client. */
export {
  StagingError,
  StagingHttpError,
  StagingAuthError,
  StagingRateLimitError,
  StagingNetworkError,
  StagingTimeoutError,
  StagingAbortError,
  StagingResponseError,
  type StagingErrorInit,
  type StagingHttpErrorInit,
} from './errors.js';
export { TokenManager, type TokenManagerOptions, type TokenResult } from './token-manager.js';
export {
  StagingClient,
  newIdempotencyKey,
  type StagingClientOptions,
  type CallOptions,
  type UploadOptions,
  type CreateJobOptions,
  type JobEventsOptions,
  type ListJobsParams,
} from './api-client.js';
export { xhrTransport, type UploadTransport, type UploadRequest, type UploadProgress } from './xhr-transport.js';
export { SseParser, type SseEvent } from './sse.js';
