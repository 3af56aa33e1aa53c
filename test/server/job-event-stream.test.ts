import { describe, expect, it } from 'vitest';
import { jobEventStream } from '../../src/server/routes/job-event-stream.js';

const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

describe('job event stream (the body of GET /v1/jobs/:id/events)', () => {
  it('sends the job at once with the retry delay, then each change as one frame, and ends after a terminal one', async () => {
    let closed = 0;
    const s = jobEventStream({ first: '{"status":"pending"}', firstTerminal: false, retryMs: 2000, heartbeatMs: 60_000, onClose: () => closed++ });
    const reader = s.readable.getReader();
    expect(text((await reader.read()).value)).toBe('event: job\ndata: {"status":"pending"}\nretry: 2000\n\n');
    s.push('{"status":"processing"}', false);
    expect(text((await reader.read()).value)).toBe('event: job\ndata: {"status":"processing"}\n\n');
    s.push('{"status":"completed"}', true);
    expect(text((await reader.read()).value)).toBe('event: job\ndata: {"status":"completed"}\n\n');
    expect((await reader.read()).done).toBe(true);
    expect(closed).toBe(1);
    s.push('{"status":"late"}', false); // after the end: ignored
    expect(closed).toBe(1);
  });

  it('a listener that is behind gets only the newest change once it reads again', async () => {
    const s = jobEventStream({ first: '{"n":0}', firstTerminal: false, retryMs: 2000, heartbeatMs: 60_000, onClose: () => undefined });
    // Nobody reads: the first frame fills the queue, so the changes wait.
    for (let n = 1; n <= 5; n++) s.push(`{"n":${n}}`, false);
    const reader = s.readable.getReader();
    expect(text((await reader.read()).value)).toContain('{"n":0}');
    expect(text((await reader.read()).value)).toBe('event: job\ndata: {"n":5}\n\n');
    await reader.cancel();
  });

  it('a terminal change is never replaced by a later one while the listener is behind', async () => {
    const s = jobEventStream({ first: '{"n":0}', firstTerminal: false, retryMs: 2000, heartbeatMs: 60_000, onClose: () => undefined });
    s.push('{"status":"cancelled"}', true);
    s.push('{"status":"cancelled","again":true}', true);
    const reader = s.readable.getReader();
    await reader.read();
    expect(text((await reader.read()).value)).toBe('event: job\ndata: {"status":"cancelled"}\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('ends at once for a job that had already ended, and when the client goes away', async () => {
    let closed = 0;
    const ended = jobEventStream({ first: '{"status":"failed"}', firstTerminal: true, retryMs: 2000, heartbeatMs: 60_000, onClose: () => closed++ });
    const r1 = ended.readable.getReader();
    expect(text((await r1.read()).value)).toContain('"failed"');
    expect((await r1.read()).done).toBe(true);
    expect(closed).toBe(1);
    const open = jobEventStream({ first: '{}', firstTerminal: false, retryMs: 2000, heartbeatMs: 60_000, onClose: () => closed++ });
    await open.readable.cancel();
    expect(closed).toBe(2);
  });

  it('keeps a quiet stream alive with comment heartbeats', async () => {
    const s = jobEventStream({ first: '{}', firstTerminal: false, retryMs: 2000, heartbeatMs: 20, onClose: () => undefined });
    const reader = s.readable.getReader();
    await reader.read();
    expect(text((await reader.read()).value)).toBe(': heartbeat\n\n');
    await reader.cancel();
  });
});
