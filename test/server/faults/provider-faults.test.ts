/**
 * Provider faults, per adapter against its fake: bursts of 500s, a 429 with Retry-After, a
 * timeout (the fake never answers), a dropped connection and malformed JSON, each at submit time
 * and at status-poll time. Every job must end in a terminal status the user sees (event stream
 * and GET /v1/jobs/:id agree), no job is lost (a failure the user retries completes), and the
 * provider is charged for at most one job.
 */
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import type { Provider } from '../../../src/server/index.js';
import { createInteriorRedesignProvider } from '../../../src/server/providers/interior-redesign/index.js';
import { createLumelyProvider } from '../../../src/server/providers/lumely/index.js';
import { createRoomStackProvider } from '../../../src/server/providers/roomstack/index.js';
import { startFakeInteriorRedesign } from '../../fakes/interior-redesign.js';
import { startFakeLumely } from '../../fakes/lumely.js';
import { startFakeRoomStack } from '../../fakes/roomstack.js';
import { afterThisTest } from '../temp-dir.js';
import { fault } from './ledger.js';
import { FAST_RETRY, seenTerminal, startStack } from './stack.js';

type Kind = '500' | '429' | 'timeout' | 'drop' | 'malformed-json';
type Phase = 'submit' | 'poll';
const KINDS: Kind[] = ['500', '429', 'timeout', 'drop', 'malformed-json'];
const PHASES: Phase[] = ['submit', 'poll'];
/** A burst of 500s is three in a row; every other fault happens once. */
const timesOf = (kind: Kind) => (kind === '500' ? 3 : 1);

interface RunningFake {
  provider(publicUrl: string): Provider;
  /** Queues the fault on the job-creating request or on the status polls; returns how many requests it hits. */
  inject(kind: Kind, phase: Phase): number;
  /** Requests the fault targets that reached the fake (failed ones included). */
  targeted(phase: Phase): number;
  /** Jobs the provider created. */
  jobsCreated(): number;
  /** What the provider charged in total, and what one job costs there. */
  spent(): { total: number; oneJob: number };
}

interface AdapterUnderTest {
  name: string;
  /** The adapter may resend its job-creating request (the provider takes an idempotency key). */
  idempotentSubmit: boolean;
  job: Record<string, unknown>;
  start(): Promise<RunningFake>;
}

const LUMELY_KEY = 'lum_live_fault_suite_0123456789abcdef';
const LUMELY_CREDITS = 60;

const lumely: AdapterUnderTest = {
  name: 'lumely',
  idempotentSubmit: true,
  job: { service: 'render-enhancement', config: 'interior-modern', resolution: '2K' },
  async start() {
    const f = await startFakeLumely({ apiKeys: [LUMELY_KEY], stepMs: 20, credits: LUMELY_CREDITS, retryAfterSeconds: 0.2 });
    afterThisTest(() => f.close());
    const submit = { method: 'POST', path: '/jobs' };
    const poll = { method: 'GET', path: /^\/jobs\/[^/]+$/ };
    const isTarget = (phase: Phase) => (r: { method: string; path: string }) =>
      phase === 'submit' ? r.method === 'POST' && r.path === '/api/v1/jobs' : r.method === 'GET' && /^\/api\/v1\/jobs\/[^/]+$/.test(r.path);
    return {
      provider: (publicUrl) => createLumelyProvider({ baseUrl: f.url, apiKey: LUMELY_KEY, webhookSecret: null, publicUrl, pollIntervalMs: 50, retry: FAST_RETRY }),
      inject(kind, phase) {
        const times = timesOf(kind);
        // At submit, the fault strikes AFTER Lumely created (and charged) the job, so only the
        // idempotency key stands between a retried submit and a second charge. A 429 is a refusal.
        f.controls.failNext(kind, { ...(phase === 'submit' ? submit : poll), times, afterHandler: phase === 'submit' && kind !== '429' });
        return times;
      },
      targeted: (phase) => f.state.requests.filter(isTarget(phase)).length,
      jobsCreated: () => f.state.jobs.size,
      spent: () => ({ total: LUMELY_CREDITS - f.state.credits.remaining, oneJob: 2 }),
      // Exposed for the idempotency-key assertions below.
      ...{ submitKeys: () => f.state.requests.filter(isTarget('submit')).map((r) => (r.body as { idempotency_key?: string }).idempotency_key), fakeJobs: () => [...f.state.jobs.values()] },
    };
  },
};

const roomstack: AdapterUnderTest = {
  name: 'roomstack',
  idempotentSubmit: false,
  job: { service: 'generate', config: 'living_room', resolution: '2K' },
  async start() {
    const rs = await startFakeRoomStack({ stepMs: 30 });
    afterThisTest(() => rs.close());
    const path = (phase: Phase) => (phase === 'submit' ? '/api/v1/generate' : /^\/api\/generations$/);
    return {
      // No webhook secret: the adapter polls GET /api/generations, the documented fallback.
      provider: (publicUrl) => createRoomStackProvider({ baseUrl: `${rs.url}/api/v1`, apiKey: rs.apiKey, webhookSecret: null, publicUrl, pollIntervalMs: 50, retry: FAST_RETRY }),
      inject(kind, phase) {
        const times = timesOf(kind);
        rs.controls.failNext(kind, { path: path(phase), times, retryAfterSec: 0.2 });
        return times;
      },
      targeted: (phase) => rs.state.requests.filter((r) => (phase === 'submit' ? r.method === 'POST' && r.path === '/api/v1/generate' : r.path === '/api/generations')).length,
      jobsCreated: () => rs.state.generations.length,
      spent: () => ({ total: rs.state.usage.creditsUsed, oneJob: rs.state.generations[0]?.creditsCharged ?? NaN }),
    };
  },
};

