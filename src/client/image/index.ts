export { prepareImage } from './prepare.js';
export { canEncode } from './prepare-core.js';
export { readImageSize, sniffImageType, type ImageSize, type SniffedType } from './sniff.js';
export {
  ImagePreparationError,
  isImagePreparationError,
  type ImagePreparationErrorCode,
  type ImagePreparationErrorDetails,
} from './errors.js';
export type { PrepareImageOptions, PreparedImage, PreparedImageType } from './types.js';
