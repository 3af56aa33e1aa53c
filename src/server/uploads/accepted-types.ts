/**
 * What `POST /v1/uploads` accepts, as the catalog advertises it. Acceptance is decided by
 * the bytes (see sniff-image-type.ts), never by these labels; they only tell clients what
 * to offer in a file picker.
 */
export const ACCEPTED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
] as const;
export type AcceptedContentType = (typeof ACCEPTED_CONTENT_TYPES)[number];

/** Used in 415 messages so a person knows what to send instead. */
export const ACCEPTED_FORMATS_SENTENCE = 'JPEG, PNG, WebP, GIF or HEIC';
