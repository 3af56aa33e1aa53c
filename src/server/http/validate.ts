import type { Context } from 'hono';
import type * as z from 'zod/mini';
import type { ValidationIssue } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { readBody } from './read-body.js';

/** Largest JSON request body: a job or session request is a few KB at most. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export function issuesOf(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: describeIssue(i) }));
}

/** zod/mini ships no messages; these say what is wrong with the field in words. */
function describeIssue(i: z.core.$ZodIssue): string {
  switch (i.code) {
    case 'invalid_type':
      return `expected ${i.expected}`;
    case 'too_small':
      return i.origin === 'string' ? `must be at least ${i.minimum} characters` : i.origin === 'array' ? `needs at least ${i.minimum} items` : `must be at least ${i.minimum}`;
    case 'too_big':
      return i.origin === 'string' ? `must be at most ${i.maximum} characters` : i.origin === 'array' ? `allows at most ${i.maximum} items` : `must be at most ${i.maximum}`;
    case 'invalid_value':
      return `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
    case 'invalid_format':
      return i.message && i.message !== 'Invalid input' ? i.message : `is not a valid ${i.format}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return i.message && i.message !== 'Invalid input' ? i.message : 'is invalid';
  }
}

export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw ApiError.validation(issuesOf(r.error), what);
  return r.data;
}

/** Reads a JSON body and validates it; a 400 in the documented shape names the fields. */
/** `whenEmpty`: the value to validate instead when the body is empty (for bodies that are optional). */
export async function jsonBody<T extends z.ZodMiniType>(c: Context, schema: T, opts: { whenEmpty?: unknown } = {}): Promise<z.infer<T>> {
  const type = c.req.header('content-type') ?? '';
  const text = (
    await readBody(c.req.raw, {
      maxBytes: MAX_JSON_BODY_BYTES,
      tooLarge: () => new ApiError('payload_too_large', `JSON request bodies are limited to ${MAX_JSON_BODY_BYTES / 1024} KB.`, { limit_bytes: MAX_JSON_BODY_BYTES }),
    })
  ).toString('utf8');
  if (text.trim() === '' && opts.whenEmpty !== undefined) return parseWith(schema, opts.whenEmpty, 'request body');
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError('invalid_request', 'Send the body as JSON with Content-Type: application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, value, 'request body');
}
