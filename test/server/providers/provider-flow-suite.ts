import sharp from 'sharp';
import { expect, it } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import type { Provider } from '../../../src/server/index.js';
import type { RemoteProviderSettings } from '../../../src/server/providers/remote/settings.js';
import { freePort } from '../../../scripts/spawn-bff.mjs';
import { readJobEvents } from '../sse.js';
import { socketBff } from '../support/socket-bff.js';
import { afterThisTest } from '../temp-dir.js';

/** One provider as the shared end-to-end suite drives it: its fake, its adapter, and how to make it fail. */
export interface ProviderUnderTest {
  /** STAGING_PROVIDER name; also the webhook path segment. */
  name: string;
  /** Starts the provider's fake server (its documented contract) and returns what the adapter needs. */
  startFake(): Promise<{ baseUrl: string; apiKey: string; webhookSecret: string | null; close(): Promise<void> } & Record<string, unknown>>;
  createProvider(settings: RemoteProviderSettings): Provider;
  /** A service and config of the adapter's catalog that turns a photo into an image. */
  job: { service: string; config: string; resolution?: '2K' | '4K' } & Record<string, unknown>;
  // The failure hooks below exist for remote providers; the local engine has no account,
  // key or remote server to fail, so it runs the suite without them.
  /** Makes the fake's next job-creating call fail for lack of credits (the provider's documented error). */
  failWithInsufficientCredits?(fake: Record<string, unknown>): void;
  /** Makes the fake refuse the key once (401). */
  failWithUnauthorized?(fake: Record<string, unknown>): void;
  /** Makes the fake answer the next N requests with 500s. */
  failWithServerErrors?(fake: Record<string, unknown>, n: number): void;
  /** Makes the fake's next job end failed on the provider's side. */
  failTheJob?(fake: Record<string, unknown>): void;
}

const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, retries: 3, timeoutMs: 3000 };

async function startStack(p: ProviderUnderTest) {
  const fake = await p.startFake();
  afterThisTest(() => fake.close());
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const provider = p.createProvider({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, webhookSecret: fake.webhookSecret, publicUrl, pollIntervalMs: 50, retry: fastRetry });
  const { bff, server, auth, upload } = await socketBff(provider, port);
  const up = await upload();
  const createJob = async () => {
    const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...p.job, upload_id: up.id }) });
    if (res.status !== 201) throw new Error(`job creation: ${res.status} ${await res.text()}`);
    return Job.parse(await res.json());
  };
  const follow = async (id: string): Promise<Job[]> => {
    const seen: Job[] = [];
    for await (const f of readJobEvents(await fetch(`${server.url}/v1/jobs/${id}/events`, { headers: auth }))) if (f.event === 'job') seen.push(Job.parse(JSON.parse(f.data)));
    return seen;
  };
  return { fake, bff, server, auth, up, createJob, follow };
}

/** The end-to-end suite the local engine passes, run against one provider's fake through its adapter. */
export function providerFlowSuite(p: ProviderUnderTest): void {
  it('lists a catalog that parses with the contract', async () => {
    const s = await startStack(p);
    const catalog = await (await fetch(`${s.server.url}/v1/services`, { headers: s.auth })).json();
    expect(catalog.provider).toBe(p.name);
    expect(catalog.services.some((x: { id: string }) => x.id === p.job.service)).toBe(true);
  });

  it('upload → job → live events → a real output copied into our blob store', async () => {
    const s = await startStack(p);
    const job = await s.createJob();
    const seen = await s.follow(job.id);
    const done = seen[seen.length - 1]!;
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.outputs.length).toBeGreaterThan(0);
    const out = done.outputs[0]!;
    // Our URL, not the provider's: it keeps working when the provider's link expires.
    expect(out.url.startsWith(`${s.server.url}/v1/outputs/out_`)).toBe(true);
    const img = await fetch(out.url);
    expect(img.status).toBe(200);
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([out.width, out.height]);
    expect(out.local_preview).toBe(false);
  });

  it.skipIf(!p.failWithInsufficientCredits)('maps the provider credit error to insufficient_credits', async () => {
    const s = await startStack(p);
    p.failWithInsufficientCredits!(s.fake);
    const job = await s.createJob();
    const seen = await s.follow(job.id);
    expect(seen[seen.length - 1]).toMatchObject({ status: 'failed', error: { code: 'insufficient_credits' } });
  });

  it.skipIf(!p.failWithUnauthorized)('turns a refused key into a configuration error that does not echo it', async () => {
    const s = await startStack(p);
    p.failWithUnauthorized!(s.fake);
    const job = await s.createJob();
    const seen = await s.follow(job.id);
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ status: 'failed', error: { code: 'server_misconfigured', retryable: false } });
    expect(JSON.stringify(last)).not.toContain(s.fake.apiKey);
  });

  it.skipIf(!p.failWithServerErrors)('rides out a burst of 500s', async () => {
    const s = await startStack(p);
    p.failWithServerErrors!(s.fake, 2);
    const job = await s.createJob();
    const seen = await s.follow(job.id);
    expect(seen[seen.length - 1]!.status).toBe('completed');
  });

  it.skipIf(!p.failTheJob)('reports a job the provider failed, as retryable or not per its documented error', async () => {
    const s = await startStack(p);
    p.failTheJob!(s.fake);
    const job = await s.createJob();
    const seen = await s.follow(job.id);
    const last = seen[seen.length - 1]!;
    expect(last.status).toBe('failed');
    expect(last.error!.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(last)).not.toContain(s.fake.apiKey);
  });
}
