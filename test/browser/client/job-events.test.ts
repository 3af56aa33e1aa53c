import { expect } from '@open-wc/testing';
import { StagingAbortError, StagingClient, StagingResponseError, StagingTimeoutError, type StagingClientOptions } from '../../../src/client/index.js';
import type { Job } from '../../../src/contract/index.js';
import { apiError, countingTokens, json, makeJob, rejection, scripted, sse, type Step } from './fake-bff.js';

const ID = 'job_0123456789abcdefXYZ';

function setup(steps: Step[], opts: Partial<StagingClientOptions> = {}) {
  const server = scripted(...steps);
  const { tokens, count } = countingTokens();
  const client = new StagingClient({ endpoint: 'https://bff.test', tokens, fetch: server.fetch, retryBaseMs: 5, ...opts });
  return { client, seen: server.seen, tokenFetches: count };
}

async function collect(it: AsyncIterable<Job>): Promise<Job[]> {
  const out: Job[] = [];
  for await (const j of it) out.push(j);
  return out;
}

/** Splits bytes at the given offsets. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const a of [...at.sort((x, y) => x - y), bytes.length]) {
    out.push(bytes.slice(prev, a));
    prev = a;
  }
  return out;
}

describe('StagingClient.jobEvents', () => {
  it('yields jobs from frames split at awkward byte boundaries (inside CRLF and a UTF-8 character)', async () => {
    const pending = makeJob({ prompt: 'Salon lumineux – café ✓' });
    const processing = makeJob({ status: 'processing', progress: 0.5 });
    const done = makeJob({ status: 'completed', progress: 1 });
    // The second job's JSON is spread over several data lines, which the parser joins with \n.
    const multi = JSON.stringify(processing, null, 1).split('\n').map((l) => `data: ${l}`).join('\r\n');
    const text =
      `: connected\r\n\r\nevent: job\r\ndata: ${JSON.stringify(pending)}\r\n\r\n` +
      `: heartbeat\n\nevent: note\ndata: ignored\n\n` +
      `event: job\r\n${multi}\r\nid: 2\r\n\r\n` +
      `event: job\ndata: ${JSON.stringify(done)}\n\n`;
    const bytes = new TextEncoder().encode(text);
    const accent = bytes.indexOf(0xc3); // first byte of "é"
    const crlf = new TextEncoder().encode(text.slice(0, text.indexOf('\r\n\r\n', 20))).length; // in bytes
    expect([bytes[crlf], bytes[crlf + 1], bytes[crlf + 2]]).to.deep.equal([13, 10, 13]);
    const chunks = cut(bytes, [1, 5, crlf + 1, crlf + 3, accent + 1, accent + 2, bytes.length - 40, bytes.length - 1]);
    const stream = sse(chunks);
    const { client, seen } = setup([() => stream.response]);
    const jobs = await collect(client.jobEvents(ID));
    expect(jobs.map((j) => j.status)).to.deep.equal(['pending', 'processing', 'completed']);
    expect(jobs[0]!.prompt).to.equal('Salon lumineux – café ✓');
    expect(jobs[1]).to.deep.equal(processing);
    expect(seen[0]!.url).to.equal(`https://bff.test/v1/jobs/${ID}/events`);
    expect(seen[0]!.headers.get('Authorization')).to.equal('Bearer tok-1');
    expect(seen[0]!.headers.get('Accept')).to.equal('text/event-stream');
  });

  it('renews the token after a 401 and retries a 503 before the stream opens', async () => {
    const { client, seen } = setup([
      () => apiError(401, 'token_expired', 'Expired.'),
      () => apiError(503, 'provider_unavailable', 'Busy.', {}, { 'Retry-After': '0' }),
      () => sse([`event: job\ndata: ${JSON.stringify(makeJob())}\n\n`]).response,
    ]);
    expect(await collect(client.jobEvents(ID))).to.have.length(1);
    expect(seen.map((s) => s.headers.get('Authorization'))).to.deep.equal(['Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2']);
  });

  it('refuses an answer that is not an event stream', async () => {
    const { client } = setup([() => json(200, makeJob())]);
    expect(await rejection(collect(client.jobEvents(ID)))).to.be.instanceOf(StagingResponseError);
  });

  it('yields the valid jobs, then throws StagingResponseError for one that breaks the contract', async () => {
    const { client } = setup([() => sse([`event: job\ndata: ${JSON.stringify(makeJob())}\n\nevent: job\ndata: {"id":"nope"}\n\n`]).response]);
    const got: Job[] = [];
    const e = await rejection(
      (async () => {
        for await (const j of client.jobEvents(ID)) got.push(j);
      })(),
    );
    expect(got).to.have.length(1);
    expect(e).to.be.instanceOf(StagingResponseError);
  });

  it('closes the stream when the consumer stops early', async () => {
    const stream = sse([`event: job\ndata: ${JSON.stringify(makeJob())}\n\n`], { keepOpen: true });
    const { client } = setup([() => stream.response]);
    // eslint-disable-next-line no-unreachable-loop -- one event, then stop early: what the test is about
    for await (const j of client.jobEvents(ID)) {
      expect(j.status).to.equal('pending');
      break;
    }
    expect(stream.state.cancelled).to.equal(true);
  });

  it('throws StagingAbortError when the caller aborts mid-stream', async () => {
    const stream = sse([`event: job\ndata: ${JSON.stringify(makeJob())}\n\n`], { keepOpen: true });
    const { client } = setup([() => stream.response]);
    const c = new AbortController();
    const got: Job[] = [];
    const e = await rejection(
      (async () => {
        for await (const j of client.jobEvents(ID, { signal: c.signal })) {
          got.push(j);
          setTimeout(() => c.abort('unmounted'), 10);
        }
      })(),
    );
    expect(got).to.have.length(1);
    expect(e).to.be.instanceOf(StagingAbortError);
    expect((e as StagingAbortError).reason).to.equal('unmounted');
    expect(stream.state.cancelled).to.equal(true);
  });

  it('ends a silent stream after idleTimeoutMs, and timeoutMs alone does not cut a live stream', async () => {
    const silent = sse([': hi\n\n'], { keepOpen: true });
    const a = setup([() => silent.response]);
    expect(await rejection(collect(a.client.jobEvents(ID, { idleTimeoutMs: 80 })))).to.be.instanceOf(StagingTimeoutError);
    // Frames keep coming for longer than timeoutMs: only connecting is bounded by it.
    const frames = Array.from({ length: 8 }, (_, i) => `: beat ${i}\n\n`).concat([`event: job\ndata: ${JSON.stringify(makeJob())}\n\n`]);
    const slow = sse(frames);
    const b = setup([
      () =>
        new Response(
          slow.response.body!.pipeThrough(
            new TransformStream({
              async transform(chunk, ctl) {
                await new Promise((r) => setTimeout(r, 15));
                ctl.enqueue(chunk);
              },
            }),
          ),
          { headers: { 'Content-Type': 'text/event-stream' } },
        ),
    ]);
    expect(await collect(b.client.jobEvents(ID, { timeoutMs: 40 }))).to.have.length(1);
  });
});
