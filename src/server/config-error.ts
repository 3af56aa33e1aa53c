/**
 * A configuration the BFF cannot run with: every problem found, each a sentence saying what to
 * set. Thrown for every configuration failure (the environment, `createStagingBff` options, a
 * provider's settings, the store's spec), so a host or the CLI can tell "fix your settings"
 * from a fault.
 */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(`The BFF cannot start:\n${list.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = list;
  }
}
