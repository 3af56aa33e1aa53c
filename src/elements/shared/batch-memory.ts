/**
 * Remembers the listing in flight (`<staging-listing>`'s batch) in sessionStorage, so that a
 * reload finds it again: its id only, one per BFF endpoint (`scopeKeyFor`). Apart from
 * `job-memory.ts`, which is on the one-tag script's first screen, so that the listing's code
 * stays in the listing's chunk.
 */
/** A listing nobody came back to for a day is forgotten (the jobs' own rule, `job-memory.ts`). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

function sessionStore(): Storage | null {
  try {
    // The getter itself throws in sandboxed iframes and with storage blocked by the browser.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

const BATCH_PREFIX = 'staging-widget:batch:';
const BATCH_ID = /^bat_[A-Za-z0-9]{16,40}$/;

/** Remembers `batchId` as the listing in flight for `scopeKey` (one per endpoint: a new one replaces it). */
export function rememberBatch(scopeKey: string, batchId: string): boolean {
  const storage = sessionStore();
  if (!storage || !BATCH_ID.test(batchId)) return false;
  try {
    storage.setItem(BATCH_PREFIX + scopeKey, JSON.stringify({ batchId, savedAt: Date.now() }));
    return true;
  } catch {
    return false;
  }
}

/** The listing in flight for `scopeKey`, or null (none, too old, not ours, or no storage). */
export function rememberedBatch(scopeKey: string): string | null {
  const storage = sessionStore();
  try {
    const v = JSON.parse(storage?.getItem(BATCH_PREFIX + scopeKey) ?? 'null') as { batchId?: unknown; savedAt?: unknown } | null;
    if (!v || typeof v.batchId !== 'string' || !BATCH_ID.test(v.batchId) || typeof v.savedAt !== 'number') return null;
    return Date.now() - v.savedAt > MAX_AGE_MS ? null : v.batchId;
  } catch {
    return null;
  }
}

/** Forgets the listing of `scopeKey` (it was finished with, or started over). */
export function forgetBatch(scopeKey: string): boolean {
  try {
    sessionStore()?.removeItem(BATCH_PREFIX + scopeKey);
    return true;
  } catch {
    return false;
  }
}

