/**
 * JSX types for React 19: `import type {} from 'staging-widget/react'` once in your app, then
 * `<staging-widget endpoint={…} fetchToken={…} onstaging-job-completed={(e) => e.detail.job}>`
 * type-checks. React 19 sets members the element defines as properties (so `fetchToken` is a
 * property, not an attribute) and turns `on<event-name>` props into listeners for that event.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { SettableMembers, StagingElements, StagingEventName } from './elements.js';

/** `onstaging-error={(e) => …}`: React 19 listens to the event named after `on`. */
export type StagingReactEvents = { [K in StagingEventName as `on${K}`]?: (event: HTMLElementEventMap[K]) => void };

export type StagingReactProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  SettableMembers<E> &
  StagingReactEvents & {
    /** Custom elements take `class`, as in HTML. */
    class?: string;
    /** Attribute spellings, for hosts that prefer them. */
    'token-url'?: string;
  };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements extends StagingReactIntrinsics {}
  }
}

type StagingReactIntrinsics = { [Tag in keyof StagingElements]: StagingReactProps<StagingElements[Tag]> };
