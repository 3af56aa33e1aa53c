import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StagingClient } from '../../client/index.js';
import type { PreparedImage } from '../../client/image/index.js';
import type { UploadLimits, Upload } from '../../contract/index.js';
import { isAbort } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import type { Words } from '../shared/locale.js';
import { TEXT } from './listing-text.js';

/** The dropzone's file checks and preparation (orientation, downscale, re-encode), shared with it. */
const loadFileChecks = () => import('../staging-dropzone/check-file.js');

export type PhotoState = 'preparing' | 'uploading' | 'ready' | 'refused' | 'failed';

/** One photo of the listing, from the moment it is chosen. */
export interface ListingPhoto {
  /** Stable for the photo's life in the list (template keys, element ids). */
  key: number;
  name: string;
  /** The file as chosen; null for a photo found again after a reload. */
  file: File | null;
  state: PhotoState;
  /** 0–1 while uploading. */
  progress: number;
  /** What the thumbnail shows: the prepared photo's object URL, or the upload's signed URL. */
  previewUrl: string | null;
  prepared: PreparedImage | null;
  upload: Upload | null;
  /** Why it was refused or failed, in the person's words. */
  /** Why it was refused or failed, made at each render (it follows a change of language); null otherwise. */
  message: Words | null;
  /** Its room: the config of its job. */
  room: string;
  selected: boolean;
}

export interface PhotoUploadsOptions {
  client(): StagingClient | null;
  limits(): UploadLimits;
  maxLongSide(): number;
  /** Photos prepared and uploaded at once. */
  concurrency(): number;
  /** A request failed (not a refused file): for `staging-error`. */
  onError(error: unknown): void;
}

/**
 * The listing's photos and their way to the BFF: each is checked and prepared like the
 * dropzone's one photo (the same module), then uploaded, with at most `concurrency()` photos
 * in flight. A refused photo says why; a failed upload can be tried again. Everything in flight
 * is aborted, and every object URL revoked, when the host leaves the page.
 */
