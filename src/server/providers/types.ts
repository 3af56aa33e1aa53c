import type { JobError, Location, OutputNote, Resolution, Service } from '../../contract/index.js';

/** An image the provider reads: the normalized blob on our disk. */
export interface ProviderImage {
  uploadId: string;
  /** Reads the normalized bytes from the BFF's blob store. */
  read(): Promise<Buffer>;
  contentType: string;
  width: number;
  height: number;
  /** A signed, expiring public URL of the image, for providers that fetch `image_url`. */
  publicUrl(): string;
}

/** The normalized job an adapter turns into one provider's calls. */
export interface ProviderTask {
  jobId: string;
  service: string;
  config: string;
  resolution: Resolution;
  prompt: string | null;
  options: Record<string, string | number | boolean>;
  location: Location | null;
  variants: number;
  /**
   * Which try of the photo this is (0 first; a redo asking for another variant adds one). None of
   * the providers documents a seed or a variation parameter, and each new submission of theirs is a
   * new generation, so the adapters do not send it; the local engine grades its previews by it.
   */
  variation?: number;
  referenceId: string | null;
  /** Stable per job (and per retry attempt), for providers that accept idempotency keys. */
  idempotencyKey: string;
  image: ProviderImage;
  mask: ProviderImage | null;
  reference: ProviderImage | null;
  /** The other bracketed exposures of `image` (services with `inputs.brackets`); empty otherwise. */
  brackets?: ProviderImage[];
  /**
   * The listing this job is one photo of (a batch): its id and every item's photo, in item order.
   * Every job of a listing already carries the same config, options, prompt, reference image and
   * reference id; an engine that can hold more constant across the set uses this (the local engine
   * matches exposure and white balance to one target computed for the set). Absent for a single job.
   */
  listing?: { id: string; images: ProviderImage[] } | null;
}

export interface ProviderOutputImage {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
  /** True when the engine could not really perform the service (see `Service.preview_only`). */
  localPreview: boolean;
  /** Something the person should know about this output (e.g. it was left as it was, and why). */
  note?: OutputNote;
}

export interface ExecutionContext {
  /** Aborted when the job is cancelled or the BFF shuts down: stop work, reject with `signal.reason`. */
  signal: AbortSignal;
  /** Reports a lifecycle step; `progress` is 0..1 over the whole job. Persisted and streamed. */
  progress(status: 'compressing' | 'processing', progress: number): void;
  /**
   * Provider state persisted with the job (e.g. the provider's job id), so that after a
   * restart the adapter can resume tracking instead of submitting again.
   */
  savedState: unknown;
  saveState(state: unknown): Promise<void>;
  /**
   * Resolves true when a verified webhook about `key` (the provider's job id) arrives, or false
   * after `ms`: adapters poll at the provider's cadence and wake early on a webhook.
   */
  webhook(key: string, ms: number): Promise<boolean>;
}

/** A provider's webhook delivery as received: raw bytes, because signatures are over them. */
export interface WebhookDelivery {
  headers: Headers;
  body: Buffer;
}

/**
 * The reason on `ctx.signal` when the runner stops a job. Adapters cancel the provider's job
 * on `cancelled` and `deadline`, but not on `shutdown`: the restarted BFF resumes tracking it.
 */
export class StopReason extends Error {
  constructor(readonly kind: 'cancelled' | 'shutdown' | 'deadline') {
    super(kind);
    this.name = 'StopReason';
  }
}

/**
 * True when the job was stopped by a shutdown (its reason's `kind` is 'shutdown'): the adapter
 * must then leave the provider's job running, since the restarted BFF resumes tracking it from
 * `savedState`. Read by `kind`, so a StopReason from another copy of this module counts too.
 */
export function isShutdown(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { kind?: unknown }).kind === 'shutdown';
}

/** Thrown by an adapter to fail a job with a specific, user-facing error. */
export class ProviderJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ProviderJobError';
  }
  toJobError(): JobError {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/**
 * One image-AI backend. The local engine and the five remote adapters implement this;
 * the job runner drives it and never knows which one it talks to.
 */
export interface Provider {
  readonly name: string;
  /** The services this provider offers, unfiltered (the routes filter by session scope). */
  services(signal?: AbortSignal): Promise<Service[]>;
  /** Runs a job to its outputs. Rejects with ProviderJobError for a clean failure. */
  execute(task: ProviderTask, ctx: ExecutionContext): Promise<ProviderOutputImage[]>;
  /**
   * Verifies a webhook delivery by the provider's documented scheme (constant-time compare,
   * timestamp tolerance where the scheme has one) and returns the provider job id it is about.
   * Throws ApiError `webhook_rejected` for a forged or stale delivery.
   */
  verifyWebhook?(delivery: WebhookDelivery): Promise<VerifiedWebhook>;
  /** The provider account's credits and usage, for the host's admin key only. */
  account?(signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** Releases timers and connections. */
  close?(): Promise<void>;
}

/** What a verified provider webhook says. */
export interface VerifiedWebhook {
  /** The job (or run, or generation) to wake. */
  key: string;
  /**
   * The delivery's identity from its verified content: its event id, or its job id with the
   * state it reports. Two deliveries with the same identity are one event, however encoded.
   */
  event: string;
}
