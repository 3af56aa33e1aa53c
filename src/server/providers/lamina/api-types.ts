/**
 * The shapes of Lamina's /v1 answers the adapter reads (https://docs.uselamina.ai, API reference).
 * Everything is optional where the reference does not promise a field, so a missing one degrades
 * into a clear error instead of a crash.
 */

/** The error envelope every /v1 error answers with. */
export interface LaminaErrorEnvelope {
  error?: unknown;
  code?: unknown;
  retryable?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  details?: unknown;
}

export interface LaminaAppSummary {
  appId: string;
  name?: string;
  description?: string;
  isPublic?: boolean;
}

/** One input of an app as GET /v1/apps/{appId} describes it. */
export interface LaminaParameter {
  id?: string;
  name: string;
  /** `text`, `options` and `url` in the reference; `number`/`integer`/`boolean` are converted too should an app use them. */
  type: string;
  /** The reference: every parameter says required: true; one with a default may be omitted. */
  required?: boolean;
  options?: unknown[];
  accept?: string[];
  default?: unknown;
  description?: string;
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface LaminaAppDetail extends LaminaAppSummary {
  parameters?: LaminaParameter[];
}

export interface LaminaOutput {
  id?: string;
  label?: string;
  /** `pending` until produced, then `image`, `video` or `text`. */
  type?: string;
  value?: string | null;
  status?: string;
  error?: string | null;
}

/** The ExecutionStatus object: GET /v1/runs/{runId} `data`, each SSE event's data, and the webhook's `data`. */
export interface LaminaExecution {
  runId: string;
  workflowId?: string;
  status: string;
  outputs?: LaminaOutput[];
  errorMessage?: string | null;
}

export const TERMINAL_STATUSES = ['completed', 'failed'] as const;

/** Reads an ExecutionStatus whether it comes bare (SSE) or wrapped in `{ data }` (REST, webhook). */
export function asExecution(value: unknown): LaminaExecution | null {
  const v = value as { data?: unknown } | null;
  const inner = v && typeof v === 'object' && v.data && typeof v.data === 'object' ? v.data : v;
  const e = inner as Partial<LaminaExecution> | null;
  if (!e || typeof e !== 'object' || typeof e.runId !== 'string' || typeof e.status !== 'string') return null;
  return e as LaminaExecution;
}
