import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, SessionResponse, Upload } from '../src/contract/index.js';
import { freePort, spawnBff } from '../scripts/spawn-bff.mjs';

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

/** A memory figure of a process from the kernel's own accounting (`/proc/<pid>/status`), in MiB. */
function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resident memory of a process now. */
export const rssMiB = (pid: number): number => statusMiB(pid, 'VmRSS');

/** The most memory a process has held resident so far (its high-water mark): catches a peak between samples. */
export const peakRssMiB = (pid: number): number => statusMiB(pid, 'VmHWM');

/** A real BFF process on loopback in dev mode with a fresh SQLite store and data dir (removed by `stop`). */
export async function sqliteBff(env: Record<string, string> = {}, opts: { onLog?: (line: string) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'staging-bff-'));
  const port = await freePort();
  const bff = await spawnBff({
    STAGING_DEV: '1',
    STAGING_STORE: `sqlite:${join(dir, 'staging.db')}`,
    STAGING_DATA_DIR: join(dir, 'blobs'),
    PORT: String(port),
    STAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  }, opts);
  return {
    ...bff,
    async stop() {
      await bff.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real BFF process on loopback with a fresh SQLite store, plus a dev session and one uploaded photo. */
export async function benchBff(env: Record<string, string> = {}, opts: { onLog?: (line: string) => void } = {}) {
  // The bench measures the server, not the limiter's refusals.
  const bff = await sqliteBff({ STAGING_RATE_LIMIT: '1000000/60', ...env }, opts);
  const session = SessionResponse.parse(await (await fetch(`${bff.url}/v1/dev/sessions`, { method: 'POST' })).json());
  const auth = { Authorization: `Bearer ${session.token}` };
  const photo = readFileSync(new URL('../test/fixtures/living-room-render.jpg', import.meta.url));
  const upload = Upload.parse(await (await fetch(`${bff.url}/v1/uploads`, { method: 'POST', headers: { ...auth, 'Content-Type': 'image/jpeg' }, body: photo })).json());
  const createJob = async (body: Record<string, unknown> = {}) =>
    Job.parse(
      await (
        await fetch(`${bff.url}/v1/jobs`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ service: 'render-enhancement', config: 'interior-modern', upload_id: upload.id, ...body }),
        })
      ).json(),
    );
  return { ...bff, auth, upload, createJob };
}
