// `npm run test:browser`: the browser suite in each engine in turn (Chromium, Firefox ESR,
// WebKitGTK), one web-test-runner run per engine so a 2-core machine runs one browser at a
// time, then the demo flow in WPE WebKit 2.38 (test/e2e/wpe-demo-flow.ts). Arguments are
// passed to every web-test-runner run (`--port 8621`, `--files ...`). STAGING_BROWSERS picks
// the engines (default all three); STAGING_WPE=0 leaves the WPE flow out.
import { spawn } from 'node:child_process';
import { ENGINES, parseEngines } from './engines.mjs';

const engines = process.env.STAGING_BROWSERS ? parseEngines(process.env.STAGING_BROWSERS) : ENGINES;
const args = process.argv.slice(2);

function run(command, argv, env) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, argv, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.once('exit', (code, signal) => resolve({ ok: code === 0, code: code ?? signal, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = [];
for (const engine of engines) {
  console.log(`\n=== browser suite in ${engine} ===`);
  const r = await run(process.execPath, ['node_modules/@web/test-runner/dist/bin.js', ...args], { STAGING_BROWSERS: engine, PUPPETEER_SKIP_DOWNLOAD: '1' });
  results.push({ name: engine, ...r });
}
if (process.env.STAGING_WPE !== '0' && !args.includes('--files')) {
  console.log('\n=== demo flow in WPE WebKit (cog) ===');
  const r = await run(process.execPath, ['--import', 'tsx', 'test/e2e/wpe-demo-flow.ts'], {});
  results.push({ name: 'wpe demo flow', ...r });
}

console.log('\nbrowser runs:');
for (const r of results) console.log(`  ${r.name.padEnd(14)} ${r.ok ? 'passed' : `FAILED (${r.code})`}  ${r.seconds.toFixed(0)} s`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
