import { ProviderJobError, type ProviderTask } from '../types.js';
import { ConfigError } from '../../config-error.js';

/** Where a simulated failure strikes: the job's status at that moment. */
export type FailureStage = 'compressing' | 'processing';

/**
 * A failure the local engine simulates, so that the widget's failure and retry paths can be
 * exercised without a flaky provider.
 */
export interface LocalFailure {
  /** `always`: every attempt fails. `first-attempt`: only attempt 1 fails, so a retry succeeds. */
  when: 'always' | 'first-attempt';
  at: FailureStage;
  /** Job error code; default `provider_error`. */
  code?: string;
  message?: string;
  /** Default true: a simulated outage is the kind of failure a retry fixes. */
  retryable?: boolean;
  /** Only these services fail; default all. */
  services?: string[];
}

/**
 * Parses `STAGING_LOCAL_FAILURE`:
 *
 *     <stage>[:<when>[:<service>[,<service>…]]]
 *
 * - `stage`: `compressing` or `processing`, the status in which the job fails;
 * - `when`: `always` (default) or `first-attempt` (only the first attempt fails, so a retry
 *   succeeds);
 * - services: comma-separated service ids, or `*` (default) for every service.
 *
 * Examples: `processing`, `processing:first-attempt`, `compressing:always:virtual-staging`,
 * `processing:always:render-enhancement,upscale`.
 *
 * Unset, empty, `off`, `none`, `0` or `false` mean no failure. Anything else that does not
 * parse throws, so that a typo in a test setup is loud instead of silently not failing.
 */
export function parseLocalFailure(value: string | undefined | null): LocalFailure | undefined {
  const text = value?.trim() ?? '';
  if (text === '' || ['off', 'none', '0', 'false'].includes(text.toLowerCase())) return undefined;
  const parts = text.split(':').map((p) => p.trim());
  if (parts.length > 3) throw new ConfigError(`STAGING_LOCAL_FAILURE="${text}" has too many parts: expected <stage>[:<when>[:<services>]], e.g. processing:first-attempt.`);
  const [at, when = 'always', services = '*'] = parts;
  if (at !== 'compressing' && at !== 'processing') {
    throw new ConfigError(`STAGING_LOCAL_FAILURE="${text}": the stage must be "compressing" or "processing", not "${at}".`);
  }
  if (when !== 'always' && when !== 'first-attempt') {
    throw new ConfigError(`STAGING_LOCAL_FAILURE="${text}": when must be "always" or "first-attempt", not "${when}".`);
  }
  const failure: LocalFailure = { at, when };
  if (services !== '*' && services !== '') {
    const list = services.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0) throw new ConfigError(`STAGING_LOCAL_FAILURE="${text}": list at least one service id, or * for all.`);
    failure.services = list;
  }
  return failure;
}

/**
 * The attempt number of a task. Assumption (the job runner's convention): the idempotency key
 * ends with `:<attempt>`, attempt 1 being the first run and each retry counting up. A key
 * without that suffix is treated as a first attempt.
 */
export function attemptOf(task: Pick<ProviderTask, 'idempotencyKey'>): number {
  const match = /:(\d+)$/.exec(task.idempotencyKey);
  return match ? Number(match[1]) : 1;
}

/** Throws the configured failure if it applies to this task at this stage. */
export function maybeFail(failure: LocalFailure | undefined, stage: FailureStage, task: ProviderTask): void {
  if (!failure || failure.at !== stage) return;
  if (failure.services && !failure.services.includes(task.service)) return;
  if (failure.when === 'first-attempt' && attemptOf(task) > 1) return;
  throw new ProviderJobError(
    failure.code ?? 'provider_error',
    failure.message ?? `Simulated failure while ${stage} (local engine failure injection). Retry the job.`,
    failure.retryable ?? true,
  );
}
