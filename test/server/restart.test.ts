import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Job, SessionResponse, Upload } from '../../src/contract/index.js';
import { createStagingBff } from '../../src/server/index.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { freePort, spawnBff } from '../../scripts/spawn-bff.mjs';
import { ADMIN_KEY, afterThisTest, fixture, mintSession, ORIGIN, tempDir, TOKEN_SECRET, upload, waitForStatus } from './helpers.js';

/** Starts the real `staging-bff` CLI; killed after the test. */
async function startBff(env: Record<string, string>) {
  const bff = await spawnBff(env);
  afterThisTest(() => {
    bff.child.kill('SIGKILL');
  });
  return bff;
}

describe('killing the BFF mid-job loses nothing', () => {
  it('resumes a job in flight after SIGKILL and a restart', async () => {
    const dir = tempDir();
    const port = await freePort();
    const env = {
      STAGING_DEV: '1',
      STAGING_TOKEN_SECRET: TOKEN_SECRET,
      STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
      STAGING_DATA_DIR: join(dir, 'blobs'),
      PORT: String(port),
    };
    const first = await startBff({ ...env, STAGING_LOCAL_SPEED: '4' }); // ~12 s of processing: plenty of time to kill it
    const session = SessionResponse.parse(await (await fetch(`${first.url}/v1/dev/sessions`, { method: 'POST' })).json());
    const auth = { Authorization: `Bearer ${session.token}` };
    const up = Upload.parse(await (await fetch(`${first.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('kitchen-render.jpg') })).json());
    const job = Job.parse(
      await (await fetch(`${first.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id }) })).json(),
    );
    for (let status = job.status; status !== 'processing'; ) {
      await new Promise((r) => setTimeout(r, 100));
      status = Job.parse(await (await fetch(`${first.url}/v1/jobs/${job.id}`, { headers: auth })).json()).status;
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    // Same secret and store: the token minted before the crash still works after it.
    const second = await startBff({ ...env, STAGING_LOCAL_SPEED: '0.1' });
    let resumed = Job.parse(await (await fetch(`${second.url}/v1/jobs/${job.id}`, { headers: auth })).json());
    const deadline = Date.now() + 20_000;
    while (resumed.status !== 'completed' && Date.now() < deadline) {
      expect(['pending', 'compressing', 'processing']).toContain(resumed.status);
      await new Promise((r) => setTimeout(r, 100));
      resumed = Job.parse(await (await fetch(`${second.url}/v1/jobs/${job.id}`, { headers: auth })).json());
    }
    expect(resumed.status).toBe('completed');
    expect(resumed.outputs).toHaveLength(1);
    expect(resumed.credits_charged).toBe(2);
    const img = await fetch(`${second.url}${new URL(resumed.outputs[0]!.url).pathname}${new URL(resumed.outputs[0]!.url).search}`);
    expect(img.status).toBe(200);
  }, 60_000);

  it('fails a job that keeps being interrupted, with a clear retryable error', async () => {
    const dir = tempDir();
    const path = join(dir, 'staging.db');
    const store = new SqliteStore(path);
    const now = new Date().toISOString();
    await store.createJob(
      {
        id: 'job_AAAAAAAAAAAAAAAAAAAAAAAA', subject: 'a', sessionId: 'ses_1', status: 'processing', service: 'upscale', config: 'standard',
        resolution: '2K', editClass: 'technical', disclosureProfile: null, prompt: null, referenceId: null, uploadId: 'upl_AAAAAAAAAAAAAAAAAAAAAAAA', maskUploadId: null, referenceUploadId: null,
        options: {}, location: null, variants: 1, cost: 1, creditsCharged: 1, progress: 0.4, error: null, providerState: null, attempt: 1,
        interruptions: 2, createdAt: now, updatedAt: now,
      },
      { maxCredits: null },
    );
    await store.close();
    const bff = createStagingBff({ tokenSecret: TOKEN_SECRET, dev: true, store: `sqlite:${path}`, dataDir: join(dir, 'blobs'), localSpeed: 0 });
    afterThisTest(() => bff.close());
    expect(await bff.ready).toEqual({ resumed: 0, failed: 1 });
    const job = await waitForStatus(bff, 'job_AAAAAAAAAAAAAAAAAAAAAAAA', ['failed']);
    expect(job.error).toMatchObject({ code: 'job_interrupted', retryable: true });
    expect(job.creditsCharged).toBe(0);
  });

  it("frees the session slots the dead process held: a session's resumed jobs do not wait for them to expire", async () => {
    const dir = tempDir();
    const path = join(dir, 'staging.db');
    const options = { tokenSecret: TOKEN_SECRET, adminKey: ADMIN_KEY, allowedOrigins: [ORIGIN], publicUrl: 'http://bff.test', store: `sqlite:${path}`, dataDir: join(dir, 'blobs'), localSpeed: 0, sessionConcurrency: 2 };
    const before = createStagingBff(options);
    const session = await mintSession(before);
    const photo = await upload(before, session.token);
    await before.close();
    // What a process killed mid-listing leaves: two jobs running, each holding one of the
    // session's two slots for a minute more, and two jobs retried earlier waiting (created first,
    // so first in line after the restart: they find no free slot while the dead process's last).
    const store = new SqliteStore(path);
    const now = Date.now();
    const at = (ms: number) => new Date(now - 60_000 + ms).toISOString();
    const ids = ['job_SLOTAAAAAAAAAAAAAAAAAAAA', 'job_SLOTBBBBBBBBBBBBBBBBBBBB', 'job_SLOTCCCCCCCCCCCCCCCCCCCC', 'job_SLOTDDDDDDDDDDDDDDDDDDDD'];
    for (const [i, id] of ids.entries()) {
      await store.createJob(
        {
          id, subject: 'agent-1', sessionId: session.session_id, status: i < 2 ? 'pending' : 'processing', service: 'render-enhancement', config: 'interior-modern',
          resolution: '2K', editClass: 'technical', disclosureProfile: null, prompt: null, referenceId: null, uploadId: photo.id, maskUploadId: null, referenceUploadId: null,
          options: {}, location: null, variants: 1, cost: 2, creditsCharged: 2, progress: i < 2 ? 0 : 0.4, error: null, providerState: null, attempt: 1,
          interruptions: 0, createdAt: at(i), updatedAt: at(i),
        },
        { maxCredits: null },
      );
      if (i >= 2) expect(await store.takeSessionSlot({ sessionId: session.session_id, jobId: id, holder: 'killed-process', now, ttlMs: 60_000, limit: 2 })).toBe(true);
    }
    await store.close();

    const after = createStagingBff(options);
    afterThisTest(() => after.close());
    expect(await after.ready).toEqual({ resumed: 4, failed: 0 });
    // Well within the minute the dead process's slots would still have lasted.
    for (const id of ids) expect((await waitForStatus(after, id, ['completed', 'failed'], 20_000)).status).toBe('completed');
    for (const id of ids) expect(await after.deps.store.listOutputs(id)).toHaveLength(1);
    expect(await after.deps.store.listSessionSlots(session.session_id, Date.now())).toEqual([]);
  });

  it('fails a resumed job whose photo is gone instead of leaving it stuck', async () => {
    const dir = tempDir();
    const path = join(dir, 'staging.db');
    const store = new SqliteStore(path);
    const now = new Date().toISOString();
    await store.createJob(
      {
        id: 'job_BBBBBBBBBBBBBBBBBBBBBBBB', subject: 'a', sessionId: 'ses_1', status: 'compressing', service: 'upscale', config: 'standard',
        resolution: '2K', editClass: 'technical', disclosureProfile: null, prompt: null, referenceId: null, uploadId: 'upl_missingmissingmissing', maskUploadId: null, referenceUploadId: null,
        options: {}, location: null, variants: 1, cost: 1, creditsCharged: 1, progress: 0.1, error: null, providerState: null, attempt: 1,
        interruptions: 0, createdAt: now, updatedAt: now,
      },
      { maxCredits: null },
    );
    await store.close();
    const bff = createStagingBff({ tokenSecret: TOKEN_SECRET, dev: true, store: `sqlite:${path}`, dataDir: join(dir, 'blobs'), localSpeed: 0 });
    afterThisTest(() => bff.close());
    expect(await bff.ready).toEqual({ resumed: 1, failed: 0 });
    const job = await waitForStatus(bff, 'job_BBBBBBBBBBBBBBBBBBBBBBBB', ['failed']);
    expect(job.error).toMatchObject({ code: 'processing_failed', retryable: false });
  });
});
