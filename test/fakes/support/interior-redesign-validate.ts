/**
 * Request-body validation for the Interior Redesign fake, following the field tables in
 * /work/shared/seeds/interior-redesign-api.txt. Kept apart from the server so the rules
 * can be read against the doc in one place.
 *
 * Docs are silent on type coercion (e.g. "2" for num_outputs); the fake accepts only
 * values of the documented JSON type, so an adapter that sends strings is caught.
 * Docs are silent on unknown fields; the fake ignores them (the service looks like
 * FastAPI/pydantic, which ignores extras by default).
 */

export const OUTPUT_FORMATS = ['png', 'jpg', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const UPSCALE_FACTORS = [2, 3, 4] as const;
export type UpscaleFactor = (typeof UPSCALE_FACTORS)[number];
/** "1-11 images" / "Maximum 11 images per batch request". */
export const MAX_BATCH_IMAGES = 11;

export type Validated<T> = { ok: true; value: T } | { ok: false; detail: string };

export interface RedesignItem {
  image_url: string;
  prompt: string;
  preserve_layout: boolean;
  extra: Record<string, unknown>;
}

export interface CommonOptions {
  use_webhook: boolean;
  wait_seconds: number;
}

export interface RedesignRequest extends CommonOptions {
  item: RedesignItem;
  num_outputs: number;
  output_format: OutputFormat;
}

export interface BatchRedesignRequest extends CommonOptions {
  items: RedesignItem[];
  output_format: OutputFormat;
}

export interface UpscaleRequest extends CommonOptions {
  image_urls: string[];
  scale: UpscaleFactor;
  face_enhance: boolean;
}

class Invalid extends Error {}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(body: Obj, name: string, dflt: T, check: (v: unknown) => v is T, expected: string): T {
  const v = body[name];
  // Docs are silent on explicit nulls; the fake treats null like an omitted optional field.
  if (v === undefined || v === null) return dflt;
  if (!check(v)) throw new Invalid(`${name} must be ${expected}`);
  return v;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

function imageUrl(v: unknown, name: string): string {
  if (v === undefined || v === null || v === '') throw new Invalid(`${name} is required`);
  if (typeof v !== 'string') throw new Invalid(`${name} must be a string`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Invalid(`${name} must be an absolute http(s) URL`);
  }
  // The doc asks for a "Public URL"; the fake cannot judge publicness (tests serve from
  // 127.0.0.1), so it only insists on something the service could fetch over HTTP.
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Invalid(`${name} must be an absolute http(s) URL`);
  return v;
}

function prompt(v: unknown, name: string): string {
  if (v === undefined || v === null) throw new Invalid(`${name} is required`);
  if (typeof v !== 'string') throw new Invalid(`${name} must be a string`);
  // Docs are silent on empty prompts; the fake treats a blank prompt as missing.
  if (v.trim() === '') throw new Invalid(`${name} is required`);
  return v;
}

function common(body: Obj): CommonOptions {
  const use_webhook = field(body, 'use_webhook', true, isBool, 'a boolean');
  const wait_seconds = field(body, 'wait_seconds', 0, (v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number');
  if (wait_seconds < 0 || wait_seconds > 60) throw new Invalid('wait_seconds must be between 0 and 60');
  return { use_webhook, wait_seconds };
}

function outputFormat(body: Obj): OutputFormat {
  return field(body, 'output_format', 'png', (v): v is OutputFormat => OUTPUT_FORMATS.includes(v as OutputFormat), `one of ${OUTPUT_FORMATS.join(', ')}`);
}

function extra(v: unknown, name: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new Invalid(`${name} must be an object`);
  return v;
}

function redesignItem(raw: Obj, prefix: string, defaultPreserve: boolean): RedesignItem {
  return {
    image_url: imageUrl(raw.image_url, `${prefix}image_url`),
    prompt: prompt(raw.prompt, `${prefix}prompt`),
    preserve_layout: field(raw, 'preserve_layout', defaultPreserve, isBool, 'a boolean'),
    extra: extra(raw.extra, `${prefix}extra`),
  };
}

function run<T>(body: unknown, fn: (b: Obj) => T): Validated<T> {
  try {
    if (!isObject(body)) throw new Invalid('Request body must be a JSON object');
    return { ok: true, value: fn(body) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, detail: e.message };
    throw e;
  }
}

export function validateRedesign(body: unknown): Validated<RedesignRequest> {
  return run(body, (b) => {
    const item = redesignItem(b, '', true);
    const num_outputs = field(b, 'num_outputs', 1, (v): v is number => Number.isInteger(v), 'an integer');
    if (num_outputs < 1 || num_outputs > 4) throw new Invalid('num_outputs must be between 1 and 4');
    return { item, num_outputs, output_format: outputFormat(b), ...common(b) };
  });
}

export function validateBatchRedesign(body: unknown): Validated<BatchRedesignRequest> {
  return run(body, (b) => {
    const images = b.images;
    if (images === undefined || images === null) throw new Invalid('images is required');
    if (!Array.isArray(images)) throw new Invalid('images must be an array');
    if (images.length < 1 || images.length > MAX_BATCH_IMAGES) throw new Invalid(`images must contain between 1 and ${MAX_BATCH_IMAGES} items`);
    // The top-level preserve_layout is the default each image may override.
    const preserve = field(b, 'preserve_layout', true, isBool, 'a boolean');
    const items = images.map((raw: unknown, i) => {
      if (!isObject(raw)) throw new Invalid(`images[${i}] must be an object`);
      return redesignItem(raw, `images[${i}].`, preserve);
    });
    return { items, output_format: outputFormat(b), ...common(b) };
  });
}

export function validateUpscale(body: unknown): Validated<UpscaleRequest> {
  return run(body, (b) => ({ image_urls: [imageUrl(b.image_url, 'image_url')], ...upscaleOptions(b) }));
}

export function validateBatchUpscale(body: unknown): Validated<UpscaleRequest> {
  return run(body, (b) => {
    const urls = b.image_urls;
    if (urls === undefined || urls === null) throw new Invalid('image_urls is required');
    if (!Array.isArray(urls)) throw new Invalid('image_urls must be an array');
    if (urls.length < 1 || urls.length > MAX_BATCH_IMAGES) throw new Invalid(`image_urls must contain between 1 and ${MAX_BATCH_IMAGES} items`);
    return { image_urls: urls.map((u: unknown, i) => imageUrl(u, `image_urls[${i}]`)), ...upscaleOptions(b) };
  });
}

function upscaleOptions(b: Obj) {
  const scale = field(b, 'scale', 4, (v): v is UpscaleFactor => UPSCALE_FACTORS.includes(v as UpscaleFactor), '2, 3 or 4');
  const face_enhance = field(b, 'face_enhance', false, isBool, 'a boolean');
  return { scale, face_enhance, ...common(b) };
}

/** GET /v1/jobs query: limit 1-1000 (default 100), offset >= 0 (default 0), cursor passed through. */
export function validateListQuery(q: URLSearchParams): Validated<{ limit: number; offset: number; cursor: string | null }> {
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = q.get(name);
    if (raw === null || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Invalid(`${name} must be an integer between ${min} and ${max}`);
    return n;
  };
  try {
    return { ok: true, value: { limit: int('limit', 100, 1, 1000), offset: int('offset', 0, 0, Number.MAX_SAFE_INTEGER), cursor: q.get('cursor') } };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, detail: e.message };
    throw e;
  }
}
