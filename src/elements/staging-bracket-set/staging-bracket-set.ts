import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { UploadLimits } from '../../contract/index.js';
import type { StagingClient } from '../../client/index.js';
import type { PreparedImage } from '../../client/image/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { emit } from '../shared/events.js';
import { buttonLikeStyles, themeStyles } from '../shared/theme.styles.js';
import { panelStyles } from '../shared/panel.styles.js';
import { acceptAttribute, DEFAULT_UPLOAD_LIMITS } from '../staging-dropzone/validation.js';
import { TEXT } from './bracket-text.js';
import { brightnessOf, byExposure, problemOf, type SetProblem, type Shot } from './exposure.js';
import { bracketSetStyles } from './staging-bracket-set.styles.js';
import { LocaleController, type Words } from '../shared/locale.js';

/** The person's first photo, already uploaded: the set is built around it. */
export interface BracketFirstPhoto {
  uploadId: string;
  url: string;
  name: string;
  width: number;
  height: number;
}

export interface BracketsChangedDetail {
  /** Shots in the set, the first photo included. */
  count: number;
  /** Whether the set can be merged as it is. */
  usable: boolean;
}

interface Item extends Shot {
  key: number;
  url: string;
  first: boolean;
  prepared: PreparedImage | null;
  /** Set once uploaded, so that trying again does not send it twice. */
  uploadId: string | null;
}

let nextKey = 0;

/**
 * @summary The shots of one view for an exposure merge (HDR): the person's first photo plus the
 * darker and brighter ones they add, shown as thumbnails ordered from darkest to brightest, with
 * a plain sentence when the set cannot be merged (too few or too many, another size, two equally
 * bright). Each added file is checked and prepared as the dropzone prepares a photo.
 *
 * @fires staging-brackets-changed - The set changed; `detail` is `{count, usable}`.
 *
 * @csspart base - The wrapper.
 * @csspart list - The thumbnails, darkest first (also the drop target).
 * @csspart item - One shot.
 * @csspart thumbnail - A shot's picture.
 * @csspart item-label - Its place in the order ("Darkest", "Brightest").
 * @csspart remove-button - Removes an added shot.
 * @csspart slot - An empty place for a shot still needed; opens the file dialog.
 * @csspart add-button - Chooses more shots.
 * @csspart status - What the set needs, or that it is ready.
 * @csspart announcer - The visually hidden live region that reads the status out.
 *
 * @cssproperty --staging-bracket-thumbnail-size - Width of a thumbnail (default 112px, 84px on phones).
 */
@customElement('staging-bracket-set')
export class StagingBracketSet extends LitElement {
  static override styles = [themeStyles, panelStyles, buttonLikeStyles, bracketSetStyles];

  /** The photo already chosen (and uploaded); its size is the size every shot must have. */
  @property({ attribute: false }) first: BracketFirstPhoto | null = null;
  /** The BFF's upload limits (the catalog's `upload`). */
  @property({ attribute: false }) limits: UploadLimits = DEFAULT_UPLOAD_LIMITS;
  /** Long side the shots are prepared at: the same as the first photo's, so that sizes match. */
  @property({ type: Number, attribute: 'max-long-side' }) maxLongSide = 3840;
  /** Fewest and most shots the service merges (its `inputs.brackets`). */
  @property({ type: Number }) min = 3;
  @property({ type: Number }) max = 7;
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private _added: Item[] = [];
  @state() private _reading = 0;
  @state() private _refusals: Words[] = [];
  @state() private _uploading: Words | null = null;
  @state() private _dragOver = false;
  @state() private _firstBrightness: number | null = null;

  @query('[part~="add-button"] input') private _fileInput!: HTMLInputElement | null;

  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _l10n = new LocaleController(this);

  /** The shots, darkest first, the first photo among them. */
  get shots(): readonly Item[] {
    const first = this.first;
    const all = first
      ? [{ key: -1, name: first.name, width: first.width, height: first.height, brightness: this._firstBrightness, url: first.url, first: true, prepared: null, uploadId: first.uploadId }, ...this._added]
      : [...this._added];
    return byExposure(all);
  }

  /** Why the set cannot be merged yet, or null when it can. */
  get problem(): SetProblem | null {
    const first = this.shots.find((s) => s.first);
    return problemOf(first ? [first, ...this._added] : this._added, this.min, this.max);
  }

  get usable(): boolean {
    return this._reading === 0 && this.first !== null && this.problem === null;
  }

  /** Checks, prepares and adds files (what choosing or dropping them does). */
  async addFiles(files: Iterable<File>): Promise<void> {
    const list = [...files];
    const { checkFile } = await import('../staging-dropzone/check-file.js');
    this._reading += list.length;
    this._refusals = [];
    await Promise.all(
      list.map(async (file) => {
        try {
          const check = await checkFile(file, { limits: this.limits, maxLongSide: this.maxLongSide, signal: new AbortController().signal });
          if (!check.ok) {
            this._refusals = [...this._refusals, check.words];
            return;
          }
          const { prepared } = check;
          const url = URL.createObjectURL(prepared.blob);
          const brightness = prepared.passthrough ? null : await brightnessOf(url);
          this._added = [...this._added, { key: nextKey++, name: file.name, width: prepared.width, height: prepared.height, brightness, url, first: false, prepared, uploadId: null }];
        } finally {
          this._reading--;
        }
      }),
    );
    this._changed();
  }

