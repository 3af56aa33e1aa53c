/**
 * The contract's plain values: no zod here, so that code which needs only these (the first
 * screen of the one-tag script) does not carry the schemas. Re-exported by `./index.ts`.
 */

/** Output resolutions: `2K` is a 2048 px long side, `4K` a 3840 px long side. */
export const RESOLUTIONS = ['2K', '4K'] as const;
type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_LONG_SIDE: Record<Resolution, number> = { '2K': 2048, '4K': 3840 };

/** Orders resolutions so a session's `max_resolution` can be compared against a request. */
export const RESOLUTION_RANK: Record<Resolution, number> = { '2K': 1, '4K': 2 };

export const JOB_STATUSES = ['pending', 'compressing', 'processing', 'completed', 'failed', 'cancelled'] as const;
type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);
