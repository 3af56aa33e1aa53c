import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('configuration from the environment', () => {
  it('runs in dev mode with nothing else set, on the local engine and SQLite', () => {
    const c = loadConfig({ STAGING_DEV: '1' });
    expect(c).toMatchObject({ provider: 'local', dev: true, port: 8787, store: 'sqlite:.staging/staging.db', dataDir: '.staging/blobs', publicUrl: 'http://localhost:8787' });
    expect(c.tokenSecretGenerated).toBe(true);
    expect(c.tokenSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('says what to set outside dev mode, all problems at once', () => {
    const problems = problemsOf({});
    expect(problems.some((p) => p.startsWith('STAGING_TOKEN_SECRET is missing'))).toBe(true);
    expect(problems.some((p) => p.startsWith('STAGING_ALLOWED_ORIGINS is missing'))).toBe(true);
  });

  it('reads the batch limits: STAGING_BATCH_MAX_ITEMS (60, at most 500) and STAGING_SESSION_CONCURRENCY (3)', () => {
    expect(loadConfig({ STAGING_DEV: '1' })).toMatchObject({ batchMaxItems: 60, sessionConcurrency: 3 });
    expect(loadConfig({ STAGING_DEV: '1', STAGING_BATCH_MAX_ITEMS: '120', STAGING_SESSION_CONCURRENCY: '1' })).toMatchObject({ batchMaxItems: 120, sessionConcurrency: 1 });
    for (const bad of ['0', '501', '1e2', 'many']) expect(problemsOf({ STAGING_DEV: '1', STAGING_BATCH_MAX_ITEMS: bad })).toEqual([expect.stringContaining(`STAGING_BATCH_MAX_ITEMS="${bad}"`)]);
    for (const bad of ['0', '-1', '2.5']) expect(problemsOf({ STAGING_DEV: '1', STAGING_SESSION_CONCURRENCY: bad })).toEqual([expect.stringContaining(`STAGING_SESSION_CONCURRENCY="${bad}"`)]);
  });

  it('checks values', () => {
    const problems = problemsOf({
      STAGING_TOKEN_SECRET: 'short',
      STAGING_ALLOWED_ORIGINS: 'https://ok.example,not an origin',
      STAGING_PROVIDER: 'acme',
      PORT: 'eighty',
      STAGING_ADMIN_KEY: 'tiny',
    });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/too short[\s\S]*not an origin|not an origin[\s\S]*too short/);
    expect(problems.join('\n')).toContain('STAGING_PROVIDER="acme" is not known');
  });

  it('asks remote providers for their key and Interior Redesign for its URL', () => {
    const problems = problemsOf({ STAGING_DEV: '1', STAGING_PROVIDER: 'interior-redesign' });
    expect(problems.join('\n')).toContain('STAGING_PROVIDER_KEY');
    expect(problems.join('\n')).toContain('STAGING_PROVIDER_URL');
  });

  it('reads the output storage hosts a provider needs', () => {
    const c = loadConfig({ STAGING_DEV: '1', STAGING_PROVIDER_OUTPUT_HOSTS: 'cdn.example.com, *.storage.example.net' });
    expect(c.providerOutputHosts).toEqual(['cdn.example.com', '*.storage.example.net']);
    expect(problemsOf({ STAGING_DEV: '1', STAGING_PROVIDER_OUTPUT_HOSTS: 'https://cdn.example.com/path' }).join()).toContain('STAGING_PROVIDER_OUTPUT_HOSTS');
  });

  it('never echoes a secret in its messages', () => {
    const secret = 'sk_live_do_not_print_me';
    const problems = problemsOf({ STAGING_TOKEN_SECRET: secret, STAGING_ALLOWED_ORIGINS: 'https://a.example' });
    expect(problems.join('\n')).not.toContain(secret);
  });
});
