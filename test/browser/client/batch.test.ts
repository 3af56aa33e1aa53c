import { expect } from '@open-wc/testing';
import {
  StagingAbortError,
  StagingClient,
  StagingHttpError,
  StagingRateLimitError,
  StagingResponseError,
  type BatchStreamEvent,
  type StagingClientOptions,
} from '../../../src/client/index.js';
import { apiError, batchOnly, countingTokens, hang, html, json, makeBatch, makeJob, networkDown, rejection, scripted, sse, type Step } from './fake-bff.js';

const BATCH = 'bat_0123456789abcdefXYZ';
const body = { service: 'virtual_staging', options: { style: 'a' }, items: [{ upload_id: 'upl_0123456789abcdefXYZ', config: 'bedroom' }] };

function setup(steps: Step[], opts: Partial<StagingClientOptions> = {}) {
  const server = scripted(...steps);
  const { tokens, count } = countingTokens();
  const client = new StagingClient({ endpoint: 'https://bff.test/', tokens, fetch: server.fetch, retryBaseMs: 5, ...opts });
  return { client, seen: server.seen, tokenFetches: count };
}

async function collect(it: AsyncIterable<BatchStreamEvent>): Promise<BatchStreamEvent[]> {
  const out: BatchStreamEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('StagingClient: batches', () => {
  it('creates a batch with one Idempotency-Key for every retry of the call, and a new one per call', async () => {
    const { client, seen } = setup([networkDown, () => html(502), () => json(201, makeBatch()), () => json(201, makeBatch())]);
    const b = await client.createBatch(body);
    expect(b.id).to.equal(BATCH);
    expect(b.jobs).to.have.length(1);
    await client.createBatch(body, { idempotencyKey: 'listing-7' });
    const keys = seen.map((s) => s.headers.get('Idempotency-Key'));
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys[1]).to.equal(keys[0]);
    expect(keys[2]).to.equal(keys[0]);
    expect(keys[3]).to.equal('listing-7');
    expect(seen[0]!.url).to.equal('https://bff.test/v1/batches');
    expect(seen[0]!.method).to.equal('POST');
    expect(JSON.parse(seen[0]!.body as string)).to.deep.equal(body);
  });

  it('throws insufficient_credits as a typed error with what is needed and what remains', async () => {
    const { client, seen } = setup([() => apiError(402, 'insufficient_credits', 'Need 4, 1 left.', { credits_required: 4, credits_remaining: 1 })]);
    const e = (await rejection(client.createBatch(body))) as StagingHttpError;
    expect(e).to.be.instanceOf(StagingHttpError);
    expect(e.code).to.equal('insufficient_credits');
    expect(e.status).to.equal(402);
    expect(seen).to.have.length(1);
  });

  it('gets, lists and cancels batches, escaping ids and building the list query', async () => {
    const running = makeBatch([makeJob({ status: 'processing' })]);
    const cancelled = makeBatch([makeJob({ status: 'cancelled' })], { status: 'cancelled' });
    const { client, seen } = setup([
      () => json(200, running),
      () => json(200, { data: [batchOnly(running)], next_cursor: 'c2' }),
      () => html(502),
      () => json(200, cancelled),
    ]);
    expect((await client.getBatch('bat/x')).counts.processing).to.equal(1);
    const page = await client.listBatches({ limit: 5, cursor: 'a b' });
    expect(page.data[0]!.id).to.equal(BATCH);
    expect(page.next_cursor).to.equal('c2');
    expect((await client.cancelBatch(BATCH)).status).to.equal('cancelled');
    expect(seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal([
      'GET https://bff.test/v1/batches/bat%2Fx',
      'GET https://bff.test/v1/batches?limit=5&cursor=a+b',
      `POST https://bff.test/v1/batches/${BATCH}/cancel`,
      `POST https://bff.test/v1/batches/${BATCH}/cancel`,
    ]);
  });

  it('waits the Retry-After of a 429 on a read', async () => {
    const { client, seen } = setup([() => apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': '0' }), () => json(200, makeBatch())]);
    expect((await client.getBatch(BATCH)).id).to.equal(BATCH);
    expect(seen).to.have.length(2);
    const slow = setup([() => apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': '120' })], { maxRetryWaitMs: 1000 });
    expect(((await rejection(slow.client.getBatch(BATCH))) as StagingRateLimitError).retryAfterMs).to.equal(120_000);
  });

  it('refuses a batch that breaks the contract', async () => {
    const { client } = setup([() => json(200, { ...makeBatch(), status: 'exploded' })]);
    expect(await rejection(client.getBatch(BATCH))).to.be.instanceOf(StagingResponseError);
  });

  it('aborts a call with the caller signal', async () => {
    const { client } = setup([hang]);
    const c = new AbortController();
    const p = rejection(client.getBatch(BATCH, { signal: c.signal }));
    c.abort('gone');
    expect(((await p) as StagingAbortError).reason).to.equal('gone');
  });
});

describe('StagingClient.batchEvents', () => {
  it('yields each job and the counts in order, skipping other events, over chunks split mid-frame', async () => {
    const a = makeJob({ id: 'job_AAAAAAAAAAAAAAAAAAAA', status: 'processing', progress: 0.5 });
    const b = makeJob({ id: 'job_BBBBBBBBBBBBBBBBBBBB', status: 'pending' });
    const aDone = makeJob({ id: 'job_AAAAAAAAAAAAAAAAAAAA', status: 'completed', progress: 1 });
    const text =
      `event: job\ndata: ${JSON.stringify(a)}\n\nevent: job\ndata: ${JSON.stringify(b)}\n\n` +
      `event: batch\nretry: 2000\ndata: ${JSON.stringify(batchOnly(makeBatch([a, b])))}\n\n: heartbeat\n\nevent: other\ndata: x\n\n` +
      `event: job\ndata: ${JSON.stringify(aDone)}\n\nevent: batch\ndata: ${JSON.stringify(batchOnly(makeBatch([aDone, b])))}\n\n`;
    const chunks = text.match(/[\s\S]{1,37}/g)!;
    const { client, seen } = setup([() => sse(chunks).response]);
    const events = await collect(client.batchEvents(BATCH));
    expect(events.map((e) => (e.type === 'job' ? `job ${e.job.id.slice(4, 5)} ${e.job.status}` : `batch ${e.batch.counts.completed}`))).to.deep.equal([
      'job A processing',
      'job B pending',
      'batch 0',
      'job A completed',
      'batch 1',
    ]);
    expect(seen[0]!.url).to.equal(`https://bff.test/v1/batches/${BATCH}/events`);
    expect(seen[0]!.headers.get('Accept')).to.equal('text/event-stream');
    expect(seen[0]!.headers.get('Authorization')).to.equal('Bearer tok-1');
  });

  it('renews the token after a 401 before the stream opens', async () => {
    const { client, seen } = setup([() => apiError(401, 'token_expired', 'Expired.'), () => sse([`event: batch\ndata: ${JSON.stringify(batchOnly(makeBatch()))}\n\n`]).response]);
    expect(await collect(client.batchEvents(BATCH))).to.have.length(1);
    expect(seen.map((s) => s.headers.get('Authorization'))).to.deep.equal(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('throws StagingResponseError for a batch event that breaks the contract, and for an answer that is not a stream', async () => {
    const bad = setup([() => sse([`event: batch\ndata: {"id":"nope"}\n\n`]).response]);
    const e = await rejection(collect(bad.client.batchEvents(BATCH)));
    expect(e).to.be.instanceOf(StagingResponseError);
    expect((e as StagingResponseError).message).to.match(/unexpected shape/);
    const json200 = setup([() => json(200, makeBatch())]);
    expect(((await rejection(collect(json200.client.batchEvents(BATCH)))) as Error).message).to.match(/batch event stream is not text\/event-stream/);
  });

  it('closes the stream when the consumer stops early', async () => {
    const stream = sse([`event: job\ndata: ${JSON.stringify(makeJob())}\n\n`], { keepOpen: true });
    const { client } = setup([() => stream.response]);
    // eslint-disable-next-line no-unreachable-loop -- one event, then stop early: what the test is about
    for await (const e of client.batchEvents(BATCH)) {
      expect(e.type).to.equal('job');
      break;
    }
    expect(stream.state.cancelled).to.equal(true);
  });
});
