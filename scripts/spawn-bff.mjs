// Starts the real `staging-bff` CLI as a child process and resolves once it listens.
// Shared by the restart test, the bench and the browser end-to-end test run, which all
// need a real BFF process rather than an in-process app.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A free loopback port (closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * @param {Record<string, string>} env  variables on top of the current environment
 * @param {{ timeoutMs?: number, onLog?: (line: string) => void }} [opts]
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, url: string, stop: () => Promise<void> }>}
 */
export function spawnBff(env, opts = {}) {
  const child = spawn(process.execPath, ['bin/staging-bff.js'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the BFF did not start within ${opts.timeoutMs ?? 30000} ms:\n${log}`));
    }, opts.timeoutMs ?? 30000);
    child.stderr.on('data', (chunk) => {
      const text = chunk.toString();
      log += text;
      for (const line of text.split('\n')) if (line) opts.onLog?.(line);
      const m = /"msg":"staging BFF listening","url":"([^"]+)"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the BFF exited with code ${code}:\n${log}`));
    });
  });
}
