/**
 * Template types for Vue 3: `import type {} from 'staging-widget/vue'` once in your app, and tell
 * Vue's compiler that `staging-*` tags are custom elements
 * (`vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('staging-') } } })`).
 * Then `<staging-widget :fetchToken="…" @staging-job-completed="(e) => e.detail.job">` type-checks
 * with vue-tsc: `@staging-job-completed` is the prop `onStagingJobCompleted`.
 */
import type { DefineComponent } from 'vue';
import type { PascalCase, SettableMembers, StagingElements, StagingEventName } from './elements.js';

export type StagingVueEvents = { [K in StagingEventName as `on${PascalCase<K>}`]?: (event: HTMLElementEventMap[K]) => void };

export type StagingVueComponent<E extends HTMLElement> = DefineComponent<SettableMembers<E> & StagingVueEvents & { 'token-url'?: string }>;

declare module 'vue' {
  interface GlobalComponents extends StagingVueComponents {}
}

type StagingVueComponents = { [Tag in keyof StagingElements]: StagingVueComponent<StagingElements[Tag]> };
