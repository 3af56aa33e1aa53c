import { describe, expect } from 'vitest';
import type { StagingBff } from '../../../src/server/index.js';
import { expectError, makeBff, mintSession, req, upload } from '../helpers.js';
import { attack, nothingStored } from './ledger.js';
import { adminHeaders, randomId } from './support.js';

const sessions = (bff: StagingBff, body: string, type = 'application/json') =>
  req(bff, '/v1/sessions', { method: 'POST', origin: null, headers: { ...adminHeaders, 'Content-Type': type }, body });
const jobs = (bff: StagingBff, token: string, body: string, type = 'application/json', headers: Record<string, string> = {}) =>
  req(bff, '/v1/jobs', { method: 'POST', token, headers: { 'Content-Type': type, ...headers }, body });

/** Each bad body is refused with 400 invalid_request and an `issues` entry naming the field. */
async function refusedWithIssue(res: Response, field: string) {
  const e = await expectError(res, 400, 'invalid_request');
  const issues = e.issues as Array<{ path: string; message: string }>;
  expect(issues.some((i) => i.path === field || i.path.startsWith(`${field}.`) || (field === '(root)' && i.path === '')), `${field}: ${JSON.stringify(issues)}`).toBe(true);
}

async function setup() {
  const bff = makeBff();
  const s = await mintSession(bff, { subject: 'mallory' });
  const up = await upload(bff, s.token);
  return { bff, token: s.token, up };
}

const MALFORMED = ['{', '{"subject": "x",}', "{'subject': 'x'}", '{"subject": "x"} trailing', 'NaN', '\u0000', '{"subject": "\ud800"', '[1,2', 'undefined', '{"a":' + '['.repeat(5000)];

describe('malformed bodies', () => {
  attack('input', 'malformed JSON on every JSON route → invalid_json', async () => {
    const { bff, token } = await setup();
    await nothingStored(bff, ['mallory'], async () => {
      for (const body of MALFORMED) {
        await expectError(await sessions(bff, body), 400, 'invalid_json');
        await expectError(await jobs(bff, token, body), 400, 'invalid_json');
      }
    });
  });

  attack('input', 'JSON that parses to the wrong shape (null, array, string, number, deep nesting)', async () => {
    const { bff, token } = await setup();
    await nothingStored(bff, ['mallory'], async () => {
      for (const body of ['null', '[]', '"subject"', '42', 'true', '{}', JSON.stringify({ subject: { $ne: null } })]) {
        const s = await expectError(await sessions(bff, body), 400, 'invalid_request');
        expect(s.issues).toBeInstanceOf(Array);
        const j = await expectError(await jobs(bff, token, body), 400, 'invalid_request');
        expect(j.issues).toBeInstanceOf(Array);
      }
    });
  });

  attack('input', 'wrong content types for JSON routes (form, text, none, multipart, JSON-looking lookalikes)', async () => {
    const { bff, token, up } = await setup();
    const body = JSON.stringify({ service: 'upscale', config: 'x2', upload_id: up.id });
    await nothingStored(bff, ['mallory'], async () => {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'text/json', 'application/jsonp', 'application/xml', '']) {
        await expectError(await jobs(bff, token, body, type), 400, 'invalid_request');
        await expectError(await sessions(bff, JSON.stringify({ subject: 'x' }), type), 400, 'invalid_request');
      }
    });
  });

  attack('input', 'huge JSON bodies (declared and streamed without Content-Length) → 413 payload_too_large, read no further', async () => {
    const { bff, token, up } = await setup();
    const big = JSON.stringify({ service: 'upscale', config: 'x2', upload_id: up.id, prompt: 'x'.repeat(2_000_000) });
    await nothingStored(bff, ['mallory'], async () => {
      await expectError(await jobs(bff, token, big), 413, 'payload_too_large');
      await expectError(await sessions(bff, JSON.stringify({ subject: 'x', metadata: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v'.repeat(20)])) })), 413, 'payload_too_large');
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (pulled > 200_000_000) return c.close();
          pulled += 65_536;
          c.enqueue(new TextEncoder().encode(pulled === 65_536 ? '{"prompt":"' + 'a'.repeat(65_525) : 'a'.repeat(65_536)));
        },
      });
      const res = await req(bff, '/v1/jobs', { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: stream, ...({ duplex: 'half' } as object) });
      await expectError(res, 413, 'payload_too_large');
      expect(pulled).toBeLessThan(1_000_000);
    });
  });
});

