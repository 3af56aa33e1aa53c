import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url));

// React 19 with Vite's own JSX transform (esbuild, automatic runtime). In your app the aliases are
// not needed: `staging-widget/widget` resolves from the installed package.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  esbuild: { jsx: 'automatic' },
  resolve: { alias: { 'staging-widget/widget': src('elements/staging-widget/staging-widget.ts') } },
  build: { target: 'es2022' },
});
