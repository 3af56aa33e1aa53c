export type PreparedImageType = 'image/jpeg' | 'image/webp' | 'image/png';

export interface PrepareImageOptions {
  /** The longest side of the result in pixels; smaller images are never enlarged. */
  maxLongSide: number;
  /**
   * Output type. Left out, it is chosen per image: JPEG for opaque images, and `alphaType`
   * for images with at least one transparent pixel (a cut-out sofa must keep its alpha).
   * JPEG always gets a white background, because a canvas turns transparency into black.
   * WebP where the browser cannot encode it falls back as `alphaType` says.
   */
  type?: PreparedImageType;
  /**
   * Output type for images with transparency when `type` is not set. Default `image/webp`, which
   * is far smaller than PNG. Where the browser cannot encode WebP (Safari, WebKitGTK: see
   * `canEncode`), WebP becomes PNG for a transparent image and JPEG for an opaque one.
   */
  alphaType?: 'image/webp' | 'image/png';
  /** Encoder quality for JPEG and WebP, 0–1. Default 0.9. */
  quality?: number;
  /** Refuse sources with more pixels than this (before decoding where the header allows). */
  maxPixels?: number;
  signal?: AbortSignal;
  /**
   * Run in a module Worker with OffscreenCanvas (default true). The main-thread path is used
   * anyway when the worker cannot start (CSP `worker-src`, a bundler that did not emit it).
   */
  worker?: boolean;
}

export interface PreparedImage {
  /** The bytes to upload. */
  blob: Blob;
  /** Final size, orientation applied. */
  width: number;
  height: number;
  /** Source size as displayed, EXIF orientation applied. */
  originalWidth: number;
  originalHeight: number;
  /** `blob`'s type. */
  type: string;
  /**
   * True when `blob` is the original file, unchanged, because the browser could not decode it
   * (HEIC in Chromium) and it is within the upload limits: the server converts it. Set by
   * `staging-dropzone`, never by `prepareImage`. `width`/`height` then come from the file's
   * header and are 0 when it did not say.
   */
  passthrough?: boolean;
}
