import { ProviderJobError } from '../../../src/server/providers/types.js';

/** What `p` rejected with; fails the test if it resolved. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** The ProviderJobError `p` rejected with; anything else (or resolving) fails the test. */
export async function jobErrorOf(p: Promise<unknown>): Promise<ProviderJobError> {
  const err = await rejectionOf(p);
  if (err instanceof ProviderJobError) return err;
  throw err;
}
