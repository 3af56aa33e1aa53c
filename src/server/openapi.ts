import * as z from 'zod';
import {
  Batch,
  BatchPage,
  BatchWithJobs,
  Catalog,
  CreateBatchRequest,
  CreateJobRequest,
  CreateSessionRequest,
  Credits,
  ERROR_CODES,
  ErrorBody,
  Job,
  JobPage,
  ListJobsQuery,
  OutputSelection,
  RedoBatchItemRequest,
  SessionResponse,
  UpdateBatchItemRequest,
  Upload,
} from '../contract/index.js';

/**
 * The OpenAPI 3.1 description of HTTP API v1, generated from the zod contract so that it cannot
 * drift from what the BFF validates and answers: request bodies are the contract's request
 * schemas (as input), responses its response schemas (as output). Served at
 * `GET /v1/openapi.json` and written to `dist/openapi.json` by the build.
 *
 * The route list below is the one hand-written part; `test/server/openapi.test.ts` fails when the
 * app has a route this document lacks, and the API tests check every JSON answer against it.
 */

type Schema = Record<string, unknown>;
interface Answer {
  status: number;
  description: string;
  content?: Record<string, { schema: Schema }>;
}
type Who = 'admin' | 'widget' | 'signed' | 'public' | 'provider';

interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  who: Who;
  summary: string;
  description?: string;
  tag: string;
  params?: Schema[];
  body?: Record<string, { schema: Schema }>;
  ok: Answer;
  /** Other successful answers (a replay, a 304). */
  also?: Answer[];
  errors: number[];
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });

/** Contract schemas published as components: responses as the BFF writes them, requests as it reads them. */
const RESPONSES = { SessionResponse, Catalog, Credits, Upload, Job, JobPage, OutputSelection, Batch, BatchWithJobs, BatchPage, ErrorBody } as const;
const REQUESTS = { CreateSessionRequest, CreateJobRequest, CreateBatchRequest, RedoBatchItemRequest, UpdateBatchItemRequest } as const;

function componentSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const convert = (schema: z.core.$ZodType, io: 'input' | 'output') => {
    const s = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Schema;
    delete s.$schema;
    return s;
  };
  for (const [name, schema] of Object.entries(RESPONSES)) out[name] = convert(schema, 'output');
  for (const [name, schema] of Object.entries(REQUESTS)) out[name] = convert(schema, 'input');
  // The codes a client may switch on; `message` is a sentence for developers and may change.
  const error = (out.ErrorBody as { properties: { error: { properties: { code: Schema } } } }).properties.error;
  error.properties.code = { type: 'string', description: 'Stable, snake_case; see the README for each one.', examples: [...ERROR_CODES] };
  return out;
}

