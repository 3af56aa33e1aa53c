import net from 'node:net';
import { describe, expect } from 'vitest';
import { LINGER } from '../../../src/server/http/lingering-close.js';
import { listen } from '../../../src/server/index.js';
import { afterThisTest, makeBff, mintSession } from '../helpers.js';
import { attack } from './ledger.js';

/**
 * The early 413 over a real socket (issue 13, item 3): an 11 MB upload is refused as soon as it
 * is known to be too large, and a Node fetch client, still sending, must be able to read the
 * documented error instead of a reset connection (EPIPE / "fetch failed").
 *
 * undici reads the answer while it sends, so it got its 413 even before the fix. A client that
 * writes its whole body before reading (many HTTP libraries do) did not: @hono/node-server closed
 * the socket 500 ms after the answer, with the body unread, and the reset made the client's
 * kernel drop the 413 it had not read yet (EPIPE, no answer). Now the rest is read and thrown
 * away within bounds (`http/lingering-close.ts`). `Connection: close` is not sent: Node closes
 * the socket as soon as such an answer is written, which is the reset itself.
 */
describe('the early 413', () => {
  attack('input', 'an 11 MB upload over a real socket gets a readable 413 payload_too_large, with Content-Length and without', async () => {
    const bff = makeBff();
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    const { token } = await mintSession(bff);
    const big = new Uint8Array(11 * 1024 * 1024).fill(7);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    // Declared: refused from Content-Length before a byte is read.
    const declared = await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    // Streamed without a length: refused once the count passes the limit.
    const chunks = (function* () {
      for (let i = 0; i < big.length / 262_144; i++) yield big.subarray(i * 262_144, (i + 1) * 262_144);
    })();
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.next();
        if (next.done) c.close();
        else c.enqueue(next.value);
      },
    });
    const streamed = await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    // The server is fine afterwards.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  attack('input', 'a client that writes its whole 11 MB body before reading still reads the 413 (declared and chunked)', async () => {
    const bff = makeBff();
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    const { token } = await mintSession(bff);
    const body = Buffer.alloc(11 * 1024 * 1024, 7);
    body.set([0xff, 0xd8, 0xff, 0xe0]);
    for (const framing of ['declared', 'chunked'] as const) {
      const socket = net.connect(server.port, '127.0.0.1');
      afterThisTest(() => void socket.destroy());
      socket.pause(); // reads nothing until the whole body is written
      let writeError = '';
      socket.on('error', (error: NodeJS.ErrnoException) => (writeError ||= error.code ?? error.message));
      await new Promise((resolve) => socket.once('connect', resolve));
      const length = framing === 'declared' ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked';
      socket.write(`POST /v1/uploads HTTP/1.1\r\nHost: bff\r\nAuthorization: Bearer ${token}\r\nContent-Type: image/jpeg\r\n${length}\r\n\r\n`);
      const payload = framing === 'declared' ? body : Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      await new Promise<void>((resolve) => socket.write(payload, () => resolve()));
      expect(writeError, `${framing}: writing the body`).toBe('');
      socket.resume();
      const head = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString('latin1');
          if (text.includes('}')) resolve(text);
        });
        socket.once('close', () => resolve(text));
      });
      expect(head, framing).toMatch(/^HTTP\/1\.1 413 /);
      expect(head, framing).toContain('"payload_too_large"');
    }
  });

  attack('input', 'a client that keeps sending after its 413 is cut off within the lingering bound', async () => {
    const bff = makeBff();
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    const { token } = await mintSession(bff);
    const socket = net.connect(server.port, '127.0.0.1');
    afterThisTest(() => void socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => (closed = true));
    socket.write(`POST /v1/uploads HTTP/1.1\r\nHost: bff\r\nAuthorization: Bearer ${token}\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 7);
    chunk.set([0xff, 0xd8, 0xff, 0xe0]);
    let sent = 0;
    // Writes until the server closes; a bound of 1 GB on offer stops a broken server from hanging the test.
    while (!closed && sent < 1024 * 1024 * 1024) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      const more = socket.write('\r\n');
      sent += chunk.length;
      if (!more) await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
    }
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // 10 MB read, then at most LINGER.maxBytes discarded; the rest is what sat in socket buffers.
    expect(sent).toBeLessThan(10 * 1024 * 1024 + LINGER.maxBytes + 16 * 1024 * 1024);
  }, 60_000);
});
