import { describe, expect } from 'vitest';
import { json, makeBff, mintSession, req, upload, waitForStatus } from '../helpers.js';
import { attack } from './ledger.js';

/**
 * One token must not delay everyone (issue 13, item 7). A noisy session queues a listing's worth
 * of jobs; a bystander of another subject then starts one. Before per-session limits and fair
 * ordering the bystander ran after all of them (one global FIFO).
 */
describe('fair sharing between sessions', () => {
  attack('fairness', "a bystander's job starts with the next free slot, not behind a noisy session's eight queued jobs", async () => {
    // Each job holds its slot for a simulated 0.5 s; two slots, as by default.
    const bff = makeBff({ localSpeed: 0.25 });
    const noisy = await mintSession(bff, { subject: 'noisy-agent' });
    const bystander = await mintSession(bff, { subject: 'bystander' });
    const noisyPhoto = await upload(bff, noisy.token);
    const bystanderPhoto = await upload(bff, bystander.token);
    const start = (token: string, upload_id: string) =>
      req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id }), token }).then((r) => r.json() as Promise<{ id: string }>);

    const noisyJobs: string[] = [];
    for (let i = 0; i < 8; i++) noisyJobs.push((await start(noisy.token, noisyPhoto.id)).id);

    // When each job leaves `pending`, read from the store in the background (each holds its slot
    // far longer than a poll); the bystander's arrival is stamped on the same clock.
    const startedAt = new Map<string, number>();
    let mine = '';
    let polling = true;
    const poller = (async () => {
      while (polling) {
        for (const id of [...noisyJobs, mine]) {
          if (!id || startedAt.has(id)) continue;
          const j = await bff.deps.store.getJob(id);
          if (j && j.status !== 'pending') startedAt.set(id, performance.now());
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    mine = (await start(bystander.token, bystanderPhoto.id)).id;
    // Queued from here on (the POST has answered).
    const arrived = performance.now();
    await waitForStatus(bff, mine, ['compressing', 'processing', 'completed']);
    await new Promise((r) => setTimeout(r, 20));
    polling = false;
    await poller;
    // However busy the machine (noisy jobs may have finished before the bystander arrived), once
    // it has arrived its job takes the next free slot: at most one noisy job (one freed at the
    // same instant) starts between its arrival and its start. A global FIFO would start all six.
    const mineAt = startedAt.get(mine) ?? performance.now();
    const overtaking = noisyJobs.filter((id) => {
      const t = startedAt.get(id);
      return t !== undefined && t > arrived && t < mineAt;
    });
    expect(overtaking.length).toBeLessThanOrEqual(1);
    await waitForStatus(bff, mine, ['completed']);
    for (const id of noisyJobs) await waitForStatus(bff, id, ['completed'], 60_000);
  }, 90_000);

  attack('fairness', 'a session runs at most STAGING_SESSION_CONCURRENCY jobs at once, even with free slots', async () => {
    const bff = makeBff({ localSpeed: 0.25, sessionConcurrency: 1, jobs: { concurrency: 4 } });
    const { token } = await mintSession(bff, { subject: 'agent' });
    const photo = await upload(bff, token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }), token });
      ids.push(((await res.json()) as { id: string }).id);
    }
    let most = 0;
    for (;;) {
      const jobs = await Promise.all(ids.map((id) => bff.deps.store.getJob(id)));
      most = Math.max(most, jobs.filter((j) => j && (j.status === 'compressing' || j.status === 'processing')).length);
      if (jobs.every((j) => j?.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(most).toBe(1);
  }, 90_000);

  attack('fairness', 'a job that waits in the queue past its deadline fails with job_stalled instead of waiting forever', async () => {
    const bff = makeBff({ localSpeed: 2, jobs: { concurrency: 1, queueTimeoutMs: 300 } });
    const { token } = await mintSession(bff, { subject: 'agent' });
    const photo = await upload(bff, token);
    const first = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }), token })).json()) as { id: string };
    const second = (await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: photo.id }), token })).json()) as { id: string };
    const failed = await waitForStatus(bff, second.id, ['failed', 'completed', 'processing', 'compressing']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'job_stalled', retryable: true });
    expect(failed.creditsCharged).toBe(0);
    expect((await bff.deps.store.getJob(first.id))!.status).not.toBe('failed');
  }, 60_000);
});
