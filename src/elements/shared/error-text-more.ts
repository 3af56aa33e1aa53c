import { addErrorTexts } from './error-text.js';
import { msg } from './locale.js';

/**
 * What the person reads for failures that can only happen once a photo was chosen (its upload)
 * or a service picked (the job): loaded with the file checks, the picker and the job progress,
 * not with the first screen. See `error-text.ts`.
 */
addErrorTexts({
  get insufficient_credits() { return msg('There are not enough credits left for this. Choose a smaller size, or ask for more credits.', { id: 'error.insufficient_credits' }); },
  get scope_denied() { return msg('This option is not available to you. Choose another.', { id: 'error.scope_denied' }); },
  get payload_too_large() { return msg('This photo is too large. Choose a smaller one.', { id: 'error.payload_too_large' }); },
  get unsupported_media_type() { return msg('This kind of file cannot be used. Choose a JPEG, PNG, WebP or HEIC photo.', { id: 'error.unsupported_media_type' }); },
  get image_unreadable() { return msg('This photo could not be read. It may be damaged: choose another.', { id: 'error.image_unreadable' }); },
  get image_too_large() { return msg('This photo has too many pixels. Choose a smaller one.', { id: 'error.image_too_large' }); },
  get not_configured() { return msg('This is not connected to the staging service yet. Tell the site’s owner.', { id: 'error.not_configured' }); },
});
