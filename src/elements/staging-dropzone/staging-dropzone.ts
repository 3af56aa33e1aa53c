import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { UploadLimits } from '../../contract/index.js';
import type { PreparedImage } from '../../client/image/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { emit } from '../shared/events.js';
import { fileNameStyles } from '../shared/file-name.styles.js';
import { panelStyles } from '../shared/panel.styles.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { dropzoneStyles } from './staging-dropzone.styles.js';
import { formatBytes, LocaleController, type Words } from '../shared/locale.js';
import { TEXT } from './dropzone-text.js';
import { acceptAttribute, byteBase, DEFAULT_UPLOAD_LIMITS, formatTypeList, type DropzoneRejectionCode } from './validation.js';

/** The file checks and image tools (the module map fetches them once, and again after a failure). */
const loadFileChecks = () => import('./check-file.js');

export interface StagingFileSelectedDetail {
  /** The file as the person chose it. */
  file: File;
  /** What to upload: resized and re-encoded, or the original when `prepared.passthrough`. */
  prepared: PreparedImage;
}

export interface StagingFileRejectedDetail {
  file?: File;
  code: DropzoneRejectionCode;
  /** The sentence shown in the element. */
  message: string;
}

export interface StagingFileClearedDetail {
  /** The file that was removed. */
  file: File;
}

const iconPhoto = html`<svg viewBox="0 0 24 24" width="32" height="32" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/></svg>`;

/**
 * Lets a person pick one photo by dragging it in, browsing, pasting it, or taking it with the
 * phone's camera; checks it against the upload limits; and prepares it for upload (EXIF
 * orientation applied, long side downscaled to `maxLongSide`, re-encoded without metadata).
 *
 * HEIC photos, which Chromium cannot decode, are passed through unchanged when they are within
 * the limits (`prepared.passthrough`), for the server to convert.
 *
 * @summary Drop, browse, paste or photograph one image; validated and resized in the browser.
 *
 * @fires staging-file-selected - A photo passed the checks and is ready. `detail: { file, prepared }`.
 * @fires staging-file-rejected - A file was refused. `detail: { file?, code, message }`; `message` is also shown in the element.
 * @fires staging-file-cleared - The person removed the photo, or `clear()` was called. `detail: { file }`.
 *
 * @slot icon - Replaces the picture icon in the drop area.
 * @slot label - Replaces the drop area's heading ("Drag a photo here, or paste one").
 * @slot hint - Replaces the accepted types and size line.
 *
 * @csspart base - The wrapper of everything.
 * @csspart drop-area - The dashed area that takes drops; also a click target.
 * @csspart icon - The icon's wrapper.
 * @csspart label - The drop area's heading.
 * @csspart hint - The line of accepted types and size.
 * @csspart actions - The row of buttons in the drop area.
 * @csspart browse-button - "Choose a photo".
 * @csspart camera-button - "Take photo"; shown on touch devices unless `camera` says otherwise.
 * @csspart preparing - The "Preparing photo…" line.
 * @csspart preview - The selected photo, its details and actions.
 * @csspart thumbnail - The preview image (or the placeholder of a HEIC photo).
 * @csspart file-name - The selected file's name.
 * @csspart details - Final size in pixels and bytes.
 * @csspart preview-actions - The row of Replace and Remove.
 * @csspart replace-button - "Replace".
 * @csspart remove-button - "Remove".
 * @csspart progress - The upload progress block.
 * @csspart progress-label - Its text.
 * @csspart progress-bar - The `<progress>` element.
 * @csspart error - The message of a refused file (`role="alert"`).
 * @csspart status - The visually hidden polite live region.
 *
 * @cssproperty --staging-color-accent - Buttons, focus ring and the drag-over highlight.
 * @cssproperty --staging-color-accent-contrast - Text on accent.
 * @cssproperty --staging-color-surface - Background.
 * @cssproperty --staging-color-surface-raised - Drop area and button background.
 * @cssproperty --staging-color-text - Text.
 * @cssproperty --staging-color-muted - Hint and details text.
 * @cssproperty --staging-color-border - Drop area and button borders.
 * @cssproperty --staging-color-danger - Error text and border.
 * @cssproperty --staging-focus-ring - The focus box-shadow.
 * @cssproperty --staging-radius - Corner radius.
 * @cssproperty --staging-space - Base spacing unit.
 * @cssproperty --staging-font-family - Font.
 * @cssproperty --staging-font-size - Base font size.
 * @cssproperty --staging-dropzone-min-height - Minimum height of the drop area (default 180px).
 * @cssproperty --staging-dropzone-thumbnail-max-height - Maximum height of the preview image (default 320px).
 */
