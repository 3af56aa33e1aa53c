import { isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { StagingError, type StagingClient } from '../../client/index.js';
import { dropReference, type Choice, type ReferenceState } from './choice.js';
import { TEXT } from './picker-text.js';
import type { ReactiveController, ReactiveElement } from 'lit';

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
    ref.error = () => errorText(detail.code);
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

/** Thumbnails were released on disconnect; the files are still held: new object URLs for them. */
export function renewThumbnails(choices: Iterable<Choice>): void {
  for (const choice of choices) {
    if (choice.reference && !choice.reference.url) choice.reference.url = URL.createObjectURL(choice.reference.file);
  }
}

/** On disconnect: an upload stopped halfway is dropped (it has no id to keep); thumbnails are let go. */
export function releaseReferences(choices: Iterable<Choice>): void {
  for (const choice of choices) {
    const ref = choice.reference;
    if (!ref) continue;
    if (ref.controller) {
      ref.controller.abort();
      dropReference(choice);
      continue;
    }
    if (ref.url) URL.revokeObjectURL(ref.url);
    ref.url = null;
  }
}

/**
 * The reference photo field for the picker: a file chosen (uploaded at once), Remove (focus
 * stays on the field), and the lifecycle of every choice's reference as the picker leaves and
 * re-enters the page (an upload stopped halfway is dropped; thumbnails are let go and renewed).
 */
export class ReferenceField implements ReactiveController {
  constructor(
    private readonly _host: ReactiveElement,
    private readonly _upload: ReferenceHost,
    /** The chosen service's choice, or null while there is none. */
    private readonly _choice: () => Choice | null,
    /** Every remembered choice. */
    private readonly _choices: () => Iterable<Choice>,
  ) {
    _host.addController(this);
  }

  hostConnected(): void {
    renewThumbnails(this._choices());
  }

  hostDisconnected(): void {
    releaseReferences(this._choices());
    // Shows the dropped upload and the renewed thumbnails once connected again.
    this._host.requestUpdate();
  }

  readonly onChange = (event: Event): void => {
    const file = (event.target as HTMLInputElement).files?.[0];
    const choice = this._choice();
    if (file && choice) void uploadReference(this._upload, choice, file);
  };

  readonly onRemove = async (): Promise<void> => {
    const choice = this._choice();
    if (!choice) return;
    dropReference(choice);
    const input = this._host.renderRoot.querySelector<HTMLInputElement>('#reference');
    if (input) input.value = '';
    this._upload.announce(TEXT.referenceRemoved);
    this._host.requestUpdate();
    await this._host.updateComplete;
    // The Remove button is gone; keep focus on the field it belonged to.
    input?.focus();
  };
}
