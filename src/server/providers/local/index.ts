/** The embedded local engine (STAGING_PROVIDER=local): real image work with sharp, offline. */
export { createLocalProvider, DEFAULT_LOCAL_TIMING, type LocalEngineOptions, type LocalTiming } from './provider.js';
export { parseLocalFailure, attemptOf, type LocalFailure, type FailureStage } from './failures.js';
export { LOCAL_SERVICES, localServices, findLocalService } from './catalog.js';
export { gradeFor, combineGrades, NEUTRAL_GRADE, type Grade } from './grades.js';
export { enhance, upscale, gradedPreviews, fitLongSide, UnreadableImageError, type EncodedImage, type PipelineHooks } from './pipelines.js';
