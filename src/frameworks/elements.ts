/**
 * What the framework typings share: each tag's element class, its settable members (public fields
 * of the element, not those of LitElement), and the `staging-*` events it may fire, all taken from
 * the elements themselves so that they cannot drift.
 */
import type { LitElement } from 'lit';
import type {
  StagingBeforeAfter,
  StagingDropzone,
  StagingJobProgress,
  StagingListing,
  StagingMaskPainter,
  StagingPicker,
  StagingWidget,
} from '../index.js';

export interface StagingElements {
  'staging-widget': StagingWidget;
  'staging-dropzone': StagingDropzone;
  'staging-picker': StagingPicker;
  'staging-mask-painter': StagingMaskPainter;
  'staging-job-progress': StagingJobProgress;
  'staging-before-after': StagingBeforeAfter;
  'staging-listing': StagingListing;
}

/** Every `staging-*` event name with its typed event (from `HTMLElementEventMap`). */
export type StagingEventName = Extract<keyof HTMLElementEventMap, `staging-${string}`>;

/** The members a framework may set: the element's own public fields, minus methods. */
export type SettableMembers<E> = {
  [K in Exclude<keyof E, keyof LitElement> as E[K] extends (...args: never[]) => unknown ? (K extends 'fetchToken' ? K : never) : K]?: E[K];
};

/** `staging-job-completed` → `StagingJobCompleted` (Vue's `@staging-job-completed` is prop `onStagingJobCompleted`). */
export type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>;
