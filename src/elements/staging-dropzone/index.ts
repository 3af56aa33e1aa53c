export {
  StagingDropzone,
  type StagingFileClearedDetail,
  type StagingFileRejectedDetail,
  type StagingFileSelectedDetail,
} from './staging-dropzone.js';
export { DEFAULT_UPLOAD_LIMITS, type DropzoneRejectionCode } from './validation.js';
