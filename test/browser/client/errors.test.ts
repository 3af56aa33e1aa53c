import { expect } from '@open-wc/testing';
import {
  StagingAbortError,
  StagingAuthError,
  StagingError,
  StagingHttpError,
  StagingRateLimitError,
  StagingTimeoutError,
} from '../../../src/client/index.js';
import { abortError, errorFromResponse } from '../../../src/client/errors.js';
import { parseRetryAfter } from '../../../src/client/retry-after.js';
import { apiError, html, json } from './fake-bff.js';

describe('client errors', () => {
  it('maps the documented error body, keeping issues, request id and extra details', async () => {
    const issues = [{ path: 'upload_id', message: 'expected a upl_… id' }];
    const e = await errorFromResponse(apiError(400, 'invalid_request', 'The request is invalid: check upload_id.', { issues, request_id: 'req_body', hint: 'x' }));
    expect(e).to.be.instanceOf(StagingHttpError).and.instanceOf(StagingError).and.instanceOf(Error);
    expect(e.name).to.equal('StagingHttpError');
    expect(e.status).to.equal(400);
    expect(e.code).to.equal('invalid_request');
    expect(e.message).to.equal('The request is invalid: check upload_id.');
    expect(e.issues).to.deep.equal(issues);
    expect(e.requestId).to.equal('req_body');
    expect(e.details).to.deep.equal({ hint: 'x' });
    expect(e.retryable).to.equal(false);
  });

  it('falls back to the X-Request-Id header for the request id', async () => {
    const e = await errorFromResponse(apiError(404, 'not_found'));
    expect(e.requestId).to.equal('req_fake');
    expect(e.issues).to.deep.equal([]);
  });

  it('turns 401 and 403 into StagingAuthError', async () => {
    const expired = await errorFromResponse(apiError(401, 'token_expired'));
    const scope = await errorFromResponse(apiError(403, 'scope_denied'));
    expect(expired).to.be.instanceOf(StagingAuthError).and.instanceOf(StagingHttpError);
    expect(expired.code).to.equal('token_expired');
    expect(scope).to.be.instanceOf(StagingAuthError);
    expect(scope.status).to.equal(403);
  });

  it('turns 429 into StagingRateLimitError with Retry-After in ms', async () => {
    const e = await errorFromResponse(apiError(429, 'rate_limited', 'Slow down.', {}, { 'Retry-After': '7' }));
    expect(e).to.be.instanceOf(StagingRateLimitError);
    expect(e.retryAfterMs).to.equal(7000);
    expect(e.retryable).to.equal(true);
  });

  it('uses RateLimit-Reset when a 429 has no Retry-After', async () => {
    const e = await errorFromResponse(apiError(429, 'rate_limited', 'Slow down.', {}, { 'RateLimit-Reset': '3' }));
    expect(e.retryAfterMs).to.equal(3000);
  });

  it('gives a proxy HTML 502 a clean typed error with its status', async () => {
    const e = await errorFromResponse(html(502));
    expect(e).to.be.instanceOf(StagingHttpError);
    expect(e.status).to.equal(502);
    expect(e.code).to.equal('http_error');
    expect(e.message).to.contain('502');
    expect(e.retryable).to.equal(true);
    expect(e.details['body']).to.contain('Bad Gateway');
  });

  it('handles an empty 401 and JSON that is not the error shape', async () => {
    const empty = await errorFromResponse(new Response(null, { status: 401 }));
    expect(empty).to.be.instanceOf(StagingAuthError);
    expect(empty.code).to.equal('unauthorized');
    const other = await errorFromResponse(json(500, { message: 'not ours' }));
    expect(other.code).to.equal('http_error');
    expect(other.status).to.equal(500);
    expect(other.retryable).to.equal(false);
  });

  it('keeps an abort reason, and a caller timeout stays a timeout', () => {
    const c = new AbortController();
    const reason = new Error('user left');
    c.abort(reason);
    const e = abortError(c.signal);
    expect(e).to.be.instanceOf(StagingAbortError);
    expect((e as StagingAbortError).reason).to.equal(reason);
    expect(e.cause).to.equal(reason);
    expect(e.name).to.equal('AbortError');
    const t = new AbortController();
    t.abort(new DOMException('late', 'TimeoutError'));
    expect(abortError(t.signal)).to.be.instanceOf(StagingTimeoutError);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).to.equal(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });
});
