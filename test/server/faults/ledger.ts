import { afterAll, it } from 'vitest';

/**
 * The fault ledger: every fault test says how many faults it injected, and counts as having
 * survived them only when all of its assertions passed. Each test file prints its own summary
 * (`faults: <category>: N injected, N survived`) once its tests are done.
 */
interface Tally {
  injected: number;
  survived: number;
}

const tallies = new Map<string, Tally>();

// Registered when a test file first imports the ledger, so it belongs to the file's root suite.
afterAll(() => {
  const lines = [...tallies].map(([c, t]) => `faults: ${c}: ${t.injected} injected, ${t.survived} survived`);
  if (lines.length) console.log(lines.join('\n'));
});

export interface FaultContext {
  /** Records `n` injected faults (default 1) for this test. */
  inject(n?: number): void;
}

/** Declares a fault test: `fn` injects faults through `f.inject()` and asserts the system rode them out. */
export function fault(category: string, name: string, fn: (f: FaultContext) => Promise<void>, timeoutMs?: number): void {
  if (!tallies.has(category)) tallies.set(category, { injected: 0, survived: 0 });
  it(
    `[${category}] ${name}`,
    async () => {
      const tally = tallies.get(category)!;
      let mine = 0;
      try {
        await fn({
          inject: (n = 1) => {
            mine += n;
            tally.injected += n;
          },
        });
      } catch (err) {
        // A test that failed before saying what it injected still injected something.
        if (mine === 0) tally.injected += 1;
        throw err;
      }
      if (mine === 0) throw new Error(`fault test "${name}" injected no fault`);
      tally.survived += mine;
    },
    timeoutMs,
  );
}
