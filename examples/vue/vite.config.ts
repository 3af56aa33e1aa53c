import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url));

// Vue 3 with its own plugin; `staging-*` tags are custom elements, not Vue components. In your app
// the alias is not needed: `staging-widget/widget` resolves from the installed package.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('staging-') } } })],
  resolve: { alias: { 'staging-widget/widget': src('elements/staging-widget/staging-widget.ts') } },
  build: { target: 'es2022' },
});
