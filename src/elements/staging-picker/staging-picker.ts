import { TaskStatus } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { StagingClient, TokenResult } from '../../client/index.js';
import type { Catalog, Credits, Resolution, Service } from '../../contract/index.js';
import { LiveAnnouncer } from '../shared/announcer.js';
import { localiseService } from '../shared/catalog-words.js';
import { ClientController } from '../shared/client-controller.js';
import { errorDetail, isAbort } from '../shared/error-event.js';
import { errorText } from '../shared/error-text.js';
import '../shared/error-text-more.js';
import { parseServiceList } from '../shared/service-list.js';
import { emit } from '../shared/events.js';
import { spinnerStyles } from '../shared/spinner.styles.js';
import { themeStyles } from '../shared/theme.styles.js';
import { pickerStyles } from './staging-picker.styles.js';
import { TEXT } from './picker-text.js';
import { renderServiceCards } from './service-cards.js';
import { renderConfig, renderMaskToggle, renderStyle } from './scene-fields.js';
import { ReferenceField } from './reference-upload.js';
import { CardFold } from './card-fold.js';
import { applyControl, choiceFor, costOf, dropReference, offeredServices, resolutionsOf, stepVariants, valueOf, type Choice, type StagingPickerValue } from './choice.js';
import { renderMoreOptions, type MoreOptionsContext } from './more-options.js';
import { CatalogController } from './catalog-controller.js';
import { FormValidity, isControl } from './form-validity.js';
import { blockerOf, renderSummaryBar } from './summary-bar.js';
import { renderEmpty, renderLoadError, renderLoading } from './catalog-states.js';
import { SelectionChange } from './selection-change.js';

export type { StagingPickerValue } from './choice.js';
import { LocaleController } from '../shared/locale.js';

/** Short name of `StagingPickerValue`. */
export type PickerValue = StagingPickerValue;
export type StagingSelectionChangeDetail = StagingPickerValue;
export type StagingSubmitDetail = StagingPickerValue;

const SOURCE = 'staging-picker';

