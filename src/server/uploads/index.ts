export { ACCEPTED_CONTENT_TYPES, ACCEPTED_FORMATS_SENTENCE, type AcceptedContentType } from './accepted-types.js';
export { ingestUpload } from './ingest-upload.js';
export { DEFAULT_UPLOAD_LIMITS, type UploadLimitsConfig } from './limits.js';
export { normalizeImage, type NormalizedImage } from './normalize-image.js';
export { sniffImageType, type SniffedImageType } from './sniff-image-type.js';
