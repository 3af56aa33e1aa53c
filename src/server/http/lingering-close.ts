import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * How long, and how much, the server keeps reading a request body it has already answered.
 * nginx calls this a lingering close (its `lingering_time` / `lingering_timeout`).
 */
export const LINGER = { totalMs: 15_000, idleMs: 5_000, maxBytes: 64 * 1024 * 1024 } as const;

/**
 * An answer sent before its request body ended (an early 413, a 401 on an upload) must reach a
 * client that is still sending. Closing the socket then resets it: the client's kernel drops the
 * answer it has not read yet, and the client sees EPIPE instead of the documented error. So the
 * rest of the body is read and thrown away, within `LINGER`'s bounds, and only then is the
 * socket closed: a client cannot make the server read forever.
 *
 * Node itself discards an unread body after the answer (`req._dump()`) but without a bound on
 * bytes; a body that a route was reading is discarded by `readBody` (its reader), and this
 * watches both. @hono/node-server's own drain (500 ms, then close) is turned off in `listen`,
 * because half a second is too short for a phone on a slow uplink.
 */
export function lingerAfterEarlyAnswers(server: Server, limits: { totalMs: number; idleMs: number; maxBytes: number } = LINGER): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // A request without a body (most reads) has nothing to linger for: no listener on the read path.
    if (!req.headers['transfer-encoding'] && !(Number(req.headers['content-length']) > 0)) return;
    res.once('finish', () => {
      if (req.complete || req.destroyed) return;
      let bytes = 0;
      const close = () => {
        done();
        req.socket?.destroy();
      };
      let idle = setTimeout(close, limits.idleMs);
      const total = setTimeout(close, limits.totalMs);
      const onData = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limits.maxBytes) return close();
        clearTimeout(idle);
        idle = setTimeout(close, limits.idleMs);
      };
      const done = () => {
        clearTimeout(idle);
        clearTimeout(total);
        req.off('data', onData);
      };
      req.on('data', onData);
      req.once('end', done);
      req.once('close', done);
    });
  });
}
