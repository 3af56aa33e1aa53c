import { Hono, type Context } from 'hono';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import type { BffDeps } from './deps.js';
import { changeMap } from '../disclosure/change-map.js';

/**
 * Outputs and normalized uploads behind signed, expiring URLs: no token, so a plain
 * `<img src>` works and a provider can fetch an input. The signature is the credential,
 * which is why any origin may read the bytes (`*`) and a bad one answers a bare 404.
 */
/** Longest a browser may reuse a signed file without asking again (a revocation takes this long at most to reach it). */
const LINK_CACHE_SECONDS = 60;

export function signedFileRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  const serve = async (c: Context<BffEnv>, file: { id: string; blobKey: string; contentType: string; bytes: number } | null, name: string) => {
    const sid = c.req.query('sid');
    const remaining = d.tokens.verifyPath(c.req.path, c.req.query('expires'), c.req.query('sig'), undefined, sid);
    if (!file) throw ApiError.notFound('file');
    // A link handed to a session ends with it: checked on every request, in the shared store, so
    // a revocation holds on every instance.
    if (sid) {
      const session = await d.store.getSession(sid);
      if (!session || session.revokedAt) throw new ApiError('not_found', 'This link has ended: its session was signed out.', { reason: 'revoked' });
    }
    const etag = `"${file.id}"`;
    const headers: Record<string, string> = {
      // Short, so that a browser or proxy cache does not keep serving a revoked link for long.
      'Cache-Control': `private, max-age=${Math.min(remaining, LINK_CACHE_SECONDS)}`,
      ETag: etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Disposition': `inline; filename="${name}"`,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const size = await d.blobs.size(file.blobKey);
    if (size === null) throw ApiError.notFound('file');
    return c.body(d.blobs.stream(file.blobKey), 200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(size) });
  };

  const ext = (type: string) => (type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'jpg');

  app.get('/v1/outputs/:id', async (c) => {
    const o = await d.store.getOutput(c.req.param('id'));
    return serve(c, o, `staged-${o?.id ?? 'image'}.${ext(o?.contentType ?? '')}`);
  });

  // The copy to publish, with the disclosure label burned in (only outputs whose profile asks for one have it).
  app.get('/v1/outputs/:id/published', async (c) => {
    const o = await d.store.getOutput(c.req.param('id'));
    const key = o?.disclosure?.publishedBlobKey;
    return serve(c, o && key ? { ...o, id: `${o.id}-published`, blobKey: key } : null, `staged-${o?.id ?? 'image'}-labelled.${ext(o?.contentType ?? '')}`);
  });

  // "What changed": a heat map of the output against its original, made on first request and kept.
  app.get('/v1/outputs/:id/changes', async (c) => {
    const o = await d.store.getOutput(c.req.param('id'));
    let file: { id: string; blobKey: string; contentType: string; bytes: number } | null = null;
    if (o) {
      const key = `outputs/${o.id}-changes.png`;
      let bytes = await d.blobs.size(key);
      if (bytes === null) {
        const job = await d.store.getJob(o.jobId);
        const upload = job ? await d.store.getUpload(job.uploadId) : null;
        if (upload) {
          const map = await changeMap(await d.blobs.get(upload.blobKey), await d.blobs.get(o.blobKey));
          await d.blobs.put(key, map);
          bytes = map.length;
        }
      }
      if (bytes !== null) file = { id: `${o.id}-changes`, blobKey: key, contentType: 'image/png', bytes };
    }
    return serve(c, file, `changes-${o?.id ?? 'image'}.png`);
  });

  app.get('/v1/uploads/:id/content', async (c) => {
    const u = await d.store.getUpload(c.req.param('id'));
    return serve(c, u, `photo-${u?.id ?? 'image'}.${ext(u?.contentType ?? '')}`);
  });

  return app;
}
