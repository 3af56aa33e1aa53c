import { StagingClient, TokenManager } from '../../../src/client/index.js';

let urlPromise: Promise<string> | null = null;

/** The URL of the real BFF process the test runner started (local engine, dev mode). */
export function bffUrl(): Promise<string> {
  urlPromise ??= fetch('/__bff.json')
    .then((r) => r.json() as Promise<{ url: string }>)
    .then((b) => b.url);
  return urlPromise;
}

/** A fetchToken callback that mints a dev session for `subject` on the real BFF. */
export async function devTokens(subject = `e2e-${Math.random().toString(36).slice(2)}`, body: Record<string, unknown> = {}) {
  const url = await bffUrl();
  return async () => {
    const res = await fetch(`${url}/v1/dev/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, ...body }) });
    if (!res.ok) throw new Error(`dev session failed: ${res.status}`);
    return (await res.json()) as { token: string; expires_at: string };
  };
}

/** A client of the real BFF with a fresh dev session. */
export async function realClient(subject?: string, body?: Record<string, unknown>): Promise<StagingClient> {
  return new StagingClient({ endpoint: await bffUrl(), tokens: new TokenManager({ fetchToken: await devTokens(subject, body) }) });
}

/** A fixture photo served by the test runner, as a File. */
export async function fixtureFile(name = 'living-room-render.jpg', type = 'image/jpeg'): Promise<File> {
  const res = await fetch(new URL(`../../fixtures/${name}`, import.meta.url));
  return new File([await res.blob()], name, { type });
}
