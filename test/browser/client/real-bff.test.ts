import { expect } from '@open-wc/testing';
import { StagingHttpError } from '../../../src/client/index.js';
import { fixtureFile, realClient } from '../support/real-bff.js';

describe('client against the real BFF (local engine)', () => {
  it('uploads a real photo with progress, runs a job and follows it live to its output', async () => {
    const client = await realClient();
    const catalog = await client.getCatalog();
    expect(catalog.provider).to.equal('local');
    const progress: number[] = [];
    const up = await client.uploadImage(await fixtureFile(), { onProgress: (p) => progress.push(p.loaded / (p.total || 1)) });
    expect([up.width, up.height]).to.deep.equal([1600, 960]);
    expect(progress.length).to.be.greaterThan(0);
    const again = await client.getUpload(up.id);
    expect(again.id).to.equal(up.id);
    expect(again.url).to.match(/\/v1\/uploads\/upl_\w+\/content\?expires=\d+&sid=ses_\w+&sig=/);
    const job = await client.createJob({ service: 'upscale', config: 'standard', upload_id: up.id });
    const statuses: string[] = [];
    let last = job;
    for await (const j of client.jobEvents(job.id)) {
      statuses.push(j.status);
      last = j;
    }
    expect(statuses[statuses.length - 1]).to.equal('completed');
    expect(last.outputs).to.have.length(1);
    const img = new Image();
    img.src = last.outputs[0]!.url;
    await img.decode();
    expect(Math.max(img.naturalWidth, img.naturalHeight)).to.equal(2048);
  });

  it('runs a batch of two photos and follows it on one stream to its end, then cancels nothing twice', async () => {
    const client = await realClient();
    const [a, b] = await Promise.all([client.uploadImage(await fixtureFile()), client.uploadImage(await fixtureFile('bedroom-furnished.jpg'))]);
    const batch = await client.createBatch({ service: 'upscale', config: 'standard', items: [{ upload_id: a.id }, { upload_id: b.id }] });
    expect(batch.jobs.map((j) => j.upload_id)).to.deep.equal([a.id, b.id]);
    const seen = new Map<string, string>();
    let last: string | undefined;
    for await (const e of client.batchEvents(batch.id)) {
      if (e.type === 'job') seen.set(e.job.id, e.job.status);
      else last = e.batch.status;
    }
    expect([...seen.values()]).to.deep.equal(['completed', 'completed']);
    expect(last).to.equal('completed');
    const done = await client.getBatch(batch.id);
    expect(done.counts.completed).to.equal(2);
    expect(done.archive_url).to.be.a('string');
    expect((await client.listBatches({ limit: 1 })).data[0]!.id).to.equal(batch.id);
    expect((await client.cancelBatch(batch.id)).counts.completed).to.equal(2);
  });

  it('surfaces the BFF error shape as a typed error', async () => {
    const client = await realClient();
    try {
      await client.getJob('job_AAAAAAAAAAAAAAAAAAAAAAAA');
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(StagingHttpError);
      expect((e as StagingHttpError).status).to.equal(404);
      expect((e as StagingHttpError).code).to.equal('not_found');
      expect((e as StagingHttpError).requestId).to.match(/^req_/);
    }
  });
});
