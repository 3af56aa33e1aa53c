import { benchBff, rssMiB } from './support.js';

/**
 * N listeners on one job's event stream: the BFF's memory with them connected, and the
 * delay from a job change (a cancel) to the moment the last listener has received it.
 */
export async function benchFanout(listeners = 1000) {
  // A slow job, so it is still running when every listener has connected. One session holds all
  // the listeners here (a fan-out measure, not a token's fair share): the stream caps are raised.
  const bff = await benchBff({
    STAGING_LOCAL_SPEED: '50',
    STAGING_MAX_STREAMS_PER_SESSION: String(listeners + 10),
    STAGING_MAX_STREAMS: String(Math.max(2000, listeners + 10)),
  });
  try {
    const job = await bff.createJob();
    const pid = bff.child.pid!;
    const rssBefore = rssMiB(pid);
    let connected = 0;
    let resolveAll!: () => void;
    const allConnected = new Promise<void>((r) => (resolveAll = r));
    const receivedAt: number[] = [];
    const streams = Array.from({ length: listeners }, async () => {
      const res = await fetch(`${bff.url}/v1/jobs/${job.id}/events`, { headers: bff.auth });
      if (res.status !== 200) throw new Error(`a listener was refused: ${res.status} ${await res.text()}`);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let first = true;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        if (first && buffer.includes('\n\n')) {
          first = false;
          if (++connected === listeners) resolveAll();
        }
        if (buffer.includes('"status":"cancelled"')) {
          receivedAt.push(performance.now());
          await reader.cancel();
          return;
        }
      }
    });
    // A refused or broken listener ends the bench with its error instead of waiting forever.
    const failed = new Promise<never>((_, reject) => streams.forEach((p) => p.catch(reject)));
    await Promise.race([allConnected, failed]);
    await new Promise((r) => setTimeout(r, 500)); // let memory settle
    const rssConnected = rssMiB(pid);
    const t0 = performance.now();
    const cancel = await fetch(`${bff.url}/v1/jobs/${job.id}/cancel`, { method: 'POST', headers: bff.auth });
    if (cancel.status !== 200) throw new Error(`cancel failed: ${cancel.status}`);
    await Promise.all(streams);
    receivedAt.sort((a, b) => a - b);
    return {
      listeners,
      received: receivedAt.length,
      rssBeforeMiB: rssBefore,
      rssConnectedMiB: rssConnected,
      perListenerKiB: ((rssConnected - rssBefore) * 1024) / listeners,
      firstMs: receivedAt[0]! - t0,
      lastMs: receivedAt[receivedAt.length - 1]! - t0,
    };
  } finally {
    await bff.stop();
  }
}
