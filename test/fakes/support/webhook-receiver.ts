/**
 * A webhook endpoint for tests of the provider fakes (and of adapters using them): it keeps every
 * delivery's raw body, because providers sign the exact bytes.
 */
import type { IncomingMessage } from 'node:http';
import { listenLocal, readBody } from './fake-http.js';

export interface ReceivedWebhook {
  receivedAt: number;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface WebhookReceiver {
  /** Full URL to register, e.g. http://127.0.0.1:1234/hooks. */
  url: string;
  received: ReceivedWebhook[];
  /** Status the receiver answers with (default 200); set to 500 to exercise provider retries. */
  setStatus(status: number): void;
  /** Resolves once `count` deliveries have arrived in total. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hooks'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  let status = 200;
  const server = await listenLocal((req, res) => {
    void readBody(req).then((body) => {
      received.push({ receivedAt: Date.now(), path: req.url ?? '/', headers: req.headers, rawBody: body.bytes.toString('utf8') });
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  return {
    url: server.url + path,
    received,
    setStatus: (s) => {
      status = s;
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} webhook deliveries, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    close: server.close,
  };
}
