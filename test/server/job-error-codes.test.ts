/**
 * The contract lists every code a failed job's error can carry (JOB_ERROR_CODES), so clients
 * (the widget's failure texts among them) can switch on a known set. This reads the BFF's
 * sources for the codes it hands to a failed job and checks that each is listed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_ERROR_CODES, OUTPUT_NOTE_CODES } from '../../src/contract/index.js';

const ROOT = join(import.meta.dirname, '../../src/server');

function sources(): Array<{ file: string; text: string }> {
  return readdirSync(ROOT, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => /[/\\](providers|jobs)[/\\]/.test(file))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

describe('job error codes', () => {
  it('lists in the contract every code the BFF gives a failed job', () => {
    const found = new Map<string, string>();
    for (const { file, text } of sources()) {
      // new ProviderJobError('code', …) and the job runner's / adapters' `{ code: 'code', … }`.
      for (const m of text.matchAll(/ProviderJobError\(\s*'([a-z_]+)'|\bcode: '([a-z_]+)'/g)) found.set(m[1] ?? m[2]!, file);
    }
    expect(found.size, 'the scan found the codes (processing_failed at least)').toBeGreaterThan(5);
    // An output's note has a `code` too: those are listed in OUTPUT_NOTE_CODES instead.
    const notes = OUTPUT_NOTE_CODES as readonly string[];
    const missing = [...found].filter(([code]) => !(JOB_ERROR_CODES as readonly string[]).includes(code) && !notes.includes(code));
    expect(missing, 'codes missing from JOB_ERROR_CODES (code, first file)').toEqual([]);
  });
});
