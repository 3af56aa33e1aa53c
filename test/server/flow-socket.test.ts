import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Job, SessionResponse, Upload } from '../../src/contract/index.js';
import { listen } from '../../src/server/index.js';
import { afterThisTest, fixture, makeBff } from './helpers.js';
import { readJobEvents } from './sse.js';

describe('the whole flow over a real socket', () => {
  it('mint → upload a real photo → job → live events → output', async () => {
    const bff = makeBff({ dev: true, allowedOrigins: null, localSpeed: 0.2, heartbeatMs: 100 });
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    const origin = 'http://localhost:5173';

    const session = SessionResponse.parse(await (await fetch(`${server.url}/v1/dev/sessions`, { method: 'POST', headers: { Origin: origin } })).json());
    const auth = { Authorization: `Bearer ${session.token}`, Origin: origin };

    const upRes = await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('bedroom-furnished.jpg') });
    expect(upRes.status).toBe(201);
    const up = Upload.parse(await upRes.json());
    expect([up.width, up.height]).toEqual([1600, 1067]);

    const jobRes = await fetch(`${server.url}/v1/jobs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'flow-1' },
      body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: up.id, resolution: '4K' }),
    });
    expect(jobRes.status).toBe(201);
    const job = Job.parse(await jobRes.json());

    const events = await fetch(`${server.url}/v1/jobs/${job.id}/events`, { headers: auth });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.headers.get('access-control-allow-origin')).toBe(origin);
    const seen: Job[] = [];
    let heartbeats = 0;
    for await (const frame of readJobEvents(events)) {
      if (frame.event === 'comment') heartbeats++;
      if (frame.event === 'job') seen.push(Job.parse(JSON.parse(frame.data)));
    }
    // The stream ended by itself after the terminal status.
    const statuses = seen.map((j) => j.status);
    expect(statuses[statuses.length - 1]).toBe('completed');
    const order = ['pending', 'compressing', 'processing', 'completed'];
    const ranks = statuses.map((s) => order.indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(statuses).toContain('processing');
    const progress = seen.map((j) => j.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(heartbeats).toBeGreaterThan(0);

    const done = seen[seen.length - 1]!;
    const out = done.outputs[0]!;
    expect(out.url.startsWith('http://bff.test/v1/outputs/')).toBe(true); // publicUrl of makeBff
    const img = await fetch(server.url + new URL(out.url).pathname + new URL(out.url).search);
    expect(img.status).toBe(200);
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width, meta.height)).toBe(3840);

    // A listener that arrives after the end gets the final job and the stream closes.
    const late: string[] = [];
    for await (const frame of readJobEvents(await fetch(`${server.url}/v1/jobs/${job.id}/events`, { headers: auth }))) if (frame.event === 'job') late.push(frame.data);
    expect(late).toHaveLength(1);
    expect(JSON.parse(late[0]!).status).toBe('completed');
    // A 4K enhancement on a loaded 2-core machine: the bound is for a hang, not a speed.
  }, 90_000);

  it('feeds many listeners of one job from one fan-out, without polling the store', async () => {
    // Fifty tabs of one session: above the default cap of ten streams per session, on purpose.
    const bff = makeBff({ dev: true, allowedOrigins: null, localSpeed: 0.5, maxStreamsPerSession: 50 });
    let getJobCalls = 0;
    const store = bff.deps.store;
    const realGetJob = store.getJob.bind(store);
    store.getJob = (id) => {
      getJobCalls++;
      return realGetJob(id);
    };
    const server = await listen(bff, 0);
    afterThisTest(() => server.close());
    const session = SessionResponse.parse(await (await fetch(`${server.url}/v1/dev/sessions`, { method: 'POST' })).json());
    const auth = { Authorization: `Bearer ${session.token}` };
    const up = Upload.parse(await (await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture('living-room-render.jpg') })).json());
    const job = Job.parse(
      await (await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ service: 'upscale', config: 'standard', upload_id: up.id }) })).json(),
    );
    const listeners = 50;
    const before = getJobCalls;
    const results = await Promise.all(
      Array.from({ length: listeners }, async () => {
        const statuses: string[] = [];
        for await (const f of readJobEvents(await fetch(`${server.url}/v1/jobs/${job.id}/events`, { headers: auth }))) if (f.event === 'job') statuses.push(JSON.parse(f.data).status);
        return statuses;
      }),
    );
    expect(results.every((s) => s[s.length - 1] === 'completed')).toBe(true);
    const updates = Math.max(...results.map((r) => r.length));
    expect(updates).toBeGreaterThan(3);
    // Two reads per listener on connect (ownership check, then the snapshot), a handful by the runner;
    // nothing that grows with listeners × updates.
    expect(getJobCalls - before).toBeLessThanOrEqual(listeners * 2 + 10);
    expect(bff.deps.events.listenerCount()).toBe(0);
  });
});
