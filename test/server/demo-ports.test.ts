/**
 * `npm start` on a machine where a port is taken (issue 9, defect 10): a plain sentence naming
 * the port and the variable to change, for the BFF's port and the demo's alike, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/spawn-bff.mjs';
import { afterThisTest, tempDir } from './temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function hold(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`, STAGING_DATA_DIR: join(dir, 'blobs'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('npm start with a port taken', () => {
  it('says which port is in use and how to choose another, for the demo page and the BFF', async () => {
    const [bffPort, demoPort] = [await freePort(), await freePort()];
    const taken = await hold(demoPort);
    afterThisTest(() => new Promise<void>((r) => taken.close(() => r())));
    const demo = await start({ PORT: String(bffPort), DEMO_PORT: String(demoPort) });
    expect(demo.code).toBe(1);
    expect(demo.output).toContain(`Port ${demoPort} is in use: stop the other process or start with DEMO_PORT=<another port>.`);
    expect(demo.output).not.toMatch(/\n\s+at /); // no stack trace

    const bffTaken = await hold(bffPort);
    afterThisTest(() => new Promise<void>((r) => bffTaken.close(() => r())));
    const bff = await start({ PORT: String(bffPort), DEMO_PORT: String(await freePort()) });
    expect(bff.code).toBe(1);
    expect(bff.output).toContain(`Port ${bffPort} is in use`);
    expect(bff.output).not.toMatch(/\n\s+at /);
  }, 60_000);
});
