/** A position on the photo, in its native pixels. */
export interface Point {
  x: number;
  y: number;
}

const MOVES: Record<string, Point> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

/** Where an arrow key moves the keyboard brush, kept on the photo; null for other keys. */
export function moveBrushCursor(at: Point, key: string, step: number, size: { width: number; height: number }): Point | null {
  const move = MOVES[key];
  if (!move) return null;
  return {
    x: Math.min(size.width, Math.max(0, at.x + move.x * step)),
    y: Math.min(size.height, Math.max(0, at.y + move.y * step)),
  };
}

/**
 * The SVG path of a keyboard stroke through `points`. A single point becomes a half-pixel line:
 * a zero-length one is not drawn by every renderer, while its round caps make a dot of the
 * brush's width either way.
 */
export function keyboardStrokePath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const tail = rest.length > 0 ? rest : [{ x: first.x + 0.5, y: first.y }];
  return `M ${first.x} ${first.y} ${tail.map((p) => `L ${p.x} ${p.y}`).join(' ')}`;
}
