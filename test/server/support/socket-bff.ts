import { SessionResponse, Upload } from '../../../src/contract/index.js';
import { createStagingBff, listen, type Provider } from '../../../src/server/index.js';
import { afterThisTest, fixture, tempDir } from '../temp-dir.js';

/**
 * A dev-mode BFF driving `provider` on a real loopback socket at `port` (providers' fakes call
 * back there: signed image URLs, webhooks), with a dev session's headers and a way to upload
 * fixture photos. Closed after the test.
 */
export async function socketBff(provider: Provider, port: number) {
  const publicUrl = `http://127.0.0.1:${port}`;
  const bff = createStagingBff({ tokenSecret: 'x'.repeat(40), dev: true, store: 'memory', dataDir: tempDir(), publicUrl, providerInstance: provider });
  afterThisTest(() => bff.close());
  const server = await listen(bff, port);
  afterThisTest(() => server.close());
  const session = SessionResponse.parse(await (await fetch(`${server.url}/v1/dev/sessions`, { method: 'POST' })).json());
  const auth = { Authorization: `Bearer ${session.token}` };
  const upload = async (name = 'living-room-render.jpg') =>
    Upload.parse(await (await fetch(`${server.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: fixture(name) })).json());
  return { bff, server, auth, upload };
}