/**
 * Lets a person choose what to do with their photo: the service (cards with a sample picture),
 * its preset, the style (a gallery of pictures), the output resolution, a prompt, the number of
 * variants, the service's own options, a reference image and whether to paint a mask, with the
 * credit cost shown before they start.
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
 * @csspart service-icon - A card's picture when it has no sample (an inline SVG line icon).
 * @csspart service-sample - A card's sample picture: before on the left, after on the right (loaded lazily; decorative).
 * @csspart chosen-service - The chosen service folded to one line, once a card was tapped.
 * @csspart change-service - Its "Change" button, which unfolds the cards.
 * @csspart preview-badge - "Preview" on the card of a service the engine cannot really perform.
 * @csspart preview-note - Under the cards, once, when such a service is chosen: what the person will get, and that it is free.
 * @csspart settings - The block of the chosen service's fields.
 * @csspart config - The preset question (a fieldset of chips).
 * @csspart config-choice - One preset chip, or swatch when the presets are styles with pictures (also `config-choice-selected`).
 * @csspart style-gallery - The style question: a radio group of swatches, each a picture (or a colour) with its name.
 * @csspart style-choice - One style swatch (also `style-choice-selected`).
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
  @property({ converter: { fromAttribute: parseServiceList } }) services: string[] | undefined;

  /** Text of the submit button, unless the `submit-label` slot is used; "Start" in the picker's language when unset. */
  @property({ attribute: 'submit-label' }) submitLabel: string | undefined;

  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The photo the choice is for: a service that only enlarges (an upscale) offers only targets larger than it, and none when it is larger than all. */
  @property({ attribute: false }) photo: { width: number; height: number } | undefined;

  @state() private _selectedId: string | null = null;
  /** "More options" unfolded. */
  @state() private _moreOpen = false;

  @query('form') private _form!: HTMLFormElement | null;

  private readonly _api = new ClientController(this);
  private readonly _announcer = new LiveAnnouncer(this);
  private readonly _data = new CatalogController(this, () => this._api.client, (e) => {
    if (!isAbort(e)) emit(this, 'staging-error', errorDetail(SOURCE, e, 'catalog'));
  });
  private readonly _validity = new FormValidity(this, () => (this._form ? Array.from(this._form.elements).filter(isControl) : []));
  private readonly _changes = new SelectionChange(this, () => this.value);
  /** The cards folded to the chosen service's line once one is tapped (card-fold.ts). */
  private readonly _fold = new CardFold(this);
  private readonly _l10n = new LocaleController(this);
  private _choices = new Map<string, Choice>();

  /** The current choice, or null while no service is available (loading, failed, empty). */
  get value(): StagingPickerValue | null {
    const service = this._service;
    return service ? valueOf(service, this._choiceFor(service)) : null;
  }

  /** The catalog in use: the `catalog` property, or the one loaded. */
  get loadedCatalog(): Catalog | undefined {
    return this._data.catalog;
  }

  /** Credits of the session as known: the `credits` property, or the ones loaded. */
  get knownCredits(): Credits | undefined {
    return this._data.credits;
  }

  /** Credits the current choice costs: per output at the resolution, times the variants. */
  get cost(): number | null {
    const service = this._service;
    return service ? costOf(service, this._choiceFor(service)) : null;
  }

  /** Loads the catalog again (what Retry does). */
  reload(): Promise<void> {
    return this._data.reload();
  }

  /** Fetches the session's credits again, e.g. after a job was charged. */
  refreshCredits(): void {
    this._data.refreshCredits();
  }

  /** Forgets every choice, stops a reference upload, and selects the first service with its defaults. */
  reset(): void {
    for (const choice of this._choices.values()) dropReference(choice);
    this._choices.clear();
    this._validity.forget(true);
    this._selectedId = null;
    this._fold.reset();
    this._announcer.clear();
    this._form?.reset();
    this.requestUpdate();
  }

  /** Whether the current choice is complete and within its constraints (no messages shown). */
  checkValidity(): boolean {
    return !!this._service && this._validity.check();
  }

  /** Like `checkValidity()`, and shows the messages of the invalid fields and focuses the first. */
  reportValidity(): boolean {
    const valid = this._validity.report(() => (this._moreOpen = true));
    return !!this._service && valid;
  }

  // ---- model ----

  private get _services(): Service[] {
    return offeredServices(this.loadedCatalog, this.services, this.photo);
  }

  private get _service(): Service | null {
    const list = this._services;
    return list.find((s) => s.id === this._selectedId) ?? list[0] ?? null;
  }

  private _resolutionsOf(service: Service): Resolution[] {
    return resolutionsOf(service, this.loadedCatalog, this.photo);
  }

  private _choiceFor(service: Service): Choice {
    return choiceFor(this._choices, service, this._resolutionsOf(service));
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
        this._validity.forget();
      }
      return;
    }
    if (!applyControl(this._choiceFor(service), target)) return;
    if (event.type === 'change') this._validity.touch(name);
    this.requestUpdate();
  };

  private _onStep = (delta: number): void => {
    const service = this._service;
    if (!service) return;
    stepVariants(service, this._choiceFor(service), delta);
    this._validity.touch('variants');
    this.requestUpdate();
  };

  /** The reference photo's upload and removal (reference-upload.ts). */
  private readonly _reference = new ReferenceField(
    this,
    {
      client: () => this._api.client,
      changed: () => this.requestUpdate(),
      announce: (text) => (text ? this._announcer.announce(text) : this._announcer.clear()),
      errorDetail: (error) => errorDetail(SOURCE, error, 'reference'),
      failed: (detail) => emit(this, 'staging-error', detail),
    },
    () => (this._service ? this._choiceFor(this._service) : null),
    () => this._choices.values(),
  );

  private _onSubmit = (event: SubmitEvent): void => {
    // The picker never navigates: the host decides what a submission does.
    event.preventDefault();
    const service = this._service;
    if (!service || this.disabled) return;
    if (!this.reportValidity() || this._blocker(service)) return;
    const value = valueOf(service, this._choiceFor(service));
    if (!emit(this, 'staging-submit', value, { cancelable: true })) return;
    this._announcer.announce(TEXT.sent(localiseService(service).name, value.resolution, service.preview_only ? TEXT.free.toLowerCase() : TEXT.credits(this.cost ?? 0)));
  };

  /** A reason, besides invalid fields, why the choice cannot be submitted now. */
  private _blocker(service: Service): string | null {
    return blockerOf(this._choiceFor(service), this.cost ?? 0, this.knownCredits?.remaining);
  }

  // ---- rendering ----

  protected override render(): unknown {
    const task = this._data.catalogTask;
    const busy = !this.catalog && task.status === TaskStatus.PENDING;
    let body: unknown;
    if (this.catalog || task.status === TaskStatus.COMPLETE) body = this._services.length ? this._renderForm() : renderEmpty(TEXT.noServices);
    else if (busy) body = renderLoading();
    else if (task.status === TaskStatus.ERROR) {
      body = renderLoadError(isAbort(task.error) ? TEXT.loadInterrupted : errorText(errorDetail(SOURCE, task.error).code), () => void this.reload());
    } else body = renderEmpty(TEXT.notConnected);
    return html`
      <div part="base" class="base" lang=${this._l10n.locale} dir=${this._l10n.dir} aria-busy=${busy ? 'true' : 'false'}>
        ${body}
        ${this._announcer.render('status', busy ? TEXT.loadingServices : undefined)}
      </div>
    `;
  }

  private _renderForm(): TemplateResult {
    const service = this._service!;
    const choice = this._choiceFor(service);
    // What is shown of the service (its presets and options) in the visitor's language; the choice keeps the catalog's ids.
    const shown = localiseService(service);
    const cards = { services: this._services, selected: service, disabled: this.disabled, folded: this._fold.folded, onPick: this._fold.onPick, onChange: this._fold.onUnfold };
    return html`
      <form
        part="form"
        class="form"
        novalidate
        aria-label=${TEXT.chooseService}
        @submit=${this._onSubmit}
        @input=${this._onControl}
        @change=${this._onControl}
        @focusout=${this._validity.onFocusOut}
      >
        ${renderServiceCards(cards)}
        ${keyed(service.id, html`<div part="settings" class="settings">${this._renderSettings(shown, choice)}</div>`)}
        ${renderSummaryBar({
          service: shown,
          cost: this.cost ?? 0,
          remaining: this.knownCredits?.remaining,
          blocker: this.disabled ? null : this._blocker(service),
          valid: this._validity.valid,
          disabled: this.disabled,
          submitLabel: this.submitLabel ?? TEXT.start,
        })}
      </form>
    `;
  }

  /**
   * The questions in view (the preset, as chips or pictures; the style, as pictures), the mask
   * choice, and everything else folded under "More options" with a one-line summary of what it holds.
   */
  private _renderSettings(service: Service, choice: Choice): unknown {
    return [
      renderConfig(service, choice, this.disabled),
      renderStyle(service, choice, this.disabled),
      service.inputs.mask ? renderMaskToggle(service, choice, this.disabled) : nothing,
      renderMoreOptions(this._moreOptionsContext(service, choice)),
    ];
  }

  /** What the folded "More options" panel needs from the element (more-options.ts renders it). */
  private _moreOptionsContext(service: Service, choice: Choice): MoreOptionsContext {
    const errors = this._validity.errors;
    return {
      service,
      choice,
      resolutions: this._resolutionsOf(service),
      // A field with an error is never hidden in a folded panel.
      open: this._moreOpen || errors.size > 0,
      errors,
      disabled: this.disabled,
      accept: this.loadedCatalog?.upload.content_types.join(',') || 'image/*',
      onToggle: (open) => (this._moreOpen = open),
      onStep: this._onStep,
      onReferenceChange: this._reference.onChange,
      onReferenceRemove: this._reference.onRemove,
    };
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
