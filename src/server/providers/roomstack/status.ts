/**
 * RoomStack's generation record, as found in a webhook's `data` and (per the fake's reading of
 * the docs) in the answer of the app's polling route. The docs show only "queued" (async submit)
 * and "completed" (webhook); "processing" and "failed" are accepted as the obvious others.
 */
export interface RoomStackGeneration {
  generationId: string;
  status: string;
  images: Array<{ id: string | null; downloadUrl: string | null; mimeType: string | null }>;
  error: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Reads a generation from `{ generation: {...} }`, `{ data: {...} }` or the bare record; null when it is not one. */
export function parseGeneration(body: unknown): RoomStackGeneration | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const rec = (typeof b.generation === 'object' && b.generation !== null ? b.generation : typeof b.data === 'object' && b.data !== null ? b.data : b) as Record<string, unknown>;
  const generationId = str(rec.generationId);
  if (!generationId) return null;
  const images = Array.isArray(rec.images) ? rec.images : [];
  return {
    generationId,
    status: (str(rec.status) ?? (str((rec.meta as Record<string, unknown> | undefined)?.status) ?? 'unknown')).toLowerCase(),
    images: images
      .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
      .sort((x, y) => Number(x.index ?? 0) - Number(y.index ?? 0))
      .map((i) => ({ id: str(i.id), downloadUrl: str(i.downloadUrl), mimeType: str(i.mimeType) })),
    error: str(rec.error) ?? str((rec.error as Record<string, unknown> | undefined)?.message),
  };
}

export const isDone = (g: RoomStackGeneration) => g.status === 'completed' || g.status === 'succeeded';
export const isFailed = (g: RoomStackGeneration) => g.status === 'failed' || g.status === 'error' || g.status === 'cancelled' || g.status === 'canceled';

/** Our progress for a RoomStack status; time passing nudges it forward so a long job does not look stuck. */
export function progressFor(status: string, elapsedMs: number): number {
  const creep = Math.min(0.25, elapsedMs / 240_000);
  if (status === 'queued') return 0.15 + creep / 2;
  return 0.4 + creep * 2;
}
