export const MIN_BRUSH_SIZE = 2;
export const MAX_BRUSH_SIZE = 400;
/** How much `[` and `]` change the brush size, in photo pixels. */
export const BRUSH_SIZE_STEP = 5;

/** A brush size in whole pixels within the allowed range (the smallest when it is not a number). */
export const clampSize = (value: number): number =>
  Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(Number.isFinite(value) ? value : MIN_BRUSH_SIZE)));
