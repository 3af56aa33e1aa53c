import type { ProviderImage, ProviderTask } from '../../../src/server/providers/types.js';

/**
 * A task as the job runner hands it to a provider: a 2K render enhancement of `image` with no
 * mask, reference, prompt or options unless `over` says otherwise. Each adapter's tests pass
 * their own service, config and options.
 */
export function providerTask(image: ProviderImage, over: Partial<ProviderTask> = {}): ProviderTask {
  const jobId = over.jobId ?? 'job_test';
  return {
    jobId,
    service: 'render-enhancement',
    config: 'interior-modern',
    resolution: '2K',
    prompt: null,
    options: {},
    location: null,
    variants: 1,
    referenceId: null,
    idempotencyKey: `${jobId}:1`,
    image,
    mask: null,
    reference: null,
    ...over,
  };
}
