import { Task, TaskStatus, initialState } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import { StagingError, type StagingClient, type TokenResult } from '../../client/index.js';
import { RESOLUTION_LONG_SIDE, RESOLUTION_RANK, type Catalog, type CreateJobRequest, type Credits, type Resolution, type Service } from '../../contract/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail, isAbort, type StagingErrorDetail } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import { parseServiceList } from '../shared/service-list.js';
import { emit } from '../shared/events.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { OPTION_NAME_PREFIX, sanitizeRaw, typedOption, type OptionValue } from './option-fields.js';
import { pickerStyles } from './staging-picker.styles.js';
import { CONFIG_QUESTION, TEXT } from './picker-text.js';
import { renderServiceCards } from './service-cards.js';
import type { Choice, ReferenceState } from './choice.js';
import { PROMPT_MAX, renderMoreOptions, type MoreOptionsContext } from './more-options.js';

/** What the person chose: a `CreateJobRequest` without the photo and mask, plus whether they want to paint a mask. */
export interface StagingPickerValue {
  service: string;
  config: string;
  resolution: Resolution;
  /** Only for services that take a prompt, and only when one was written. */
  prompt?: string;
  /** Only for services that offer more than one variant. */
  variants?: number;
  /** Only the options given; the server applies the defaults of the others. */
  options?: Record<string, OptionValue>;
  /** The uploaded reference image, once its upload has finished. */
  reference_upload_id?: string;
  /** The person asked to paint a mask (only ever true for services that take one). */
  wantsMask: boolean;
}

// Fails to compile if the value drifts from what POST /v1/jobs accepts.
type _JobFields = Omit<StagingPickerValue, 'wantsMask'> extends Omit<CreateJobRequest, 'upload_id' | 'mask_upload_id'> ? true : never;
const _valueMatchesContract: _JobFields = true;
void _valueMatchesContract;

/** Short name of `StagingPickerValue`. */
export type PickerValue = StagingPickerValue;
export type StagingSelectionChangeDetail = StagingPickerValue;
export type StagingSubmitDetail = StagingPickerValue;

const SOURCE = 'staging-picker';

