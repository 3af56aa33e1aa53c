import { defineConfig } from 'vitest/config';

// Vite builds the browser side (library + one-file CDN script, see scripts/build/)
// and Vitest runs the Node-side tests (BFF, contract, local engine).
export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts', 'test/contract/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // sharp and SQLite are CPU bound; two cores on CI.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
