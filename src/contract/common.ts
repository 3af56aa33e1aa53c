import * as z from 'zod/mini';
import { RESOLUTIONS } from './constants.js';

/** ISO 8601 timestamp with a `Z` offset, as the BFF writes them. */
export const Timestamp = z.string().check(z.minLength(20), z.maxLength(40));

/** Output resolutions: `2K` is a 2048 px long side, `4K` a 3840 px long side. */
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;

/**
 * Builds a schema so that a bundle leaves it out when nothing uses it. zod/mini adds checks with
 * a method call (`.check()`), which a bundler must assume has side effects, so a schema built
 * at the top level of a module stays in the browser bundle even when only the BFF reads it
 * (request bodies, queries). Built inside a function marked free of side effects, it goes.
 */
// @__NO_SIDE_EFFECTS__
export function pure<T>(build: () => T): T {
  return build();
}

/** Public identifiers are prefixed so a mixed-up id fails loudly (`job_…` is never an upload). */
// @__NO_SIDE_EFFECTS__
export function idOf(prefix: string) {
  return z.string().check(z.regex(new RegExp(`^${prefix}_[A-Za-z0-9]{16,40}$`), `expected a ${prefix}_… id`));
}

/** A cursor page of any item. */
// @__NO_SIDE_EFFECTS__
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.nullable(z.string()) });
}
