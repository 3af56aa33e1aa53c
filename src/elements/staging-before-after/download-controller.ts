import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The download link's click. Browsers ignore `download` on cross-origin links (the BFF usually
 * is another origin), so those are fetched into a blob and saved under the intended name; the
 * fetch is aborted and the blob URLs freed when the host leaves the page.
 */
export interface DownloadOptions {
  /** What the link points at. */
  url(): string;
  /** The name to save a body of `contentType` (the blob's; undefined when it has none) under. */
  fileName(contentType: string | undefined): string;
}

export class DownloadController implements ReactiveController {
  private readonly _host: ReactiveControllerHost;
  private readonly _options: DownloadOptions;
  private _downloading = false;
  private _abort?: AbortController;
  private readonly _objectUrls = new Set<string>();
  private readonly _revokeTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(host: ReactiveControllerHost, options: DownloadOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  /** A cross-origin download is being fetched. */
  get downloading(): boolean {
    return this._downloading;
  }

  hostDisconnected(): void {
    this._abort?.abort();
    this._abort = undefined;
    for (const timer of this._revokeTimers) clearTimeout(timer);
    this._revokeTimers.clear();
    for (const url of this._objectUrls) URL.revokeObjectURL(url);
    this._objectUrls.clear();
  }

  /** The `click` listener of an `<a href download>`. */
  readonly onClick = async (event: MouseEvent): Promise<void> => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = this._options.url();
    let sameOrigin: boolean;
    try {
      const parsed = new URL(url, location.href);
      sameOrigin = parsed.origin === location.origin || parsed.protocol === 'blob:' || parsed.protocol === 'data:';
    } catch {
      return;
    }
    if (sameOrigin) return;
    event.preventDefault();
    this._abort?.abort();
    const controller = new AbortController();
    this._abort = controller;
    this._setDownloading(true);
    try {
      const response = await fetch(url, { signal: controller.signal, credentials: 'omit' });
      if (!response.ok) throw new Error(`Download failed with HTTP ${response.status}`);
      const blob = await response.blob();
      this._save(blob);
    } catch {
      if (controller.signal.aborted) return;
      // Without CORS on the image the bytes cannot be read: let the browser open it instead.
      window.open(url, '_blank', 'noopener');
    } finally {
      if (this._abort === controller) {
        this._abort = undefined;
        this._setDownloading(false);
      }
    }
  };

  private _save(blob: Blob): void {
    const objectUrl = URL.createObjectURL(blob);
    this._objectUrls.add(objectUrl);
    const link = document.createElement('a');
    link.href = objectUrl;
    link.download = this._options.fileName(blob.type || undefined);
    link.click();
    // The browser has copied the bytes well before this; revoking frees the blob.
    const timer = setTimeout(() => {
      this._revokeTimers.delete(timer);
      URL.revokeObjectURL(objectUrl);
      this._objectUrls.delete(objectUrl);
    }, 10_000);
    this._revokeTimers.add(timer);
  }

  private _setDownloading(value: boolean): void {
    this._downloading = value;
    this._host.requestUpdate();
  }
}
