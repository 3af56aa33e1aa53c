import { isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { StagingError, type StagingClient } from '../../client/index.js';
import { dropReference, type Choice, type ReferenceState } from './choice.js';
import { TEXT } from './picker-text.js';

/** What uploading a reference image may do to the picker. */
export interface ReferenceHost {
  client(): StagingClient | null;
  /** The choice's reference changed (progress, done, failed): render again. */
  changed(): void;
  /** Says something to screen readers; an empty text clears what was said. */
  announce(text: string): void;
  /** The `staging-error` detail of a failure (the picker's source, step `reference`). */
  errorDetail(error: unknown): StagingErrorDetail;
  /** Tells the host page (`staging-error`). */
  failed(detail: StagingErrorDetail): void;
}

/**
 * Uploads `file` as the choice's reference image as soon as it is chosen, replacing (and
 * stopping) one before it; the choice's `reference` shows its progress, its upload id once done,
 * or its error in the person's words. A reference replaced or removed meanwhile is left alone.
 */
export async function uploadReference(host: ReferenceHost, choice: Choice, file: File): Promise<void> {
  dropReference(choice);
  const ref: ReferenceState = { file, url: URL.createObjectURL(file), progress: 0, controller: new AbortController() };
  choice.reference = ref;
  host.announce(TEXT.referenceUploading);
  host.changed();

  const fail = (error: unknown): void => {
    const detail = host.errorDetail(error);
    ref.error = errorText(detail.code);
    ref.progress = null;
    ref.controller = undefined;
    host.announce('');
    host.changed();
    host.failed(detail);
  };
  const client = host.client();
  if (!client) {
    fail(new StagingError({ code: 'not_configured', message: 'The reference image cannot be uploaded: the picker has no client, endpoint or token.' }));
    return;
  }
  try {
    const upload = await client.uploadImage(file, {
      signal: ref.controller!.signal,
      onProgress: (p) => {
        if (choice.reference !== ref || !p.total) return;
        ref.progress = Math.min(1, p.loaded / p.total);
        host.changed();
      },
    });
    if (choice.reference !== ref) return; // replaced or removed meanwhile
    ref.uploadId = upload.id;
    ref.progress = null;
    ref.controller = undefined;
    host.announce(TEXT.referenceUploaded);
    host.changed();
  } catch (e) {
    if (choice.reference !== ref || isAbort(e)) return;
    fail(e);
  }
}
