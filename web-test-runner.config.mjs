import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { freePort, spawnBff } from './scripts/spawn-bff.mjs';
import { launcherFor, parseEngines } from './scripts/engines.mjs';
import { harnessCommands } from './scripts/harness-commands.mjs';
import { cameraPhoto } from './scripts/camera-photo.mjs';

// Element tests run in real browsers from Debian (never a downloaded build): Chromium, Firefox
// ESR and WebKitGTK, chosen with STAGING_BROWSERS=chromium,firefox,webkit (default chromium).
// `npm run test:browser` (scripts/test-browsers.mjs) runs each engine in turn.
const engines = parseEngines(process.env.STAGING_BROWSERS);

/**
 * Starts a real BFF process (local engine, dev mode, fresh SQLite store) for the run and
 * serves its URL at /__bff.json, so end-to-end tests talk to the real server.
 */
function realBff() {
  let bff;
  let dir;
  return {
    name: 'real-bff',
    async serverStart() {
      dir = mkdtempSync(join(tmpdir(), 'staging-wtr-'));
      const port = await freePort();
      bff = await spawnBff({
        STAGING_DEV: '1',
        STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
        STAGING_DATA_DIR: join(dir, 'blobs'),
        STAGING_LOCAL_SPEED: '0.25',
        STAGING_RATE_LIMIT: '100000/60',
        PORT: String(port),
        STAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
      });
    },
    async serverStop() {
      await bff?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__bff.json') return { body: JSON.stringify({ url: bff.url }), type: 'json' };
    },
  };
}

/**
 * Serves a 24-megapixel phone photo made with sharp (scripts/camera-photo.mjs) at
 * /__camera-photo.jpg, for the tests of what is uploaded: made on the first request (some
 * seconds of CPU), so that a run without those tests does not pay for it.
 */
function cameraPhotoRoute() {
  return {
    name: 'camera-photo',
    async serve(context) {
      if (context.path === '/__camera-photo.jpg') return { body: await cameraPhoto(), type: 'image/jpeg' };
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [realBff(), cameraPhotoRoute(), harnessCommands(), esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
  middleware: [
    // A host backend's token URL for a signed-out visitor: same origin as the page, 401.
    function signedOutTokenUrl(context, next) {
      if (context.path !== '/__token-signed-out') return next();
      context.status = 401;
      context.body = JSON.stringify({ error: 'not signed in' });
      context.type = 'json';
    },
  ],
  browsers: engines.map(launcherFor),
  concurrency: 1,
  // An upper bound, not a wait: tests wait for conditions, and on a loaded 2-core machine a real
  // job on the local engine can take tens of seconds in Firefox or WebKit.
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 10 * 60 * 1000,
};