const interiorRedesign: AdapterUnderTest = {
  name: 'interior-redesign',
  idempotentSubmit: false,
  job: { service: 'redesign', config: 'scandinavian' },
  async start() {
    const fake = await startFakeInteriorRedesign({ stepMs: 30, retryAfterSeconds: 0.2 });
    afterThisTest(() => fake.close());
    const isTarget = (phase: Phase) => (r: { method: string; path: string }) =>
      phase === 'submit' ? r.method === 'POST' && r.path === '/v1/redesign' : r.method === 'GET' && r.path.startsWith('/v1/jobs/');
    return {
      // The service fetches our signed image URL: publicUrl is the BFF's real loopback address.
      provider: (publicUrl) => createInteriorRedesignProvider({ baseUrl: fake.url, apiKey: fake.apiKey, webhookSecret: null, publicUrl, pollIntervalMs: 50, retry: FAST_RETRY }),
      inject(kind, phase) {
        const times = timesOf(kind);
        fake.controls.failNext(kind, { times, match: isTarget(phase) });
        return times;
      },
      targeted: (phase) => fake.state.requests.filter(isTarget(phase)).length,
      // Self-hosted on Replicate: every created job is a paid prediction.
      jobsCreated: () => fake.state.jobs.size,
      spent: () => ({ total: fake.state.jobs.size, oneJob: 1 }),
    };
  },
};

for (const a of [lumely, roomstack, interiorRedesign]) {
  describe(`provider faults: ${a.name}`, () => {
    for (const phase of PHASES) {
      for (const kind of KINDS) {
        const label = kind === '500' ? 'a burst of 3 × 500' : kind === '429' ? '429 with Retry-After' : kind;
        fault('provider', `${a.name}: ${label} at ${phase} time`, async (f) => {
          const fake = await a.start();
          const s = await startStack((publicUrl) => ({ providerInstance: fake.provider(publicUrl) }));
          const n = fake.inject(kind, phase);
          f.inject(n);
          const created = await s.createJob(a.job, `fault-${a.name}-${kind}-${phase}`);
          let job = await seenTerminal(s, created.id);

          // The adapter itself rides out what can be repeated safely: every poll, a 429 (nothing was
          // done), and a submission whose repeat the provider de-duplicates by idempotency key.
          const adapterRetries = phase === 'poll' || kind === '429' || a.idempotentSubmit;
          let userRetries = 0;
          if (adapterRetries) {
            expect(job.status, JSON.stringify(job.error)).toBe('completed');
          } else {
            // A job-creating request without an idempotency key is never resent (a repeat could be
            // charged twice): the job fails visibly, retryable, with nothing charged, and the user's
            // retry (POST /v1/jobs/:id/retry) goes through once the provider recovers.
            expect(job).toMatchObject({ status: 'failed', error: { code: 'provider_unavailable', retryable: true }, credits_charged: 0 });
            expect(fake.jobsCreated()).toBe(0);
            while (job.status === 'failed' && job.error?.retryable && userRetries < n + 1) {
              await s.retry(job.id);
              userRetries++;
              job = await seenTerminal(s, job.id);
            }
            expect(job.status, JSON.stringify(job.error)).toBe('completed');
            expect(userRetries).toBe(n);
          }
          // Every injected fault was met by a real request, and one more request went through.
          if (phase === 'submit') expect(fake.targeted(phase)).toBe(n + 1);
          else expect(fake.targeted(phase)).toBeGreaterThan(n);
          // Charged at most once: one provider job, one job's price; our own ledger holds the job's credits once.
          expect(fake.jobsCreated()).toBe(1);
          const spent = fake.spent();
          expect(spent.total).toBe(spent.oneJob);
          expect(job.credits_charged).toBeGreaterThan(0);
          expect((await s.credits()).used).toBe(job.credits_charged);
          expect(job.outputs.length).toBeGreaterThan(0);
          const img = await fetch(job.outputs[0]!.url);
          expect(img.status).toBe(200);
          const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
          expect([meta.width, meta.height]).toEqual([job.outputs[0]!.width, job.outputs[0]!.height]);

          if (a === lumely && phase === 'submit') {
            // The retried submissions carried the same idempotency key, the job's first attempt,
            // and Lumely created one job under it.
            const extra = fake as RunningFake & { submitKeys(): Array<string | undefined>; fakeJobs(): Array<{ idempotencyKey: string | null }> };
            expect(extra.submitKeys()).toEqual(Array.from({ length: n + 1 }, () => `${job.id}:1`));
            expect(extra.fakeJobs().map((j) => j.idempotencyKey)).toEqual([`${job.id}:1`]);
          }
        });
      }
    }
  });
}
