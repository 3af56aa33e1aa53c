import yauzl from 'yauzl';
import { BatchWithJobs } from '../../../src/contract/index.js';
import { makeBff, req } from '../helpers.js';

type Bff = ReturnType<typeof makeBff>;

/** Polls a batch until its status is one of `statuses` (by default, any end), waiting as told on a 429. */
export async function waitForBatch(bff: Bff, token: string, id: string, statuses: string[] = ['completed', 'failed', 'cancelled'], timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await req(bff, `/v1/batches/${id}`, { token });
    // A slow (loaded) machine polls long enough to meet the session's rate limit: wait as told.
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
      continue;
    }
    const b = BatchWithJobs.parse(await res.json());
    if (statuses.includes(b.status)) return b;
    if (Date.now() > end) throw new Error(`batch ${id} stayed ${b.status}`);
    // 300 ms: well inside the session's rate limit (300 requests a minute) however long it takes.
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The entries of a ZIP, read with yauzl (a maintained reader), name → bytes. */
export async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, s) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}
