/** The two limits every stored image is held to. */
export interface UploadLimitsConfig {
  /** Largest accepted upload, in bytes of the file as sent. */
  maxBytes: number;
  /** Largest accepted image, in pixels (width × height) as declared by its header. */
  maxPixels: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimitsConfig> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 50_000_000,
});

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
