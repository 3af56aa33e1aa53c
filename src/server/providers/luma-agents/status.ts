import { savedState } from '../remote/tracking.js';
import { ProviderJobError } from '../types.js';
import { LABEL } from './errors.js';

/** The generation resource (API Reference): what POST /generations and GET /generations/{id} return. */
export interface LumaGeneration {
  id: string;
  /** queued → processing → completed | failed; anything else is treated as still running. */
  state: string;
  failure_code: string | null;
  failure_reason: string | null;
  /** Presigned URLs (1 hour expiry), present once completed. */
  output: Array<{ type: string; url: string }>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Reads the fields we act on and refuses an answer without an id or state. */
export function parseGeneration(json: unknown): LumaGeneration {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const id = str(o.id);
  const state = str(o.state);
  if (!id || !state) throw new ProviderJobError('provider_error', `${LABEL} sent a generation without an id or state.`, true);
  const output = Array.isArray(o.output)
    ? o.output.flatMap((x) => {
        const e = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
        const url = str(e.url);
        return url ? [{ type: str(e.type) ?? 'image', url }] : [];
      })
    : [];
  return { id, state, failure_code: str(o.failure_code), failure_reason: str(o.failure_reason), output };
}

/** What we persist right after submitting, so a restart resumes instead of paying twice. */
export interface SavedLumaState {
  generationId: string;
  /** Epoch ms of the submission: the tracking deadline counts from it across restarts. */
  submittedAt: number;
}

export function parseSavedState(v: unknown): SavedLumaState | null {
  const saved = savedState(v, 'generationId');
  return saved && { generationId: saved.generationId, submittedAt: typeof saved.submittedAt === 'number' ? saved.submittedAt : Date.now() };
}
