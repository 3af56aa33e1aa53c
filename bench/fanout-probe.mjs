// Loaded into the BFF by the SSE bench (NODE_OPTIONS=--import): the server's own send time of a
// fan-out. From the cancel request's arrival (Node's HTTP diagnostics channel) to the return of
// the socket write that hands the change to the kernel, for every event-stream socket: Node's
// Socket#_writeGeneric (internal, used by both write and writev) is wrapped to see it. Also
// the process's CPU time over the same span, steadier than wall time on a loaded machine.
import { subscribe } from 'node:diagnostics_channel';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

const expected = Number(process.env.STAGING_BENCH_FANOUT_LISTENERS ?? 0);
const listening = new WeakSet();
const written = new WeakSet();
let count = 0;
let cancelAt = 0;
let cancelCpu = 0;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

subscribe('http.server.request.start', ({ request }) => {
  if (request.method === 'GET' && /\/v1\/jobs\/[^/]+\/events$/.test(request.url)) listening.add(request.socket);
  if (request.method === 'POST' && request.url.endsWith('/cancel')) {
    cancelAt = performance.now();
    cancelCpu = cpuMs();
  }
});

const writeGeneric = Socket.prototype._writeGeneric;
if (typeof writeGeneric !== 'function') throw new Error('fanout-probe: this Node has no Socket#_writeGeneric to time');
Socket.prototype._writeGeneric = function (...args) {
  const result = writeGeneric.apply(this, args);
  if (cancelAt && listening.has(this) && !written.has(this)) {
    written.add(this);
    if (++count === expected) {
      process.stderr.write(`fanout-probe ${JSON.stringify({ sendMs: performance.now() - cancelAt, sendCpuMs: cpuMs() - cancelCpu })}\n`);
    }
  }
  return result;
};
