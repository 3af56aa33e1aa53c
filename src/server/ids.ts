import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Unguessable public ids (`job_…`, `upl_…`): 24 base62 characters ≈ 142 bits, so
 * enumerating ids never finds another subject's resources.
 */
export function newId(prefix: 'job' | 'upl' | 'out' | 'ses' | 'bat'): string {
  const bytes = randomBytes(32);
  let s = '';
  for (const b of bytes) {
    // 248 = 62 * 4: reject the top values so every character is equally likely.
    if (b < 248) s += ALPHABET[b % 62];
    if (s.length === 24) break;
  }
  return s.length === 24 ? `${prefix}_${s}` : newId(prefix);
}

export const nowIso = (): string => new Date().toISOString();
