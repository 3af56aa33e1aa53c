import { expect } from '@open-wc/testing';
import {
  StagingAbortError,
  StagingAuthError,
  StagingClient,
  StagingHttpError,
  StagingNetworkError,
  StagingRateLimitError,
  StagingResponseError,
  StagingTimeoutError,
  type StagingClientOptions,
  type UploadProgress,
  type UploadRequest,
} from '../../../src/client/index.js';
import { apiError, catalog, countingTokens, hang, html, json, makeJob, networkDown, rejection, scripted, upload, type Step } from './fake-bff.js';

const ENDPOINT = 'https://bff.test/';

function setup(steps: Step[], opts: Partial<StagingClientOptions> = {}) {
  const server = scripted(...steps);
  const { tokens, count } = countingTokens();
  const client = new StagingClient({ endpoint: ENDPOINT, tokens, fetch: server.fetch, retryBaseMs: 5, ...opts });
  return { client, seen: server.seen, tokenFetches: count };
}

describe('StagingClient: requests and parsing', () => {
  it('GETs the catalog with the bearer token and parses it with the contract', async () => {
    const { client, seen } = setup([() => json(200, catalog)]);
    const c = await client.getCatalog();
    expect(c.services[0]!.id).to.equal('virtual_staging');
    expect(seen[0]!.url).to.equal('https://bff.test/v1/services');
    expect(seen[0]!.method).to.equal('GET');
    expect(seen[0]!.headers.get('Authorization')).to.equal('Bearer tok-1');
    expect(seen[0]!.headers.get('Accept')).to.equal('application/json');
  });

  it('builds list queries and escapes ids in paths', async () => {
    const { client, seen } = setup([() => json(200, { data: [makeJob()], next_cursor: 'c2' }), () => json(200, makeJob())]);
    const page = await client.listJobs({ status: 'completed', limit: 20, cursor: 'a b' });
    expect(page.next_cursor).to.equal('c2');
    expect(seen[0]!.url).to.equal('https://bff.test/v1/jobs?status=completed&limit=20&cursor=a+b');
    await client.getJob('job_../x');
    expect(seen[1]!.url).to.equal('https://bff.test/v1/jobs/job_..%2Fx');
  });

  it('rejects a 2xx answer that does not match the schema, naming the fields', async () => {
    const { client } = setup([() => json(200, { ...makeJob(), status: 'exploded', progress: 3 })]);
    const e = (await rejection(client.getJob('job_0123456789abcdefXYZ'))) as StagingResponseError;
    expect(e).to.be.instanceOf(StagingResponseError);
    expect(e.code).to.equal('invalid_response');
    expect(e.status).to.equal(200);
    expect(e.requestId).to.equal('req_fake');
    expect(e.issues.map((i) => i.path)).to.include.members(['status', 'progress']);
  });

  it('rejects a 2xx answer that is not JSON (a captive portal page)', async () => {
    const { client } = setup([() => new Response('<html>Sign in to Wi-Fi</html>', { status: 200 })]);
    expect(await rejection(client.getCredits())).to.be.instanceOf(StagingResponseError);
  });

  it('maps a documented error and does not retry a 4xx', async () => {
    const { client, seen } = setup([() => apiError(404, 'not_found', 'No job with that id exists for this session.')]);
    const e = (await rejection(client.getJob('job_0123456789abcdefXYZ'))) as StagingHttpError;
    expect(e).to.be.instanceOf(StagingHttpError);
    expect(e.code).to.equal('not_found');
    expect(seen).to.have.length(1);
  });
});

