import type * as Schemas from './schemas.js';

export type ResponseSchemas = typeof Schemas;

let pending: Promise<ResponseSchemas> | null = null;

/**
 * The response schemas, loaded once. A failed load (offline, a missing chunk) is not cached,
 * so the next call tries again.
 */
export function loadSchemas(): Promise<ResponseSchemas> {
  pending ??= import('./schemas.js').catch((err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}
