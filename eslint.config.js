// `npm run lint` (part of `npm test`): rules that catch bugs, not style. Types come from
// tsconfig.json through the project service, so the promise and type rules see what tsc sees.
// A rule is off only with a line saying why (the findings it had when it was tried).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // examples/ are separate apps with their own tsconfig (checked by their own test); dist/ is built.
  { ignores: ['dist/**', 'examples/**', 'coverage/**', '.staging/**', 'screenshots/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  lit.configs['flat/recommended'],
  wc.configs['flat/best-practice'],
  {
    languageOptions: {
      parserOptions: {
        // The .js/.mjs files outside tsconfig.json get a default project (checkJs off: syntax and scope only).
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: an unawaited or misplaced promise loses its errors or its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Async event handlers passed as arguments or properties (DOM, Lit templates) catch their own
      // failures; conditionals, spreads, returns and async overrides of void methods stay checked.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // getContext() on a canvas union types differently by the order TS checks files in (tsc needs
      // this cast in prepare-core.ts; the rule, some runs, calls it unnecessary).
      '@typescript-eslint/no-unnecessary-type-assertion': ['error', { typesToIgnore: ['Ctx2D | null'] }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-constant-binary-expression': 'error',
      'no-self-compare': 'error',
      'no-unreachable-loop': 'error',
      'array-callback-return': 'error',
      // A `let` that a cleanup closure reads before its one assignment cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Lit and web-component mistakes the recommended sets leave out.
      'lit/lifecycle-super': 'error',
      'lit/no-classfield-shadowing': 'error',
      'lit/no-invalid-escape-sequences': 'error',
      'lit/no-legacy-imports': 'error',

      // `any` is allowed (tests and fakes read untyped JSON); these five only restate that.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Style: numbers, unions and `unknown` in template strings are intended (339 findings, no bug).
      '@typescript-eslint/restrict-template-expressions': 'off',
      // Fired on String(unknown) of database rows and fetch inputs that are always strings (15, no bug).
      '@typescript-eslint/no-base-to-string': 'off',
      // Lit binds `@event=${this.handler}` to the element itself; the rest were test spies (35, no bug).
      '@typescript-eslint/unbound-method': 'off',
      // Rejections forward `signal.reason` and caught values unchanged, on purpose (14, no bug).
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // `s += table[i]` with noUncheckedIndexedAccess (5, no bug).
      '@typescript-eslint/restrict-plus-operands': 'off',
      // Style: async functions without await implement async interfaces (97, no bug).
      '@typescript-eslint/require-await': 'off',
      // `interface X extends Y {}` is how react.ts and vue.ts merge the tags into JSX and Vue's types.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // LitElement always has these callbacks; guarding super calls is for bare HTMLElement (10, no bug).
      'wc/guard-super-call': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Chai's property assertions (`expect(x).to.exist`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['test/browser/**'],
    ignores: ['test/browser/support/commands.ts'],
    rules: {
      // Its key, viewport and media commands throw in Firefox or WebKit; support/commands.ts
      // has versions that work in every engine of the suite.
      'no-restricted-imports': ['error', { paths: [{ name: '@web/test-runner-commands', message: "Import from '../support/commands.js': it works in Chromium, Firefox and WebKit." }] }],
    },
  },
  {
    files: ['test/fakes/**'],
    rules: {
      // A fake answers the request-level failures in one switch and the job-level ones after it.
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
