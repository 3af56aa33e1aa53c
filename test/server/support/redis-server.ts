import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../../scripts/spawn-bff.mjs';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on a free loopback port: no persistence, no system
 * service, so tests never share state with anything else on the machine.
 */
export async function startRedis(): Promise<TestRedis> {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    try {
      await waitForPong(port, child);
    } catch (err) {
      child.kill('SIGKILL');
      // The port may have been taken between freePort() and the bind; another one usually works.
      if (attempt < 2) continue;
      throw new Error(`redis-server did not start (${bin}): ${(err as Error).message}\n${log}`, { cause: err });
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    };
  }
}

async function waitForPong(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('redis-server exited');
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      // not listening yet
    } finally {
      r.disconnect();
    }
    if (Date.now() > end) throw new Error('no PONG');
    await new Promise((res) => setTimeout(res, 50));
  }
}
