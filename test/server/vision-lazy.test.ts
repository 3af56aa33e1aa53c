import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Catalog, Job, SessionResponse, Upload } from '../../src/contract/index.js';
import { freePort, spawnBff } from '../../scripts/spawn-bff.mjs';
import { afterThisTest, fixture, tempDir, TOKEN_SECRET } from './helpers.js';

const MODULE_LOG = pathToFileURL(join(import.meta.dirname, 'support/module-log.mjs')).href;

describe('the vision thread is loaded on first use only', () => {
  // OpenCV is required only inside the worker that vision/vision.ts starts (a small class the BFF
  // always loads): a process that has loaded none of the vision operations has not started it.
  it('a BFF that has not straightened has loaded neither straightening nor the vision thread', async () => {
    const dir = tempDir();
    const log = join(dir, 'modules.log');
    const bff = await spawnBff({
      STAGING_DEV: '1',
      STAGING_TOKEN_SECRET: TOKEN_SECRET,
      STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
      STAGING_DATA_DIR: join(dir, 'blobs'),
      STAGING_LOCAL_SPEED: '0',
      // It polls its jobs: a loaded machine must not run it into the per-session rate limit.
      STAGING_RATE_LIMIT: '100000/60',
      PORT: String(await freePort()),
      // Every module URL the BFF resolves is appended to the log.
      NODE_OPTIONS: `--import ${MODULE_LOG}`,
      STAGING_TEST_MODULE_LOG: log,
    });
    afterThisTest(() => bff.stop());
    const loaded = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    const vision = /\/src\/server\/(?:vision\/(?!vision\.ts)|providers\/local\/straighten)|@techstark\/opencv-js/;

    // The log works: the local engine itself is there.
    expect(loaded()).toMatch(/\/src\/server\/providers\/local\/provider\.ts/);
    expect(loaded()).not.toMatch(vision);

    const session = SessionResponse.parse(await (await fetch(`${bff.url}/v1/dev/sessions`, { method: 'POST' })).json());
    const auth = { Authorization: `Bearer ${session.token}` };
    const catalog = Catalog.parse(await (await fetch(`${bff.url}/v1/services`, { headers: auth })).json());
    expect(catalog.services.map((s) => s.id)).toContain('straighten');
    const up = Upload.parse(
      await (await fetch(`${bff.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('dining-open-plan-furnished.jpg') })).json(),
    );
    const run = async (body: Record<string, unknown>) => {
      const created = Job.parse(
        await (await fetch(`${bff.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ upload_id: up.id, ...body }) })).json(),
      );
      for (;;) {
        const job = Job.parse(await (await fetch(`${bff.url}/v1/jobs/${created.id}`, { headers: auth })).json());
        if (job.status === 'completed' || job.status === 'failed') return job;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    // Another service, and render enhancement with straightening off: still nothing of it.
    expect((await run({ service: 'render-enhancement', config: 'interior-modern', options: { straighten: 'off' } })).status).toBe('completed');
    expect(loaded()).not.toMatch(vision);

    // The first straightening loads it.
    const straightened = await run({ service: 'straighten', config: 'auto' });
    expect(straightened.status).toBe('completed');
    expect(loaded()).toMatch(/\/src\/server\/providers\/local\/straighten\.ts/);
    expect(loaded()).toMatch(/\/src\/server\/vision\/perspective\.ts/);
  });
});
