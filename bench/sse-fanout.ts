import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchBff, rssMiB } from './support.js';

/** A process's user + system CPU time so far, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * N listeners on one job's event stream: the BFF's memory with them connected, and the
 * delay from a job change (a cancel) to the moment the last listener has received it.
 */
export async function benchFanout(listeners = 1000) {
  // A slow job, so it is still running when every listener has connected. One session holds all
  // the listeners here (a fan-out measure, not a token's fair share): the stream caps are raised.
  // The listened job waits in the queue behind another (one job per session at a time), so that
  // no progress ticks fan out meanwhile: the cancel is the one change measured.
  // The server's own send time comes from a probe inside the BFF (see fanout-probe.mjs).
  let resolveProbe!: (r: { sendMs: number; sendCpuMs: number }) => void;
  const probe = new Promise<{ sendMs: number; sendCpuMs: number }>((r) => (resolveProbe = r));
  const bff = await benchBff(
    {
      STAGING_LOCAL_SPEED: '50',
      STAGING_SESSION_CONCURRENCY: '1',
      STAGING_MAX_STREAMS_PER_SESSION: String(listeners + 10),
      STAGING_MAX_STREAMS: String(Math.max(2000, listeners + 10)),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${fileURLToPath(new URL('./fanout-probe.mjs', import.meta.url))}`].filter(Boolean).join(' '),
      STAGING_BENCH_FANOUT_LISTENERS: String(listeners),
    },
    {
      onLog: (line) => {
        if (line.startsWith('fanout-probe ')) resolveProbe(JSON.parse(line.slice('fanout-probe '.length)));
      },
    },
  );
  try {
    await bff.createJob();
    const job = await bff.createJob();
    const pid = bff.child.pid!;
    const rssBefore = rssMiB(pid);
    let connected = 0;
    let resolveAll!: () => void;
    const allConnected = new Promise<void>((r) => (resolveAll = r));
    const receivedAt: number[] = [];
    // A lean client: one plain socket per listener, reading bytes for the one change, so that the
    // figure is the server's (fetch with a decoder stream per listener cost more than the server).
    // A copy's arrival is timed first thing in its handler, on raw bytes (no decoding), and the
    // sockets are closed only after the last copy: the client processes the sockets one after
    // another, so whatever each handler does delays the next copy's timestamp.
    const { hostname, port } = new URL(bff.url);
    const request = `GET /v1/jobs/${job.id}/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${bff.auth.Authorization}\r\nAccept: text/event-stream\r\n\r\n`;
    const ok = Buffer.from('HTTP/1.1 200');
    const firstEvent = Buffer.from('event: job');
    const change = Buffer.from('"status":"cancelled"');
    const sockets: Socket[] = [];
    const streams = Array.from(
      { length: listeners },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => socket.write(request));
          sockets.push(socket);
          // Only the tail of what came before matters: a marker may straddle two chunks.
          let tail: Buffer = Buffer.alloc(0);
          let first = true;
          let answered = false;
          let done = false;
          const has = (chunk: Buffer, marker: Buffer) => chunk.includes(marker) || (tail.length > 0 && Buffer.concat([tail, chunk.subarray(0, marker.length)]).includes(marker));
          socket.on('data', (chunk: Buffer) => {
            const at = performance.now();
            if (done) return;
            if (!answered) {
              answered = true;
              if (!chunk.subarray(0, ok.length).equals(ok)) return reject(new Error(`a listener was refused: ${chunk.subarray(0, 40).toString('latin1')}`));
            }
            if (first) {
              if (!has(chunk, firstEvent)) return void (tail = chunk.subarray(-64));
              first = false;
              if (++connected === listeners) resolveAll();
            }
            if (has(chunk, change)) {
              receivedAt.push(at);
              done = true;
              resolve();
            } else tail = chunk.subarray(-64);
          });
          socket.on('error', reject);
          socket.on('close', () => resolve());
        }),
    );
    // A refused or broken listener ends the bench with its error instead of waiting forever.
    const failed = new Promise<never>((_, reject) => streams.forEach((p) => p.catch(reject)));
    await Promise.race([allConnected, failed]);
    await new Promise((r) => setTimeout(r, 500)); // let memory settle
    const rssConnected = rssMiB(pid);
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const cancel = await fetch(`${bff.url}/v1/jobs/${job.id}/cancel`, { method: 'POST', headers: bff.auth });
    const cancelMs = performance.now() - t0;
    if (cancel.status !== 200) throw new Error(`cancel failed: ${cancel.status}`);
    await Promise.all(streams);
    const serverCpuMs = cpuMs(pid) - cpu0;
    for (const socket of sockets) socket.destroy();
    const sent = await Promise.race([probe, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    receivedAt.sort((a, b) => a - b);
    return {
      listeners,
      received: receivedAt.length,
      rssBeforeMiB: rssBefore,
      rssConnectedMiB: rssConnected,
      perListenerKiB: ((rssConnected - rssBefore) * 1024) / listeners,
      firstMs: receivedAt[0]! - t0,
      lastMs: receivedAt[receivedAt.length - 1]! - t0,
      /** The fan-out alone: from the first listener's copy of the change to the last one's. */
      spreadMs: receivedAt[receivedAt.length - 1]! - receivedAt[0]!,
      cancelMs,
      /** CPU time the BFF spent from the cancel to the last listener's copy (10 ms resolution): steadier than wall time on a loaded machine. */
      serverCpuMs,
      /** The server's send loop, from the cancel request's arrival to the last listener's copy handed to the kernel (null: the probe did not report). */
      serverSendMs: sent?.sendMs ?? null,
      /** The BFF's CPU time (all threads, µs resolution) over the same span. */
      serverSendCpuMs: sent?.sendCpuMs ?? null,
    };
  } finally {
    await bff.stop();
  }
}
