/**
 * Starts `npm start`'s own script (demo/start.ts: the BFF on the local engine plus the
 * Vite-served listing page) in a child process and resolves with the listing page's URL once it
 * prints it. Shared by the Chromium demo-flow test and the WPE WebKit demo flow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './spawn-bff.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunningDemo {
  /** The listing page with the one tag. */
  url: string;
  stop(): Promise<void>;
}

/** `dir` holds the demo's SQLite store and blobs. */
export async function startDemo(dir: string, env: Record<string, string> = {}): Promise<RunningDemo> {
  const [bffPort, demoPort] = [await freePort(), await freePort()];
  const demo: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(bffPort),
      DEMO_PORT: String(demoPort),
      STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
      STAGING_DATA_DIR: join(dir, 'blobs'),
      STAGING_LOCAL_SPEED: '0.25',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    if (demo.exitCode !== null || demo.signalCode !== null) return;
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (demo.exitCode === null) demo.kill('SIGKILL');
  };
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print the demo URL:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /Listing page \(the one tag\):\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    demo.stdout!.on('data', onData);
    demo.stderr!.on('data', onData);
    demo.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}
