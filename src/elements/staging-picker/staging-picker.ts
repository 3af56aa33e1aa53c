import { Task, TaskStatus, initialState } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { StagingClient, TokenResult } from '../../client/index.js';
import { RESOLUTION_LONG_SIDE, RESOLUTION_RANK, type Catalog, type Credits, type Resolution, type Service } from '../../contract/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail, isAbort } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import '../shared/error-text-more.js';
import { parseServiceList } from '../shared/service-list.js';
import { emit } from '../shared/events.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { OPTION_NAME_PREFIX, sanitizeRaw } from './option-fields.js';
import { pickerStyles } from './staging-picker.styles.js';
import { TEXT } from './picker-text.js';
import { renderServiceCards } from './service-cards.js';
import { renderConfig, renderMaskToggle } from './scene-fields.js';
import { uploadReference, type ReferenceHost } from './reference-upload.js';
import { defaultConfig, dropReference, fieldsFor, valueOf, variantsOf, type Choice, type StagingPickerValue } from './choice.js';

export type { StagingPickerValue } from './choice.js';
import { renderMoreOptions, type MoreOptionsContext } from './more-options.js';
import { LocaleController } from '../shared/locale.js';

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
  private readonly _l10n = new LocaleController(this);
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
    return service ? valueOf(service, this._choiceFor(service)) : null;
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
    return (service.credits[choice.resolution] ?? 0) * variantsOf(service, choice);
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
        dropReference(choice);
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
    for (const choice of this._choices.values()) dropReference(choice);
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

  private _onReferenceChange = (event: Event): void => {
    const file = (event.target as HTMLInputElement).files?.[0];
    const service = this._service;
    if (file && service) void uploadReference(this._referenceHost, this._choiceFor(service), file);
  };

  /** What the reference image's upload may do to this element (reference-upload.ts). */
  private readonly _referenceHost: ReferenceHost = {
    client: () => this._api.client,
    changed: () => this.requestUpdate(),
    announce: (text) => (text ? this._announcer.announce(text) : this._announcer.clear()),
    errorDetail: (error) => errorDetail(SOURCE, error, 'reference'),
    failed: (detail) => emit(this, 'staging-error', detail),
  };

  private _onReferenceRemove = async (): Promise<void> => {
    const service = this._service;
    if (!service) return;
    dropReference(this._choiceFor(service));
    const input = this.renderRoot.querySelector<HTMLInputElement>('#reference');
    if (input) input.value = '';
    this._announcer.announce(TEXT.referenceRemoved);
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
    const value = valueOf(service, this._choiceFor(service));
    if (!emit(this, 'staging-submit', value, { cancelable: true })) return;
    this._announcer.announce(TEXT.sent(service.name, value.resolution, service.preview_only ? TEXT.free.toLowerCase() : TEXT.credits(this.cost ?? 0)));
  };

  /** A reason, besides invalid fields, why the choice cannot be submitted now. */
  private _blocker(service: Service): string | null {
    const choice = this._choiceFor(service);
    if (choice.reference?.controller) return TEXT.referenceWait;
    if (choice.reference?.error) return TEXT.referenceFailed;
    const remaining = this.knownCredits?.remaining;
    const cost = this.cost ?? 0;
    if (remaining !== null && remaining !== undefined && cost > remaining) return TEXT.notEnoughCreditsShort;
    return null;
  }

  // ---- rendering ----

  protected override render(): unknown {
    const task = this._catalogTask;
    const busy = !this.catalog && task.status === TaskStatus.PENDING;
    let body: unknown;
    if (this.catalog || task.status === TaskStatus.COMPLETE) body = this._services.length ? this._renderForm() : this._renderEmpty(TEXT.noServices);
    else if (busy) body = html`<p part="loading" class="loading"><span class="spinner" aria-hidden="true"></span>${TEXT.loadingServices}</p>`;
    else if (task.status === TaskStatus.ERROR) body = this._renderLoadError(task.error);
    else body = this._renderEmpty(TEXT.notConnected);
    return html`
      <div part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir} aria-busy=${busy ? 'true' : 'false'}>
        ${body}
        ${this._announcer.render('status', busy ? TEXT.loadingServices : undefined)}
      </div>
    `;
  }

  private _renderEmpty(text: string): TemplateResult {
    return html`<p part="empty" class="empty">${text}</p>`;
  }

  private _renderLoadError(error: unknown): TemplateResult {
    const message = isAbort(error) ? TEXT.loadInterrupted : errorText(errorDetail(SOURCE, error).code);
    return html`<div part="error" class="load-error" role="alert">
      <p><strong>${TEXT.loadFailed}</strong> ${message}</p>
      <button part="retry" type="button" @click=${() => void this.reload()}>${TEXT.retry}</button>
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
        aria-label=${TEXT.chooseService}
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
      renderConfig(service, choice, this.disabled),
      service.inputs.mask ? renderMaskToggle(service, choice, this.disabled) : nothing,
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
    if (service.inputs.variants.max > 1) bits.push(plural(variantsOf(service, choice), 'version', 'versions'));
    if (choice.prompt.trim()) bits.push(TEXT.instructions.toLowerCase());
    if (choice.reference) bits.push('reference photo');
    return bits.join(' · ');
  }

  private _renderSummary(service: Service): TemplateResult {
    const cost = this.cost ?? 0;
    const remaining = this.knownCredits?.remaining;
    const short = remaining !== null && remaining !== undefined && cost > remaining;
    const blocker = this.disabled ? null : this._blocker(service);
    const hint = this.disabled ? null : !this._valid ? TEXT.invalidFirst : blocker;
    const canSubmit = !this.disabled && this._valid && !blocker;
    return html`<div part="summary" class="summary">
      <div part="cost" class="cost" id="cost" role="status" aria-live="polite" aria-atomic="true">
        <span class="cost-amount">${service.preview_only ? TEXT.free : TEXT.credits(cost)}</span>
        ${remaining !== null && remaining !== undefined ? html`<span class="credits">${TEXT.creditsLeft(remaining)}</span>` : nothing}
        ${short
          ? html`<span part="cost-warning" class="cost-warning">${TEXT.notEnoughCredits(service.inputs.variants.max > 1)}</span>`
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