const idParam = (prefix: string, what: string): Schema => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what}'s id.`,
  schema: { type: 'string', pattern: `^${prefix}_[A-Za-z0-9]{16,40}$` },
});
const SIGNED_PARAMS: Schema[] = [
  { name: 'expires', in: 'query', required: true, description: 'Unix time (s) when the link stops working.', schema: { type: 'string', pattern: '^\\d+$' } },
  { name: 'sid', in: 'query', required: false, description: 'The session the link was handed to (covered by the signature): revoking that session ends the link.', schema: { type: 'string' } },
  { name: 'sig', in: 'query', required: true, description: 'The link\'s signature.', schema: { type: 'string' } },
];
const ITEM_INDEX_PARAM: Schema = {
  name: 'index',
  in: 'path',
  required: true,
  description: "The photo's place in the batch's `items`, from 0. One that is not an item's is a 400 naming `index`.",
  schema: { type: 'string', pattern: '^\\d{1,4}$' },
};
const PAGE_ID_PARAM: Schema = {
  name: 'pageId',
  in: 'path',
  required: true,
  description: "The page's public id, from an output's `disclosure.original_page_url`.",
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{24}$' },
};
const IDEMPOTENCY_KEY: Schema = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A key of your choosing (1–255 visible ASCII characters): the same key with the same body returns the first job (200); with another body, 409 `idempotency_key_reused`.',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
};
const IMAGE_BODY = {
  'image/*': { schema: { type: 'string', contentMediaType: 'image/*', description: 'JPEG, PNG, WebP, GIF or HEIC; the format is read from the bytes.' } },
  'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  'multipart/form-data': {
    schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', contentMediaType: 'image/*' } } },
  },
};
const IMAGE_RESPONSE = {
  'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
  'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
  'image/webp': { schema: { type: 'string', contentMediaType: 'image/webp' } },
};

const NOT_MODIFIED: Answer = { status: 304, description: 'Unchanged since the ETag in If-None-Match.' };

/** Every route of HTTP API v1. */
export const ROUTES: readonly RouteDoc[] = [
  {
    method: 'get', path: '/healthz', who: 'public', tag: 'operations', summary: 'Liveness',
    ok: { status: 200, description: 'The BFF is up.', content: json({ type: 'object', required: ['ok', 'provider'], properties: { ok: { const: true }, provider: { type: 'string' } } }) },
    errors: [],
  },
  {
    method: 'get', path: '/readyz', who: 'public', tag: 'operations', summary: 'Readiness',
    description: 'The store answers and the provider is reachable and accepts the configured credentials (its catalog, fetched afresh, within 5 s). 503 (or 500 for a rejected key, 502 for a failing provider) means: send no traffic here yet.',
    ok: { status: 200, description: 'Ready.', content: json({ type: 'object', required: ['ok', 'provider', 'checks'], properties: { ok: { const: true }, provider: { type: 'string' }, checks: { type: 'object' } } }) },
    errors: [500, 502, 503],
  },
  {
    method: 'get', path: '/v1/openapi.json', who: 'public', tag: 'operations', summary: 'This document',
    ok: { status: 200, description: 'The OpenAPI 3.1 description of HTTP API v1.', content: json({ type: 'object' }) },
    errors: [],
  },
  {
    method: 'post', path: '/v1/sessions', who: 'admin', tag: 'sessions', summary: 'Mint a widget token',
    description: 'Your backend calls this with the admin key after checking its own login, and hands the token to the widget.',
    body: json(ref('CreateSessionRequest')),
    ok: { status: 201, description: 'The session and its widget token.', content: json(ref('SessionResponse')) },
    errors: [400, 401, 413],
  },
  {
    method: 'delete', path: '/v1/sessions/{id}', who: 'admin', tag: 'sessions', summary: 'Revoke a session at once',
    params: [idParam('ses', 'session')],
    ok: { status: 204, description: 'Revoked.' },
    errors: [401, 404],
  },
  {
    method: 'post', path: '/v1/dev/sessions', who: 'public', tag: 'sessions', summary: 'Mint a token without the admin key (STAGING_DEV=1 only)',
    body: json(ref('CreateSessionRequest')),
    ok: { status: 201, description: 'The session and its widget token.', content: json(ref('SessionResponse')) },
    errors: [400, 403],
  },
  {
    method: 'get', path: '/v1/services', who: 'widget', tag: 'catalog', summary: 'The catalog, filtered by the session',
    ok: { status: 200, description: 'Services, configs, credits per resolution, inputs, option schema, upload limits.', content: json(ref('Catalog')) },
    errors: [401, 403, 429, 502, 503],
  },
  {
    method: 'get', path: '/v1/credits', who: 'widget', tag: 'catalog', summary: "The session's allowance and use",
    ok: { status: 200, description: '`null` allowance means unlimited.', content: json(ref('Credits')) },
    errors: [401, 403, 429],
  },
  {
    method: 'post', path: '/v1/uploads', who: 'widget', tag: 'uploads', summary: 'Upload a photo, mask or reference image',
    description: 'Checked by its bytes, size and pixel count, oriented upright and stripped of metadata before it is stored.',
    params: [{ name: 'purpose', in: 'query', required: false, description: '`mask` for a painted area: stored lossless as greyscale PNG. Default `photo`.', schema: { type: 'string', enum: ['photo', 'mask'] } }],
    body: IMAGE_BODY,
    ok: { status: 201, description: 'The stored image.', content: json(ref('Upload')) },
    errors: [400, 401, 403, 408, 413, 415, 422, 429],
  },
  {
    method: 'get', path: '/v1/uploads/{id}', who: 'widget', tag: 'uploads', summary: 'An upload again, with a fresh signed URL',
    params: [idParam('upl', 'upload')],
    ok: { status: 200, description: 'The upload.', content: json(ref('Upload')) },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'get', path: '/v1/uploads/{id}/content', who: 'signed', tag: 'uploads', summary: 'The normalized image (signed link)',
    params: [idParam('upl', 'upload'), ...SIGNED_PARAMS],
    ok: { status: 200, description: 'The image bytes.', content: IMAGE_RESPONSE },
    also: [NOT_MODIFIED],
    errors: [404],
  },
  {
    method: 'post', path: '/v1/jobs', who: 'widget', tag: 'jobs', summary: 'Start a job',
    params: [IDEMPOTENCY_KEY],
    body: json(ref('CreateJobRequest')),
    ok: { status: 201, description: 'The new job.', content: json(ref('Job')) },
    also: [{ status: 200, description: 'The same Idempotency-Key and body again: the job it made the first time.', content: json(ref('Job')) }],
    errors: [400, 401, 402, 403, 404, 409, 413, 429, 502, 503],
  },
  {
    method: 'get', path: '/v1/jobs', who: 'widget', tag: 'jobs', summary: "This subject's jobs, newest first",
    params: Object.entries((z.toJSONSchema(ListJobsQuery, { io: 'input' }) as { properties: Record<string, Schema> }).properties).map(([name, schema]) => ({
      name, in: 'query', required: false, schema,
    })),
    ok: { status: 200, description: 'A page of jobs; pass `next_cursor` as `cursor` for the next.', content: json(ref('JobPage')) },
    errors: [400, 401, 403, 429],
  },
  {
    method: 'get', path: '/v1/jobs/{id}', who: 'widget', tag: 'jobs', summary: 'One job',
    params: [idParam('job', 'job')],
    ok: { status: 200, description: 'The job.', content: json(ref('Job')) },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'get', path: '/v1/jobs/{id}/events', who: 'widget', tag: 'jobs', summary: "The job's live events (server-sent events)",
    description: 'Each `event: job` carries the whole job as `data` (JSON, the Job schema): once at once, then on every change; comment heartbeats keep the connection open; the stream ends after a terminal status.',
    params: [idParam('job', 'job')],
    ok: { status: 200, description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string', description: '`event: job` / `data: <Job as JSON>`' } } } },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'post', path: '/v1/jobs/{id}/cancel', who: 'widget', tag: 'jobs', summary: 'Cancel a job and release its credits',
    params: [idParam('job', 'job')],
    ok: { status: 200, description: 'The job.', content: json(ref('Job')) },
    errors: [401, 403, 404, 409, 429],
  },
  {
    method: 'post', path: '/v1/jobs/{id}/retry', who: 'widget', tag: 'jobs', summary: 'Retry a failed or cancelled job',
    params: [idParam('job', 'job')],
    ok: { status: 200, description: 'The job, pending again.', content: json(ref('Job')) },
    errors: [401, 402, 403, 404, 409, 429],
  },
  {
    method: 'get', path: '/v1/outputs/{id}', who: 'signed', tag: 'jobs', summary: 'An output image (signed link)',
    params: [idParam('out', 'output'), ...SIGNED_PARAMS],
    ok: { status: 200, description: 'The image bytes.', content: IMAGE_RESPONSE },
    also: [NOT_MODIFIED],
    errors: [404],
  },
  {
    method: 'get', path: '/v1/outputs/{id}/published', who: 'signed', tag: 'disclosure', summary: 'The labelled copy of an output (signed link)',
    description: 'Only for outputs whose disclosure profile burns a label in (`disclosure.burned_in`); the clean output stays at `/v1/outputs/{id}`.',
    params: [idParam('out', 'output'), ...SIGNED_PARAMS],
    ok: { status: 200, description: 'The image bytes, with the label and the XMP AI mark.', content: IMAGE_RESPONSE },
    also: [NOT_MODIFIED],
    errors: [404],
  },
  {
    method: 'get', path: '/v1/outputs/{id}/changes', who: 'signed', tag: 'disclosure', summary: 'What an output changed: a heat map (signed link)',
    description: 'A PNG, transparent where the output matches its original and warm where it differs (a global grade shows little), sized like the output up to 1024 px: lay it over the output. Made on first request.',
    params: [idParam('out', 'output'), ...SIGNED_PARAMS],
    ok: { status: 200, description: 'The heat map.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
    also: [NOT_MODIFIED],
    errors: [404],
  },
  {
    method: 'get', path: '/v1/originals/{pageId}', who: 'public', tag: 'disclosure', summary: "A material output's original: a public page",
    description: 'The unaltered photo, marked as the original, next to the altered one, with the disclosure statement. HTML, no script, long-lived: link it from the listing (AB 723). 410 once the host withdrew it.',
    params: [PAGE_ID_PARAM],
    ok: { status: 200, description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
    errors: [404, 410],
  },
  {
    method: 'get', path: '/v1/originals/{pageId}/original', who: 'public', tag: 'disclosure', summary: 'The original photo, at a stable URL',
    description: 'The photo as it was stored at upload: never resized or re-encoded again.',
    params: [PAGE_ID_PARAM],
    ok: { status: 200, description: 'The image bytes.', content: IMAGE_RESPONSE },
    errors: [404, 410],
  },
  {
    method: 'get', path: '/v1/originals/{pageId}/altered', who: 'public', tag: 'disclosure', summary: 'The altered photo as published, at a stable URL',
    params: [PAGE_ID_PARAM],
    ok: { status: 200, description: 'The image bytes (the labelled copy when the profile burns one in).', content: IMAGE_RESPONSE },
    errors: [404, 410],
  },
  {
    method: 'get', path: '/v1/originals/{pageId}/qr.svg', who: 'public', tag: 'disclosure', summary: "A QR code of the original's page (SVG)",
    params: [PAGE_ID_PARAM],
    ok: { status: 200, description: 'The QR code.', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
    errors: [404, 410],
  },
  {
    method: 'get', path: '/v1/originals/{pageId}/qr.png', who: 'public', tag: 'disclosure', summary: "A QR code of the original's page (PNG, 512 px)",
    params: [PAGE_ID_PARAM],
    ok: { status: 200, description: 'The QR code.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
    errors: [404, 410],
  },
  {
    method: 'delete', path: '/v1/originals/{pageId}', who: 'admin', tag: 'disclosure', summary: "Withdraw an original's page",
    description: 'For a listing that has ended: the page and its images answer 410 from now on.',
    params: [PAGE_ID_PARAM],
    ok: { status: 204, description: 'Withdrawn.' },
    errors: [401, 404],
  },
  {
    method: 'post', path: '/v1/batches', who: 'widget', tag: 'batches', summary: 'Start a whole listing at once',
    description: 'One job per item with the shared style; the credits of all of them are held at once, or nothing starts (402 says how many are needed and remain). A 400 names the item (`items.3.config`).',
    params: [IDEMPOTENCY_KEY],
    body: json(ref('CreateBatchRequest')),
    ok: { status: 201, description: 'The batch and its jobs.', content: json(ref('BatchWithJobs')) },
    also: [{ status: 200, description: 'The same Idempotency-Key and body again: the batch it made the first time.', content: json(ref('BatchWithJobs')) }],
    errors: [400, 401, 402, 403, 404, 409, 413, 429, 502, 503],
  },
  {
    method: 'get', path: '/v1/batches', who: 'widget', tag: 'batches', summary: "This subject's batches, newest first",
    params: [
      { name: 'limit', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{1,3}$' } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } },
    ],
    ok: { status: 200, description: 'A page of batches.', content: json(ref('BatchPage')) },
    errors: [400, 401, 403, 429],
  },
  {
    method: 'get', path: '/v1/batches/{id}', who: 'widget', tag: 'batches', summary: 'One batch, with counts per status and its jobs',
    params: [idParam('bat', 'batch')],
    ok: { status: 200, description: 'The batch.', content: json(ref('BatchWithJobs')) },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'get', path: '/v1/batches/{id}/events', who: 'widget', tag: 'batches', summary: "The batch's live events (server-sent events)",
    description: '`event: job` (a Job) for every job now and on every change, `event: batch` (a Batch) with the counts after each; the stream ends after the last job ends. One connection for the whole listing.',
    params: [idParam('bat', 'batch')],
    ok: { status: 200, description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'post', path: '/v1/batches/{id}/cancel', who: 'widget', tag: 'batches', summary: 'Cancel what has not finished, and release its credits',
    params: [idParam('bat', 'batch')],
    ok: { status: 200, description: 'The batch.', content: json(ref('BatchWithJobs')) },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'post', path: '/v1/batches/{id}/items/{index}/redo', who: 'widget', tag: 'batches', summary: 'Redo one photo of the batch (a new job, charged as one)',
    description:
      "A new job for the item with the batch's style lock (service, the item's config and mask, resolution, options, reference image, variants), the `prompt` given (else the item's), `options` merged over the item's, and a new seed or variation unless `new_variant` is false. The calling session's scopes, credits and revocation are checked and it pays, as for `POST /v1/jobs`. The job becomes the item's `job_id` (the earlier one moves to `previous_job_ids`, and is cancelled if it had not ended); the batch's counts, events and archive follow it. None of the providers documents a seed: a remote redo is a new submission; the local engine's previews take another look per variant, its other services return the same picture for the same settings. 409 in a cancelled batch.",
    params: [idParam('bat', 'batch'), ITEM_INDEX_PARAM, IDEMPOTENCY_KEY],
    body: json(ref('RedoBatchItemRequest')),
    ok: { status: 201, description: 'The new job.', content: json(ref('Job')) },
    also: [{ status: 200, description: 'The same Idempotency-Key and body again: the job it made the first time.', content: json(ref('Job')) }],
    errors: [400, 401, 402, 403, 404, 409, 429],
  },
  {
    method: 'patch', path: '/v1/batches/{id}/items/{index}', who: 'widget', tag: 'batches', summary: "Record the agent's decision on one photo (exclude or include it)",
    description: 'An excluded item stays in the batch (its job, its credits) but is left out of the archive and its manifest. Setting the same value again is harmless.',
    params: [idParam('bat', 'batch'), ITEM_INDEX_PARAM],
    body: json(ref('UpdateBatchItemRequest')),
    ok: { status: 200, description: 'The batch.', content: json(ref('BatchWithJobs')) },
    errors: [400, 401, 403, 404, 429],
  },
  {
    method: 'get', path: '/v1/batches/{id}/archive', who: 'signed', tag: 'batches', summary: 'A ZIP of every output (signed link)',
    description: "Files named by item order and room (`01-interior-modern.jpg`), and `manifest.json` saying which original each came from. Each item's current job (its latest redo's) is used; excluded items are left out. Streamed while it is written.",
    params: [idParam('bat', 'batch'), ...SIGNED_PARAMS],
    ok: { status: 200, description: 'The archive.', content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } } },
    errors: [404],
  },
  {
    method: 'post', path: '/v1/outputs/{id}/select', who: 'widget', tag: 'jobs', summary: 'Record "Use this image"',
    description: 'With STAGING_HOST_WEBHOOK_URL set, your backend then receives a signed `output.selected` webhook.',
    params: [idParam('out', 'output')],
    ok: { status: 200, description: 'Recorded.', content: json(ref('OutputSelection')) },
    errors: [401, 403, 404, 429],
  },
  {
    method: 'post', path: '/v1/webhooks/{provider}', who: 'provider', tag: 'providers', summary: "The provider's webhook",
    description: "Verified by the provider's own signature scheme, refused when replayed, then used only to wake the job's tracking.",
    params: [{ name: 'provider', in: 'path', required: true, schema: { type: 'string' } }],
    body: json({ type: 'object', description: "The provider's documented payload." }),
    ok: { status: 200, description: 'Received.', content: json({ type: 'object', required: ['received'], properties: { received: { const: true } } }) },
    errors: [401, 404, 409, 413],
  },
  {
    method: 'get', path: '/v1/provider/account', who: 'admin', tag: 'providers', summary: "The provider account's credits and usage",
    ok: {
      status: 200,
      description: "As the provider reports them.",
      content: json({ type: 'object', required: ['provider', 'account'], properties: { provider: { type: 'string' }, account: { type: 'object' } } }),
    },
    errors: [401, 404, 500, 502, 503],
  },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'The request failed validation (`issues` names the fields).',
  401: 'No, a forged, an expired or a revoked credential.',
  402: 'Not enough credits.',
  403: 'Origin or scope not allowed.',
  404: 'Not found for this subject.',
  408: 'The body arrived too slowly.',
  409: 'Conflicting state, a reused Idempotency-Key, or a replayed webhook.',
  413: 'The body is over its size limit.',
  415: 'Not an image format the BFF takes.',
  422: 'The image is too large or unreadable.',
  429: 'Rate limited: wait for Retry-After.',
  500: 'The server is misconfigured or failed.',
  502: 'The provider failed.',
  503: 'The provider is unavailable.',
};

const REQUEST_ID = { description: 'Echoes or assigns the request id, also in error bodies.', schema: { type: 'string' } };
const RATE_HEADERS = {
  'RateLimit-Limit': { description: "The session's request budget per window.", schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};
const SECURITY: Record<Who, Record<string, string[]>[]> = {
  admin: [{ adminKey: [] }],
  widget: [{ widgetToken: [] }],
  signed: [{ signedUrl: [] }],
  provider: [],
  public: [],
};

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/** Builds the document; `serverUrl` fills `servers` when known (the BFF passes its public URL). */
export function buildOpenApi(serverUrl?: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const r of ROUTES) {
    const widget = r.who === 'widget';
    const headers = { 'X-Request-Id': REQUEST_ID, ...(widget ? RATE_HEADERS : {}) };
    const responses: Record<string, unknown> = {};
    for (const a of [r.ok, ...(r.also ?? [])]) {
      responses[a.status] = { description: a.description, headers, ...(a.content ? { content: a.content } : {}) };
    }
    for (const status of r.errors) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? 'An error.',
        headers: status === 429 ? { ...headers, 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } : headers,
        content: json(ref('ErrorBody')),
      };
    }
    (paths[r.path] ??= {})[r.method] = {
      operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      security: SECURITY[r.who],
      ...(r.params ? { parameters: r.params } : {}),
      ...(r.body ? { requestBody: { required: true, content: r.body } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'staging-widget BFF',
      version: '1',
      description: 'HTTP API v1 of the staging-widget backend-for-frontend. Every error is `{"error": {"code", "message", "request_id", …}}`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: ['operations', 'sessions', 'catalog', 'uploads', 'jobs', 'batches', 'disclosure', 'providers'].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        adminKey: { type: 'http', scheme: 'bearer', description: 'STAGING_ADMIN_KEY, from your backend only.' },
        widgetToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A widget token from POST /v1/sessions.' },
        signedUrl: { type: 'apiKey', in: 'query', name: 'sig', description: 'The signature of a link the BFF handed out, with its `expires`.' },
      },
    },
  };
}
