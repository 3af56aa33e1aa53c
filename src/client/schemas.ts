/**
 * The response schemas the client checks answers with, as one chunk. It is loaded with the first
 * request and in parallel with it (see `load-schemas.ts`), not with the page: the first screen
 * of the one-tag script shows, and fetches its token, without zod.
 */
export { Batch, BatchPage, BatchWithJobs, Catalog, Credits, ErrorBody, Job, JobPage, OutputSelection, Upload } from '../contract/index.js';
