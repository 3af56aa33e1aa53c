import type { ExecutionContext } from '../types.js';

export type LumelyStatus = 'pending' | 'compressing' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** GET /jobs/{id}, the fields the adapter reads. */
export interface LumelyJobView {
  id: string;
  status: LumelyStatus;
  output_image_url?: string | null;
  error_message?: string | null;
}

const STATUSES: readonly LumelyStatus[] = ['pending', 'compressing', 'processing', 'completed', 'failed', 'cancelled'];

export function readJob(body: unknown): LumelyJobView | null {
  const j = body as Partial<LumelyJobView> | null;
  if (!j || typeof j.id !== 'string' || !STATUSES.includes(j.status as LumelyStatus)) return null;
  return j as LumelyJobView;
}

// Progress over the whole job (0..1). Uploading and Lumely's queue count as our
// `compressing`; generation is `processing`, which the docs put at 30–90 s.
export const PROGRESS = { uploading: 0.03, submitted: 0.12, pending: 0.15, compressing: 0.22, processingStart: 0.3, processingEnd: 0.9, downloading: 0.95 };
const TYPICAL_PROCESSING_MS = 60_000;

/**
 * Reports a Lumely status. Lumely gives no percentage, so `processing` creeps towards 0.9
 * over the typical minute (and stays there if it takes longer) to show the job is alive.
 */
export function reportStatus(ctx: ExecutionContext, status: LumelyStatus, processingSince: number | null): void {
  if (status === 'pending') ctx.progress('compressing', PROGRESS.pending);
  else if (status === 'compressing') ctx.progress('compressing', PROGRESS.compressing);
  else if (status === 'processing') {
    const elapsed = processingSince === null ? 0 : Date.now() - processingSince;
    const share = 1 - Math.exp(-elapsed / TYPICAL_PROCESSING_MS);
    ctx.progress('processing', PROGRESS.processingStart + (PROGRESS.processingEnd - PROGRESS.processingStart) * share);
  }
}
