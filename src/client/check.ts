import type * as z from 'zod/mini';
import { StagingResponseError } from './errors.js';

/** An answer's text as JSON, or a StagingResponseError saying it was something else. */
export function parseJson(text: string, status: number, requestId: string | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StagingResponseError('The staging service answered something other than JSON.', status, requestId, [], e);
  }
}

/** Parses with the contract's schema; never casts an answer that does not match. */
export function check<T>(schema: z.ZodMiniType<T>, data: unknown, status: number, requestId: string | undefined): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new StagingResponseError('The staging service answered in an unexpected shape.', status, requestId, issues, r.error);
}