const servicesConverter = {
  fromAttribute: parseServiceList,
  toAttribute: (v: string[] | undefined): string | null => (v ? v.join(',') : null),
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
const isControl = (n: unknown): n is Control => n instanceof HTMLInputElement || n instanceof HTMLSelectElement || n instanceof HTMLTextAreaElement;

/**
 * Lets a person choose what to do with their photo: the service, its preset, the output
 * resolution, a prompt, the number of variants, the service's own options, a reference image
 * and whether to paint a mask, with the credit cost shown before they start.
 *
 * The catalog comes from `GET /v1/services` through `client` (or `endpoint` with `token-url`
 * or `fetchToken`), or is set directly with `catalog`. Services that the configured engine
 * cannot really perform are marked "Preview only" before anything is paid.
 *
 * A real `<form>` inside: native radios (arrow keys move between services), labels on every
 * control, constraint validation with the browser's messages shown next to each field.
 *
 * @summary Service, preset, resolution and options from the catalog, with the credit cost; fires the choice on submit.
 *
 * @fires staging-selection-change - The choice changed (also once the catalog has loaded). `detail`: the `value`.
 * @fires staging-submit - The person pressed Start on a valid choice. Cancelable: `preventDefault()` stops the picker's own follow-up (its "sent" announcement). `detail`: the `value`.
 * @fires staging-error - The catalog could not be loaded (`step: "catalog"`), or the reference image could not be uploaded (`step: "reference"`). `detail: { code, message, source, step, requestId? }`; the picker shows its own sentence for the code.
 *
 * @slot submit-label - Replaces the submit button's text (default "Start", or `submitLabel`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart loading - The "Loading services…" line.
 * @csspart error - The catalog error block (`role="alert"`).
 * @csspart retry - Its Retry button.
 * @csspart empty - The line shown when no service is available.
 * @csspart form - The `<form>`.
 * @csspart service-list - The fieldset of service cards.
 * @csspart service - One service card (a `<label>` around its radio).
 * @csspart service-selected - The card of the chosen service (with `service`).
 * @csspart service-name - A card's name.
 * @csspart service-description - A card's description.
 * @csspart service-icon - A card's picture (an inline SVG line icon).
 * @csspart preview-badge - "Preview" on the card of a service the engine cannot really perform.
 * @csspart preview-note - Under the cards, once, when such a service is chosen: what the person will get, and that it is free.
 * @csspart settings - The block of the chosen service's fields.
 * @csspart config - The preset question (a fieldset of chips).
 * @csspart config-choice - One preset chip (also `config-choice-selected`).
 * @csspart more-options - The folded "More options" panel (a `<details>`): size, versions, instructions, scene options, reference photo.
 * @csspart more-options-summary - Its always-visible line, with what it holds.
 * @csspart resolution - The resolution fieldset.
 * @csspart resolution-choice - One resolution radio with its label.
 * @csspart prompt - The prompt field.
 * @csspart prompt-counter - "12 / 2000".
 * @csspart variants - The variants field.
 * @csspart stepper-button - The − and + buttons of the variants field.
 * @csspart options - The fieldset of the service's options.
 * @csspart option - One option field (also `option-enum`, `option-string`, `option-number`, `option-integer`, `option-boolean`).
 * @csspart reference - The reference image field.
 * @csspart reference-drop - Its drop area ("Drop a photo here, or choose one"), a label around the file input; hidden once a photo is chosen.
 * @csspart reference-preview - The chosen reference image with its status.
 * @csspart reference-thumbnail - Its thumbnail.
 * @csspart reference-progress - Its upload progress bar.
 * @csspart reference-remove - Its Remove button.
 * @csspart mask-toggle - The "Paint a mask" checkbox field.
 * @csspart field-error - The message under an invalid field.
 * @csspart summary - The block of cost and submit.
 * @csspart cost - The cost line, a polite live region ("Costs 3 credits. You have 7 left.").
 * @csspart cost-warning - "Not enough credits…", inside `cost`.
 * @csspart submit-hint - Why Start is disabled.
 * @csspart submit - The submit button.
 * @csspart status - The visually hidden polite live region for other announcements.
 *
 * @cssproperty --staging-color-accent - Selected card, radios, buttons and focus ring.
 * @cssproperty --staging-color-accent-contrast - Text on accent.
 * @cssproperty --staging-color-surface - Background.
 * @cssproperty --staging-color-surface-raised - Card and button background.
 * @cssproperty --staging-color-text - Text.
 * @cssproperty --staging-color-muted - Descriptions and help text.
 * @cssproperty --staging-color-border - Card and control borders.
 * @cssproperty --staging-color-danger - Errors and the not-enough-credits warning.
 * @cssproperty --staging-color-warning - The "Preview only" note.
 * @cssproperty --staging-focus-ring - The focus box-shadow.
 * @cssproperty --staging-radius - Corner radius.
 * @cssproperty --staging-space - Base spacing unit.
 * @cssproperty --staging-font-family - Font.
 * @cssproperty --staging-font-size - Base font size.
 * @cssproperty --staging-picker-card-min-width - Narrowest a service card gets before the cards stack (default 15rem).
 */
@customElement('staging-picker')
export class StagingPicker extends LitElement {
  static override styles = [themeStyles, spinnerStyles, pickerStyles];
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The API client to use; wins over `endpoint`. Inside `<staging-widget>` the widget's own is used when none is set. */
  @property({ attribute: false }) client: StagingClient | undefined;

  /** The BFF's base URL, used with `token-url` or `fetchToken`. */
  @property() endpoint: string | undefined;

  /** The host backend's URL that answers `POST` with a widget token. */
  @property({ attribute: 'token-url' }) tokenUrl: string | undefined;

  /** Any code that produces a widget token; overrides `token-url`. */
  @property({ attribute: false }) fetchToken: (() => Promise<TokenResult>) | undefined;

  /** The catalog, when the host already has it: nothing is fetched then. */
  @property({ attribute: false }) catalog: Catalog | undefined;

  /** The session's credits, when the host already has them; otherwise fetched from `GET /v1/credits` when a client is available. */
  @property({ attribute: false }) credits: Credits | undefined;

  /** Service ids to offer (attribute: comma-separated); all of the catalog's when unset. */
  @property({ converter: servicesConverter }) services: string[] | undefined;

  /** Text of the submit button, unless the `submit-label` slot is used. */
  @property({ attribute: 'submit-label' }) submitLabel: string = TEXT.start;

  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The photo the choice is for: a service that only enlarges (an upscale) offers only targets larger than it, and none when it is larger than all. */
  @property({ attribute: false }) photo: { width: number; height: number } | undefined;

  @state() private _selectedId: string | null = null;
  @state() private _valid = true;
  @state() private _errors: ReadonlyMap<string, string> = new Map();
  /** "More options" unfolded. */
  @state() private _moreOpen = false;

  @query('form') private _form!: HTMLFormElement | null;

  private readonly _api = new ClientController(this);
  private readonly _announcer = new LiveAnnouncer(this);
  private _choices = new Map<string, Choice>();
  /** Controls the person has left or changed: only these show their errors before a submit attempt. */
  private _touched = new Set<string>();
  private _lastEmitted: string | null = null;
  private _creditsNonce = 0;
  private _interrupted: Array<Task<readonly unknown[], unknown>> = [];

  private readonly _catalogTask = new Task(this, {
    task: async ([client, given], { signal }) => {
      if (given || !client) return initialState;
      return client.getCatalog({ signal });
    },
    args: () => [this._api.client, this.catalog] as const,
    onError: (e) => {
      if (!isAbort(e)) emit(this, 'staging-error', errorDetail(SOURCE, e, 'catalog'));
    },
  });

  private readonly _creditsTask = new Task(this, {
    task: async ([client, given], { signal }) => {
      if (given || !client) return initialState;
      return client.getCredits({ signal });
    },
    // The nonce makes refreshCredits() a change of arguments.
    args: () => [this._api.client, this.credits, this._creditsNonce] as const,
  });

  /** The current choice, or null while no service is available (loading, failed, empty). */
  get value(): StagingPickerValue | null {
    const service = this._service;
    return service ? this._valueOf(service, this._choiceFor(service)) : null;
  }

  /** The catalog in use: the `catalog` property, or the one loaded. */
  get loadedCatalog(): Catalog | undefined {
    return this.catalog ?? (this._catalogTask.status === TaskStatus.COMPLETE ? this._catalogTask.value : undefined);
  }

  /** Credits of the session as known: the `credits` property, or the ones loaded. */
  get knownCredits(): Credits | undefined {
    return this.credits ?? this._creditsTask.value;
  }

  /** Credits the current choice costs: per output at the resolution, times the variants. */
  get cost(): number | null {
    const service = this._service;
    if (!service) return null;
    // A preview of a service the engine cannot really perform is free (the BFF charges nothing either).
    if (service.preview_only) return 0;
    const choice = this._choiceFor(service);
    return (service.credits[choice.resolution] ?? 0) * this._variantsOf(service, choice);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Thumbnails were released on disconnect; the files are still held.
    for (const choice of this._choices.values()) {
      if (choice.reference && !choice.reference.url) choice.reference.url = URL.createObjectURL(choice.reference.file);
    }
    // A load cut short by a disconnect (a move in the DOM) is not a failure to show: start it
    // again. The new run supersedes the aborted one, whose rejection the task then ignores.
    for (const task of this._interrupted) void task.run();
    this._interrupted = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._interrupted = [this._catalogTask, this._creditsTask].filter((t) => t.status === TaskStatus.PENDING);
    for (const task of this._interrupted) task.abort();
    for (const choice of this._choices.values()) {
      const ref = choice.reference;
      if (!ref) continue;
      if (ref.controller) {
        // An upload stopped halfway has no id to keep.
        ref.controller.abort();
        this._dropReference(choice);
        continue;
      }
      if (ref.url) URL.revokeObjectURL(ref.url);
      ref.url = null;
    }
    // Shows the dropped upload and the renewed thumbnails once connected again.
    this.requestUpdate();
  }

  /** Loads the catalog again (what Retry does). */
  reload(): Promise<void> {
    return this._catalogTask.run();
  }

  /** Fetches the session's credits again, e.g. after a job was charged. */
  refreshCredits(): void {
    this._creditsNonce++;
    this.requestUpdate();
  }

  /** Forgets every choice, stops a reference upload, and selects the first service with its defaults. */
  reset(): void {
    for (const choice of this._choices.values()) this._dropReference(choice);
    this._choices.clear();
    this._touched.clear();
    this._errors = new Map();
    this._selectedId = null;
    this._announcer.clear();
    this._form?.reset();
    this.requestUpdate();
  }

  /** Whether the current choice is complete and within its constraints (no messages shown). */
  checkValidity(): boolean {
    return !!this._service && this._controls().every((c) => !c.willValidate || c.validity.valid);
  }

  /** Like `checkValidity()`, and shows the messages of the invalid fields and focuses the first. */
  reportValidity(): boolean {
    const invalid = this._controls().filter((c) => c.willValidate && !c.validity.valid);
    for (const c of invalid) this._touched.add(c.name);
    this._refreshValidity();
    // A field to fix is never left inside a folded panel.
    const folded = invalid[0]?.closest('details');
    if (folded && !folded.open) {
      folded.open = true;
      this._moreOpen = true;
    }
    invalid[0]?.focus();
    return !!this._service && invalid.length === 0;
  }

  protected override updated(): void {
    this._refreshValidity();
    const value = this.value;
    const key = value ? JSON.stringify(value) : null;
    if (key !== this._lastEmitted) {
      this._lastEmitted = key;
      if (value) emit(this, 'staging-selection-change', value);
    }
  }

  // ---- model ----

  private get _services(): Service[] {
    const catalog = this.loadedCatalog;
    if (!catalog) return [];
    const only = this.services?.length ? new Set(this.services) : null;
    // A service that merges bracketed exposures needs several photos at once, which the widget's
    // one-photo flow cannot give it yet: it is not offered rather than refused after Start.
    return catalog.services.filter((s) => (!only || only.has(s.id)) && this._resolutionsOf(s).length > 0);
  }

  private get _service(): Service | null {
    const list = this._services;
    return list.find((s) => s.id === this._selectedId) ?? list[0] ?? null;
  }

  /** The service's resolutions that the session may use (the catalog is already filtered; this is a second guard). */
  private _resolutionsOf(service: Service): Resolution[] {
    const catalog = this.loadedCatalog;
    const max = catalog ? RESOLUTION_RANK[catalog.max_resolution] : Infinity;
    const photoLong = service.upscales_to_resolution && this.photo ? Math.max(this.photo.width, this.photo.height) : 0;
    return service.resolutions.filter(
      (r) => RESOLUTION_RANK[r] <= max && (!catalog || catalog.resolutions.includes(r)) && RESOLUTION_LONG_SIDE[r] > photoLong,
    );
  }

  /** The remembered choice for a service, created with defaults, and corrected if the catalog changed under it. */
  private _choiceFor(service: Service): Choice {
    let choice = this._choices.get(service.id);
    const resolutions = this._resolutionsOf(service);
    const defaultResolution: Resolution = resolutions.includes('2K') ? '2K' : (resolutions[0] ?? '2K');
    if (!choice) {
      choice = {
        config: defaultConfig(service),
        resolution: defaultResolution,
        prompt: '',
        variants: String(service.inputs.variants.min),
        options: {},
        reference: null,
        wantsMask: false,
      };
      this._choices.set(service.id, choice);
    }
    if (!service.configs.some((c) => c.id === choice.config)) choice.config = defaultConfig(service);
    if (!resolutions.includes(choice.resolution)) choice.resolution = defaultResolution;
    for (const field of service.options) choice.options[field.key] = sanitizeRaw(field, choice.options[field.key]);
    return choice;
  }

  private _variantsOf(service: Service, choice: Choice): number {
    const { min, max } = service.inputs.variants;
    if (max <= 1) return Math.max(1, min);
    const n = Number(choice.variants);
    // An unfinished entry costs what the smallest count would; the field shows the error.
    return Number.isInteger(n) && n >= min && n <= max ? n : min;
  }

  private _valueOf(service: Service, choice: Choice): StagingPickerValue {
    const value: StagingPickerValue = { service: service.id, config: choice.config, resolution: choice.resolution, wantsMask: false };
    if (service.inputs.prompt) {
      const prompt = choice.prompt.trim();
      if (prompt) value.prompt = prompt.slice(0, PROMPT_MAX);
    }
    if (service.inputs.variants.max > 1) {
      const n = Number(choice.variants);
      if (choice.variants.trim() !== '' && Number.isFinite(n)) value.variants = n;
    }
    const options: Record<string, OptionValue> = {};
    for (const field of fieldsFor(service, choice)) {
      const v = typedOption(field, choice.options[field.key]);
      if (v !== undefined) options[field.key] = v;
    }
    if (Object.keys(options).length) value.options = options;
    if (service.inputs.reference_image && choice.reference?.uploadId) value.reference_upload_id = choice.reference.uploadId;
    value.wantsMask = service.inputs.mask && (choice.wantsMask || this._maskNeededBy(service, choice) !== null);
    return value;
  }

  /** The label of a chosen option value that needs a painted mask (`needs_mask`), or null. */
  private _maskNeededBy(service: Service, choice: Choice): string | null {
    for (const field of fieldsFor(service, choice)) {
      if (field.type !== 'enum') continue;
      const chosen = field.values.find((v) => v.value === (choice.options[field.key] ?? field.default));
      if (chosen?.needs_mask) return chosen.label;
    }
    return null;
  }

  private _dropReference(choice: Choice): void {
    const ref = choice.reference;
    if (!ref) return;
    ref.controller?.abort();
    if (ref.url) URL.revokeObjectURL(ref.url);
    choice.reference = null;
  }

  private _controls(): Control[] {
    return this._form ? Array.from(this._form.elements).filter(isControl) : [];
  }

  /** Reads the form's constraint validation into state; re-renders only on a change. */
  private _refreshValidity(): void {
    let valid = true;
    const errors = new Map<string, string>();
    for (const c of this._controls()) {
      if (!c.willValidate || c.validity.valid) continue;
      valid = false;
      if (this._touched.has(c.name)) errors.set(c.name, c.validationMessage);
    }
    if (valid !== this._valid) this._valid = valid;
    const same = errors.size === this._errors.size && [...errors].every(([k, v]) => this._errors.get(k) === v);
    if (!same) this._errors = errors;
  }

  // ---- events ----

  private _onControl = (event: Event): void => {
    const target = event.composedPath()[0];
    if (!isControl(target) || target.type === 'file') return;
    const service = this._service;
    if (!service) return;
    const name = target.name;
    if (name === 'service') {
      if (target instanceof HTMLInputElement && target.checked && target.value !== service.id) {
        this._selectedId = target.value;
        // The fields are the other service's now: none of them has been touched yet.
        this._touched.clear();
      }
      return;
    }
    const choice = this._choiceFor(service);
    const checked = target instanceof HTMLInputElement && target.checked;
    if (name === 'config') choice.config = target.value;
    else if (name === 'resolution' && checked) choice.resolution = target.value as Resolution;
    else if (name === 'prompt') choice.prompt = target.value;
    else if (name === 'variants') choice.variants = target.value;
    else if (name === 'mask') choice.wantsMask = checked;
    else if (name.startsWith(OPTION_NAME_PREFIX)) {
      choice.options[name.slice(OPTION_NAME_PREFIX.length)] = target.type === 'checkbox' ? checked : target.value;
    } else return;
    if (event.type === 'change') this._touched.add(name);
    this.requestUpdate();
  };

  private _onFocusOut = (event: FocusEvent): void => {
    const target = event.composedPath()[0];
    if (!isControl(target) || !target.name || this._touched.has(target.name)) return;
    this._touched.add(target.name);
    this._refreshValidity();
  };

  private _onStep = (delta: number): void => {
    const service = this._service;
    if (!service) return;
    const choice = this._choiceFor(service);
    const { min, max } = service.inputs.variants;
    const n = Number(choice.variants);
    const current = Number.isInteger(n) ? n : min;
    choice.variants = String(Math.min(max, Math.max(min, current + delta)));
    this._touched.add('variants');
    this.requestUpdate();
  };

  private _onReferenceChange = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const service = this._service;
    if (!file || !service) return;
    const choice = this._choiceFor(service);
    this._dropReference(choice);
    const ref: ReferenceState = { file, url: URL.createObjectURL(file), progress: 0, controller: new AbortController() };
    choice.reference = ref;
    this._announcer.announce('Uploading the reference image…');
    this.requestUpdate();

    const fail = (detail: StagingErrorDetail): void => {
      ref.error = errorText(detail.code);
      ref.progress = null;
      ref.controller = undefined;
      this._announcer.clear();
      this.requestUpdate();
      emit(this, 'staging-error', detail);
    };
    const client = this._api.client;
    if (!client) {
      fail(errorDetail(SOURCE, new StagingError({ code: 'not_configured', message: 'The reference image cannot be uploaded: the picker has no client, endpoint or token.' }), 'reference'));
      return;
    }
    try {
      const upload = await client.uploadImage(file, {
        signal: ref.controller!.signal,
        onProgress: (p) => {
          if (choice.reference !== ref || !p.total) return;
          ref.progress = Math.min(1, p.loaded / p.total);
          this.requestUpdate();
        },
      });
      if (choice.reference !== ref) return; // replaced or removed meanwhile
      ref.uploadId = upload.id;
      ref.progress = null;
      ref.controller = undefined;
      this._announcer.announce('Reference image uploaded.');
      this.requestUpdate();
    } catch (e) {
      if (choice.reference !== ref || isAbort(e)) return;
      fail(errorDetail(SOURCE, e, 'reference'));
    }
  };

  private _onReferenceRemove = async (): Promise<void> => {
    const service = this._service;
    if (!service) return;
    this._dropReference(this._choiceFor(service));
    const input = this.renderRoot.querySelector<HTMLInputElement>('#reference');
    if (input) input.value = '';
    this._announcer.announce('Reference image removed.');
    this.requestUpdate();
    await this.updateComplete;
    // The Remove button is gone; keep focus on the field it belonged to.
    input?.focus();
  };

  private _onSubmit = (event: SubmitEvent): void => {
    // The picker never navigates: the host decides what a submission does.
    event.preventDefault();
    const service = this._service;
    if (!service || this.disabled) return;
    if (!this.reportValidity() || this._blocker(service)) return;
    const value = this._valueOf(service, this._choiceFor(service));
    if (!emit(this, 'staging-submit', value, { cancelable: true })) return;
    this._announcer.announce(`Sent: ${service.name}, ${value.resolution}, ${service.preview_only ? TEXT.free.toLowerCase() : plural(this.cost ?? 0, 'credit', 'credits')}.`);
  };

  /** A reason, besides invalid fields, why the choice cannot be submitted now. */
  private _blocker(service: Service): string | null {
    const choice = this._choiceFor(service);
    if (choice.reference?.controller) return 'Wait until the reference image has uploaded.';
    if (choice.reference?.error) return 'Remove the reference image that failed to upload, or choose another.';
    const remaining = this.knownCredits?.remaining;
    const cost = this.cost ?? 0;
    if (remaining !== null && remaining !== undefined && cost > remaining) return 'Not enough credits left for this choice.';
    return null;
  }

  // ---- rendering ----

  protected override render(): unknown {
    const task = this._catalogTask;
    const busy = !this.catalog && task.status === TaskStatus.PENDING;
    let body: unknown;
    if (this.catalog || task.status === TaskStatus.COMPLETE) body = this._services.length ? this._renderForm() : this._renderEmpty('No services are available for this session.');
    else if (busy) body = html`<p part="loading" class="loading"><span class="spinner" aria-hidden="true"></span>Loading services…</p>`;
    else if (task.status === TaskStatus.ERROR) body = this._renderLoadError(task.error);
    else body = this._renderEmpty('Connect the picker to the staging service to see its services.');
    return html`
      <div part="base" class="base" aria-busy=${busy ? 'true' : 'false'}>
        ${body}
        ${this._announcer.render('status', busy ? 'Loading services…' : undefined)}
      </div>
    `;
  }

  private _renderEmpty(text: string): TemplateResult {
    return html`<p part="empty" class="empty">${text}</p>`;
  }

  private _renderLoadError(error: unknown): TemplateResult {
    const message = isAbort(error) ? 'Loading the services was interrupted.' : errorText(errorDetail(SOURCE, error).code);
    return html`<div part="error" class="load-error" role="alert">
      <p><strong>The services could not be loaded.</strong> ${message}</p>
      <button part="retry" type="button" @click=${() => void this.reload()}>Retry</button>
    </div>`;
  }

  private _renderForm(): TemplateResult {
    const service = this._service!;
    const choice = this._choiceFor(service);
    return html`
      <form
        part="form"
        class="form"
        novalidate
        aria-label="Choose a service"
        @submit=${this._onSubmit}
        @input=${this._onControl}
        @change=${this._onControl}
        @focusout=${this._onFocusOut}
      >
        ${renderServiceCards({ services: this._services, selected: service, disabled: this.disabled })}
        ${keyed(service.id, html`<div part="settings" class="settings">${this._renderSettings(service, choice)}</div>`)}
        ${this._renderSummary(service)}
      </form>
    `;
  }

  /**
   * One question in view (the preset, as chips), the mask choice, and everything else folded
   * under "More options" with a one-line summary of what it holds.
   */
  private _renderSettings(service: Service, choice: Choice): unknown {
    return [
      this._renderConfig(service, choice),
      service.inputs.mask ? this._renderMaskToggle(service, choice) : nothing,
      renderMoreOptions(this._moreOptionsContext(service, choice)),
    ];
  }

  /** What the folded "More options" panel needs from the element (more-options.ts renders it). */
  private _moreOptionsContext(service: Service, choice: Choice): MoreOptionsContext {
    return {
      service,
      choice,
      fields: fieldsFor(service, choice),
      resolutions: this._resolutionsOf(service),
      // A field with an error is never hidden in a folded panel.
      open: this._moreOpen || this._errors.size > 0,
      summary: this._foldedSummary(service, choice),
      errors: this._errors,
      disabled: this.disabled,
      accept: this.loadedCatalog?.upload.content_types.join(',') || 'image/*',
      onToggle: (open) => (this._moreOpen = open),
      onStep: this._onStep,
      onReferenceChange: this._onReferenceChange,
      onReferenceRemove: this._onReferenceRemove,
    };
  }

  /** "2K · 1 version · instructions" : what the folded panel currently holds. */
  private _foldedSummary(service: Service, choice: Choice): string {
    const bits: string[] = [choice.resolution];
    if (service.inputs.variants.max > 1) bits.push(plural(this._variantsOf(service, choice), 'version', 'versions'));
    if (choice.prompt.trim()) bits.push(TEXT.instructions.toLowerCase());
    if (choice.reference) bits.push('reference photo');
    return bits.join(' · ');
  }

  private _renderConfig(service: Service, choice: Choice): TemplateResult {
    const current = service.configs.find((c) => c.id === choice.config);
    // Rooms first: agents photograph interiors far more often than facades.
    const rank = (scene?: string) => (scene === 'interior' ? 0 : scene === 'exterior' ? 1 : 2);
    const configs = [...service.configs].sort((a, b) => rank(a.scene) - rank(b.scene));
    return html`<fieldset part="config" class="field config" aria-describedby=${ifDefined(current?.description ? 'config-help' : undefined)}>
      <legend>${CONFIG_QUESTION[service.id] ?? TEXT.configFallback}</legend>
      <div class="chips">
        ${configs.map(
          (c) => html`<label part=${c.id === choice.config ? 'config-choice config-choice-selected' : 'config-choice'} class="chip">
            <input type="radio" name="config" id=${`config-${c.id}`} value=${c.id} .checked=${live(c.id === choice.config)} ?disabled=${this.disabled} />
            <span>${c.name}</span>
          </label>`,
        )}
      </div>
      ${current?.description ? html`<p class="help" id="config-help">${current.description}</p>` : nothing}
    </fieldset>`;
  }

  private _renderMaskToggle(service: Service, choice: Choice): TemplateResult {
    // HDR merge's mask, and one a chosen option needs, mark the windows; a needed one cannot be unticked.
    const neededBy = this._maskNeededBy(service, choice);
    const windows = neededBy !== null || service.inputs.brackets !== undefined;
    const help = neededBy !== null ? TEXT.maskNeeded(neededBy) : windows ? TEXT.maskWindowsHelp : TEXT.maskHelp;
    return html`<div part="mask-toggle" class="field check">
      <input
        type="checkbox"
        id="mask"
        name="mask"
        .checked=${live(choice.wantsMask || neededBy !== null)}
        ?disabled=${this.disabled || neededBy !== null}
        aria-describedby="mask-help"
      />
      <label for="mask">${windows ? TEXT.maskWindows : TEXT.mask}</label>
      <p class="help" id="mask-help">${help}</p>
    </div>`;
  }

  private _renderSummary(service: Service): TemplateResult {
    const cost = this.cost ?? 0;
    const remaining = this.knownCredits?.remaining;
    const short = remaining !== null && remaining !== undefined && cost > remaining;
    const blocker = this.disabled ? null : this._blocker(service);
    const hint = this.disabled ? null : !this._valid ? 'Complete the fields marked as invalid first.' : blocker;
    const canSubmit = !this.disabled && this._valid && !blocker;
    return html`<div part="summary" class="summary">
      <div part="cost" class="cost" id="cost" role="status" aria-live="polite" aria-atomic="true">
        <span class="cost-amount">${service.preview_only ? TEXT.free : plural(cost, 'credit', 'credits')}</span>
        ${remaining !== null && remaining !== undefined ? html`<span class="credits">You have ${remaining} left.</span>` : nothing}
        ${short
          ? html`<span part="cost-warning" class="cost-warning">Not enough credits: choose a lower resolution${service.inputs.variants.max > 1 ? ' or fewer variants' : ''}.</span>`
          : nothing}
      </div>
      ${hint && !short ? html`<p part="submit-hint" class="submit-hint" id="submit-hint">${hint}</p>` : nothing}
      <button
        part="submit"
        class="primary submit"
        type="submit"
        ?disabled=${!canSubmit}
        aria-describedby=${hint && !short ? 'cost submit-hint' : 'cost'}
      >
        <slot name="submit-label">${this.submitLabel}</slot>
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staging-picker': StagingPicker;
  }
  interface HTMLElementEventMap {
    'staging-selection-change': CustomEvent<StagingSelectionChangeDetail>;
    'staging-submit': CustomEvent<StagingSubmitDetail>;
  }
}

/**
 * The config a service starts with: the first for an interior, since agents photograph rooms
 * far more often than facades, or else the catalog's first.
 */
function defaultConfig(service: Service): string {
  return (service.configs.find((c) => c.scene === 'interior') ?? service.configs[0])?.id ?? '';
}

/** The service's options that apply to the chosen config's scene (no weather for a kitchen). */
function fieldsFor(service: Service, choice: Choice): Service['options'] {
  const scene = service.configs.find((c) => c.id === choice.config)?.scene;
  return service.options.filter((f) => !f.scene || !scene || f.scene === scene);
}
