/**
 * The client without the pieces that load on first use (the XHR upload transport, the SSE
 * parser): what the one-tag script exports. `index.ts` adds those two for the library.
 */
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
  type BatchStreamEvent,
} from './api-client.js';