@customElement('staging-dropzone')
export class StagingDropzone extends LitElement {
  static override styles = [themeStyles, spinnerStyles, panelStyles, fileNameStyles, dropzoneStyles];
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** Accepted types, byte and pixel limits, usually the catalog's `upload`; defaults apply while unset. */
  @property({ attribute: false }) limits: UploadLimits | undefined;

  /** Long side of the prepared image in pixels: 2048 for 2K, 3840 for 4K. */
  @property({ type: Number, attribute: 'max-long-side' }) maxLongSide = 2048;

  /** Upload progress as a fraction 0–1 shown under the preview, or null to hide it. */
  @property({ type: Number, attribute: 'upload-progress' }) uploadProgress: number | null = null;

  @property({ type: Boolean, reflect: true }) disabled = false;

  /** When to offer "Take photo": `auto` on touch screens (coarse pointer), `always`, or `never`. */
  @property({ reflect: true }) camera: 'auto' | 'always' | 'never' = 'auto';

  /**
   * Also take images pasted anywhere on the page (outside text fields), not only while focus
   * is inside this element. Give it to one dropzone per page.
   */
  @property({ type: Boolean, attribute: 'global-paste' }) globalPaste = false;

  /** Reflects while files are dragged over the element, for `:host([drag-over])` styling. Read-only. */
  @property({ type: Boolean, reflect: true, attribute: 'drag-over' }) dragOver = false;

  @state() private _file: File | null = null;
  @state() private _prepared: PreparedImage | null = null;
  @state() private _previewUrl: string | null = null;
  @state() private _error: { code: DropzoneRejectionCode; words: Words } | null = null;
  @state() private _preparing = false;

  @query('#file-input') private _fileInput!: HTMLInputElement;
  @query('#camera-input') private _cameraInput!: HTMLInputElement | null;
  @query('[part~="browse-button"]') private _browseButton!: HTMLButtonElement | null;

  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _l10n = new LocaleController(this);
  /** The file checks, once loaded: they bring the words about a chosen photo (`PREVIEW_TEXT`). */
  private _checks: typeof import('./check-file.js') | null = null;
  private _dragDepth = 0;
  private _pending: AbortController | null = null;
  private _attempt = 0;

  /** The file currently selected, or null. */
  get file(): File | null {
    return this._file;
  }

  /** What `staging-file-selected` carried for the current file, or null. */
  get prepared(): PreparedImage | null {
    return this._prepared;
  }

  /** The refusal currently shown, or null. */
  get error(): { code: DropzoneRejectionCode; message: string } | null {
    return this._error && { code: this._error.code, message: this._error.words() };
  }

  private get _limits(): UploadLimits {
    return this.limits ?? DEFAULT_UPLOAD_LIMITS;
  }

