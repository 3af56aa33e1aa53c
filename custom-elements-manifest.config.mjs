/**
 * `npm run manifest` (and `npm run build`): custom-elements.json at the project root, from the
 * elements' JSDoc. `packagejson: false`: the analyzer must not rewrite package.json (its
 * "customElements" field stays "custom-elements.json").
 */
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  dependencies: false,
};
