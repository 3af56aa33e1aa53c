import { mkdir, readFile, rename, writeFile, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Uploads and outputs on disk under STAGING_DATA_DIR. Writes go to a temporary file and are
 * renamed into place, so a crash never leaves a half-written blob under a real key.
 */
export class BlobStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    if (!/^[a-z]+\/[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`invalid blob key: ${key}`);
    const p = join(this.root, key);
    if (!p.startsWith(this.root + sep)) throw new Error(`invalid blob key: ${key}`);
    return p;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const p = this.pathOf(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  /** A web stream of the blob, for responses that should not buffer it. */
  stream(key: string): ReadableStream<Uint8Array> {
    return Readable.toWeb(createReadStream(this.pathOf(key))) as ReadableStream<Uint8Array>;
  }

  /** A Node stream of the blob (for writers that take one, like the ZIP of a batch). */
  nodeStream(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
