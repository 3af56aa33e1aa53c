import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { BffEnv } from '../http/env.js';
import { newId, nowIso } from '../ids.js';
import { toUpload } from '../jobs/serialize-job.js';
import type { UploadRecord } from '../store/types.js';
import { ingestUpload } from '../uploads/index.js';
import type { BffDeps } from './deps.js';

export function uploadRoutes(d: BffDeps) {
  const app = new Hono<BffEnv>();

  app.post('/v1/uploads', async (c) => {
    const { session } = c.get('auth');
    // Nothing is stored unless the image passed every check: limits, magic bytes, decoding.
    const purpose = c.req.query('purpose') ?? 'photo';
    if (purpose !== 'photo' && purpose !== 'mask') {
      throw ApiError.validation([{ path: 'purpose', message: 'must be photo or mask' }], 'query');
    }
    const image = await ingestUpload(c.req.raw, d.upload, (work) => d.decodeGate.run(session.id, work), purpose);
    const id = newId('upl');
    const record: UploadRecord = {
      id,
      subject: session.subject,
      sessionId: session.id,
      blobKey: `uploads/${id}.${image.contentType === 'image/png' ? 'png' : 'jpg'}`,
      contentType: image.contentType,
      bytes: image.bytes,
      width: image.width,
      height: image.height,
      createdAt: nowIso(),
    };
    await d.blobs.put(record.blobKey, image.data);
    await d.store.createUpload(record);
    return c.json(toUpload(record, d.signer), 201);
  });

  // After a reload the widget has only ids: this gives it the photo again, with a fresh signed URL.
  app.get('/v1/uploads/:id', async (c) => {
    const u = await d.store.getUpload(c.req.param('id'));
    const { session } = c.get('auth');
    if (!u || u.subject !== session.subject) throw ApiError.notFound('upload');
    // A fresh link for the session asking: it lives as long as that session.
    return c.json(toUpload(u, d.signer, session.id));
  });

  return app;
}
