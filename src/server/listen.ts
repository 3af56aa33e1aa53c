import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { StagingBff } from './app.js';
import { lingerAfterEarlyAnswers } from './http/lingering-close.js';

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Serves the BFF on a real socket (the CLI, end-to-end tests, the bench). */
export function listen(bff: StagingBff, port = 8787, hostname = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    // autoCleanupIncoming: off, because its drain closes after 500 ms; ours lingers (see there).
    const server = serve({ fetch: bff.fetch, port, hostname, autoCleanupIncoming: false }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Event streams are long-lived: end them instead of waiting for clients to leave.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    lingerAfterEarlyAnswers(server as Server);
    server.once('error', reject);
  });
}
