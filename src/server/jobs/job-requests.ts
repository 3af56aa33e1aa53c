import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { CreateJobRequest } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import type { JobRecord, SessionRecord } from '../store/types.js';
import type { CheckedJob } from './check-job-request.js';

/** What jobs and batches share on the way in: the Idempotency-Key, the body's hash, a new job's record, list cursors. */

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key`, checked; undefined when it sent none. */
export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw ApiError.validation([{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }], 'header');
  }
  return key;
}

/** Stable JSON (sorted keys) so the same body always hashes the same for idempotency checks. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const requestHash = (body: unknown): string => createHash('sha256').update(canonical(body)).digest('hex');

/** A pending job for `body`, already checked against the catalog and the session. */
export function newJobRecord(session: SessionRecord, body: CreateJobRequest, checked: CheckedJob, now: string): JobRecord {
  return {
    id: newId('job'),
    subject: session.subject,
    sessionId: session.id,
    status: 'pending',
    service: body.service,
    config: body.config,
    resolution: checked.resolution,
    editClass: checked.service.edit_class,
    disclosureProfile: session.disclosureProfile,
    prompt: body.prompt ?? null,
    referenceId: body.reference_id ?? null,
    uploadId: body.upload_id,
    maskUploadId: body.mask_upload_id ?? null,
    referenceUploadId: body.reference_upload_id ?? null,
    bracketUploadIds: body.bracket_upload_ids ?? [],
    options: checked.options,
    location: body.location ?? null,
    variants: checked.variants,
    cost: checked.cost,
    creditsCharged: checked.cost,
    progress: 0,
    error: null,
    providerState: null,
    attempt: 1,
    interruptions: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** Newest-first list cursors: the last row's creation time and id. */
export const encodeCursor = (row: { createdAt: string; id: string }) => Buffer.from(JSON.stringify([row.createdAt, row.id])).toString('base64url');
export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through to the 400 below
  }
  throw ApiError.validation([{ path: 'cursor', message: 'is not a cursor this API returned' }], 'query');
}