export class PhotoUploadsController implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _opts: PhotoUploadsOptions;
  private _photos: ListingPhoto[] = [];
  private _nextKey = 1;
  private readonly _queue: number[] = [];
  private readonly _running = new Map<number, AbortController>();

  constructor(host: ReactiveControllerHost, opts: PhotoUploadsOptions) {
    this._host = host;
    this._opts = opts;
    host.addController(this);
  }

  get photos(): readonly ListingPhoto[] {
    return this._photos;
  }

  /** True while any photo is still being prepared or uploaded. */
  get busy(): boolean {
    return this._photos.some((p) => p.state === 'preparing' || p.state === 'uploading');
  }

  /** Adds files to the end of the list, each with `room`; returns how many were added (at most `max` photos in all). */
  add(files: readonly File[], room: string, max: number): number {
    const free = Math.max(0, max - this._photos.length);
    const taken = files.slice(0, free);
    for (const file of taken) {
      const photo: ListingPhoto = { key: this._nextKey++, name: file.name, file, state: 'preparing', progress: 0, previewUrl: null, prepared: null, upload: null, message: null, room, selected: false };
      this._photos = [...this._photos, photo];
      this._queue.push(photo.key);
    }
    this._pump();
    this._host.requestUpdate();
    return taken.length;
  }

  /** Photos found again after a reload: already uploaded. */
  restore(photos: Array<Pick<ListingPhoto, 'name' | 'upload' | 'room'>>): void {
    this.clear();
    this._photos = photos.map((p) => ({ key: this._nextKey++, file: null, state: 'ready', progress: 1, previewUrl: p.upload?.url ?? null, prepared: null, message: null, selected: false, ...p }));
    this._host.requestUpdate();
  }

  /** Sends a failed photo again (prepares it again first when it never got that far). */
  retry(key: number): void {
    const photo = this._find(key);
    if (!photo || photo.state !== 'failed' || !photo.file) return;
    this._set(key, { state: photo.prepared ? 'uploading' : 'preparing', message: null, progress: 0 });
    this._queue.push(key);
    this._pump();
  }

  remove(key: number): void {
    const running = this._running.get(key);
    if (running) {
      running.abort();
      this._running.delete(key);
    }
    const photo = this._find(key);
    if (photo) this._revoke(photo);
    this._photos = this._photos.filter((p) => p.key !== key);
    this._host.requestUpdate();
    // Its place in flight goes to the next photo.
    this._pump();
  }

  /** Changes what the grid shows of photos (room, selection). */
  update(key: number, change: Partial<Pick<ListingPhoto, 'room' | 'selected'>>): void {
    this._set(key, change);
  }

  updateAll(change: (p: ListingPhoto) => Partial<Pick<ListingPhoto, 'room' | 'selected'>>): void {
    this._photos = this._photos.map((p) => ({ ...p, ...change(p) }));
    this._host.requestUpdate();
  }

  clear(): void {
    for (const c of this._running.values()) c.abort();
    this._running.clear();
    this._queue.length = 0;
    for (const p of this._photos) this._revoke(p);
    this._photos = [];
    this._host.requestUpdate();
  }

  hostConnected(): void {
    // Put back in the page: photos cut off on the way out can be sent again.
    this._pump();
  }

  hostDisconnected(): void {
    for (const [key, c] of this._running) {
      c.abort();
      this._queue.unshift(key);
    }
    this._running.clear();
  }

  private _find(key: number): ListingPhoto | undefined {
    return this._photos.find((p) => p.key === key);
  }

  private _set(key: number, change: Partial<ListingPhoto>): void {
    this._photos = this._photos.map((p) => (p.key === key ? { ...p, ...change } : p));
    this._host.requestUpdate();
  }

  private _revoke(photo: ListingPhoto): void {
    if (photo.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(photo.previewUrl);
  }

  private _pump(): void {
    while (this._running.size < Math.max(1, this._opts.concurrency()) && this._queue.length) {
      const key = this._queue.shift()!;
      if (!this._find(key)) continue;
      const abort = new AbortController();
      this._running.set(key, abort);
      void this._send(key, abort.signal).finally(() => {
        if (this._running.get(key) === abort) this._running.delete(key);
        if (!abort.signal.aborted) this._pump();
      });
    }
  }

  private async _send(key: number, signal: AbortSignal): Promise<void> {
    let photo = this._find(key);
    if (!photo?.file) return;
    if (!photo.prepared) {
      let checks: typeof import('../staging-dropzone/check-file.js');
      try {
        checks = await loadFileChecks();
      } catch {
        return this._set(key, { state: 'failed', message: () => TEXT.checksFailed });
      }
      const check = await checks.checkFile(photo.file, { limits: this._opts.limits(), maxLongSide: this._opts.maxLongSide(), signal });
      if (signal.aborted) return;
      if (!check.ok) return this._set(key, { state: 'refused', message: check.words });
      const { prepared } = check;
      this._set(key, { prepared, state: 'uploading', previewUrl: prepared.passthrough ? null : URL.createObjectURL(prepared.blob) });
      photo = this._find(key)!;
    }
    const client = this._opts.client();
    if (!client) return this._set(key, { state: 'failed', message: () => errorText('not_configured') });
    const prepared = photo.prepared!;
    try {
      const upload = await client.uploadImage(prepared.blob, {
        signal,
        contentType: prepared.type || prepared.blob.type,
        onProgress: (p) => {
          if (p.total) this._set(key, { progress: p.loaded / p.total });
        },
      });
      if (!signal.aborted) this._set(key, { state: 'ready', upload, progress: 1, previewUrl: photo.previewUrl ?? upload.url });
    } catch (err) {
      if (signal.aborted || isAbort(err)) return;
      this._set(key, { state: 'failed', progress: 0, message: () => errorText((err as { code?: string }).code ?? 'unexpected') });
      this._opts.onError(err);
    }
  }
}

/**
 * Every file of a drop, with the files inside dropped folders (a camera card's DCIM folder, say),
 * in name order. Hidden files (`.DS_Store`) are left out. Falls back to the plain file list where
 * the browser has no entries API.
 */
export async function filesOfDrop(data: DataTransfer): Promise<File[]> {
  const entries = Array.from(data.items ?? [])
    .map((item) => (item.kind === 'file' && typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return Array.from(data.files);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.name.startsWith('.')) return;
    if (entry.isFile) {
      out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches (100 in Chromium) until an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))) await walk(child);
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}