  /** The listeners on the element itself: added when it connects, removed when it disconnects. */
  private _hostListeners(): Array<[string, EventListener]> {
    return [
      ['dragenter', this._onDragEnter as EventListener],
      ['dragover', this._onDragOver as EventListener],
      ['dragleave', this._onDragLeave],
      ['drop', this._onDrop as EventListener],
      ['paste', this._onPaste as EventListener],
      ['pointerover', this._prefetchChecks],
      ['focusin', this._prefetchChecks],
    ];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    for (const [type, listener] of this._hostListeners()) this.addEventListener(type, listener);
    document.addEventListener('paste', this._onDocumentPaste);
    // Moved in the DOM: the preview URL was revoked on disconnect.
    if (this._prepared && !this._previewUrl) this._previewUrl = this._makePreviewUrl(this._prepared);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const [type, listener] of this._hostListeners()) this.removeEventListener(type, listener);
    document.removeEventListener('paste', this._onDocumentPaste);
    this._pending?.abort();
    this._pending = null;
    this._preparing = false;
    this._revokePreview();
    this._dragDepth = 0;
    this.dragOver = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('disabled') && this.disabled) {
      this._dragDepth = 0;
      this.dragOver = false;
    }
  }

  /** Opens the file picker. */
  open(): void {
    if (this.disabled) return;
    this._fileInput.click();
  }

  /** Opens the camera (on phones; elsewhere browsers show the file picker). */
  openCamera(): void {
    if (this.disabled) return;
    (this._cameraInput ?? this._fileInput).click();
  }

  /** Removes the selected photo and fires `staging-file-cleared`. */
  clear(): void {
    this._pending?.abort();
    this._pending = null;
    this._preparing = false;
    const file = this._file;
    this._revokePreview();
    this._file = null;
    this._prepared = null;
    this._error = null;
    this.uploadProgress = null;
    if (file) {
      this._announcer.announce(this._checks!.PREVIEW_TEXT.removed);
      emit(this, 'staging-file-cleared', { file });
    }
  }

  /**
   * Checks and prepares a file as if it had been dropped. Resolves true when it was accepted
   * (after `staging-file-selected`), false when refused or superseded by a later file.
   */
  async selectFile(file: File): Promise<boolean> {
    if (this.disabled) return false;
    this._pending?.abort();
    const controller = new AbortController();
    this._pending = controller;
    const attempt = ++this._attempt;
    const limits = this._limits;
    this._error = null;
    this._preparing = true;
    this._announcer.announce(TEXT.preparing);

    const current = (): boolean => attempt === this._attempt && !controller.signal.aborted;
    const refuse = (code: DropzoneRejectionCode, words: Words): false => {
      if (!current()) return false;
      this._pending = null;
      this._preparing = false;
      this._announcer.clear();
      this._error = { code, words };
      emit(this, 'staging-file-rejected', { file, code, message: words() });
      return false;
    };

    let checks: typeof import('./check-file.js');
    try {
      checks = this._checks = await loadFileChecks();
    } catch {
      return refuse('load_failed', () => TEXT.loadFailed);
    }
    const check = await checks.checkFile(file, { limits, maxLongSide: this.maxLongSide, signal: controller.signal });
    if (!current()) return false;
    if (!check.ok) return refuse(check.code, check.words);
    const { prepared } = check;

    this._pending = null;
    this._preparing = false;
    this._revokePreview();
    this._file = file;
    this._prepared = prepared;
    this._previewUrl = this._makePreviewUrl(prepared);
    this.uploadProgress = null;
    this._announcer.announce(
      prepared.passthrough ? this._checks.PREVIEW_TEXT.readyHeic : this._checks.PREVIEW_TEXT.ready(prepared.width, prepared.height),
    );
    emit(this, 'staging-file-selected', { file, prepared });
    return true;
  }

  private _makePreviewUrl(prepared: PreparedImage): string | null {
    // Chromium cannot show HEIC, so a passthrough photo gets a placeholder instead.
    return prepared.passthrough ? null : URL.createObjectURL(prepared.blob);
  }

  private _revokePreview(): void {
    if (this._previewUrl) URL.revokeObjectURL(this._previewUrl);
    this._previewUrl = null;
  }

  private _hasFiles(event: DragEvent): boolean {
    return Array.from(event.dataTransfer?.types ?? []).includes('Files');
  }

  // Arrow properties keep `this` and stay the same function for removeEventListener.

  /** A pointer over the element or focus in it: a file is likely next, so fetch the checks now (once). */
  private _prefetchChecks = (): void => {
    this.removeEventListener('pointerover', this._prefetchChecks);
    this.removeEventListener('focusin', this._prefetchChecks);
    loadFileChecks().catch(() => {}); // a failure is reported when a file is chosen
  };

  private _onDragEnter = (event: DragEvent): void => {
    this._prefetchChecks();
    if (this.disabled || !this._hasFiles(event)) return;
    event.preventDefault();
    // Enter/leave fire for every child crossed; only the outermost pair matters.
    this._dragDepth++;
    this.dragOver = true;
  };

  private _onDragOver = (event: DragEvent): void => {
    if (this.disabled || !this._hasFiles(event)) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragOver = true;
  };

  private _onDragLeave = (): void => {
    this._dragDepth = Math.max(0, this._dragDepth - 1);
    if (this._dragDepth === 0) this.dragOver = false;
  };

  private _onDrop = (event: DragEvent): void => {
    this._dragDepth = 0;
    this.dragOver = false;
    if (this.disabled) return;
    // Without this the browser navigates to the dropped file.
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (!file) {
      this._error = { code: 'not_a_file', words: () => TEXT.notAFile };
      emit(this, 'staging-file-rejected', { code: 'not_a_file', message: TEXT.notAFile });
      return;
    }
    void this.selectFile(file);
  };

  private _onPaste = (event: ClipboardEvent): void => {
    if (this.disabled) return;
    const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith('image/')) ?? event.clipboardData?.files[0];
    if (!file) return; // text paste: none of our business
    event.preventDefault();
    void this.selectFile(file);
  };

  private _onDocumentPaste = (event: ClipboardEvent): void => {
    if (!this.globalPaste || event.defaultPrevented) return;
    const path = event.composedPath();
    if (path.includes(this)) return; // the element's own listener already took it
    const target = path[0];
    if (target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'))) return;
    this._onPaste(event);
  };

  private _onInputChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again still fires change.
    input.value = '';
    if (file) void this.selectFile(file);
  };

  private _onAreaClick = (event: MouseEvent): void => {
    // The buttons handle their own clicks; the rest of the area is a convenience for mice.
    if (event.composedPath().some((n) => n instanceof HTMLButtonElement)) return;
    this.open();
  };

  private _onRemove = async (): Promise<void> => {
    this.clear();
    await this.updateComplete;
    // The Remove button is gone; keep focus in the element.
    this._browseButton?.focus();
  };

  protected override render(): unknown {
    const limits = this._limits;
    return html`
      <div part="base" lang=${this._l10n.locale} dir=${this._l10n.dir} class="base ${this.dragOver ? 'drag-over' : ''}">
        ${this._prepared ? this._renderPreview() : this._renderDropArea(limits)} ${this._renderProgress()}
        <div part="error" class="error" role="alert">${this._error ? this._error.words() : nothing}</div>
        ${this._announcer.render('status')}
        <input
          id="file-input"
          type="file"
          accept=${acceptAttribute(limits)}
          hidden
          tabindex="-1"
          aria-hidden="true"
          @change=${this._onInputChange}
        />
        ${this.camera === 'never'
          ? nothing
          : html`<input
              id="camera-input"
              type="file"
              accept="image/*"
              capture="environment"
              hidden
              tabindex="-1"
              aria-hidden="true"
              @change=${this._onInputChange}
            />`}
      </div>
    `;
  }

  private _renderDropArea(limits: UploadLimits): unknown {
    return html`
      <div part="drop-area" class="drop-area" aria-busy=${this._preparing ? 'true' : 'false'} @click=${this._onAreaClick}>
        <span part="icon" class="icon"><slot name="icon">${iconPhoto}</slot></span>
        <p part="label" class="label" id="label"><slot name="label">${TEXT.label}</slot></p>
        <div part="actions" class="actions">
          <button
            part="browse-button"
            class="primary"
            type="button"
            aria-describedby="label hint"
            ?disabled=${this.disabled || this._preparing}
            @click=${this.open}
          >
            ${TEXT.choose}
          </button>
          ${this.camera === 'never'
            ? nothing
            : html`<button part="camera-button" class="camera" type="button" ?disabled=${this.disabled || this._preparing} @click=${this.openCamera}>
                ${TEXT.camera}
              </button>`}
        </div>
        ${this._preparing
          ? html`<p part="preparing" class="preparing"><span class="spinner" aria-hidden="true"></span>${TEXT.preparing}</p>`
          : html`<p part="hint" class="hint" id="hint"><slot name="hint">${TEXT.hint(formatTypeList(limits), limits.max_bytes, byteBase(limits.max_bytes))}</slot></p>`}
      </div>
    `;
  }

  private _renderPreview(): unknown {
    const prepared = this._prepared!;
    const file = this._file!;
    // Loaded with the checks that accepted the photo.
    const words = this._checks!.PREVIEW_TEXT;
    const size = formatBytes(prepared.blob.size, byteBase(prepared.blob.size));
    const details = [prepared.width && prepared.height ? words.dimensions(prepared.width, prepared.height) : '', size, prepared.passthrough ? words.heicOnUpload : '']
      .filter(Boolean)
      .join(' · ');
    return html`
      <figure part="preview" class="preview" aria-busy=${this._preparing ? 'true' : 'false'}>
        ${this._previewUrl
          ? html`<img part="thumbnail" class="thumbnail" src=${this._previewUrl} alt=${words.selected(file.name)} />`
          : html`<div part="thumbnail" class="thumbnail placeholder" role="img" aria-label=${words.selectedHeic(file.name)}>
              ${iconPhoto}<span>HEIC</span>
            </div>`}
        <figcaption class="caption">
          <span part="file-name" class="file-name" title=${file.name}>${file.name}</span>
          <span part="details" class="details">${details}</span>
        </figcaption>
        <div part="preview-actions" class="actions">
          <button part="replace-button" type="button" aria-label=${words.replacePhoto} ?disabled=${this.disabled || this._preparing} @click=${this.open}>
            ${words.replace}
          </button>
          <button part="remove-button" type="button" aria-label=${words.removePhoto} ?disabled=${this.disabled} @click=${this._onRemove}>
            ${words.remove}
          </button>
        </div>
        ${this._preparing
          ? html`<p part="preparing" class="preparing"><span class="spinner" aria-hidden="true"></span>${TEXT.preparing}</p>`
          : nothing}
      </figure>
    `;
  }

  private _renderProgress(): unknown {
    if (this.uploadProgress === null || this.uploadProgress === undefined || Number.isNaN(this.uploadProgress)) return nothing;
    const fraction = Math.min(1, Math.max(0, this.uploadProgress));
    const percent = Math.round(fraction * 100);
    return html`
      <div part="progress" class="progress">
        <span part="progress-label" id="progress-label">${fraction >= 1 ? TEXT.uploaded : TEXT.uploading(fraction)}</span>
        <progress part="progress-bar" aria-labelledby="progress-label" max="100" .value=${percent}></progress>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-dropzone': StagingDropzone;
  }
  interface HTMLElementEventMap {
    'staging-file-selected': CustomEvent<StagingFileSelectedDetail>;
    'staging-file-rejected': CustomEvent<StagingFileRejectedDetail>;
    'staging-file-cleared': CustomEvent<StagingFileClearedDetail>;
  }
}
