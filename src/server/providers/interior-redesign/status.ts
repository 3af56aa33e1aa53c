/** What GET /v1/jobs/{job_id} answers: { job_id, status, output, error }. */
export interface InteriorRedesignJobStatus {
  jobId: string;
  status: string;
  output: Array<string | null> | null;
  error: string | null;
}

/**
 * The documented terminal statuses. The doc's integration guide says to poll "until status
 * ≠ processing", but a job is `starting` before it is `processing`, so that rule would stop
 * on a job that has not begun: tracking stops only on one of these.
 */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled']);

export function parseJobStatus(json: unknown): InteriorRedesignJobStatus | null {
  if (!json || typeof json !== 'object') return null;
  const b = json as Record<string, unknown>;
  if (typeof b.job_id !== 'string' || typeof b.status !== 'string') return null;
  const output = Array.isArray(b.output) ? b.output.map((u) => (typeof u === 'string' ? u : null)) : null;
  return { jobId: b.job_id, status: b.status, output, error: typeof b.error === 'string' ? b.error : null };
}

/**
 * Our progress (0..1 over the whole job) for a non-terminal status. `processing` has no
 * percentage, so progress creeps towards 0.85 with each poll; jobs "typically complete in
 * 30-120 seconds" per the doc.
 */
export function progressFor(status: string, polls: number): number {
  if (status === 'starting') return 0.15;
  return 0.2 + 0.65 * (1 - Math.exp(-polls / 12));
}
