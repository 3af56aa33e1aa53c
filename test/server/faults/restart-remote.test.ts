/**
 * The BFF killed (SIGKILL) and restarted mid-job with a remote provider: the real CLI
 * (scripts/spawn-bff.mjs) on STAGING_PROVIDER=lumely, against a Lumely fake that runs in this
 * test process and so stays up across the restart, with a SQLite store in a temp dir.
 */
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Job, SessionResponse, Upload } from '../../../src/contract/index.js';
import { freePort, spawnBff } from '../../../scripts/spawn-bff.mjs';
import { startFakeLumely, type FakeLumely } from '../../fakes/lumely.js';
import { readJobEvents } from '../sse.js';
import { afterThisTest, fixture, tempDir } from '../temp-dir.js';
import { fault } from './ledger.js';
import { TOKEN_SECRET, until } from './stack.js';

const KEY = 'lum_live_fault_restart_0123456789abcdef';
const CREDITS = 60;
const JOB_PRICE = 2; // render-enhancement at 2K

async function setup() {
  // autoAdvance off: the Lumely job moves only when the test says, so the kill lands mid-job.
  const lumely = await startFakeLumely({ apiKeys: [KEY], autoAdvance: false, credits: CREDITS });
  afterThisTest(() => lumely.close());
  const dir = tempDir();
  const port = await freePort();
  const env = {
    STAGING_DEV: '1',
    STAGING_TOKEN_SECRET: TOKEN_SECRET,
    STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
    STAGING_DATA_DIR: join(dir, 'blobs'),
    STAGING_PROVIDER: 'lumely',
    STAGING_PROVIDER_URL: lumely.url,
    STAGING_PROVIDER_KEY: KEY,
    STAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
  };
  const start = async () => {
    const bff = await spawnBff(env);
    afterThisTest(() => void bff.child.kill('SIGKILL'));
    return bff;
  };
  const kill = async (bff: Awaited<ReturnType<typeof spawnBff>>) => {
    const exited = new Promise((r) => bff.child.once('exit', r));
    bff.child.kill('SIGKILL');
    await exited;
  };
  return { lumely, start, kill };
}

async function beginJob(url: string) {
  const session = SessionResponse.parse(await (await fetch(`${url}/v1/dev/sessions`, { method: 'POST' })).json());
  const auth = { Authorization: `Bearer ${session.token}` };
  const up = Upload.parse(await (await fetch(`${url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') })).json());
  const res = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'restart-fault-1' },
    body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', resolution: '2K', upload_id: up.id }),
  });
  expect(res.status).toBe(201);
  return { auth, job: Job.parse(await res.json()) };
}

const getJob = async (url: string, auth: Record<string, string>, id: string) => Job.parse(await (await fetch(`${url}/v1/jobs/${id}`, { headers: auth })).json());

/** Follows the job's events on the restarted BFF to the end; returns every state seen. */
async function followToEnd(url: string, auth: Record<string, string>, id: string): Promise<Job[]> {
  const seen: Job[] = [];
  for await (const f of readJobEvents(await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth }))) if (f.event === 'job') seen.push(Job.parse(JSON.parse(f.data)));
  return seen;
}

const jobCreations = (l: FakeLumely) => l.state.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/jobs');

async function expectCompletedOnce(url: string, auth: Record<string, string>, id: string, lumely: FakeLumely) {
  const seen = await followToEnd(url, auth, id);
  const last = seen[seen.length - 1]!;
  expect(last.status, JSON.stringify(last.error)).toBe('completed');
  expect(await getJob(url, auth, id)).toMatchObject({ status: 'completed', credits_charged: JOB_PRICE });
  const img = await fetch(last.outputs[0]!.url);
  expect(img.status).toBe(200);
  expect(img.headers.get('content-type')).toBe('image/jpeg');
  // One Lumely job, one charge.
  expect(lumely.state.jobs.size).toBe(1);
  expect(CREDITS - lumely.state.credits.remaining).toBe(JOB_PRICE);
  const credits = (await (await fetch(`${url}/v1/credits`, { headers: auth })).json()) as { used: number };
  expect(credits.used).toBe(JOB_PRICE);
}

describe('BFF killed mid-job with a remote provider', () => {
  fault(
    'restart',
    'SIGKILL while Lumely is processing: the restarted BFF resumes tracking from the saved Lumely job id, no resubmit',
    async (f) => {
      const { lumely, start, kill } = await setup();
      const first = await start();
      const { auth, job } = await beginJob(first.url);
      await until(() => lumely.state.jobs.size === 1, 15_000, 'Lumely job created');
      const lumelyJob = [...lumely.state.jobs.keys()][0]!;
      await lumely.controls.advance(lumelyJob); // compressing
      await lumely.controls.advance(lumelyJob); // processing
      // The BFF has saved the Lumely job id and seen it processing (documented 3 s poll cadence).
      await until(async () => (await getJob(first.url, auth, job.id)).status === 'processing', 15_000, 'BFF job processing');
      await kill(first);
      f.inject();
      const pollsBefore = lumely.state.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/jobs/${lumelyJob}`).length;

      const second = await start();
      // Lumely finishes while the new process tracks it.
      await lumely.controls.finish(lumelyJob);
      await expectCompletedOnce(second.url, auth, job.id, lumely);
      expect(jobCreations(lumely)).toHaveLength(1);
      // The second process did track it (polled the same Lumely job) rather than resubmit.
      expect(lumely.state.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/jobs/${lumelyJob}`).length).toBeGreaterThan(pollsBefore);
    },
    60_000,
  );

  fault(
    'restart',
    'SIGKILL after Lumely created the job but before its answer arrived: the restart resubmits with the same idempotency key and gets the same job',
    async (f) => {
      const { lumely, start, kill } = await setup();
      // Lumely creates (and charges) the job, then the answer never comes.
      lumely.controls.failNext('timeout', { method: 'POST', path: '/jobs', afterHandler: true });
      const first = await start();
      const { auth, job } = await beginJob(first.url);
      await until(() => lumely.state.jobs.size === 1, 15_000, 'Lumely job created');
      await kill(first);
      f.inject(2); // the lost answer and the kill
      const lumelyJob = [...lumely.state.jobs.keys()][0]!;
      await lumely.controls.finish(lumelyJob);

      const second = await start();
      await expectCompletedOnce(second.url, auth, job.id, lumely);
      // Submitted twice (nothing was saved before the kill), with one key: Lumely de-duplicated it.
      const creations = jobCreations(lumely);
      expect(creations).toHaveLength(2);
      expect(creations.map((r) => (r.body as { idempotency_key: string }).idempotency_key)).toEqual([`${job.id}:1`, `${job.id}:1`]);
      expect(creations.map((r) => r.outcome)).toEqual(['timeout', 200]);
    },
    60_000,
  );
});
