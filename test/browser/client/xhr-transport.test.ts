import { expect } from '@open-wc/testing';
import { StagingClient, StagingHttpError, StagingNetworkError, TokenManager, xhrTransport, type UploadProgress } from '../../../src/client/index.js';
import { rejection } from './fake-bff.js';

// These go through a real XMLHttpRequest: to the test runner's own dev server, which
// answers 404 to a POST on a path it does not serve, and to a data: URL, which answers any method.
describe('xhrTransport (real XMLHttpRequest)', () => {
  const tokens = new TokenManager({ fetchToken: async () => ({ token: 'tok-xhr', expires_at: new Date(Date.now() + 3_600_000).toISOString() }) });
  const blob = new Blob([new Uint8Array(512 * 1024)], { type: 'image/jpeg' });

  it('reports upload progress and maps a non-JSON error answer to a typed error', async () => {
    const client = new StagingClient({ endpoint: `${location.origin}/__no_bff_here__`, tokens });
    const progress: UploadProgress[] = [];
    const e = (await rejection(client.uploadImage(blob, { onProgress: (p) => progress.push(p) }))) as StagingHttpError;
    expect(e).to.be.instanceOf(StagingHttpError);
    expect(e.status).to.be.within(400, 499);
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.at(-1)).to.deep.equal({ loaded: blob.size, total: blob.size });
  });

  it('turns the answer into a Response with status, headers and body', async () => {
    const res = await xhrTransport('data:application/json,{"id":"upl_x"}', { method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: blob });
    expect(res.status).to.equal(200);
    expect(res.headers.get('Content-Type')).to.equal('application/json');
    expect(await res.json()).to.deep.equal({ id: 'upl_x' });
  });

  it('rejects with the signal reason when aborted mid-upload', async () => {
    const c = new AbortController();
    const p = rejection(xhrTransport(`${location.origin}/__no_bff_here__`, { method: 'POST', headers: {}, body: blob, signal: c.signal }));
    c.abort('stop');
    expect(await p).to.equal('stop');
  });

  it('maps a refused connection to StagingNetworkError and does not send the upload twice', async () => {
    let sends = 0;
    const client = new StagingClient({
      endpoint: 'http://127.0.0.1:9',
      tokens,
      retryBaseMs: 5,
      upload: (url, req) => {
        sends++;
        return xhrTransport(url, req);
      },
    });
    expect(await rejection(client.uploadImage(blob))).to.be.instanceOf(StagingNetworkError);
    expect(sends).to.equal(1);
  });
});
