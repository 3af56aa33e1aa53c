import { Hono, type Context } from 'hono';
import QRCode from 'qrcode';
import { ApiError } from '../errors.js';
import { adminAuth } from '../http/auth.js';
import type { BffEnv } from '../http/env.js';
import { nowIso } from '../ids.js';
import type { OriginalPageRecord, OutputRecord, UploadRecord } from '../store/types.js';
import type { BffDeps } from './deps.js';
import { originalPageHtml, withdrawnPageHtml } from '../disclosure/original-page.js';

/** An original page's id: 24 base64url characters (144 bits). Anything else is no page. */
const PAGE_ID = /^[A-Za-z0-9_-]{24}$/;

/** Public and long-lived, but a withdrawal should reach caches within the hour. */
const CACHE = 'public, max-age=3600';

/**
 * The originals of material outputs, for as long as the listing runs (AB 723: a link or QR code
 * to a page that shows the original and says it is the original). No token: the page's id is the
 * credential, like an unlisted link, so anyone with the listing can open it. The host withdraws
 * a page with the admin key.
 */
export function originalRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  interface Found {
    page: OriginalPageRecord;
    output: OutputRecord;
    upload: UploadRecord;
  }

  /** The page, its output and its original; a withdrawn page is `gone`. */
  const find = async (c: Context<BffEnv>): Promise<Found | 'gone' | null> => {
    const id = c.req.param('pageId') ?? '';
    if (!PAGE_ID.test(id)) return null;
    const page = await d.store.getOriginalPage(id);
    if (!page) return null;
    if (page.withdrawnAt) return 'gone';
    const [output, upload] = await Promise.all([d.store.getOutput(page.outputId), d.store.getUpload(page.uploadId)]);
    if (!output || !upload) return null;
    return { page, output, upload };
  };

  const must = async (c: Context<BffEnv>): Promise<Found> => {
    const found = await find(c);
    if (found === 'gone') throw new ApiError('original_withdrawn', 'This original photo page was withdrawn by the site that published it.');
    if (!found) throw new ApiError('not_found', 'There is no original photo page at this address.');
    return found;
  };

  const pageUrl = (id: string) => `${d.signer.publicUrl}/v1/originals/${id}`;

  const image = async (c: Context<BffEnv>, blobKey: string, contentType: string, name: string) => {
    const size = await d.blobs.size(blobKey);
    if (size === null) throw new ApiError('not_found', 'There is no original photo page at this address.');
    return c.body(d.blobs.stream(blobKey), 200, {
      'Content-Type': contentType,
      'Content-Length': String(size),
      'Cache-Control': CACHE,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `inline; filename="${name}"`,
    });
  };

  app.get('/v1/originals/:pageId', async (c) => {
    const found = await find(c);
    const headers = {
      'Content-Type': 'text/html; charset=utf-8',
      // No script, no frames, images from here only.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (found === 'gone') return c.body(withdrawnPageHtml(), 410, { ...headers, 'Cache-Control': 'no-store' });
    if (!found) return c.body(withdrawnPageHtml('missing'), 404, { ...headers, 'Cache-Control': 'no-store' });
    const { page, output, upload } = found;
    const base = `/v1/originals/${page.id}`;
    return c.body(
      originalPageHtml({
        originalUrl: `${base}/original`,
        alteredUrl: `${base}/altered`,
        original: { width: upload.width, height: upload.height },
        altered: { width: output.width, height: output.height },
        createdAt: page.createdAt,
      }),
      200,
      { ...headers, 'Cache-Control': 'public, max-age=300' },
    );
  });

  // The upload as it was stored: never re-encoded again, never resized for this page.
  app.get('/v1/originals/:pageId/original', async (c) => {
    const { upload } = await must(c);
    return image(c, upload.blobKey, upload.contentType, `original.${upload.contentType === 'image/png' ? 'png' : 'jpg'}`);
  });

  // The altered photo as published: the labelled copy when the profile burns one in.
  app.get('/v1/originals/:pageId/altered', async (c) => {
    const { output } = await must(c);
    const key = output.disclosure?.publishedBlobKey ?? output.blobKey;
    return image(c, key, output.contentType, `altered.${output.contentType === 'image/png' ? 'png' : output.contentType === 'image/webp' ? 'webp' : 'jpg'}`);
  });

  app.get('/v1/originals/:pageId/qr.svg', async (c) => {
    const { page } = await must(c);
    const svg = await QRCode.toString(pageUrl(page.id), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': CACHE, 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'X-Content-Type-Options': 'nosniff' });
  });

  app.get('/v1/originals/:pageId/qr.png', async (c) => {
    const { page } = await must(c);
    const png = await QRCode.toBuffer(pageUrl(page.id), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Cache-Control': CACHE, 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'X-Content-Type-Options': 'nosniff' });
  });

  app.delete('/v1/originals/:pageId', adminAuth(d.adminKey), async (c) => {
    const id = c.req.param('pageId');
    if (!PAGE_ID.test(id) || !(await d.store.withdrawOriginalPage(id, nowIso()))) throw new ApiError('not_found', 'There is no original photo page with that id.');
    return c.body(null, 204);
  });

  return app;
}
