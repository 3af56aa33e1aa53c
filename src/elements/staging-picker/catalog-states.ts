import { html, type TemplateResult } from 'lit';
import { TEXT } from './picker-text.js';

/** What the picker shows instead of its form: while the catalog loads, when it failed, when it is empty. */

export const renderLoading = (): TemplateResult =>
  html`<p part="loading" class="loading"><span class="spinner" aria-hidden="true"></span>${TEXT.loadingServices}</p>`;

export const renderEmpty = (text: string): TemplateResult => html`<p part="empty" class="empty">${text}</p>`;

/** The catalog could not be loaded: why, in the person's words, and Retry. */
export const renderLoadError = (message: string, retry: () => void): TemplateResult =>
  html`<div part="error" class="load-error" role="alert">
    <p><strong>${TEXT.loadFailed}</strong> ${message}</p>
    <button part="retry" type="button" @click=${retry}>${TEXT.retry}</button>
  </div>`;
