/** The two limits every stored image is held to. */
export interface UploadLimitsConfig {
  /** Largest accepted upload, in bytes of the file as sent. */
  maxBytes: number;
  /** Largest accepted image, in pixels (width × height) as declared by its header. */
  maxPixels: number;
  /** Longest wait for the next chunk of an upload body before it is refused with 408 (default 30 s). */
  idleTimeoutMs?: number;
  /** Longest time the whole upload body may take to arrive (default 5 minutes): a trickle of bytes cannot hold a request open forever. */
  totalTimeoutMs?: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimitsConfig> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 50_000_000,
});

export const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_UPLOAD_TOTAL_TIMEOUT_MS = 5 * 60_000;

/** `10 MB`, `2.5 MB`: limits are stated to people in the unit they think in. */
export function formatMegabytes(bytes: number): string {
  return `${trimNumber(bytes / (1024 * 1024))} MB`;
}

/** `50 megapixels`. */
export function formatMegapixels(pixels: number): string {
  return `${trimNumber(pixels / 1_000_000)} megapixels`;
}

function trimNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
