import { expect } from '@open-wc/testing';
import { StagingAbortError, StagingAuthError, StagingError, StagingResponseError, TokenManager } from '../../../src/client/index.js';
import { html, json, jwt, rejection, scripted } from './fake-bff.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A token source whose answers expire `lifetimeMs` after the fake clock's current time. */
function clocked(lifetimeMs: number) {
  const clock = { now: T0 };
  let n = 0;
  const tokens = new TokenManager({
    now: () => clock.now,
    fetchToken: async () => ({ token: `tok-${++n}`, expires_at: iso(clock.now + lifetimeMs) }),
  });
  return { clock, tokens, fetched: () => n };
}

describe('TokenManager', () => {
  it('POSTs to the token URL with credentials, without Authorization, and caches the answer', async () => {
    const server = scripted(() => json(200, { token: 'tok-a', session_id: 'ses_1', expires_at: iso(Date.now() + 900_000) }));
    const calls: RequestInit[] = [];
    const recording = ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(init ?? {});
      return server.fetch(input, init);
    }) as typeof fetch;
    const tokens = new TokenManager({ tokenUrl: '/my-backend/staging-token', fetch: recording });
    expect(await tokens.getToken()).to.equal('tok-a');
    expect(await tokens.getToken()).to.equal('tok-a');
    expect(server.seen).to.have.length(1);
    expect(server.seen[0]!.method).to.equal('POST');
    expect(server.seen[0]!.url).to.equal('/my-backend/staging-token');
    expect(server.seen[0]!.headers.has('Authorization')).to.equal(false);
    expect(calls[0]!.credentials).to.equal('include');
  });

  it('accepts a lenient answer (token and expires_at only, extra fields) and rejects one without a token', async () => {
    const ok = new TokenManager({ tokenUrl: '/t', fetch: scripted(() => json(200, { token: 'tok-b', expires_at: Math.floor(Date.now() / 1000) + 600, user: 'x' })).fetch });
    expect(await ok.getToken()).to.equal('tok-b');
    const bad = new TokenManager({ tokenUrl: '/t', fetch: scripted(() => json(200, { jwt: 'nope' })).fetch });
    expect(await rejection(bad.getToken())).to.be.instanceOf(StagingResponseError);
  });

  it('maps a refused token URL (non-JSON 401) to StagingAuthError, and a failing callback to token_unavailable', async () => {
    const refused = new TokenManager({ tokenUrl: '/t', fetch: scripted(() => html(401, 'Please log in')).fetch });
    const e = await rejection(refused.getToken());
    expect(e).to.be.instanceOf(StagingAuthError);
    expect((e as StagingAuthError).status).to.equal(401);
    // The host's backend refused, not the staging service: a code of its own, the status in details.
    expect((e as StagingAuthError).code).to.equal('token_refused');
    expect((e as StagingAuthError).details).to.include({ token_url_status: 401 });
    const cause = new Error('host says no');
    const failing = new TokenManager({ fetchToken: () => Promise.reject(cause) });
    const f = (await rejection(failing.getToken())) as StagingError;
    expect(f).to.be.instanceOf(StagingError);
    expect(f.code).to.equal('token_unavailable');
    expect(f.cause).to.equal(cause);
  });

  it('renews when 10 % of a long lifetime remains', async () => {
    const { clock, tokens, fetched } = clocked(900_000); // 10 % = 90 s, more than 60 s
    expect(await tokens.getToken()).to.equal('tok-1');
    clock.now = T0 + 900_000 - 91_000;
    expect(await tokens.getToken()).to.equal('tok-1');
    clock.now = T0 + 900_000 - 89_000;
    expect(await tokens.getToken()).to.equal('tok-2');
    expect(fetched()).to.equal(2);
  });

  it('renews when less than 60 s remain on a shorter lifetime', async () => {
    const { clock, tokens } = clocked(300_000); // 10 % = 30 s, so the 60 s floor applies
    await tokens.getToken();
    clock.now = T0 + 300_000 - 61_000;
    expect(await tokens.getToken()).to.equal('tok-1');
    clock.now = T0 + 300_000 - 59_000;
    expect(await tokens.getToken()).to.equal('tok-2');
  });

  it('still reuses a 30 s token for half its life instead of fetching on every call', async () => {
    const { clock, tokens } = clocked(30_000);
    await tokens.getToken();
    clock.now = T0 + 14_000;
    expect(await tokens.getToken()).to.equal('tok-1');
    clock.now = T0 + 16_000;
    expect(await tokens.getToken()).to.equal('tok-2');
  });

  it('trusts a token whose expiry looks past (client clock ahead) for a minute', async () => {
    const clock = { now: T0 };
    let n = 0;
    const tokens = new TokenManager({ now: () => clock.now, fetchToken: async () => ({ token: `tok-${++n}`, expires_at: iso(T0 - 600_000) }) });
    await tokens.getToken();
    clock.now = T0 + 20_000;
    expect(await tokens.getToken()).to.equal('tok-1');
    expect(n).to.equal(1);
  });

  it('shares one fetch among concurrent callers', async () => {
    let n = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tokens = new TokenManager({
      fetchToken: async () => {
        n++;
        await gate;
        return `plain-${n}`;
      },
    });
    const all = Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    release();
    expect(await all).to.deep.equal(['plain-1', 'plain-1', 'plain-1']);
    expect(n).to.equal(1);
  });

  it('reads exp from a JWT when fetchToken returns only a string', async () => {
    const clock = { now: T0 };
    const tokens: string[] = [jwt({ sub: 'u', exp: T0 / 1000 + 600 }), jwt({ sub: 'u', exp: T0 / 1000 + 1200 })];
    let n = 0;
    const tm = new TokenManager({ now: () => clock.now, fetchToken: async () => tokens[n++]! });
    expect(await tm.getToken()).to.equal(tokens[0]);
    clock.now = T0 + 600_000 - 61_000;
    expect(await tm.getToken()).to.equal(tokens[0]);
    clock.now = T0 + 600_000 - 59_000;
    expect(await tm.getToken()).to.equal(tokens[1]);
  });

  it('prefers the object form expires_at over the JWT exp', async () => {
    const clock = { now: T0 };
    let n = 0;
    const tm = new TokenManager({
      now: () => clock.now,
      fetchToken: async () => ({ token: jwt({ exp: T0 / 1000 + 3600, n: ++n }), expires_at: iso(T0 + 300_000) }),
    });
    const first = await tm.getToken();
    clock.now = T0 + 300_000 - 59_000;
    expect(await tm.getToken()).to.not.equal(first);
  });

  it('invalidate() forces a renewal, but a stale token does not drop a newer one', async () => {
    const { tokens, fetched } = clocked(3_600_000);
    expect(await tokens.getToken()).to.equal('tok-1');
    tokens.invalidate('tok-1');
    expect(await tokens.getToken()).to.equal('tok-2');
    tokens.invalidate('tok-1'); // a second request that failed with the old token
    expect(await tokens.getToken()).to.equal('tok-2');
    tokens.invalidate();
    expect(await tokens.getToken()).to.equal('tok-3');
    expect(fetched()).to.equal(3);
  });

  it('lets one caller abort its wait without failing the others', async () => {
    let release!: (t: string) => void;
    const tokens = new TokenManager({ fetchToken: () => new Promise<string>((r) => (release = r)) });
    const c = new AbortController();
    const aborted = tokens.getToken(c.signal);
    const other = tokens.getToken();
    c.abort('gone');
    const e = await rejection(aborted);
    expect(e).to.be.instanceOf(StagingAbortError);
    expect((e as StagingAbortError).reason).to.equal('gone');
    release('tok-x');
    expect(await other).to.equal('tok-x');
  });
});
