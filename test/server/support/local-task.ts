import sharp from 'sharp';
import type { ProviderImage, ProviderTask } from '../../../src/server/providers/types.js';
import { providerTask } from './provider-task.js';

/**
 * A task for the local engine as the job runner hands it over: a render enhancement of `image`
 * at 2K unless `over` says otherwise, with the mask and reference as images of their own.
 */
export async function imageOf(data: Buffer, uploadId = 'upl_test0000000000000000'): Promise<ProviderImage> {
  const meta = await sharp(data).metadata().catch(() => ({ width: 0, height: 0, format: 'unknown' }));
  return {
    uploadId,
    read: async () => data,
    contentType: `image/${meta.format ?? 'unknown'}`,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    publicUrl: () => `http://localhost/v1/uploads/${uploadId}`,
  };
}

export async function taskOf(image: Buffer, over: Partial<Omit<ProviderTask, 'image' | 'mask' | 'reference'>> & { mask?: Buffer; reference?: Buffer } = {}): Promise<ProviderTask> {
  const { mask, reference, ...rest } = over;
  return providerTask(await imageOf(image), {
    jobId: 'job_test0000000000000000',
    ...rest,
    mask: mask ? await imageOf(mask, 'upl_mask0000000000000000') : null,
    reference: reference ? await imageOf(reference, 'upl_refr0000000000000000') : null,
  });
}
