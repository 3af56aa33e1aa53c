import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { Job } from '../../../src/contract/index.js';
import { expectError, json, req, upload, waitForStatus } from '../helpers.js';
import { attack } from './ledger.js';
import { twoSubjects } from './support.js';

/**
 * The original's public page (issue 11) is reachable without a token: its unguessable id is the
 * credential. These are the ways to reach someone else's original, or to take a page down,
 * without being given it.
 */
async function alicesPage() {
  const { bff, alice, mallory } = await twoSubjects();
  const up = await upload(bff, alice.token, 'bedroom-furnished.jpg');
  const res = await req(bff, '/v1/jobs', { ...json({ service: 'virtual-staging', config: 'living-room', upload_id: up.id }), token: alice.token });
  const { id } = Job.parse(await res.json());
  await waitForStatus(bff, id, ['completed', 'failed']);
  const job = Job.parse(await (await req(bff, `/v1/jobs/${id}`, { token: alice.token })).json());
  const page = job.outputs[0]!.disclosure.original_page_url!;
  return { bff, alice, mallory, up, job, page, pageId: new URL(page).pathname.split('/').pop()! };
}

describe('original pages', () => {
  attack('originals', 'page ids carry ≥ 128 random bits: 200 fresh ids are distinct, of the documented shape, and guesses find nothing', async () => {
    const { bff, pageId } = await alicesPage();
    expect(pageId).toMatch(/^[A-Za-z0-9_-]{24}$/); // 24 base64url characters = 144 bits
    const ids = new Set<string>();
    const { newOriginalPageId } = await import('../../../src/server/disclosure/publisher.js');
    for (let i = 0; i < 200; i++) ids.add(newOriginalPageId());
    expect(ids.size).toBe(200);
    for (let i = 0; i < 20; i++) {
      const guess = randomBytes(18).toString('base64url');
      expect((await req(bff, `/v1/originals/${guess}`, { origin: null })).status).toBe(404);
      await expectError(await req(bff, `/v1/originals/${guess}/original`, { origin: null }), 404, 'not_found');
    }
  }, 60_000);

  attack('originals', "the upload's, the output's and the job's ids do not open the page, and path tricks reach no file", async () => {
    const { bff, up, job, pageId } = await alicesPage();
    for (const id of [up.id, job.id, job.outputs[0]!.id, pageId.slice(0, 23), `${pageId}A`, `..%2F..%2F${pageId}`, `${pageId}%00`]) {
      const res = await req(bff, `/v1/originals/${id}/original`, { origin: null });
      expect(res.status).toBe(404);
    }
  }, 60_000);

  attack('originals', "another subject's widget token, or none, cannot withdraw a page; only the admin key can", async () => {
    const { bff, mallory, alice, page, pageId } = await alicesPage();
    for (const token of [mallory.token, alice.token]) {
      await expectError(await req(bff, `/v1/originals/${pageId}`, { method: 'DELETE', token }), 401, 'unauthorized');
    }
    await expectError(await req(bff, `/v1/originals/${pageId}`, { method: 'DELETE', origin: null, headers: { Authorization: 'Bearer not-the-admin-key-0000' } }), 401, 'unauthorized');
    expect((await req(bff, page, { origin: null })).status).toBe(200);
  }, 60_000);

  attack('originals', 'the page runs no script and cannot be framed: a strict CSP, nosniff, no referrer', async () => {
    const { bff, page } = await alicesPage();
    const res = await req(bff, page, { origin: null });
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).not.toMatch(/<script|\son[a-z]+\s*=/i);
  }, 60_000);
});
