/**
 * Input fetching and output rendering for the Interior Redesign fake. The fake really
 * fetches `image_url` (so adapter tests can prove a signed URL works end to end) and
 * derives real images from it with sharp, so downloads have honest formats and sizes.
 */
import sharp, { type Sharp } from 'sharp';
import { outboundFetch } from './fake-http.js';
import type { OutputFormat, UpscaleFactor } from './interior-redesign-validate.js';

export interface FetchOutcome {
  url: string;
  ok: boolean;
  /** HTTP status of the fetch, or null when no response arrived (network error, injected failure). */
  status: number | null;
  contentType: string | null;
  bytes: number;
  error: string | null;
  durationMs: number;
  body: Buffer | null;
}

export async function fetchInput(url: string, timeoutMs: number): Promise<FetchOutcome> {
  const r = await outboundFetch(url, { timeoutMs });
  const ok = r.status !== null && r.status >= 200 && r.status < 300;
  const error = r.error ?? (ok ? null : `HTTP ${r.status}`);
  return { url, ok, status: r.status, contentType: r.contentType, bytes: r.body.length, error, durationMs: r.durationMs, body: ok ? r.body : null };
}

export interface Rendered {
  data: Buffer;
  width: number;
  height: number;
  format: OutputFormat;
  contentType: string;
}

const CONTENT_TYPES: Record<OutputFormat, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

// Distinct tints so each variation of a multi-output job is a visibly different image.
const TINTS = [
  { r: 222, g: 184, b: 135 },
  { r: 135, g: 180, b: 222 },
  { r: 150, g: 205, b: 150 },
  { r: 215, g: 150, b: 195 },
];

function encode(img: Sharp, format: OutputFormat): Sharp {
  if (format === 'png') return img.png();
  if (format === 'webp') return img.webp({ quality: 80 });
  return img.jpeg({ quality: 85 });
}

async function finish(img: Sharp, format: OutputFormat): Promise<Rendered> {
  const { data, info } = await encode(img, format).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, format, contentType: CONTENT_TYPES[format] };
}

/**
 * A stand-in for one redesign variation. Docs are silent on output dimensions; the fake
 * keeps the (EXIF-upright) input size. preserve_layout=false mirrors the room so a test
 * can see the flag reached the "model".
 */
export async function renderRedesign(input: Buffer, variation: number, format: OutputFormat, preserveLayout: boolean): Promise<Rendered> {
  let img = sharp(input).rotate().tint(TINTS[variation % TINTS.length]!);
  if (!preserveLayout) img = img.flop();
  return finish(img, format);
}

/**
 * Upscale by `scale` on both axes. Docs are silent on the upscale output format; the fake
 * emits PNG, as Real-ESRGAN does. face_enhance adds a sharpen pass so it changes pixels.
 */
export async function renderUpscale(input: Buffer, scale: UpscaleFactor, faceEnhance: boolean): Promise<Rendered> {
  const meta = await sharp(input).metadata();
  const w = meta.autoOrient?.width ?? meta.width;
  const h = meta.autoOrient?.height ?? meta.height;
  let img = sharp(input).rotate().resize(w * scale, h * scale, { kernel: 'lanczos3' });
  if (faceEnhance) img = img.sharpen();
  return finish(img, 'png');
}
