import { afterEach, describe, expect, it, vi } from 'vitest';
import { Job } from '../../src/contract/index.js';
import { JobAnswers } from '../../src/server/jobs/job-answers.js';
import { ADMIN_KEY, expectError, json, makeBff, mintSession, req, upload, waitForStatus } from './helpers.js';

async function completedJob() {
  const bff = makeBff();
  const { token, session_id } = await mintSession(bff);
  const up = await upload(bff, token);
  const created = Job.parse(await (await req(bff, '/v1/jobs', { ...json({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }), token })).json());
  await waitForStatus(bff, created.id, ['completed']);
  return { bff, token, session_id, id: created.id };
}

describe('the read path keeps a job’s answer for the rest of the second', () => {
  afterEach(() => vi.useRealTimers());

  it('serializes and signs once per job and second, and again when the second or the job changes', async () => {
    const { bff, id } = await completedJob();
    const job = (await bff.deps.store.getJob(id))!;
    let reads = 0;
    const store = { listOutputs: (jobId: string) => (reads++, bff.deps.store.listOutputs(jobId)) };
    const answers = new JobAnswers(store, bff.deps.signer, bff.deps.runner);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00.100Z'));

    const first = await answers.json(job);
    vi.setSystemTime(new Date('2026-12-04T10:00:00.900Z'));
    expect(await answers.json(job)).toBe(first);
    expect(reads).toBe(1);

    // The next second: links signed anew (a later expiry), so a new answer.
    vi.setSystemTime(new Date('2026-12-04T10:00:01.000Z'));
    const next = await answers.json(job);
    expect(reads).toBe(2);
    expect(next).not.toBe(first);
    const expiry = (body: string) => Number(/expires=(\d+)/.exec(Job.parse(JSON.parse(body)).outputs[0]!.url)![1]);
    expect(expiry(next) - expiry(first)).toBe(1);

    // The job changed (its updatedAt moved): a new answer within the same second.
    await answers.json({ ...job, updatedAt: '2026-12-04T10:00:01.500Z' });
    expect(reads).toBe(3);
  });

  it('answers GET /v1/jobs/:id with the same valid JSON twice, and still refuses a revoked session', async () => {
    const { bff, token, session_id, id } = await completedJob();
    const a = await req(bff, `/v1/jobs/${id}`, { token });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    const job = Job.parse(await a.json());
    expect(job.status).toBe('completed');
    // Its signed link serves the image.
    const image = await bff.app.request(job.outputs[0]!.url);
    expect(image.status).toBe(200);

    const revoked = await req(bff, `/v1/sessions/${session_id}`, { method: 'DELETE', origin: null, headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(revoked.status).toBeLessThan(300);
    await expectError(await req(bff, `/v1/jobs/${id}`, { token }), 401, 'session_revoked');
  });
});
