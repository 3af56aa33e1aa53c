import type { BlobStore } from '../blobs.js';
import type { CatalogCache } from '../catalog-cache.js';
import type { OriginPolicy } from '../http/cors.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { JobEvents } from '../events/job-events.js';
import type { WebhookHub } from '../events/webhook-hub.js';
import type { Provider } from '../providers/types.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { UrlSigner } from '../jobs/serialize-job.js';
import type { HostEvents } from '../host-webhooks/job-events.js';
import type { Logger } from '../logger.js';
import type { DecodeGate } from '../uploads/decode-gate.js';
import type { StreamLimits } from '../http/stream-limits.js';
import type { Store } from '../store/types.js';
import type { DisclosureProfiles } from '../disclosure/profiles.js';
import type { Vision } from '../vision/vision.js';
import type { TokenService } from '../tokens.js';

/** What the routes share; built once in createStagingBff. */
export interface BffDeps {
  store: Store;
  blobs: BlobStore;
  tokens: TokenService;
  catalog: CatalogCache;
  runner: JobRunner;
  events: JobEvents;
  webhooks: WebhookHub;
  provider: Provider;
  signer: UrlSigner;
  logger: Logger;
  rateLimiter: RateLimiter;
  originAllowed: OriginPolicy;
  adminKey: string | null;
  dev: boolean;
  allowedOrigins: string[] | null;
  upload: { maxBytes: number; maxPixels: number; idleTimeoutMs?: number; totalTimeoutMs?: number };
  heartbeatMs: number;
  /** Caps open event streams, per session and in all. */
  streams: StreamLimits;
  /** Bounds concurrent image decoding, overall and per session. */
  decodeGate: DecodeGate;
  /** STAGING_BATCH_MAX_ITEMS: most photos in one batch. */
  batchMaxItems: number;
  /** The computer-vision thread (OpenCV), started on first use. */
  vision: Vision;
  /** The disclosure profiles on offer and the default one. */
  disclosure: DisclosureProfiles;
  /** Signed events to the host's backend; null without STAGING_HOST_WEBHOOK_URL. */
  hostEvents: HostEvents | null;
}
