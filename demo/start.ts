/**
 * `npm start`: the BFF on the local engine in dev mode, plus the demo pages served by Vite.
 * No API key and no network needed.
 */
import { createServer as createVite } from 'vite';
import { createStagingBff, jsonLogger, listen, loadConfig, ConfigError } from '../src/server/index.js';

const env = { STAGING_DEV: '1', ...process.env };
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
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
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
  define: { __STAGING_DEMO_BFF__: JSON.stringify(bffUrl) },
});
await vite.listen();

const demoUrl = `http://localhost:${demoPort}/demo/`;
console.log(`
  staging-widget demo
  ➜ Listing page (the one tag):  ${demoUrl}
  ➜ Each element alone:          ${demoUrl}elements.html
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