  /**
   * Uploads the added shots not yet uploaded and resolves with the ids of all but the first photo,
   * darkest first (the job's `bracket_upload_ids`). Shows its progress.
   */
  async upload(client: StagingClient, signal?: AbortSignal): Promise<string[]> {
    const pending = this._added.filter((s) => !s.uploadId);
    try {
      for (const [i, shot] of pending.entries()) {
        this._uploading = () => TEXT.uploading(i + 1, pending.length);
        const upload = await client.uploadImage(shot.prepared!.blob, { signal, contentType: shot.prepared!.type || shot.prepared!.blob.type });
        shot.uploadId = upload.id;
      }
    } finally {
      this._uploading = null;
    }
    return this.shots.filter((s) => !s.first).map((s) => s.uploadId!);
  }

  private _removeShot(key: number): void {
    const item = this._added.find((s) => s.key === key);
    if (item) URL.revokeObjectURL(item.url);
    this._added = this._added.filter((s) => s.key !== key);
    this._changed();
    this._fileInput?.focus();
  }

  private _changed(): void {
    const status = this._statusText();
    if (status) this._announcer.announce(status.text);
    emit(this, 'staging-brackets-changed', { count: this.shots.length, usable: this.usable });
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('first')) {
      this._firstBrightness = null;
      const url = this.first?.url;
      if (url) void brightnessOf(url).then((b) => this.first?.url === url && ((this._firstBrightness = b), this._changed()));
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const s of this._added) URL.revokeObjectURL(s.url);
    this._added = [];
  }

  private _statusText(): { text: string; kind: 'problem' | 'ready' | 'busy' } | null {
    if (this._uploading) return { text: this._uploading(), kind: 'busy' };
    if (this._reading > 0) return { text: TEXT.reading, kind: 'busy' };
    const p = this.problem;
    if (!p) return this.first ? { text: TEXT.ready(this.shots.length), kind: 'ready' } : null;
    const size = (s: Shot) => `${s.width}×${s.height}`;
    switch (p.code) {
      case 'too_few':
        // Not a mistake: what to do next.
        return { text: TEXT.tooFew(p.missing), kind: 'busy' };
      case 'too_many':
        return { text: TEXT.tooMany(p.count, p.max), kind: 'problem' };
      case 'other_size':
        return { text: TEXT.otherSize(p.shot.name, size(p.shot), size(p.first)), kind: 'problem' };
      case 'same_brightness':
        return { text: TEXT.sameBrightness(p.a.name, p.b.name), kind: 'problem' };
    }
  }

  private readonly _onInput = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    // A copy: the input's FileList empties when its value is reset, below.
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) void this.addFiles(files);
  };

  /** An empty slot opens the same file dialog as "Add shots". */
  private readonly _choose = (): void => {
    this._fileInput?.click();
  };

  private readonly _onDragOver = (e: DragEvent): void => {
    if (this.disabled) return;
    e.preventDefault();
    this._dragOver = true;
  };

  private readonly _onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this._dragOver = false;
    if (!this.disabled && e.dataTransfer?.files.length) void this.addFiles(e.dataTransfer.files);
  };

  override render() {
    const shots = this.shots;
    const status = this._statusText();
    return html`<div part="base" lang=${this._l10n.locale} dir=${this._l10n.dir} class=${this._dragOver ? 'base drag-over' : 'base'} @dragover=${this._onDragOver} @dragleave=${() => (this._dragOver = false)} @drop=${this._onDrop}>
      <p class="intro">${TEXT.intro(this.min, this.max)}</p>
      <ol part="list" class="list" aria-label=${TEXT.listLabel}>
        ${repeat(
          shots,
          (s) => s.key,
          (s, i) => html`<li part="item" class="item">
            <img part="thumbnail" class="thumbnail" src=${s.url} alt="" />
            ${shots.length > 1 ? html`<span part="item-label" class="item-label">${TEXT.position(i, shots.length)}</span>` : nothing}
            <span class="item-name" title=${s.name}>${s.first ? TEXT.yourPhoto : s.name}</span>
            ${s.first
              ? nothing
              : html`<button part="remove-button" class="remove-button" type="button" aria-label=${TEXT.remove(s.name)} ?disabled=${this.disabled || !!this._uploading} @click=${() => this._removeShot(s.key)}>
                  <span aria-hidden="true">✕</span>
                </button>`}
          </li>`,
        )}
        ${Array.from(
          { length: Math.max(0, this.min - shots.length - this._reading) },
          () => html`<li class="item">
            <button part="slot" class="slot" type="button" ?disabled=${this.disabled} @click=${this._choose}><span aria-hidden="true">+</span>${TEXT.slot}</button>
          </li>`,
        )}
      </ol>
      <div class="add">
        <label part="add-button" class="button add-button">
          <input class="visually-hidden" type="file" multiple accept=${acceptAttribute(this.limits)} ?disabled=${this.disabled || !!this._uploading} @change=${this._onInput} />
          ${shots.length > 1 ? TEXT.addMore : TEXT.add}
        </label>
        <span class="drop-hint">${TEXT.drop}</span>
      </div>
      ${this._refusals.map((r) => html`<p class="refusal">${r()}</p>`)}
      ${status ? html`<p part="status" class="status ${status.kind}">${status.text}</p>` : nothing}
      ${this._announcer.render('announcer')}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-bracket-set': StagingBracketSet;
  }
  interface HTMLElementEventMap {
    'staging-brackets-changed': CustomEvent<BracketsChangedDetail>;
  }
}