describe('StagingClient: retries', () => {
  it('retries a GET after a network error and a proxy HTML 502, then succeeds', async () => {
    const { client, seen } = setup([networkDown, () => html(502), () => json(200, { max_credits: 10, used: 2, remaining: 8 })]);
    expect((await client.getCredits()).remaining).to.equal(8);
    expect(seen).to.have.length(3);
  });

  it('gives up after `retries` further attempts with the last error', async () => {
    const { client, seen } = setup([() => html(504), () => html(504), () => html(502)], { retries: 2 });
    const e = (await rejection(client.getCredits())) as StagingHttpError;
    expect(e.status).to.equal(502);
    expect(seen).to.have.length(3);
  });

  it('honours Retry-After in seconds on a 503', async () => {
    const { client, seen } = setup([() => apiError(503, 'provider_unavailable', 'Busy.', {}, { 'Retry-After': '1' }), () => json(200, catalog)]);
    const t = performance.now();
    await client.getCatalog();
    expect(performance.now() - t).to.be.greaterThanOrEqual(950);
    expect(seen).to.have.length(2);
  });

  it('honours Retry-After as an HTTP date on a 429', async () => {
    const at = new Date(Date.now() + 2000).toUTCString(); // whole seconds: 1 to 2 s from now
    const { client } = setup([() => apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': at }), () => json(200, catalog)]);
    const t = Date.now();
    await client.getCatalog();
    expect(Date.now() - t).to.be.greaterThanOrEqual(900);
  });

  it('does not wait past maxRetryWaitMs: throws the 429 with its retryAfterMs at once', async () => {
    const { client, seen } = setup([() => apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': '60' })], { maxRetryWaitMs: 5000 });
    const t = performance.now();
    const e = (await rejection(client.getCatalog())) as StagingRateLimitError;
    expect(e).to.be.instanceOf(StagingRateLimitError);
    expect(e.retryAfterMs).to.equal(60_000);
    expect(performance.now() - t).to.be.lessThan(500);
    expect(seen).to.have.length(1);
  });

  it('sends the same Idempotency-Key on every retry of createJob, a new one per call', async () => {
    const body = { service: 'virtual_staging', config: 'modern', upload_id: 'upl_0123456789abcdefXYZ' };
    const { client, seen } = setup([networkDown, () => html(502), () => json(201, makeJob()), () => json(201, makeJob())]);
    await client.createJob(body);
    await client.createJob(body);
    const keys = seen.map((s) => s.headers.get('Idempotency-Key'));
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys[1]).to.equal(keys[0]);
    expect(keys[2]).to.equal(keys[0]);
    expect(keys[3]).to.not.equal(keys[0]);
    expect(seen[0]!.method).to.equal('POST');
    expect(seen[0]!.headers.get('Content-Type')).to.equal('application/json');
    expect(JSON.parse(seen[0]!.body as string)).to.deep.equal(body);
  });

  it('uses a caller-given Idempotency-Key', async () => {
    const { client, seen } = setup([() => json(200, makeJob())]);
    await client.createJob({ service: 's', config: 'c', upload_id: 'upl_0123456789abcdefXYZ' }, { idempotencyKey: 'form-42' });
    expect(seen[0]!.headers.get('Idempotency-Key')).to.equal('form-42');
  });

  it('retries cancelJob after a 502 but never retryJob', async () => {
    const cancel = setup([() => html(502), () => json(200, makeJob({ status: 'cancelled' }))]);
    expect((await cancel.client.cancelJob('job_0123456789abcdefXYZ')).status).to.equal('cancelled');
    expect(cancel.seen).to.have.length(2);
    const retry = setup([() => html(502)]);
    expect(await rejection(retry.client.retryJob('job_0123456789abcdefXYZ'))).to.be.instanceOf(StagingHttpError);
    expect(retry.seen).to.have.length(1);
    expect(retry.seen[0]!.url).to.equal('https://bff.test/v1/jobs/job_0123456789abcdefXYZ/retry');
  });

  it('retries even an unsafe call after a 429, which proves nothing was done', async () => {
    const { client, seen } = setup([() => apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': '0' }), () => json(200, makeJob({ status: 'pending' }))]);
    await client.retryJob('job_0123456789abcdefXYZ');
    expect(seen).to.have.length(2);
  });

  it('renews the token once after a 401 token_expired and repeats the call', async () => {
    const { client, seen, tokenFetches } = setup([() => apiError(401, 'token_expired', 'Expired.'), () => json(200, catalog)], { retries: 0 });
    await client.getCatalog();
    expect(seen.map((s) => s.headers.get('Authorization'))).to.deep.equal(['Bearer tok-1', 'Bearer tok-2']);
    expect(tokenFetches()).to.equal(2);
  });

  it('renews only once: a second 401 is thrown', async () => {
    const { client, seen } = setup([() => apiError(401, 'unauthorized', 'No.'), () => apiError(401, 'unauthorized', 'Still no.')]);
    const e = (await rejection(client.getCatalog())) as StagingAuthError;
    expect(e).to.be.instanceOf(StagingAuthError);
    expect(e.message).to.equal('Still no.');
    expect(seen).to.have.length(2);
  });

  it('does not renew after session_revoked', async () => {
    const { client, seen, tokenFetches } = setup([() => apiError(401, 'session_revoked', 'Revoked.')]);
    expect(((await rejection(client.getCatalog())) as StagingAuthError).code).to.equal('session_revoked');
    expect(seen).to.have.length(1);
    expect(tokenFetches()).to.equal(1);
  });
});

describe('StagingClient: timeouts and aborts', () => {
  it('times out an attempt, retries a GET, then throws StagingTimeoutError', async () => {
    const { client, seen } = setup([hang, hang], { timeoutMs: 50, retries: 1 });
    const e = await rejection(client.getCatalog());
    expect(e).to.be.instanceOf(StagingTimeoutError);
    expect(seen).to.have.length(2);
    expect(seen[0]!.signal!.aborted).to.equal(true);
  });

  it('uses a per-call timeout', async () => {
    const { client } = setup([hang], { retries: 0 });
    const t = performance.now();
    expect(await rejection(client.getCredits({ timeoutMs: 30 }))).to.be.instanceOf(StagingTimeoutError);
    expect(performance.now() - t).to.be.lessThan(2000);
  });

  it('aborts during a backoff wait at once, keeping the reason', async () => {
    const { client, seen } = setup([() => apiError(503, 'provider_unavailable', 'Busy.', {}, { 'Retry-After': '10' })]);
    const c = new AbortController();
    const t = performance.now();
    const p = rejection(client.getCatalog({ signal: c.signal }));
    setTimeout(() => c.abort('closed'), 50);
    const e = (await p) as StagingAbortError;
    expect(e).to.be.instanceOf(StagingAbortError);
    expect(e.reason).to.equal('closed');
    expect(performance.now() - t).to.be.lessThan(1000);
    expect(seen).to.have.length(1);
  });

  it('aborts an attempt in flight without retrying it', async () => {
    const { client, seen } = setup([hang]);
    const c = new AbortController();
    const p = rejection(client.getCatalog({ signal: c.signal }));
    setTimeout(() => c.abort(), 20);
    const e = (await p) as StagingAbortError;
    expect(e).to.be.instanceOf(StagingAbortError);
    expect((e.reason as DOMException).name).to.equal('AbortError');
    expect(seen).to.have.length(1);
  });

  it('works where AbortSignal.any does not exist (Safari before 17.4, WPE WebKit 2.38): aborts, times out, and leaves no listener on the caller', async () => {
    const any = AbortSignal.any;
    // @ts-expect-error removed to stand in for an older engine
    delete AbortSignal.any;
    try {
      expect(typeof AbortSignal.any).to.equal('undefined');
      const { client } = setup([hang, hang, () => json(200, { max_credits: null, used: 0, remaining: null })], { retries: 0 });
      const c = new AbortController();
      const p = rejection(client.getCatalog({ signal: c.signal }));
      setTimeout(() => c.abort('gone'), 20);
      const e = (await p) as StagingAbortError;
      expect(e).to.be.instanceOf(StagingAbortError);
      expect(e.reason).to.equal('gone');
      expect(await rejection(client.getCredits({ timeoutMs: 30 }))).to.be.instanceOf(StagingTimeoutError);
      // A long-lived caller signal (a component's) keeps no listener once the call is over.
      const live = new AbortController();
      let listeners = 0;
      const add = live.signal.addEventListener.bind(live.signal);
      const remove = live.signal.removeEventListener.bind(live.signal);
      live.signal.addEventListener = ((...a: Parameters<AbortSignal['addEventListener']>) => (listeners++, add(...a))) as AbortSignal['addEventListener'];
      live.signal.removeEventListener = ((...a: Parameters<AbortSignal['removeEventListener']>) => (listeners--, remove(...a))) as AbortSignal['removeEventListener'];
      expect(await client.getCredits({ signal: live.signal })).to.deep.include({ used: 0 });
      expect(listeners).to.equal(0);
    } finally {
      AbortSignal.any = any;
    }
  });

  it('treats a caller AbortSignal.timeout as a timeout that is not retried', async () => {
    const { client, seen } = setup([hang, hang]);
    expect(await rejection(client.getCatalog({ signal: AbortSignal.timeout(30) }))).to.be.instanceOf(StagingTimeoutError);
    expect(seen).to.have.length(1);
  });
});

describe('StagingClient: uploads over an injected transport', () => {
  function uploadSetup(steps: Array<(req: UploadRequest) => Promise<Response>>) {
    const reqs: Array<{ url: string; req: UploadRequest }> = [];
    const { tokens, count } = countingTokens();
    const client = new StagingClient({
      endpoint: ENDPOINT,
      tokens,
      fetch: scripted().fetch,
      retryBaseMs: 5,
      upload: (url, req) => {
        reqs.push({ url, req });
        return steps[reqs.length - 1]!(req);
      },
    });
    return { client, reqs, tokenFetches: count };
  }
  const blob = new Blob([new Uint8Array(1000)], { type: 'image/jpeg' });

  it('posts the raw blob with its type and reports progress', async () => {
    const { client, reqs } = uploadSetup([
      async (req) => {
        req.onProgress?.({ loaded: 500, total: 1000 });
        req.onProgress?.({ loaded: 1000, total: 1000 });
        return json(201, upload);
      },
    ]);
    const progress: UploadProgress[] = [];
    const u = await client.uploadImage(blob, { onProgress: (p) => progress.push(p) });
    expect(u.id).to.equal(upload.id);
    expect(reqs[0]!.url).to.equal('https://bff.test/v1/uploads');
    expect(reqs[0]!.req.body).to.equal(blob);
    expect(reqs[0]!.req.headers['Content-Type']).to.equal('image/jpeg');
    expect(reqs[0]!.req.headers['Authorization']).to.equal('Bearer tok-1');
    expect(progress.map((p) => p.loaded)).to.deep.equal([500, 1000]);
  });

  it('never repeats an upload after a network error or a 503', async () => {
    const a = uploadSetup([() => Promise.reject(new TypeError('Failed to fetch'))]);
    expect(await rejection(a.client.uploadImage(blob))).to.be.instanceOf(StagingNetworkError);
    expect(a.reqs).to.have.length(1);
    const b = uploadSetup([async () => apiError(503, 'provider_unavailable', 'Busy.', {}, { 'Retry-After': '0' })]);
    expect(((await rejection(b.client.uploadImage(blob))) as StagingHttpError).status).to.equal(503);
    expect(b.reqs).to.have.length(1);
  });

  it('renews the token after a 401 and sends the upload again', async () => {
    const { client, reqs } = uploadSetup([async () => apiError(401, 'token_expired', 'Expired.'), async () => json(201, upload)]);
    await client.uploadImage(blob, { contentType: 'image/webp' });
    expect(reqs.map((r) => r.req.headers['Authorization'])).to.deep.equal(['Bearer tok-1', 'Bearer tok-2']);
    expect(reqs[1]!.req.headers['Content-Type']).to.equal('image/webp');
  });

  it('hands the upload a signal that the caller aborts', async () => {
    const { client } = uploadSetup([
      (req) =>
        new Promise<Response>((_, reject) => {
          req.signal!.addEventListener('abort', () => reject(req.signal!.reason));
        }),
    ]);
    const c = new AbortController();
    const p = rejection(client.uploadImage(blob, { signal: c.signal }));
    c.abort('cancel upload');
    const e = (await p) as StagingAbortError;
    expect(e).to.be.instanceOf(StagingAbortError);
    expect(e.reason).to.equal('cancel upload');
  });
});