describe('fields out of range', () => {
  attack('input', 'POST /v1/sessions: every field out of range, wrong types and unknown fields', async () => {
    const bff = makeBff();
    const ok = { subject: 'agent-1' };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['subject', { subject: '' }],
      ['subject', { subject: 'x'.repeat(201) }],
      ['subject', { subject: 42 }],
      ['subject', { subject: null }],
      ['subject', {}],
      ['origins', { ...ok, origins: 'https://listings.example.com' }],
      ['origins', { ...ok, origins: ['javascript:alert(1)'] }],
      ['origins', { ...ok, origins: ['https://listings.example.com/path'] }],
      ['origins', { ...ok, origins: Array.from({ length: 21 }, (_, i) => `https://h${i}.example.com`) }],
      ['services', { ...ok, services: [] }],
      ['services', { ...ok, services: [''] }],
      ['services', { ...ok, services: ['x'.repeat(65)] }],
      ['services', { ...ok, services: ['no-such-service'] }],
      ['services', { ...ok, services: Array.from({ length: 51 }, () => 'upscale') }],
      ['max_credits', { ...ok, max_credits: -1 }],
      ['max_credits', { ...ok, max_credits: 1.5 }],
      ['max_credits', { ...ok, max_credits: 1_000_001 }],
      ['max_credits', { ...ok, max_credits: '100' }],
      ['max_credits', { ...ok, max_credits: 1e308 }],
      ['max_resolution', { ...ok, max_resolution: '8K' }],
      ['max_resolution', { ...ok, max_resolution: '2k' }],
      ['ttl_seconds', { ...ok, ttl_seconds: 29 }],
      ['ttl_seconds', { ...ok, ttl_seconds: 3601 }],
      ['ttl_seconds', { ...ok, ttl_seconds: -900 }],
      ['ttl_seconds', { ...ok, ttl_seconds: 900.5 }],
      ['metadata', { ...ok, metadata: { k: 'v'.repeat(501) } }],
      ['metadata', { ...ok, metadata: { ['k'.repeat(65)]: 1 } }],
      ['metadata', { ...ok, metadata: { nested: { a: 1 } } }],
      ['metadata', { ...ok, metadata: 'x' }],
      ['(root)', { ...ok, admin: true }],
      ['(root)', { ...ok, sid: 'ses_x', sub: 'alice' }],
    ];
    const before = (await bff.deps.store.listJobs({ subject: 'agent-1', limit: 1 })).length;
    for (const [field, body] of cases) await refusedWithIssue(await sessions(bff, JSON.stringify(body)), field);
    expect((await bff.deps.store.listJobs({ subject: 'agent-1', limit: 1 })).length).toBe(before);
  });

  attack('input', 'POST /v1/jobs: every field out of range, wrong types, invalid enums, bad ids and unknown fields', async () => {
    const { bff, token, up } = await setup();
    const ok = { service: 'render-enhancement', config: 'interior-modern', upload_id: up.id };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['service', { ...ok, service: '' }],
      ['service', { ...ok, service: 'x'.repeat(65) }],
      ['service', { ...ok, service: 'no-such-service' }],
      ['service', { ...ok, service: ['upscale'] }],
      ['config', { ...ok, config: '' }],
      ['config', { ...ok, config: 'x'.repeat(65) }],
      ['config', { ...ok, config: 'no-such-config' }],
      ['upload_id', { ...ok, upload_id: 'job_' + up.id.slice(4) }],
      ['upload_id', { ...ok, upload_id: '../../etc/passwd' }],
      ['upload_id', { ...ok, upload_id: 'upl_short' }],
      ['upload_id', { ...ok, upload_id: `upl_${'A'.repeat(41)}` }],
      ['upload_id', { ...ok, upload_id: 12 }],
      ['upload_id', { service: ok.service, config: ok.config }],
      ['mask_upload_id', { ...ok, mask_upload_id: 'upl_$(rm -rf)' }],
      ['reference_upload_id', { ...ok, reference_upload_id: randomId('out') }],
      ['resolution', { ...ok, resolution: '8K' }],
      ['resolution', { ...ok, resolution: 4 }],
      ['prompt', { ...ok, prompt: 'x'.repeat(2001) }],
      ['prompt', { ...ok, prompt: 7 }],
      ['variants', { ...ok, variants: 0 }],
      ['variants', { ...ok, variants: 9 }],
      ['variants', { ...ok, variants: -1 }],
      ['variants', { ...ok, variants: 1.5 }],
      ['variants', { ...ok, variants: '2' }],
      ['variants', { ...ok, variants: 2 }], // in the schema's range, over the service's
      ['options', { ...ok, options: { ['k'.repeat(65)]: 'v' } }],
      ['options', { ...ok, options: { grade: 'x'.repeat(2001) } }],
      ['options', { ...ok, options: { grade: { $gt: '' } } }],
      ['options', { ...ok, options: [] }],
      ['options', { ...ok, options: { no_such_option: 'x' } }],
      ['location', { ...ok, location: { latitude: 91 } }],
      ['location', { ...ok, location: { longitude: -181 } }],
      ['location', { ...ok, location: { city: 'x'.repeat(201) } }],
      ['location', { ...ok, location: { description: 'x'.repeat(501) } }],
      ['location', { ...ok, location: { street: 'Secret Lane 12' } }],
      ['location', { ...ok, location: 'Dublin' }],
      ['reference_id', { ...ok, reference_id: 'x'.repeat(256) }],
      ['(root)', { ...ok, credits_charged: 0 }],
      ['(root)', { ...ok, subject: 'alice' }],
      ['(root)', { ...ok, status: 'completed' }],
      ['(root)', { ...ok, __proto__: { admin: true }, constructor: { prototype: { admin: true } } }],
    ];
    await nothingStored(bff, ['mallory'], async () => {
      for (const [field, body] of cases) {
        const raw = field === '(root)' && 'constructor' in body ? JSON.stringify(ok).replace(/}$/, ',"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}') : JSON.stringify(body);
        await refusedWithIssue(await jobs(bff, token, raw), field);
      }
      for (const key of ['', 'x'.repeat(256), 'bad key with spaces', 'key\twith-tab']) {
        const res = await req(bff, '/v1/jobs', { method: 'POST', token, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(ok) });
        if (key === '') {
          // An empty header is the same as none for some clients; it must still never store a job without a clean key.
          expect([400, 201]).toContain(res.status);
          if (res.status === 201) throw new Error('an empty Idempotency-Key created a job');
          await expectError(res, 400, 'invalid_request');
        } else await refusedWithIssue(res, 'Idempotency-Key');
      }
    });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  attack('input', 'GET /v1/jobs query parameters out of range', async () => {
    const { bff, token } = await setup();
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1e2', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=99999999999', 'limit'],
      ['status=done', 'status'],
      ['status=COMPLETED', 'status'],
      [`cursor=${'x'.repeat(201)}`, 'cursor'],
      ['cursor=not-base64-json', 'cursor'],
      [`cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"__proto__":1}').toString('base64url')}`, 'cursor'],
      ['subject=alice', '(root)'],
      ['sort=asc', '(root)'],
    ] as const) {
      await refusedWithIssue(await req(bff, `/v1/jobs?${q}`, { token }), field);
    }
  });
});
