/**
 * The client's parts that its first screen does not need: the XHR upload transport (fetch reports
 * no upload progress) and the reader of event streams with its SSE parser. One file in the one-tag
 * script, fetched with the first upload or the first stream, whichever comes first: a photo's flow
 * uses both, and one file costs fewer bytes than two. A page that never uploads nor watches a job
 * fetches neither.
 */
export { xhrTransport } from './xhr-transport.js';
export { readEvents } from './event-stream.js';
