import { readFileSync } from 'node:fs';
import { Job, SessionResponse, Upload } from '../src/contract/index.js';
import { benchBff } from './support.js';

/**
 * A bystander's wait under one noisy session: the time from creating one job to its completion,
 * alone, and again while another session's ten jobs are queued ahead of it (real BFF process,
 * local engine, its default two job slots).
 */
export async function benchFairness(noisyJobs = 10) {
  const bff = await benchBff({ STAGING_LOCAL_SPEED: '0.5' });
  try {
    const photo = readFileSync(new URL('../test/fixtures/living-room-render.jpg', import.meta.url));
    const other = SessionResponse.parse(await (await fetch(`${bff.url}/v1/dev/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'bystander' }) })).json());
    const auth = { Authorization: `Bearer ${other.token}` };
    const upload = Upload.parse(await (await fetch(`${bff.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: photo })).json());
    const timeOne = async () => {
      const t0 = performance.now();
      let job = Job.parse(await (await fetch(`${bff.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: upload.id }) })).json());
      while (job.status !== 'completed' && job.status !== 'failed') {
        await new Promise((r) => setTimeout(r, 20));
        job = Job.parse(await (await fetch(`${bff.url}/v1/jobs/${job.id}`, { headers: auth })).json());
      }
      return performance.now() - t0;
    };
    const alone = await timeOne();
    const noisy = await Promise.all(Array.from({ length: noisyJobs }, () => bff.createJob()));
    const behind = await timeOne();
    for (const j of noisy) {
      let s = j.status;
      while (s !== 'completed' && s !== 'failed') {
        await new Promise((r) => setTimeout(r, 50));
        s = Job.parse(await (await fetch(`${bff.url}/v1/jobs/${j.id}`, { headers: bff.auth })).json()).status;
      }
    }
    return { alone, behind, noisyJobs };
  } finally {
    await bff.stop();
  }
}
