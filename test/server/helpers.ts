import { join } from 'node:path';
import { createStagingBff, type StagingBff, type StagingBffOptions } from '../../src/server/index.js';
import { expectDocumented } from './support/openapi-check.js';
import { afterThisTest, fixture, tempDir } from './temp-dir.js';

export { afterThisTest, fixture, tempDir };

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const TOKEN_SECRET = 'test-token-secret-0123456789-abcdefghijklmnop';
export const ORIGIN = 'https://listings.example.com';
export const BASE = 'http://bff.test';


/** A BFF with a fresh temp data dir, the memory store, no simulated delays; closed after each test. */
export function makeBff(overrides: StagingBffOptions = {}): StagingBff {
  const bff = createStagingBff({
    tokenSecret: TOKEN_SECRET,
    adminKey: ADMIN_KEY,
    allowedOrigins: [ORIGIN, 'https://other.example.com'],
    publicUrl: BASE,
    store: 'memory',
    dataDir: join(tempDir(), 'blobs'),
    localSpeed: 0,
    ...overrides,
  });
  afterThisTest(() => bff.close());
  return bff;
}

/** An in-process request; every answer is checked against the OpenAPI document (support/openapi-check.ts). */
export async function req(bff: StagingBff, path: string, init: RequestInit & { token?: string; origin?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.origin !== null) headers.set('Origin', init.origin ?? ORIGIN);
  const url = path.startsWith('http') ? path : BASE + path;
  const res = await bff.app.request(url, { ...init, headers });
  await expectDocumented(init.method ?? 'GET', url, res);
  return res;
}

export async function mintSession(bff: StagingBff, body: Record<string, unknown> = { subject: 'agent-1' }) {
  const res = await req(bff, '/v1/sessions', {
    method: 'POST',
    origin: null,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; session_id: string; expires_at: string };
}

export async function upload(bff: StagingBff, token: string, name = 'living-room-render.jpg', type = 'image/jpeg') {
  const res = await req(bff, '/v1/uploads', { method: 'POST', token, headers: { 'Content-Type': type }, body: fixture(name) });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; width: number; height: number; url: string };
}

export function json(body: unknown, extra: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json', ...extra }, body: JSON.stringify(body) };
}

/** Polls the store until the job reaches one of `statuses` (in-process tests without a socket). */
export async function waitForStatus(bff: StagingBff, jobId: string, statuses: string[], timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await bff.deps.store.getJob(jobId);
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > end) throw new Error(`job ${jobId} stayed ${job?.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function expectError(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string; request_id?: string } };
  if (res.status !== status || body.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  }
  if (!body.error.message || body.error.request_id !== res.headers.get('x-request-id')) {
    throw new Error(`error body lacks message or matching request_id: ${JSON.stringify(body)}`);
  }
  return body.error as { code: string; message: string; request_id: string; [k: string]: unknown };
}
