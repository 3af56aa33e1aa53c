/**
 * `npm start`: the BFF on the local engine in dev mode, plus the demo pages served by Vite.
 * No API key and no network needed.
 */
import { createServer as createVite } from 'vite';
import { createStagingBff, jsonLogger, listen, loadConfig, ConfigError } from '../src/server/index.js';

// The demo listing publishes under California's AB 723 profile, so its result step shows what
// disclosure looks like; set STAGING_DISCLOSURE_PROFILE to try another (or `none`).
const env = { STAGING_DEV: '1', STAGING_DISCLOSURE_PROFILE: 'ca-ab723', ...process.env };
let config;
try {
  config = loadConfig(env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const bffPort = config.port;
const demoPortRaw = process.env.DEMO_PORT ?? '5173';
const demoPort = Number(demoPortRaw);
if (!/^\d{1,5}$/.test(demoPortRaw) || demoPort < 1 || demoPort > 65535) {
  console.error(`DEMO_PORT="${demoPortRaw}" is not a port number (1 to 65535).`);
  process.exit(2);
}
const bff = createStagingBff({ ...config, logger: jsonLogger([config.tokenSecret, config.adminKey ?? '']) });
const server = await listen(bff, bffPort, '127.0.0.1').catch((err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `Port ${bffPort} is in use: stop the other process or start with PORT=<another port>.` : String(err));
  process.exit(1);
});
const bffUrl = `http://localhost:${server.port}`;

const vite = await createVite({
  configFile: false,
  root: new URL('..', import.meta.url).pathname,
  appType: 'mpa',
  logLevel: 'warn',
  // Only the demo's pages: Vite would otherwise crawl every HTML file under the root (the React and
  // Vue examples too) and pre-bundle their frameworks before the demo can load.
  optimizeDeps: { entries: ['demo/*.html'] },
  server: {
    port: demoPort,
    strictPort: true,
    host: '127.0.0.1',
    proxy: {
      // Stands in for the host site's own backend: a real one checks its login and calls
      // POST /v1/sessions with the admin key; the demo uses the BFF's dev sessions.
      '/demo-backend/staging-token': {
        target: bffUrl,
        changeOrigin: true,
        rewrite: () => '/v1/dev/sessions',
        configure: (proxy) =>
          proxy.on('proxyReq', (req) => {
            req.removeHeader('origin');
            req.removeHeader('cookie');
          }),
      },
    },
  },
  // Lit in production mode: no dev-mode warning in the console of a demo meant to be shown.
  resolve: { conditions: ['production', 'browser', 'module', 'import', 'default'] },
  define: { __STAGING_DEMO_BFF__: JSON.stringify(bffUrl) },
});
await vite.listen().catch(async (err: NodeJS.ErrnoException) => {
  // The same plain message as for a busy BFF port, not Vite's stack trace.
  const text = /EADDRINUSE|already in use/i.test(`${err.code ?? ''} ${err.message}`)
    ? `Port ${demoPort} is in use: stop the other process or start with DEMO_PORT=<another port>.`
    : String(err);
  console.error(text);
  await server.close();
  await bff.close();
  process.exit(1);
});

const demoUrl = `http://localhost:${demoPort}/demo/`;
console.log(`
  staging-widget demo
  ➜ Listing page (the one tag):  ${demoUrl}
  ➜ Each element alone:          ${demoUrl}elements.html
  ➜ A whole listing (agents):    ${demoUrl}agent.html
  ➜ BFF (local engine, dev):     ${bffUrl}   (health: ${bffUrl}/healthz)

  Ctrl+C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await vite.close();
  await server.close();
  await bff.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
