import { isTerminal } from '../../contract/constants.js';
import type { Job } from '../../contract/index.js';

/**
 * Remembers jobs in flight in sessionStorage, so that a reload (or a person coming back in the
 * same tab) can pick them up again. Stores ids and harmless labels only: never a token, never
 * an output URL (those carry signatures), never anything the page did not already show.
 */

export interface RememberedJob {
  jobId: string;
  /** The job's `created_at`, for the elapsed time until the first event arrives. */
  created_at?: string;
  service?: string;
  config?: string;
  /** When this entry was written (ms since the epoch); old entries are dropped. */
  savedAt: number;
}

export type RememberJobInput = Omit<RememberedJob, 'savedAt'>;

const PREFIX = 'staging-widget:jobs:';
/** Older entries are jobs nobody came back for; the BFF may have purged them anyway. */
export const REMEMBER_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A runaway page must not fill the tab's storage. */
export const REMEMBER_MAX_ENTRIES = 20;

const LABEL = /^[A-Za-z0-9_.:+-]{1,64}$/;

/**
 * The scope of a BFF endpoint: its origin and path, without query or fragment (which could hold
 * credentials) and without a trailing slash, so equivalent spellings share one list.
 */
export function scopeKeyFor(endpoint: string | undefined | null): string {
  if (!endpoint) return 'default';
  try {
    const url = new URL(endpoint, globalThis.location?.href);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return endpoint.split(/[?#]/)[0]!.replace(/\/+$/, '') || 'default';
  }
}

export function storageKeyFor(scopeKey: string): string {
  return PREFIX + scopeKey;
}

/** Adds or refreshes `entry` for `scopeKey`. Returns false when storage is unavailable or full. */
export function rememberJob(scopeKey: string, entry: RememberJobInput): boolean {
  const clean = sanitize({ ...entry, savedAt: Date.now() });
  if (!clean) return false;
  const list = read(scopeKey).filter((e) => e.jobId !== clean.jobId);
  list.push(clean);
  return write(scopeKey, list.slice(-REMEMBER_MAX_ENTRIES));
}

/**
 * Keeps `job`'s entry for `scopeKey` up to date: remembered while it runs and `remember` is on,
 * forgotten once it ended (even without `remember`: it may have been turned off mid-job).
 */
export function trackJob(scopeKey: string, job: Job, remember: boolean): void {
  if (isTerminal(job.status)) forgetJob(scopeKey, job.id);
  else if (remember) rememberJob(scopeKey, { jobId: job.id, created_at: job.created_at, service: job.service, config: job.config });
}

/** Removes `jobId` from `scopeKey`'s list. Returns false when storage is unavailable. */
export function forgetJob(scopeKey: string, jobId: string): boolean {
  const list = read(scopeKey);
  const kept = list.filter((e) => e.jobId !== jobId);
  if (kept.length === list.length) return true;
  return write(scopeKey, kept);
}

/** The jobs remembered for `scopeKey`, oldest first; empty when storage is unavailable or corrupted. */
export function rememberedJobs(scopeKey: string): RememberedJob[] {
  return read(scopeKey);
}

/** Forgets every job of `scopeKey`. */
export function forgetAllJobs(scopeKey: string): boolean {
  const storage = sessionStore();
  if (!storage) return false;
  try {
    storage.removeItem(storageKeyFor(scopeKey));
    return true;
  } catch {
    return false;
  }
}

function sessionStore(): Storage | null {
  try {
    // The getter itself throws in sandboxed iframes and with storage blocked by the browser.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function read(scopeKey: string): RememberedJob[] {
  const storage = sessionStore();
  if (!storage) return [];
  let raw: string | null;
  try {
    raw = storage.getItem(storageKeyFor(scopeKey));
  } catch {
    return [];
  }
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const now = Date.now();
  const seen = new Set<string>();
  const out: RememberedJob[] = [];
  for (const item of parsed) {
    const clean = sanitize(item);
    if (!clean || seen.has(clean.jobId) || now - clean.savedAt > REMEMBER_MAX_AGE_MS) continue;
    seen.add(clean.jobId);
    out.push(clean);
  }
  return out;
}

function write(scopeKey: string, list: RememberedJob[]): boolean {
  const storage = sessionStore();
  if (!storage) return false;
  try {
    if (list.length === 0) storage.removeItem(storageKeyFor(scopeKey));
    else storage.setItem(storageKeyFor(scopeKey), JSON.stringify(list));
    return true;
  } catch {
    // QuotaExceededError, or Safari's private mode of old that refuses every write.
    return false;
  }
}

/** Keeps only known, well-formed, non-secret fields; anything else is dropped. */
function sanitize(value: unknown): RememberedJob | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  // Anything that is not a job id was not written by us (or was tampered with): ignore it.
  if (typeof v.jobId !== 'string' || !JOB_ID.test(v.jobId)) return null;
  const out: RememberedJob = { jobId: v.jobId, savedAt: typeof v.savedAt === 'number' && Number.isFinite(v.savedAt) ? v.savedAt : 0 };
  if (typeof v.created_at === 'string' && !Number.isNaN(Date.parse(v.created_at)) && v.created_at.length <= 40) out.created_at = v.created_at;
  if (typeof v.service === 'string' && LABEL.test(v.service)) out.service = v.service;
  if (typeof v.config === 'string' && LABEL.test(v.config)) out.config = v.config;
  return out;
}

/** The contract's job id (`JobId`), as a plain pattern: this module is on the first screen, zod is not. */
const JOB_ID = /^job_[A-Za-z0-9]{16,40}$/;
